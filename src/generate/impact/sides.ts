// The two platforms an impact report compares:
//  - base: the generated files committed at the ref (overlays/, argocd/tenants/, argocd/clusters/)
//    with that ref's base/. This is what ArgoCD syncs from the ref, and because generate --check
//    guards every merge it is also what the ref's own generator made — so a change to the generator
//    or to a tier's defaults (code, not files) shows up, which rendering both sides with today's
//    code would hide.
//  - head: every spec of the working tree rendered by this checkout's generator over the working
//    tree's base/, which is what `tenantctl generate` would commit (the committed files, once
//    generate --check passes).
// Each side is first known by its files' git blob ids (from `git ls-tree` at the ref, hashed from
// the rendered text at the head), so tenants that cannot render differently are found without
// writing or reading a file; only the tenants that need kustomize are put on disk.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderTree } from '../render/index.ts';
import { blobId, extractTree, listBlobs, type ResolvedRef } from './git-tree.ts';
import type { LoadedTenant } from '../../tenant/load.ts';
import {
  ARGOCD_CLUSTERS_DIR,
  ARGOCD_TENANTS_DIR,
  OVERLAYS_DIR,
  overlayDir,
  tenantOfPlatformPath,
} from '../../tenant/names.ts';
import type { RenderOptions } from '../../tenant/platform.ts';

/** The hand-written folder every overlay builds on. */
export const PLATFORM_BASE_DIR = 'base';

export interface Side {
  /** Every tenant with an overlay or an argocd/ file on this side, by name. */
  tenants: string[];
  /** Each tenant's generated files: repo-relative path → blob id. */
  files: Map<string, Map<string, string>>;
  /** base/ on this side: path → blob id. */
  base: Map<string, string>;
}

/** Tenants of one side put where kustomize can read them. */
export interface OnDisk {
  /** A folder holding this side's base/ and the tenant's overlay. */
  rootOf(tenant: string): string;
  /** The text of one of the tenant's platform files (platformPaths) on this side. */
  platformText(tenant: string, path: string): string | undefined;
}

/** The tenant a generated path belongs to, or undefined for any other path. */
function tenantOf(path: string): string | undefined {
  const [top, name, ...rest] = path.split('/');
  if (top === OVERLAYS_DIR && name && rest.length > 0) return name;
  return tenantOfPlatformPath(path);
}

/** A tenant's generated files outside its overlay (its AppProject, its Namespaces), sorted. */
export function platformPaths(own: ReadonlyMap<string, string> | undefined): string[] {
  return [...(own?.keys() ?? [])].filter((p) => !p.startsWith(`${OVERLAYS_DIR}/`)).sort();
}

function byTenant(paths: Map<string, string>): Map<string, Map<string, string>> {
  const files = new Map<string, Map<string, string>>();
  for (const [path, id] of paths) {
    const tenant = tenantOf(path);
    if (tenant === undefined) continue;
    if (!files.has(tenant)) files.set(tenant, new Map());
    files.get(tenant)!.set(path, id);
  }
  return files;
}

function readTree(root: string, rel: string, out = new Map<string, string>()): Map<string, string> {
  if (!existsSync(join(root, rel))) return out;
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) readTree(root, child, out);
    // Anything else (a symlink) gets no id, so base/ compares unequal and every tenant renders.
    else out.set(child, entry.isFile() ? readFileSync(join(root, child), 'utf8') : '');
  }
  return out;
}

const ids = (texts: Map<string, string>) => new Map([...texts].map(([path, text]) => [path, blobId(text)]));

export async function listBaseSide(at: ResolvedRef): Promise<Side> {
  const blobs = await listBlobs(at, [PLATFORM_BASE_DIR, OVERLAYS_DIR, ARGOCD_TENANTS_DIR, ARGOCD_CLUSTERS_DIR]);
  const files = byTenant(blobs);
  const base = new Map([...blobs].filter(([path]) => path.startsWith(`${PLATFORM_BASE_DIR}/`)));
  return { tenants: [...files.keys()].sort(), files, base };
}

