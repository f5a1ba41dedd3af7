// `tenantctl impact`: which tenants' rendered objects change between a git ref and the working
// tree, object by object. Both sides are kustomized with render-overlays (validate's kustomize);
// when base/ is the same on both sides, a tenant whose generated files are byte-identical renders
// identically and is neither extracted nor rendered, so a change to one spec costs one tenant.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { renderClusters } from '../../tenant/clusters.ts';
import { loadTenants } from '../../tenant/load.ts';
import { overlayDir } from '../../tenant/names.ts';
import type { RenderOptions } from '../../tenant/platform.ts';
import { kustomizeOverlays, parseManifests } from '../validate/kustomize-overlays.ts';
import { resolveCommit } from './git-tree.ts';
import { diffObjects, type ChangeKind, type ObjectChange, type SourcedObjects } from './object-diff.ts';
import {
  baseOnDisk,
  headOnDisk,
  listBaseSide,
  platformPaths,
  renderHeadSide,
  sameFiles,
  type OnDisk,
  type Side,
} from './sides.ts';

export interface TenantImpact {
  tenant: string;
  /** `added`: no files at the base; `removed`: no spec in the working tree. */
  change: ChangeKind;
  objects: ObjectChange[];
}

export interface RenderFailure {
  tenant: string;
  side: 'base' | 'head';
  /** kustomize's message. */
  message: string;
}

export interface ImpactReport {
  base: { ref: string; commit: string };
  tenants: { total: number; changed: number; unchanged: number; failed: number };
  /** Only the tenants whose objects change, by name. */
  changed: TenantImpact[];
  /** Tenants that could not be compared because an overlay did not render on one side. */
  failures: RenderFailure[];
}

export interface ImpactOptions extends RenderOptions {
  /** render-overlays processes per side; one per core by default. */
  concurrency?: number;
}

type Rendered = Map<string, SourcedObjects[]>;

/**
 * Each tenant's objects on one side: its kustomized overlay, then its platform files (argocd/tenants,
 * argocd/clusters), except those byte-identical on both sides (`samePlatform`): such a file holds the
 * same objects on both, and is neither parsed nor compared (objects are matched by source, so
 * leaving it out of both sides changes no result).
 */
async function renderSide(
  label: RenderFailure['side'],
  side: Side,
  disk: OnDisk,
  tenants: string[],
  samePlatform: ReadonlySet<string>,
  options: ImpactOptions,
  failures: RenderFailure[],
): Promise<Rendered> {
  const hasOverlay = (t: string) =>
    [...(side.files.get(t)?.keys() ?? [])].some((p) => p.startsWith(`${overlayDir(t)}/`));
  const byRoot = new Map<string, string[]>();
  for (const t of tenants.filter(hasOverlay)) {
    const list = byRoot.get(disk.rootOf(t)) ?? [];
    if (list.length === 0) byRoot.set(disk.rootOf(t), list);
    list.push(t);
  }
  const outcomes = await Promise.all(
    [...byRoot].map(([root, list]) => kustomizeOverlays(root, list, { concurrency: options.concurrency })),
  );
  const rendered: Rendered = new Map();
  for (const tenant of tenants) {
    const failure = outcomes.find((o) => o.failures.has(tenant))?.failures.get(tenant);
    if (failure !== undefined) {
      failures.push({ tenant, side: label, message: failure });
      continue;
    }
    const objects = outcomes.find((o) => o.objects.has(tenant))?.objects.get(tenant) ?? [];
    const sourced: SourcedObjects[] = [{ source: overlayDir(tenant), objects }];
    for (const path of platformPaths(side.files.get(tenant))) {
      const text = samePlatform.has(path) ? undefined : disk.platformText(tenant, path);
      if (text !== undefined) sourced.push({ source: path, objects: parseManifests(text) });
    }
    rendered.set(tenant, sourced);
  }
  return rendered;
}

export async function computeImpact(root: string, ref: string, options: ImpactOptions = {}): Promise<ImpactReport> {
  if (!existsSync(root))
    throw new InputError([{ path: '--root', message: `${root} does not exist`, fix: 'pass the platform repository' }]);
  const at = await resolveCommit(root, ref);
  const loaded = await loadTenants(root);
  options = { ...options, clusters: options.clusters ?? renderClusters(root) };
  const work = mkdtempSync(join(tmpdir(), 'tenantctl-impact-'));
  try {
    const head = renderHeadSide(root, loaded, options);
    const base = await listBaseSide(at);
    const names = [...new Set([...base.tenants, ...head.tenants])].sort();
    const sameBase = sameFiles(base.base, head.base);
    const differ = names.filter((t) => !sameBase || !sameFiles(base.files.get(t), head.files.get(t)));
    const atBase = differ.filter((t) => base.files.has(t));
    const atHead = differ.filter((t) => head.files.has(t));
    const baseDisk = await baseOnDisk(at, base, atBase, join(work, 'base'));
    const headDisk = headOnDisk(root, head, atHead, join(work, 'head'));
    const samePlatform = new Set(
      differ.flatMap((t) =>
        platformPaths(base.files.get(t)).filter(
          (path) => base.files.get(t)!.get(path) === head.files.get(t)?.get(path),
        ),
      ),
    );
    const failures: RenderFailure[] = [];
    const [before, after] = await Promise.all([
      renderSide('base', base, baseDisk, atBase, samePlatform, options, failures),
      renderSide('head', head, headDisk, atHead, samePlatform, options, failures),
    ]);
    const changed: TenantImpact[] = [];
    const failed = new Set(failures.map((f) => f.tenant));
    for (const tenant of differ) {
      if (failed.has(tenant)) continue;
      const objects = diffObjects(before.get(tenant) ?? [], after.get(tenant) ?? []);
      if (objects.length === 0) continue;
      const change: ChangeKind = !base.files.has(tenant) ? 'added' : !head.files.has(tenant) ? 'removed' : 'changed';
      changed.push({ tenant, change, objects });
    }
    return {
      base: { ref: at.ref, commit: at.commit },
      tenants: {
        total: names.length,
        changed: changed.length,
        unchanged: names.length - changed.length - failed.size,
        failed: failed.size,
      },
      changed,
      failures,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
