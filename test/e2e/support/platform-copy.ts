// The tenants the enforcement tests run against, rendered into a temporary copy of the platform
// repository exactly as `tenantctl generate` renders them (same pure renderAll), so a test can also
// render a variant (e.g. a tiny pod quota) without touching the working tree. The expectations
// come from the ResolvedTenant, never from the rendered YAML.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderAll } from '../../../src/generate/render/index.ts';
import { loadTenants } from '../../../src/tenant/index.ts';
import { argocdTenantPath, tenantNamespacesPath } from '../../../src/tenant/names.ts';
import type { RenderOptions } from '../../../src/tenant/platform.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { parseObjects, renderKustomization, type KubeObject } from './kube-objects.ts';

/** The example tenants of tenants/*.yaml, validated and resolved by the spec layer. */
export async function exampleTenants(): Promise<ResolvedTenant[]> {
  const loaded = await loadTenants(REPO_ROOT);
  if (loaded.length === 0) throw new Error(`tenant-gitops: no tenant specs in ${join(REPO_ROOT, 'tenants')}`);
  return loaded.map((l) => l.tenant);
}

export interface PlatformCopy {
  root: string;
  /** base/platform rendered (cluster-wide objects: PriorityClasses, ClusterRole, admission policies). */
  platformObjects(): Promise<KubeObject[]>;
  /** argocd/tenants/<t>.yaml and argocd/clusters/<cluster>/<t>.yaml: its AppProject and Namespaces. */
  argocdTenantObjects(tenant: string): KubeObject[];
  /** `kubectl kustomize overlays/<t>`. */
  overlayObjects(tenant: string): Promise<KubeObject[]>;
  remove(): void;
}

/** `options`: e.g. the clusters with their Vault, for tenants with a secret store. */
export function renderPlatformCopy(tenants: ResolvedTenant[], options: RenderOptions = {}): PlatformCopy {
  const root = mkdtempSync(join(tmpdir(), 'tenant-gitops-platform-'));
  cpSync(join(REPO_ROOT, 'base'), join(root, 'base'), { recursive: true });
  for (const [path, content] of renderAll(tenants, { ...options, tenantSchemaText: '{}\n' })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return {
    root,
    platformObjects: () => renderKustomization(join(root, 'base', 'platform')),
    argocdTenantObjects: (tenant) => {
      const cluster = tenants.find((t) => t.name === tenant)?.cluster;
      if (cluster === undefined) throw new Error(`tenant-gitops: no tenant ${tenant} in this platform copy`);
      return [argocdTenantPath(tenant), tenantNamespacesPath(cluster, tenant)].flatMap((path) =>
        parseObjects(readFileSync(join(root, path), 'utf8')),
      );
    },
    overlayObjects: (tenant) => renderKustomization(join(root, 'overlays', tenant)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
