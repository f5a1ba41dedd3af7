// Which paths the generator owns: overlays/**, argocd/tenants/*.yaml and the tenant JSON Schema.
// Anything else in the repository is never read for pruning, never written, never removed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const OWNED_SINGLE_FILES = ['tenants/tenant.schema.json'];

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
  if (existsSync(join(root, 'overlays'))) walk(root, 'overlays', out);
  if (existsSync(join(root, 'argocd/tenants'))) {
    for (const entry of readdirSync(join(root, 'argocd/tenants'), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(`argocd/tenants/${entry.name}`);
    }
  }
  for (const file of OWNED_SINGLE_FILES) if (existsSync(join(root, file))) out.push(file);
  return out.filter((p) => !p.endsWith('/.gitkeep')).sort();
}
