// The largest tenant spec the platform accepts, computed from the tier policies and the spec's
// caps (src/tenant/limits.ts) rather than written out: every quota and limit at its ceiling, every
// GPU slice, as many sub-namespaces as the tier allows, the most owners with the longest names,
// the most ingress namespaces, ingress hosts (wildcards, the longer review rows) and egress
// allowances with the longest texts, a dedicated pool where
// the tier has one. Used by the test that every rendered object stays small, the PR-body benchmark
// and the tests of GitHub's body limit.
import {
  MAX_EGRESS_ALLOWANCES,
  MAX_HOSTNAME_LENGTH,
  MAX_INGRESS_HOSTS,
  MAX_INGRESS_NAMESPACES,
  MAX_OWNER_NAME_LENGTH,
  MAX_OWNERS,
  MAX_PORTS_PER_ALLOWANCE,
} from '../../src/tenant/limits.ts';
import { MAX_NAMESPACE_LENGTH, NAMESPACE_PREFIX, subNamespace } from '../../src/tenant/names.ts';
import { parseTenantValue } from '../../src/tenant/parse.ts';
import { tenantSpecFile } from '../../src/tenant/spec-file.ts';
import { TIER_POLICIES } from '../../src/tenant/tiers.ts';
import { TIERS, type Tier } from '../../src/tenant/types.ts';

export interface LargestTenant {
  document: Record<string, unknown>;
  /** Bytes of tenants/<name>.yaml as the service commits it. */
  fileBytes: number;
}

/** `length` characters: `letter` repeated, then `i` in three digits, so names stay distinct. */
const padded = (letter: string, i: number, length: number) => letter.repeat(length - 3) + String(i).padStart(3, '0');

/** The tier whose ceilings leave the most room: most sub-namespaces, then most GPU slices. */
export function roomiestTier(): Tier {
  const room = (t: Tier) => [TIER_POLICIES[t].maxSubNamespaces, TIER_POLICIES[t].maxGpuSlices] as const;
  return [...TIERS].sort((a, b) => room(b)[0] - room(a)[0] || room(b)[1] - room(a)[1])[0]!;
}

/** The longest tenant name whose namespaces (with two-character sub-namespaces) stay valid. */
export function longestTenantName(tier: Tier): string {
  const subs = TIER_POLICIES[tier].maxSubNamespaces;
  return padded('z', 0, MAX_NAMESPACE_LENGTH - NAMESPACE_PREFIX.length - (subs > 0 ? 3 : 0));
}

/**
 * The largest `tier` document named `name` (default: the longest name the tier allows). Owner names,
 * ingress namespaces and egress ranges depend on `variant` (one lowercase letter), so two documents
 * of different variants share none of them: a change from one to the other is the largest change.
 */
export function largestTenantDocument(tier: Tier, name = longestTenantName(tier), variant = 'a') {
  if (!/^[a-z]$/.test(variant)) throw new Error(`tenant-gitops: the variant is one lowercase letter, got ${variant}`);
  const policy = TIER_POLICIES[tier];
  // Sub-namespace names as long as the tenant name leaves room for (at least two characters).
  const subLength = Math.max(2, MAX_NAMESPACE_LENGTH - subNamespace(name, '').length);
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: {
      tier,
      owners: Array.from({ length: MAX_OWNERS }, (_, i) => ({
        kind: i % 2 === 0 ? 'User' : 'Group',
        name: padded(variant, i, MAX_OWNER_NAME_LENGTH),
      })),
      quota: { ...policy.quotaCeilings },
      limits: { default: policy.limits.max, defaultRequest: policy.limits.max, max: policy.limits.max },
      gpu: { slices: policy.maxGpuSlices },
      subNamespaces: Array.from({ length: policy.maxSubNamespaces }, (_, i) => ({
        name: i.toString(36).padStart(subLength, 's'),
      })),
      network: {
        allowIngressFromNamespaces: Array.from({ length: MAX_INGRESS_NAMESPACES }, (_, i) =>
          padded(variant, i, MAX_NAMESPACE_LENGTH),
        ),
        // The longest canonical CIDR text there is: eight four-digit IPv6 groups and a three-digit prefix.
        allowEgressTo: Array.from({ length: MAX_EGRESS_ALLOWANCES }, (_, i) => ({
          cidr: `${(0xf000 + variant.charCodeAt(0)).toString(16)}:ffff:ffff:ffff:ffff:ffff:ffff:${(0xff00 + i).toString(16)}/128`,
          ports: Array.from({ length: MAX_PORTS_PER_ALLOWANCE }, (_, j) => 65535 - j),
        })),
      },
      ingress: { hosts: Array.from({ length: MAX_INGRESS_HOSTS }, (_, i) => longestWildcardHost(variant, i)) },
      nodePool: policy.dedicatedNodePool ? 'dedicated' : 'shared',
    },
  };
}

/** `*.` and four labels, `MAX_HOSTNAME_LENGTH` characters in all, distinct per variant and index. */
function longestWildcardHost(variant: string, i: number): string {
  const last = MAX_HOSTNAME_LENGTH - '*.'.length - 3 * (MAX_NAMESPACE_LENGTH + 1);
  return [
    '*',
    padded(variant, i, MAX_NAMESPACE_LENGTH),
    variant.repeat(MAX_NAMESPACE_LENGTH),
    'h'.repeat(MAX_NAMESPACE_LENGTH),
    'x'.repeat(last),
  ].join('.');
}

/** The largest valid spec of the roomiest tier, checked as the service checks a request. */
export function largestValidTenant(name?: string, variant = 'a'): LargestTenant {
  const document = largestTenantDocument(roomiestTier(), name, variant);
  parseTenantValue(document, name ? { expectedName: name } : {});
  return { document, fileBytes: Buffer.byteLength(tenantSpecFile(document), 'utf8') };
}
