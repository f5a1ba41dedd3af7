// Reads every tenants/<name>.yaml of a platform repository. All files are checked and all problems
// reported together, and one bad file fails the whole load, so nothing is generated from half a
// repository.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { checkIngressHostCollisions, checkNamespaceCollisions } from './collisions.ts';
import { collectTenantYaml, fileSizeProblem } from './parse.ts';
import type { TenantDocument } from './schema.ts';
import { PLATFORM_NAMESPACES_FILE, TENANT_SCHEMA_FILE as SCHEMA_FILE, TENANTS_DIR } from './names.ts';
import { platformNamespaceIssues, type PlatformNamespaces } from './platform-namespaces.ts';
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
  const dir = join(root, TENANTS_DIR);
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new InputError(
      [
        {
          file: TENANTS_DIR,
          path: '(directory)',
          message: `cannot read ${dir}: ${(error as Error).message}`,
          fix: 'run from a platform repository or pass --root DIR',
        },
      ],
      { cause: error },
    );
  }
  const issues: FieldIssue[] = [];
  const candidates: string[] = [];
  for (const entry of entries) {
    const refusal = refuseEntry(entry);
    if (refusal) issues.push({ file: `${TENANTS_DIR}/${entry}`, path: '(file)', ...refusal });
    else if (entry.endsWith('.yaml')) candidates.push(entry);
  }
  const results = candidates.map((entry) => loadOne(dir, entry));
  const loaded: LoadedTenant[] = [];
  for (const result of results) {
    issues.push(...result.issues);
    if (result.loaded) loaded.push(result.loaded);
  }
  issues.push(...checkNamespaceCollisions(loaded), ...checkIngressHostCollisions(loaded));
  if (options.platformNamespaces !== undefined) {
    const platform = await options.platformNamespaces;
    for (const { file, tenant } of loaded) issues.push(...platformNamespaceIssues(tenant, platform, file));
  }
  if (issues.length > 0) throw new InputError(issues);
  return loaded;
}

/** Why a directory entry cannot be in tenants/, or undefined when it is a spec or allowed. */
function refuseEntry(entry: string): { message: string; fix: string } | undefined {
  if (
    entry.endsWith('.yaml') ||
    entry === SCHEMA_FILE ||
    entry === PLATFORM_NAMESPACES_FILE ||
    entry.endsWith('.md') ||
    entry === '.gitkeep'
  )
    return undefined;
  if (entry.endsWith('.yml')) {
    return {
      message: 'tenant files use the .yaml extension',
      fix: `rename it to ${TENANTS_DIR}/${entry.slice(0, -'.yml'.length)}.yaml`,
    };
  }
  return {
    message: `unexpected file "${entry}" in ${TENANTS_DIR}/ (only <name>.yaml specs, ${SCHEMA_FILE}, ${PLATFORM_NAMESPACES_FILE} and .md notes belong here)`,
    fix: `move it out of ${TENANTS_DIR}/`,
  };
}

// Synchronous reads: a tenant file is a page of text, and for files that small a blocking read
// costs a third of a promise's round trip through the thread pool; parsing is the real work.
function loadOne(dir: string, entry: string): { loaded?: LoadedTenant; issues: FieldIssue[] } {
  const file = `${TENANTS_DIR}/${entry}`;
  const refuse = (message: string, fix: string) => ({ issues: [{ file, path: '(file)', message, fix }] });
  const stats = lstatSync(join(dir, entry));
  if (!stats.isFile())
    return refuse('is not a regular file (a symlink or directory)', 'replace it with a regular tenant file');
  // Checked before reading so a huge file is never loaded into memory.
  const tooLarge = fileSizeProblem(stats.size);
  if (tooLarge) return refuse(tooLarge.message, tooLarge.fix);
  const text = readFileSync(join(dir, entry), 'utf8');
  const { document, issues } = collectTenantYaml(text, { file, expectedName: entry.slice(0, -'.yaml'.length) });
  return document ? { loaded: { file, ...document }, issues } : { issues };
}
