// spec → files: a pure function from resolved tenants to repo-relative paths and their bytes.
import type { ResolvedTenant } from '../../tenant/types.ts';
import {
  argocdTenantPath,
  CLUSTER_SCHEMA_PATH,
  PLATFORM_NAMESPACES_PATH,
  TENANT_SCHEMA_PATH,
  tenantRecordPath,
} from '../../tenant/names.ts';
import type { RenderOptions } from '../../tenant/platform.ts';
import { renderArgocdTenantFile, renderTenantJson } from './argocd-tenant.ts';
import { renderOverlayFiles } from './overlay.ts';

/** Every file one tenant owns: overlays/<name>/** and argocd/tenants/<name>.yaml. */
export function renderTenant(t: ResolvedTenant, options: RenderOptions = {}): Map<string, string> {
  const files = renderOverlayFiles(t, options);
  files.set(tenantRecordPath(t.name), renderTenantJson(t, options));
  files.set(argocdTenantPath(t.name), renderArgocdTenantFile(t, options));
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
 * the JSON Schemas and the platform namespaces, then every tenant's files in name order.
 */
export function* renderTree(tenants: ResolvedTenant[], options: RenderAllOptions = {}): Generator<[string, string]> {
  if (options.tenantSchemaText !== undefined) yield [TENANT_SCHEMA_PATH, options.tenantSchemaText];
  if (options.platformNamespacesText !== undefined) yield [PLATFORM_NAMESPACES_PATH, options.platformNamespacesText];
  if (options.clusterSchemaText !== undefined) yield [CLUSTER_SCHEMA_PATH, options.clusterSchemaText];
  for (const t of [...tenants].sort((a, b) => (a.name < b.name ? -1 : 1))) yield* renderTenant(t, options);
}

/** The whole generated tree at once. */
export function renderAll(tenants: ResolvedTenant[], options: RenderAllOptions = {}): Map<string, string> {
  return new Map(renderTree(tenants, options));
}
