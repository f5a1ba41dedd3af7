// `git diff --numstat from to` summed, from Node, for the diffs tenant PRs make: files only added or
// only removed. Anything else (a file changed in place, a possible rename, a mode change, a
// submodule) returns null and the caller asks git, whose line diff and rename detection decide.
import { TREE_MODE, type TreeItem } from './object-format.ts';
import type { ObjectStore } from './object-store.ts';
import { readTree } from './trees.ts';

export interface DiffStat {
  additions: number;
  deletions: number;
  changedFiles: number;
}

export async function addOrRemoveStat(
  objects: ObjectStore,
  fromTree: string,
  toTree: string,
): Promise<DiffStat | null> {
  const added: string[] = [];
  const removed: string[] = [];
  if (!(await compare(objects, fromTree, toTree, added, removed))) return null;
  // A removal and an addition together may be a rename, which git reports as one file.
  if (added.length > 0 && removed.length > 0) return null;
  const stat: DiffStat = { additions: 0, deletions: 0, changedFiles: added.length + removed.length };
  for (const sha of added) stat.additions += await lineCount(objects, sha);
  for (const sha of removed) stat.deletions += await lineCount(objects, sha);
  return stat;
}

/** Collects blob shas added and removed; false when a change is not a plain add or removal. */
async function compare(
  objects: ObjectStore,
  from: string | null,
  to: string | null,
  added: string[],
  removed: string[],
): Promise<boolean> {
  if (from === to) return true;
  const before = new Map((from ? await readTree(objects, from) : []).map((i) => [i.name, i]));
  const after = new Map((to ? await readTree(objects, to) : []).map((i) => [i.name, i]));
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    if (a && b && a.sha === b.sha && a.mode === b.mode) continue;
    if (a && b && !(a.mode === TREE_MODE && b.mode === TREE_MODE)) return false;
    if (!(await side(objects, a, b, added, removed))) return false;
  }
  return true;
}

async function side(
  objects: ObjectStore,
  a: TreeItem | undefined,
  b: TreeItem | undefined,
  added: string[],
  removed: string[],
): Promise<boolean> {
  const item = (b ?? a) as TreeItem;
  if (item.mode === TREE_MODE) return compare(objects, a?.sha ?? null, b?.sha ?? null, added, removed);
  if (item.mode === '160000') return false;
  (b ? added : removed).push(item.sha);
  return true;
}

/** Lines as numstat counts them: a last line without newline counts; binary files count 0. */
async function lineCount(objects: ObjectStore, sha: string): Promise<number> {
  const content = (await objects.read(sha))?.content ?? Buffer.alloc(0);
  // git's binary check: a NUL byte in the first 8000 bytes.
  if (content.subarray(0, 8000).includes(0)) return 0;
  let lines = 0;
  for (let at = content.indexOf(10); at >= 0; at = content.indexOf(10, at + 1)) lines++;
  if (content.length > 0 && content[content.length - 1] !== 10) lines++;
  return lines;
}
