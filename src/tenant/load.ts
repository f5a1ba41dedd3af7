// Reads every tenants/<name>.yaml of a platform repository. All files are checked and all problems
// reported together, and one bad file fails the whole load, so nothing is generated from half a
// repository.
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { checkIngressHostCollisions, checkNamespaceCollisions } from './collisions.ts';
import { collectTenantYaml, TENANT_FILE } from './parse.ts';
import type { TenantDocument } from './schema.ts';
import { PLATFORM_NAMESPACES_FILE, TENANT_SCHEMA_FILE as SCHEMA_FILE } from './names.ts';
import { platformNamespaceIssues, type PlatformNamespaces } from './platform-namespaces.ts';
import { readReviewedDir } from './reviewed-dir.ts';
import type { ResolvedTenant } from './types.ts';

export interface LoadedTenant {
  /** Relative to the platform root, e.g. `tenants/acme.yaml`. */
  file: string;
  document: TenantDocument;
  tenant: ResolvedTenant;
}

export interface LoadOptions {
  /**
   * The namespaces no tenant may derive (generate/platform-namespaces.ts reads them from the
   * repository). A promise, so the caller can render the platform while the specs are read.
   */
  platformNamespaces?: PlatformNamespaces | Promise<PlatformNamespaces>;
}

export async function loadTenants(root: string, options: LoadOptions = {}): Promise<LoadedTenant[]> {
  const { loaded, issues } = await collectTenants(root, options);
  if (issues.length > 0) throw new InputError(issues);
  return loaded;
}

/** Like loadTenants but returns the issues instead of throwing (loadPlatform adds the registry's). */
export async function collectTenants(
  root: string,
  options: LoadOptions = {},
): Promise<{ loaded: LoadedTenant[]; issues: FieldIssue[] }> {
  const { files, issues } = readReviewedDir(root, TENANT_FILE, [SCHEMA_FILE, PLATFORM_NAMESPACES_FILE]);
  const loaded: LoadedTenant[] = [];
  for (const { file, name, text } of files) {
    const { document, issues: fileIssues } = collectTenantYaml(text, { file, expectedName: name });
    issues.push(...fileIssues);
    if (document) loaded.push({ file, ...document });
  }
  issues.push(...checkNamespaceCollisions(loaded), ...checkIngressHostCollisions(loaded));
  if (options.platformNamespaces !== undefined) {
    const platform = await options.platformNamespaces;
    for (const { file, tenant } of loaded) issues.push(...platformNamespaceIssues(tenant, platform, file));
  }
  return { loaded, issues };
}
