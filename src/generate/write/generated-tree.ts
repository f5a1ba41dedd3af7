// Which paths the generator owns: overlays/**, argocd/tenants/*.yaml, argocd/clusters/** and the
// JSON Schemas and platform namespaces file (tenant/names.ts names them). Anything else in the
// repository is never read for pruning, never written, never removed. A symbolic link anywhere on the way (the folders themselves, their
// parents, a tenant's folder, one file) is refused before anything is written: writing through it
// would change files outside the repository, and a reviewer never sees that in the diff.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, type FieldIssue } from '../../shared/errors.ts';
import { ARGOCD_CLUSTERS_DIR, ARGOCD_TENANTS_DIR, OVERLAYS_DIR, OWNED_SINGLE_FILES } from '../../tenant/names.ts';

function walk(root: string, rel: string, out: string[], links: string[]): void {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    if (entry.isSymbolicLink()) links.push(child);
    else if (entry.isDirectory()) walk(root, child, out, links);
    else out.push(child);
  }
}

/** `path` and each folder above it inside the repository: `argocd/tenants` → `argocd`, `argocd/tenants`. */
function withParents(path: string): string[] {
  const chain: string[] = [];
  for (let p = path; p !== '.' && p !== ''; p = dirname(p)) chain.unshift(p);
  return chain;
}

function isLink(root: string, path: string): boolean {
  try {
    return lstatSync(join(root, path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function refuseLinks(links: string[]): void {
  if (links.length === 0) return;
  const issues: FieldIssue[] = [...new Set(links)].sort().map((file) => ({
    file,
    path: '(file)',
    message: 'is a symbolic link; generate writes only real files and folders inside the repository',
    fix: `replace it with a real ${file.endsWith('.yaml') || file.endsWith('.json') ? 'file' : 'folder'}, or remove it and run tenantctl generate`,
  }));
  throw new InputError(issues);
}

/**
 * Every file currently on disk in the generator's territory, repo-relative. Throws InputError
 * naming every symbolic link in the territory or on the way to it.
 */
export function listGeneratedFiles(root: string): string[] {
  const links = [OVERLAYS_DIR, ARGOCD_TENANTS_DIR, ARGOCD_CLUSTERS_DIR, ...OWNED_SINGLE_FILES]
    .flatMap(withParents)
    .filter((path) => isLink(root, path));
  refuseLinks(links);
  const out: string[] = [];
  for (const dir of [OVERLAYS_DIR, ARGOCD_CLUSTERS_DIR]) if (existsSync(join(root, dir))) walk(root, dir, out, links);
  if (existsSync(join(root, ARGOCD_TENANTS_DIR))) {
    for (const entry of readdirSync(join(root, ARGOCD_TENANTS_DIR), { withFileTypes: true })) {
      if (!entry.name.endsWith('.yaml')) continue;
      if (entry.isSymbolicLink()) links.push(`${ARGOCD_TENANTS_DIR}/${entry.name}`);
      else if (entry.isFile()) out.push(`${ARGOCD_TENANTS_DIR}/${entry.name}`);
    }
  }
  refuseLinks(links);
  for (const file of OWNED_SINGLE_FILES) if (existsSync(join(root, file))) out.push(file);
  return out.filter((p) => !p.endsWith('/.gitkeep')).sort();
}
