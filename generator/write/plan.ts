// Compare the rendered tree with the disk, byte for byte, without changing anything.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapWithConcurrency } from '../concurrency.ts';
import { listGeneratedFiles, OWNED_SINGLE_FILES } from './generated-tree.ts';

/** Reads in flight at once: enough to keep the disk and the thread pool busy, few file handles. */
export const FILE_CONCURRENCY = 32;

export interface WritePlan {
  /** Rendered files absent from disk. */
  missing: string[];
  /** Rendered files whose bytes on disk differ. */
  differing: string[];
  /** Files in the generator's territory that nothing rendered (deleted tenants, hand-added files). */
  extra: string[];
  unchanged: number;
}

export async function planWrite(root: string, files: Map<string, string>): Promise<WritePlan> {
  const plan: WritePlan = { missing: [], differing: [], extra: [], unchanged: 0 };
  const onDisk = new Set(listGeneratedFiles(root));
  const present: [string, string][] = [];
  for (const entry of files) {
    if (onDisk.has(entry[0])) present.push(entry);
    else plan.missing.push(entry[0]);
  }
  const same = await mapWithConcurrency(present, FILE_CONCURRENCY, async ([path, text]) =>
    (await readFile(join(root, path))).equals(Buffer.from(text, 'utf8')),
  );
  present.forEach(([path], i) => {
    if (same[i]) plan.unchanged++;
    else plan.differing.push(path);
  });
  for (const path of onDisk) {
    // The schema is only owned when the run renders it (a run without spec/ leaves it alone).
    if (!files.has(path) && !OWNED_SINGLE_FILES.includes(path)) plan.extra.push(path);
  }
  plan.missing.sort();
  plan.differing.sort();
  plan.extra.sort();
  return plan;
}

export function planIsClean(plan: WritePlan): boolean {
  return plan.missing.length + plan.differing.length + plan.extra.length === 0;
}
