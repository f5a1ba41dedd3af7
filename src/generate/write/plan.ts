// Compare the rendered tree with the disk, byte for byte, without changing anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNED_SINGLE_FILES } from '../../tenant/names.ts';
import { listGeneratedFiles } from './generated-tree.ts';

export interface WritePlan {
  /** Rendered files absent from disk. */
  missing: string[];
  /** Rendered files whose bytes on disk differ. */
  differing: string[];
  /** Files in the generator's territory that nothing rendered (deleted tenants, hand-added files). */
  extra: string[];
  unchanged: number;
}

/**
 * Whether the file on disk holds exactly `text`. Reads are synchronous: for files this small a
 * blocking read costs a third of a promise's round trip through the thread pool.
 */
export function matchesDisk(root: string, path: string, text: string): boolean {
  return readFileSync(join(root, path)).equals(Buffer.from(text, 'utf8'));
}

/** Files on disk in the generator's territory that this run did not render, sorted. */
export function unrenderedFiles(onDisk: Iterable<string>, rendered: { has(path: string): boolean }): string[] {
  // The schema is only owned when the run renders it (a run without tenant/ leaves it alone).
  return [...onDisk].filter((path) => !rendered.has(path) && !OWNED_SINGLE_FILES.includes(path)).sort();
}

export function planWrite(root: string, files: Map<string, string>): WritePlan {
  const plan: WritePlan = { missing: [], differing: [], extra: [], unchanged: 0 };
  const onDisk = new Set(listGeneratedFiles(root));
  for (const [path, text] of files) {
    if (!onDisk.has(path)) plan.missing.push(path);
    else if (matchesDisk(root, path, text)) plan.unchanged++;
    else plan.differing.push(path);
  }
  plan.missing.sort();
  plan.differing.sort();
  plan.extra = unrenderedFiles(onDisk, files);
  return plan;
}

export function planIsClean(plan: WritePlan): boolean {
  return plan.missing.length + plan.differing.length + plan.extra.length === 0;
}
