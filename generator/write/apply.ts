// Carry out a plan: atomic writes (temp file + rename) of new and changed files only, removal of
// extra files and of the directories they leave empty. Nothing outside the plan is touched.
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WritePlan } from './plan.ts';

export interface ApplyResult {
  written: string[];
  removed: string[];
}

function writeAtomically(root: string, path: string, text: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.tenantctl-${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, target);
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

export function applyPlan(root: string, plan: WritePlan, files: Map<string, string>): ApplyResult {
  const written = [...plan.missing, ...plan.differing].sort();
  for (const path of written) writeAtomically(root, path, files.get(path)!);
  for (const path of plan.extra) {
    rmSync(join(root, path), { force: true });
    removeEmptyParents(root, path);
  }
  return { written, removed: [...plan.extra] };
}
