// The bytes of git's tree and commit objects: parsed to plain values and written back exactly as
// git writes them (so the shas match what `git mktree` / `git commit-tree` would produce).

export interface TreeItem {
  /** As git stores it: 100644, 100755, 120000, 40000 (tree), 160000 (submodule). */
  mode: string;
  name: string;
  sha: string;
}

export const TREE_MODE = '40000';

export function itemType(mode: string): 'blob' | 'tree' | 'commit' {
  if (mode === TREE_MODE) return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

/** Entries are `<mode> <name>\0<20-byte sha>`, one after another. */
export function parseTree(content: Buffer): TreeItem[] {
  const items: TreeItem[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    items.push({
      mode: content.subarray(at, space).toString('latin1'),
      name: content.subarray(space + 1, nul).toString('utf8'),
      sha: content.subarray(nul + 1, nul + 21).toString('hex'),
    });
    at = nul + 21;
  }
  return items;
}

/** Git orders entries by name bytes, a subtree's name compared as if it ended with '/'. */
export function serializeTree(items: TreeItem[]): Buffer {
  const key = (item: TreeItem) => Buffer.from(item.mode === TREE_MODE ? `${item.name}/` : item.name, 'utf8');
  const sorted = [...items].sort((a, b) => Buffer.compare(key(a), key(b)));
  return Buffer.concat(
    sorted.flatMap((item) => [Buffer.from(`${item.mode} ${item.name}\0`, 'utf8'), Buffer.from(item.sha, 'hex')]),
  );
}

export interface Signature {
  name: string;
  email: string;
  /** ISO 8601. */
  date: string;
}

const ISO_DATE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)$/;
// Characters git trims from or refuses in names and emails; such identities go through git itself.
const UNSAFE_IDENT = /[<>\n]|^[\s.,:;"'\\]|[\s.,:;"'\\]$/;

/** `Name <email> <unix seconds> <±hhmm>`, or null when only git itself would format it right. */
export function formatSignature(signature: Signature): string | null {
  const match = ISO_DATE.exec(signature.date);
  if (
    !match ||
    !signature.name ||
    !signature.email ||
    UNSAFE_IDENT.test(signature.name) ||
    UNSAFE_IDENT.test(signature.email)
  )
    return null;
  const seconds = Math.floor(Date.parse(signature.date) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const zone = match[2] === 'Z' ? '+0000' : (match[2] ?? '').replace(':', '');
  return `${signature.name} <${signature.email}> ${seconds} ${zone}`;
}

export interface CommitFields {
  tree: string;
  parents: string[];
  author: string;
  committer: string;
  message: string;
}

/** git commit-tree's layout; the message is kept byte for byte, as commit-tree does. */
export function serializeCommit(commit: CommitFields): Buffer {
  const lines = [
    `tree ${commit.tree}`,
    ...commit.parents.map((p) => `parent ${p}`),
    `author ${commit.author}`,
    `committer ${commit.committer}`,
  ];
  return Buffer.from(`${lines.join('\n')}\n\n${commit.message}`, 'utf8');
}
