// Trees read and built from Node: listing (ls-tree), finding one path, and a new tree from a base
// plus changes (what read-tree + update-index + write-tree did through a scratch index). Only the
// subtrees on a changed path are rewritten; the rest keep their shas.
import { itemType, parseTree, serializeTree, TREE_MODE, type TreeItem } from './object-format.ts';
import type { ObjectStore } from './object-store.ts';

export interface ListedEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  path: string;
  /** Blobs only, as `ls-tree -l` shows it. */
  size?: number;
}

/** A change to a tree: sha null removes the path. */
export interface PathChange {
  path: string;
  mode: string;
  sha: string | null;
}

export class MissingObject extends Error {}

export async function readTree(objects: ObjectStore, sha: string): Promise<TreeItem[]> {
  const object = await objects.read(sha);
  if (!object || object.type !== 'tree') throw new MissingObject(`not a tree: ${sha}`);
  return parseTree(object.content);
}

async function listed(objects: ObjectStore, item: TreeItem, path: string): Promise<ListedEntry> {
  const type = itemType(item.mode);
  const entry: ListedEntry = { mode: item.mode.padStart(6, '0'), type, sha: item.sha, path };
  if (type === 'blob') entry.size = (await objects.read(item.sha))?.content.length ?? 0;
  return entry;
}

/** Like `git ls-tree -l [-r -t]`: recursive lists each subtree, then what is in it, in tree order. */
export async function listTree(
  objects: ObjectStore,
  treeSha: string,
  recursive: boolean,
  prefix = '',
): Promise<ListedEntry[]> {
  const out: ListedEntry[] = [];
  for (const item of await readTree(objects, treeSha)) {
    const path = `${prefix}${item.name}`;
    out.push(await listed(objects, item, path));
    if (recursive && item.mode === TREE_MODE) out.push(...(await listTree(objects, item.sha, true, `${path}/`)));
  }
  return out;
}

/** The entry at `path` (no leading or trailing slash), or null. */
export async function entryAt(objects: ObjectStore, treeSha: string, path: string): Promise<ListedEntry | null> {
  const parts = path.split('/');
  let tree = treeSha;
  for (let i = 0; i < parts.length; i++) {
    const item = (await readTree(objects, tree)).find((candidate) => candidate.name === parts[i]);
    if (!item) return null;
    if (i === parts.length - 1) return listed(objects, item, path);
    if (item.mode !== TREE_MODE) return null;
    tree = item.sha;
  }
  return null;
}

/** Writes base (or the empty tree) with `changes` applied; folders left empty disappear, as in git. */
export async function buildTree(objects: ObjectStore, base: string | null, changes: PathChange[]): Promise<string> {
  return (
    (await rebuild(
      objects,
      base,
      changes.map((c) => ({ ...c, parts: c.path.split('/').filter(Boolean) })),
    )) ?? objects.write('tree', Buffer.alloc(0))
  );
}

type SplitChange = PathChange & { parts: string[] };

/** The sha of the rebuilt tree, or null when nothing is left in it. */
async function rebuild(objects: ObjectStore, base: string | null, changes: SplitChange[]): Promise<string | null> {
  const items = new Map((base ? await readTree(objects, base) : []).map((item) => [item.name, item]));
  const nested = new Map<string, SplitChange[]>();
  for (const change of changes) {
    const [name = '', ...rest] = change.parts;
    if (rest.length === 0) {
      if (change.sha === null) items.delete(name);
      else items.set(name, { mode: change.mode.replace(/^0+/, ''), name, sha: change.sha });
    } else {
      nested.set(name, [...(nested.get(name) ?? []), { ...change, parts: rest }]);
    }
  }
  for (const [name, below] of nested) {
    const current = items.get(name);
    // A file where a folder is needed is replaced by the folder (update-index --replace semantics).
    const sha = await rebuild(objects, current?.mode === TREE_MODE ? current.sha : null, below);
    if (sha === null) items.delete(name);
    else items.set(name, { mode: TREE_MODE, name, sha });
  }
  if (items.size === 0) return null;
  return objects.write('tree', serializeTree([...items.values()]));
}
