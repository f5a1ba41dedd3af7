// The two platforms an impact report compares, each materialised in a folder kustomize can read:
//  - base: the generated files committed at the ref (overlays/, argocd/tenants/) with that ref's
//    base/. This is what ArgoCD syncs from the ref, and because generate --check guards every merge
//    it is also what the ref's own generator made — so a change to the generator or to a tier's
//    defaults (code, not files) shows up, which rendering both sides with today's code would hide.
//  - head: every spec of the working tree rendered by this checkout's generator over the working
//    tree's base/, which is what `tenantctl generate` would commit (the committed files, once
//    generate --check passes).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderTree } from '../render/index.ts';
import { extractTree, type ResolvedRef } from './git-tree.ts';
import type { LoadedTenant } from '../../tenant/load.ts';
import { ARGOCD_TENANTS_DIR, argocdTenantPath, OVERLAYS_DIR, overlayDir } from '../../tenant/names.ts';
import type { RenderOptions } from '../../tenant/platform.ts';

/** The hand-written folder every overlay builds on. */
export const PLATFORM_BASE_DIR = 'base';

export interface Side {
  /** A folder holding base/, overlays/ and argocd/tenants/ as on that side. */
  root: string;
  /** Every tenant with an overlay or an argocd/tenants file on this side, by name. */
  tenants: string[];
  /** Each tenant's generated files (repo-relative path → text). */
  files: Map<string, Map<string, string>>;
  /** base/ on this side (path → text), to tell whether any overlay can render differently. */
  base: Map<string, string>;
}

function readTree(root: string, rel: string, out = new Map<string, string>()): Map<string, string> {
  if (!existsSync(join(root, rel))) return out;
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) readTree(root, child, out);
    else if (entry.isFile()) out.set(child, readFileSync(join(root, child), 'utf8'));
  }
  return out;
}

function tenantFiles(root: string, tenant: string): Map<string, string> {
  const files = readTree(root, overlayDir(tenant));
  const project = argocdTenantPath(tenant);
  if (existsSync(join(root, project))) files.set(project, readFileSync(join(root, project), 'utf8'));
  return files;
}

function namesIn(root: string, dir: string, suffix: string, directories: boolean): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => (directories ? e.isDirectory() : e.isFile()) && e.name.endsWith(suffix))
    .map((e) => e.name.slice(0, e.name.length - suffix.length));
}

export async function baseSide(at: ResolvedRef, dest: string): Promise<Side> {
  await extractTree(at, [PLATFORM_BASE_DIR, OVERLAYS_DIR, ARGOCD_TENANTS_DIR], dest);
  const tenants = [
    ...new Set([...namesIn(dest, OVERLAYS_DIR, '', true), ...namesIn(dest, ARGOCD_TENANTS_DIR, '.yaml', false)]),
  ].sort();
  return {
    root: dest,
    tenants,
    files: new Map(tenants.map((t) => [t, tenantFiles(dest, t)])),
    base: readTree(dest, PLATFORM_BASE_DIR),
  };
}

export function headSide(root: string, loaded: LoadedTenant[], dest: string, options: RenderOptions): Side {
  mkdirSync(dest, { recursive: true });
  if (existsSync(join(root, PLATFORM_BASE_DIR)))
    cpSync(join(root, PLATFORM_BASE_DIR), join(dest, PLATFORM_BASE_DIR), { recursive: true });
  const files = new Map<string, Map<string, string>>();
  const owner = new Map<string, string>();
  for (const { tenant } of loaded) {
    files.set(tenant.name, new Map());
    owner.set(overlayDir(tenant.name), tenant.name).set(argocdTenantPath(tenant.name), tenant.name);
  }
  const made = new Set<string>();
  for (const [path, text] of renderTree(
    loaded.map((l) => l.tenant),
    options,
  )) {
    const tenant = owner.get(path) ?? owner.get(path.split('/').slice(0, 2).join('/'));
    if (tenant === undefined) continue;
    files.get(tenant)!.set(path, text);
    const dir = dirname(join(dest, path));
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
    writeFileSync(join(dest, path), text);
  }
  return { root: dest, tenants: [...files.keys()].sort(), files, base: readTree(dest, PLATFORM_BASE_DIR) };
}

export function sameFiles(a: Map<string, string> | undefined, b: Map<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.size !== b.size) return false;
  for (const [path, text] of a) if (b.get(path) !== text) return false;
  return true;
}
