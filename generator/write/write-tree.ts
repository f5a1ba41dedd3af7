// Write a rendered tree as it is rendered: each file is compared with the disk and, when its bytes
// differ, written atomically on the thread pool while the next tenant renders on the main thread,
// so the system calls of 100,000 files overlap the rendering instead of following it. At the end,
// files in the generator's territory that nothing rendered are removed. The caller validates every
// spec before it starts: a bad spec never gets here.
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listGeneratedFiles, OWNED_SINGLE_FILES } from './generated-tree.ts';

/** Writes in flight at once: enough to keep the thread pool and the disk busy, few file handles. */
const WRITE_CONCURRENCY = 32;

export interface WriteTreeResult {
  /** Repo-relative paths written (new or changed), sorted. */
  written: string[];
  /** Repo-relative paths removed, sorted. */
  removed: string[];
  unchanged: number;
}

/** Temp file + rename: a reader sees the old bytes or the new ones, never half a file. */
async function writeAtomically(root: string, path: string, text: string): Promise<void> {
  const target = join(root, path);
  const temp = `${target}.tenantctl-${process.pid}.tmp`;
  await writeFile(temp, text);
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
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

export async function writeTree(root: string, files: Iterable<[string, string]>): Promise<WriteTreeResult> {
  const onDisk = new Set(listGeneratedFiles(root));
  const rendered = new Set<string>();
  const written: string[] = [];
  const madeDirs = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let unchanged = 0;

  for (const [path, text] of files) {
    rendered.add(path);
    if (onDisk.has(path) && readFileSync(join(root, path)).equals(Buffer.from(text, 'utf8'))) {
      unchanged++;
      continue;
    }
    written.push(path);
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      mkdirSync(join(root, dir), { recursive: true });
      madeDirs.add(dir);
    }
    const write: Promise<void> = writeAtomically(root, path, text)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= WRITE_CONCURRENCY) await Promise.race(inFlight);
    if (failure) break;
  }
  // Never return (or throw) with a write still running.
  await Promise.all(inFlight);
  if (failure) throw failure.error;

  // The schema is only owned when the run renders it (a run without spec/ leaves it alone).
  const removed = [...onDisk].filter((path) => !rendered.has(path) && !OWNED_SINGLE_FILES.includes(path)).sort();
  for (const path of removed) {
    rmSync(join(root, path), { force: true });
    removeEmptyParents(root, path);
  }
  return { written: written.sort(), removed, unchanged };
}
