// The largest tenant spec the platform accepts, computed from the tier policies and the spec's
// limits rather than written out: the tier with the most room, every quota and limit at its
// ceiling, every GPU slice, as many sub-namespaces as the tier allows with the longest names their
// namespaces can take, a dedicated pool where the tier has one, and then owners (a list with no
// ceiling, and the one a reviewer must read) until the committed spec file is as large as the
// generator reads. Used by the PR-body benchmark and by the test that a body over GitHub's limit
// is cut.
import { tenantSpecFile } from '../../src/onboarding/github-port.ts';
import { MAX_NAMESPACE_LENGTH, subNamespace } from '../../src/tenant/names.ts';
import { MAX_TENANT_FILE_BYTES, parseTenantDocument } from '../../src/tenant/parse.ts';
import { TIER_POLICIES } from '../../src/tenant/tiers.ts';
import { TIERS, type Tier } from '../../src/tenant/types.ts';

export interface LargestTenant {
  document: Record<string, unknown>;
  /** Bytes of tenants/<name>.yaml as the service commits it. */
  fileBytes: number;
  owners: number;
}

/** The tier whose ceilings leave the most room: most sub-namespaces, then most GPU slices. */
export function roomiestTier(): Tier {
  const room = (t: Tier) => [TIER_POLICIES[t].maxSubNamespaces, TIER_POLICIES[t].maxGpuSlices] as const;
  return [...TIERS].sort((a, b) => room(b)[0] - room(a)[0] || room(b)[1] - room(a)[1])[0]!;
}

/** `owners` distinct owners named `<prefix>-<n>` (`prefix` lets two specs share no owner). */
export function largestTenantDocument(name: string, owners: number, prefix = 'group'): Record<string, unknown> {
  const tier = roomiestTier();
  const policy = TIER_POLICIES[tier];
  const subLength = MAX_NAMESPACE_LENGTH - subNamespace(name, '').length;
  const subNamespaces = Array.from({ length: policy.maxSubNamespaces }, (_, i) => ({
    name: String(i).padStart(subLength, 'x'),
  }));
  // Every owner name is as long as the largest count needs, so each owner costs the file the same.
  const width = String(MAX_TENANT_FILE_BYTES).length;
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: {
      tier,
      owners: Array.from({ length: owners }, (_, i) => ({
        kind: 'Group',
        name: `${prefix}-${String(i).padStart(width, '0')}`,
      })),
      quota: { ...policy.quotaCeilings },
      limits: {
        default: { ...policy.limits.max },
        defaultRequest: { ...policy.limits.max },
        max: { ...policy.limits.max },
      },
      gpu: { slices: policy.maxGpuSlices },
      subNamespaces,
      network: {
        allowIngressFromNamespaces: ['ingress-nginx'],
        allowEgressTo: [
          { cidr: '0.0.0.0/0', ports: [443] },
          { cidr: '::/0', ports: [443] },
        ],
      },
      nodePool: policy.dedicatedNodePool ? 'dedicated' : 'shared',
    },
  };
}

/**
 * The largest valid spec for `name`: the most owners whose spec file still fits. Owners all cost
 * the same bytes, so two small files give the count; the result is checked in full.
 */
export function largestValidTenant(name: string, prefix = 'group'): LargestTenant {
  const bytes = (owners: number) =>
    Buffer.byteLength(tenantSpecFile(largestTenantDocument(name, owners, prefix)), 'utf8');
  const [one, two] = [bytes(1), bytes(2)];
  for (let owners = 1 + Math.floor((MAX_TENANT_FILE_BYTES - one) / (two - one)); owners >= 1; owners -= 1) {
    const document = largestTenantDocument(name, owners, prefix);
    const fileBytes = Buffer.byteLength(tenantSpecFile(document), 'utf8');
    if (fileBytes > MAX_TENANT_FILE_BYTES) continue;
    parseTenantDocument(document, { expectedName: name });
    return { document, fileBytes, owners };
  }
  throw new Error(`tenant-gitops: no valid spec named ${name} fits in ${MAX_TENANT_FILE_BYTES} bytes`);
}
