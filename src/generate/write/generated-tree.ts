// Which paths the generator owns: overlays/**, argocd/tenants/*.yaml and the tenant JSON Schema
// (tenant/names.ts names them). Anything else in the repository is never read for pruning, never
// written, never removed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARGOCD_TENANTS_DIR, OVERLAYS_DIR, OWNED_SINGLE_FILES } from '../../tenant/names.ts';

function walk(root: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(root, child, out);
    else out.push(child);
  }
}

/** Every file currently on disk in the generator's territory, repo-relative. */
export function listGeneratedFiles(root: string): string[] {
  const out: string[] = [];
  if (existsSync(join(root, OVERLAYS_DIR))) walk(root, OVERLAYS_DIR, out);
  if (existsSync(join(root, ARGOCD_TENANTS_DIR))) {
    for (const entry of readdirSync(join(root, ARGOCD_TENANTS_DIR), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(`${ARGOCD_TENANTS_DIR}/${entry.name}`);
    }
  }
  for (const file of OWNED_SINGLE_FILES) if (existsSync(join(root, file))) out.push(file);
  return out.filter((p) => !p.endsWith('/.gitkeep')).sort();
}
