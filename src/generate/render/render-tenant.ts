// spec → files: a pure function from resolved tenants to repo-relative paths and their bytes.
import type { ResolvedTenant } from '../../tenant/types.ts';
import {
  argocdTenantPath,
  CLUSTER_SCHEMA_PATH,
  clusterNamespacesReadmePath,
  tenantNamespacesPath,
  PLATFORM_NAMESPACES_PATH,
  TENANT_SCHEMA_PATH,
  tenantRecordPath,
} from '../../tenant/names.ts';
import type { RenderOptions } from '../../tenant/platform.ts';
import {
  renderAppProjectFile,
  renderClusterNamespacesReadme,
  renderNamespacesFile,
  renderTenantJson,
} from './argocd-tenant.ts';
import { renderOverlayFiles } from './overlay.ts';

/**
 * Every file one tenant owns: overlays/<name>/**, argocd/tenants/<name>.yaml (its AppProject) and
 * argocd/clusters/<cluster>/<name>.yaml (its Namespaces).
 */
export function renderTenant(t: ResolvedTenant, options: RenderOptions = {}): Map<string, string> {
  const files = renderOverlayFiles(t, options);
  files.set(tenantRecordPath(t.name), renderTenantJson(t, options));
  files.set(argocdTenantPath(t.name), renderAppProjectFile(t, options));
  files.set(tenantNamespacesPath(t.cluster, t.name), renderNamespacesFile(t));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface RenderAllOptions extends RenderOptions {
  /** Text of tenants/tenant.schema.json (generated from the zod schema by tenant/). */
  tenantSchemaText?: string;
  /** Text of tenants/platform-namespaces.json (tenant/platform-namespaces.ts renders it). */
  platformNamespacesText?: string;
  /** Text of clusters/cluster.schema.json (generated from the zod schema by tenant/). */
  clusterSchemaText?: string;
}

/**
 * The whole generated tree, one tenant at a time (so a writer can write while the next renders):
 * the JSON Schemas and the platform namespaces, each registered cluster's folder of Namespaces, then
 * every tenant's files in name order.
 */
export function* renderTree(tenants: ResolvedTenant[], options: RenderAllOptions = {}): Generator<[string, string]> {
  if (options.tenantSchemaText !== undefined) yield [TENANT_SCHEMA_PATH, options.tenantSchemaText];
  if (options.platformNamespacesText !== undefined) yield [PLATFORM_NAMESPACES_PATH, options.platformNamespacesText];
  if (options.clusterSchemaText !== undefined) yield [CLUSTER_SCHEMA_PATH, options.clusterSchemaText];
  for (const cluster of [...(options.clusters?.keys() ?? [])].sort())
    yield [clusterNamespacesReadmePath(cluster), renderClusterNamespacesReadme(cluster)];
  for (const t of [...tenants].sort((a, b) => (a.name < b.name ? -1 : 1))) yield* renderTenant(t, options);
}

/** The whole generated tree at once. */
export function renderAll(tenants: ResolvedTenant[], options: RenderAllOptions = {}): Map<string, string> {
  return new Map(renderTree(tenants, options));
}
