// Compare the rendered tree with the disk, byte for byte, without changing anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listGeneratedFiles, OWNED_SINGLE_FILES } from './generated-tree.ts';

export interface WritePlan {
  /** Rendered files absent from disk. */
  missing: string[];
  /** Rendered files whose bytes on disk differ. */
  differing: string[];
  /** Files in the generator's territory that nothing rendered (deleted tenants, hand-added files). */
  extra: string[];
  unchanged: number;
}

// Reads are synchronous: for files this small a blocking read costs a third of a promise's round
// trip through the thread pool.
export function planWrite(root: string, files: Map<string, string>): WritePlan {
  const plan: WritePlan = { missing: [], differing: [], extra: [], unchanged: 0 };
  const onDisk = new Set(listGeneratedFiles(root));
  for (const [path, text] of files) {
    if (!onDisk.has(path)) {
      plan.missing.push(path);
      continue;
    }
    const current = readFileSync(join(root, path));
    if (current.equals(Buffer.from(text, 'utf8'))) plan.unchanged++;
    else plan.differing.push(path);
  }
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
