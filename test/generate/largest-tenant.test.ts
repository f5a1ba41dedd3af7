// GIVEN the largest tenant each tier allows (testing/synthetic/largest-tenant.ts: the tier's
// ceilings and every cap of the spec) WHEN it is checked as the service
// checks a request, rendered and built by real kustomize THEN it is valid, its spec file fits the
// CLI's byte limit, and every object it becomes stays far below what etcd stores.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTenant } from '../../src/generate/render/index.ts';
import { kustomizeOverlays } from '../../src/generate/validate/index.ts';
import {
  MAX_OWNERS,
  MAX_TENANT_FILE_BYTES,
  parseTenantValue,
  TIER_POLICIES,
  TIERS,
  tenantSpecFile,
} from '../../src/tenant/index.ts';
import { largestTenantDocument } from '../../testing/synthetic/largest-tenant.ts';
import { makePlatformRepo, writeFiles } from '../fixtures/platform-repo.ts';
import { platformDocs } from '../fixtures/platform-files.ts';

/** etcd's default request limit (--max-request-bytes), which caps every stored object. */
const ETCD_OBJECT_LIMIT = 1.5 * 1024 * 1024;
/**
 * The API server stores more than the object we render: ArgoCD's last-applied annotation repeats
 * it, managedFields describe every field again, and kustomize adds labels. An object a quarter of
 * the limit leaves room for all of that.
 */
const HEADROOM = 4;

describe('the largest tenant the limits allow', () => {
  it.each(TIERS)(
    'GIVEN the largest %s tenant THEN it is valid, fits the file limit, and renders small objects',
    async (tier) => {
      const document = largestTenantDocument(tier);
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
        const applied = [...objects.get(tenant.name)!, ...platformDocs(files, tenant.name)];
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
