// GIVEN the largest tenant each tier allows, built from the tier's ceilings and every cap of the
// spec (owners, their name length, network lists, name lengths) WHEN it is checked as the service
// checks a request, rendered and built by real kustomize THEN it is valid, its spec file fits the
// CLI's byte limit, and every object it becomes stays far below what etcd stores.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderTenant } from '../../src/generate/render/index.ts';
import { kustomizeOverlays } from '../../src/generate/validate/index.ts';
import {
  MAX_EGRESS_ALLOWANCES,
  MAX_INGRESS_NAMESPACES,
  MAX_NAMESPACE_LENGTH,
  MAX_OWNER_NAME_LENGTH,
  MAX_OWNERS,
  MAX_PORTS_PER_ALLOWANCE,
  MAX_TENANT_FILE_BYTES,
  NAMESPACE_PREFIX,
  parseTenantValue,
  TIER_POLICIES,
  TIERS,
  tenantSpecFile,
  type Tier,
} from '../../src/tenant/index.ts';
import { makePlatformRepo, writeFiles } from '../fixtures/platform-repo.ts';

/** etcd's default request limit (--max-request-bytes), which caps every stored object. */
const ETCD_OBJECT_LIMIT = 1.5 * 1024 * 1024;
/**
 * The API server stores more than the object we render: ArgoCD's last-applied annotation repeats
 * it, managedFields describe every field again, and kustomize adds labels. An object a quarter of
 * the limit leaves room for all of that.
 */
const HEADROOM = 4;

/** `length` characters: `letter` repeated, then `i` in three digits, so names stay distinct. */
const padded = (letter: string, i: number, length: number) => letter.repeat(length - 3) + String(i).padStart(3, '0');

function largestDocument(tier: Tier) {
  const policy = TIER_POLICIES[tier];
  const subs = policy.maxSubNamespaces;
  // Two characters name up to 36² distinct sub-namespaces; the rest of the 63 goes to the tenant.
  const subLength = 2;
  const nameLength = MAX_NAMESPACE_LENGTH - NAMESPACE_PREFIX.length - (subs > 0 ? subLength + 1 : 0);
  const name = padded('z', 0, nameLength);
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: {
      tier,
      owners: Array.from({ length: MAX_OWNERS }, (_, i) => ({
        kind: i % 2 === 0 ? 'User' : 'Group',
        name: padded('a', i, MAX_OWNER_NAME_LENGTH),
      })),
      quota: { ...policy.quotaCeilings },
      limits: { default: policy.limits.max, defaultRequest: policy.limits.max, max: policy.limits.max },
      gpu: { slices: policy.maxGpuSlices },
      subNamespaces: Array.from({ length: subs }, (_, i) => ({ name: `s${i.toString(36)}` })),
      network: {
        allowIngressFromNamespaces: Array.from({ length: MAX_INGRESS_NAMESPACES }, (_, i) =>
          padded('n', i, MAX_NAMESPACE_LENGTH),
        ),
        // The longest canonical CIDR text there is: eight full IPv6 groups and a three-digit prefix.
        allowEgressTo: Array.from({ length: MAX_EGRESS_ALLOWANCES }, (_, i) => ({
          cidr: `ffff:ffff:ffff:ffff:ffff:ffff:ffff:${(0xff00 + i).toString(16)}/128`,
          ports: Array.from({ length: MAX_PORTS_PER_ALLOWANCE }, (_, j) => 65535 - j),
        })),
      },
      nodePool: policy.dedicatedNodePool ? 'dedicated' : 'shared',
    },
  };
}

describe('the largest tenant the limits allow', () => {
  it.each(TIERS)(
    'GIVEN the largest %s tenant THEN it is valid, fits the file limit, and renders small objects',
    async (tier) => {
      const document = largestDocument(tier);
      const bytes = Buffer.byteLength(tenantSpecFile(document), 'utf8');
      expect(bytes, `the caps allow a ${bytes}-byte spec`).toBeLessThanOrEqual(MAX_TENANT_FILE_BYTES);
      const { tenant } = parseTenantValue(document);
      expect(tenant.owners).toHaveLength(MAX_OWNERS);
      expect(tenant.subNamespaces).toHaveLength(TIER_POLICIES[tier].maxSubNamespaces);

      const files = renderTenant(tenant);
      const root = makePlatformRepo();
      try {
        writeFiles(root, files);
        const { objects, failures } = await kustomizeOverlays(root, [tenant.name]);
        expect([...failures]).toEqual([]);
        const applied = [
          ...objects.get(tenant.name)!,
          ...parseAllDocuments(files.get(`argocd/tenants/${tenant.name}.yaml`)!).map((d) => d.toJS() as object),
        ];
        const sizes = applied.map((o) => Buffer.byteLength(JSON.stringify(o), 'utf8'));
        expect(Math.max(...sizes)).toBeLessThan(ETCD_OBJECT_LIMIT / HEADROOM);
        for (const [path, text] of files)
          expect(Buffer.byteLength(text, 'utf8'), path).toBeLessThan(ETCD_OBJECT_LIMIT / HEADROOM);
        // The owners really are all there: the RoleBinding is the object the owner cap bounds.
        const bindings = applied.filter((o) => (o as { kind?: string }).kind === 'RoleBinding');
        for (const b of bindings) expect((b as { subjects: unknown[] }).subjects).toHaveLength(MAX_OWNERS + 1);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