/** Extracts base/ and the tenants' generated files from the ref into `dest`. */
export async function baseOnDisk(at: ResolvedRef, side: Side, tenants: string[], dest: string): Promise<OnDisk> {
  const paths = side.base.size > 0 ? [PLATFORM_BASE_DIR] : [];
  // Every tenant (a base/ change): whole folders, so the command line does not grow with the fleet.
  if (tenants.length === side.tenants.length) {
    const present = new Set([...side.files.values()].flatMap((own) => [...own.keys()].map((p) => p.split('/')[0])));
    if (present.has(OVERLAYS_DIR)) paths.push(OVERLAYS_DIR);
    for (const dir of [ARGOCD_TENANTS_DIR, ARGOCD_CLUSTERS_DIR])
      if ([...side.files.values()].some((own) => [...own.keys()].some((p) => p.startsWith(`${dir}/`)))) paths.push(dir);
    tenants = [];
  }
  for (const t of tenants) {
    const own = side.files.get(t);
    if ([...(own?.keys() ?? [])].some((p) => p.startsWith(`${overlayDir(t)}/`))) paths.push(overlayDir(t));
    paths.push(...platformPaths(own));
  }
  await extractTree(at, paths, dest);
  return {
    rootOf: () => dest,
    platformText: (t, path) => (side.files.get(t)?.has(path) ? readFileSync(join(dest, path), 'utf8') : undefined),
  };
}

export interface HeadSide extends Side {
  /** The rendered text of each tenant's files. */
  texts: Map<string, Map<string, string>>;
}

export function renderHeadSide(root: string, loaded: LoadedTenant[], options: RenderOptions): HeadSide {
  const texts = new Map<string, Map<string, string>>(loaded.map(({ tenant }) => [tenant.name, new Map()]));
  for (const [path, text] of renderTree(
    loaded.map((l) => l.tenant),
    options,
  ))
    texts.get(tenantOf(path) ?? '')?.set(path, text);
  const files = new Map([...texts].map(([t, own]) => [t, ids(own)]));
  return { tenants: [...texts.keys()].sort(), files, base: ids(readTree(root, PLATFORM_BASE_DIR)), texts };
}

function sameTexts(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
}

/**
 * A tenant whose generated files in the working tree are exactly the rendered ones (all of them,
 * once generate has run) is kustomized where it is; any other is written with base/ into `dest`.
 */
export function headOnDisk(root: string, side: HeadSide, tenants: string[], dest: string): OnDisk {
  const elsewhere = new Set<string>();
  for (const t of tenants) {
    const onDisk = readTree(root, overlayDir(t));
    for (const path of platformPaths(side.texts.get(t)))
      if (existsSync(join(root, path))) onDisk.set(path, readFileSync(join(root, path), 'utf8'));
    if (!sameTexts(onDisk, side.texts.get(t)!)) elsewhere.add(t);
  }
  if (elsewhere.size > 0 && existsSync(join(root, PLATFORM_BASE_DIR)))
    cpSync(join(root, PLATFORM_BASE_DIR), join(dest, PLATFORM_BASE_DIR), { recursive: true });
  const made = new Set<string>();
  for (const t of elsewhere) {
    for (const [path, text] of side.texts.get(t)!) {
      const dir = dirname(join(dest, path));
      if (!made.has(dir)) mkdirSync(dir, { recursive: true });
      made.add(dir);
      writeFileSync(join(dest, path), text);
    }
  }
  return {
    rootOf: (t) => (elsewhere.has(t) ? dest : root),
    platformText: (t, path) => side.texts.get(t)?.get(path),
  };
}

export function sameFiles(a: Map<string, string> | undefined, b: Map<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every(([path, id]) => b.get(path) === id);
}
