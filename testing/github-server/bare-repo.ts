// The repository the local GitHub server serves: a real bare git repository. Objects and refs are
// read and written from Node in git's own formats (git/; new objects reach the disk as packs),
// which spares a process per call. git itself still runs for what is rare or subtle: merges, line
// diffs, packed objects (one long-lived cat-file), and whatever the Node side declines (odd ref
// names, identities git would clean up).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addOrRemoveStat } from './git/diff-stat.ts';
import { commitsUpTo } from './git/history.ts';
import { formatSignature, serializeCommit } from './git/object-format.ts';
import { ObjectStore } from './git/object-store.ts';
import { isPlainRefName, RefConflict, RefFiles } from './git/ref-files.ts';
import { buildTree, entryAt, listTree } from './git/trees.ts';

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  path: string;
  size?: number;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601. */
  date: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

/** A change to a tree: sha null removes the path. */
export interface TreeChange {
  path: string;
  mode: string;
  sha: string | null;
}

export class GitError extends Error {}

const SHA = /^[0-9a-f]{40}$/;

export class BareRepo {
  readonly dir: string;
  readonly #objects: ObjectStore;
  readonly #refs: RefFiles;
  readonly #parentsOf = async (sha: string) => (await this.#commitOrNull(sha))?.parents ?? null;

  constructor(dir: string) {
    this.dir = dir;
    this.#objects = new ObjectStore(dir);
    this.#refs = new RefFiles(dir);
  }

  /** Stops the long-lived git reader. */
  close(): void {
    this.#objects.close();
  }

  git(args: string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    // git may need any object made so far.
    this.#objects.flush();
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        {
          cwd: this.dir,
          env: { ...process.env, GIT_DIR: this.dir, ...options.env },
          maxBuffer: 256 * 1024 * 1024,
          encoding: 'buffer',
        },
        (error, stdout, stderr) => {
          if (error) reject(new GitError(`git ${args.join(' ')}: ${stderr.toString().trim() || error.message}`));
          else resolve(stdout.toString('utf8'));
        },
      );
      // git may exit before reading stdin (it has nothing to read): that is not an error.
      child.stdin?.on('error', () => {});
      child.stdin?.end(options.input ?? '');
    });
  }

  async defaultBranch(): Promise<string> {
    const head = (await readFile(join(this.dir, 'HEAD'), 'utf8')).trim();
    if (head.startsWith('ref: refs/heads/')) return head.slice('ref: refs/heads/'.length);
    return (await this.git(['symbolic-ref', '--short', 'HEAD'])).trim();
  }

  /** The commit a full ref (refs/heads/x) points at, or null. */
  async resolveRef(ref: string): Promise<string | null> {
    if (isPlainRefName(ref)) {
      const sha = this.#refs.read(ref);
      if (sha === null) return null;
      const type = await this.objectType(sha);
      if (type !== 'tag') return type === 'commit' ? sha : null;
    }
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || null;
    } catch {
      return null;
    }
  }

  /** Moves a ref; with `expected`, only if it still points there (compare-and-swap). */
  async updateRef(ref: string, sha: string, expected?: string | null): Promise<void> {
    // Whoever follows the ref must find every object behind it.
    this.#objects.flush();
    if (isPlainRefName(ref) && ref !== 'HEAD') {
      try {
        this.#refs.write(ref, sha, expected);
        return;
      } catch (error) {
        throw error instanceof RefConflict ? new GitError(`update-ref ${ref}: ${error.message}`) : error;
      }
    }
    const args = ['update-ref', ref, sha];
    if (expected !== undefined) args.push(expected ?? '0'.repeat(40));
    await this.git(args);
  }

  async objectType(sha: string): Promise<string | null> {
    return (await this.#objects.read(sha))?.type ?? null;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return this.#objects.write('blob', content);
  }

  async readBlob(sha: string): Promise<Buffer> {
    const object = await this.#objects.read(sha);
    if (!object || object.type !== 'blob') throw new GitError(`not a blob: ${sha}`);
    return object.content;
  }

  /** Entries of a tree (or a commit's tree, or `<commit>:<folder>`); recursive lists every blob and subtree. */
  async lsTree(treeish: string, options: { recursive?: boolean; path?: string } = {}): Promise<TreeEntry[]> {
    const tree = await this.#treeOf(treeish);
    if (tree === null) throw new GitError(`ls-tree: not a tree: ${treeish}`);
    if (options.path) {
      const entry = await entryAt(this.#objects, tree, options.path);
      return entry ? [entry] : [];
    }
    return listTree(this.#objects, tree, options.recursive ?? false);
  }

  /** A new tree: `base` (or empty) with `changes` applied. */
  buildTree(base: string | null, changes: TreeChange[]): Promise<string> {
    return buildTree(this.#objects, base, changes);
  }

  async commitTree(input: {
    tree: string;
    parents: string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const author = formatSignature(input.author);
    const committer = formatSignature(input.committer);
    if (author && committer) {
      return this.#objects.write(
        'commit',
        serializeCommit({ tree: input.tree, parents: input.parents, author, committer, message: input.message }),
      );
    }
    const args = ['commit-tree', input.tree];
    for (const parent of input.parents) args.push('-p', parent);
    const env = {
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_AUTHOR_DATE: input.author.date,
      GIT_COMMITTER_NAME: input.committer.name,
      GIT_COMMITTER_EMAIL: input.committer.email,
      GIT_COMMITTER_DATE: input.committer.date,
    };
    return (await this.git(args, { input: input.message, env })).trim();
  }

  async readCommit(sha: string): Promise<CommitInfo> {
    const commit = await this.#commitOrNull(sha);
    if (!commit) throw new GitError(`not a commit: ${sha}`);
    return commit;
  }

  async isAncestor(ancestor: string, sha: string): Promise<boolean> {
    if ((await commitsUpTo(this.#parentsOf, ancestor, sha)) !== null) return true;
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, sha]);
      return true;
    } catch {
      return false;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    if ((await commitsUpTo(this.#parentsOf, a, b)) !== null) return a;
    if ((await commitsUpTo(this.#parentsOf, b, a)) !== null) return b;
    try {
      return (await this.git(['merge-base', a, b])).trim() || null;
    } catch {
      return null;
    }
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const near = await commitsUpTo(this.#parentsOf, base, head);
    if (near !== null) return near;
    const out = await this.git(['rev-list', '--reverse', `${base}..${head}`]);
    return out.split('\n').filter(Boolean);
  }

  /** The tree of merging `theirs` into `ours`, or null on conflicts. */
  async mergeTree(ours: string, theirs: string): Promise<string | null> {
    try {
      return (await this.git(['merge-tree', '--write-tree', ours, theirs])).split('\n')[0]?.trim() ?? null;
    } catch {
      return null;
    }
  }

  /** Lines added and removed between two commits, from Node when files were only added or removed. */
  async quickDiffStat(
    from: string,
    to: string,
  ): Promise<{ additions: number; deletions: number; changedFiles: number } | null> {
    const [a, b] = [await this.#commitOrNull(from), await this.#commitOrNull(to)];
    return a && b ? addOrRemoveStat(this.#objects, a.tree, b.tree) : null;
  }

  async #treeOf(treeish: string): Promise<string | null> {
    const colon = treeish.indexOf(':');
    const base = colon < 0 ? treeish : treeish.slice(0, colon);
    if (!SHA.test(base)) return null;
    const object = await this.#objects.read(base);
    const root = object?.type === 'tree' ? base : object?.type === 'commit' ? (await this.readCommit(base)).tree : null;
    if (colon < 0 || root === null) return root;
    const entry = await entryAt(this.#objects, root, treeish.slice(colon + 1));
    return entry?.type === 'tree' ? entry.sha : null;
  }

  async #commitOrNull(sha: string): Promise<CommitInfo | null> {
    const object = await this.#objects.read(sha);
    if (!object || object.type !== 'commit') return null;
    return parseCommit(sha, object.content.toString('utf8'));
  }
}

function parseCommit(sha: string, raw: string): CommitInfo {
  const split = raw.indexOf('\n\n');
  const header = raw.slice(0, split).split('\n');
  const message = raw.slice(split + 2);
  const info: CommitInfo = { sha, tree: '', parents: [], author: blankIdentity(), committer: blankIdentity(), message };
  for (const line of header) {
    const [key, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (key === 'tree') info.tree = value;
    if (key === 'parent') info.parents.push(value);
    if (key === 'author') info.author = parseIdentity(value);
    if (key === 'committer') info.committer = parseIdentity(value);
  }
  return info;
}

function blankIdentity(): GitIdentity {
  return { name: '', email: '', date: new Date(0).toISOString() };
}

/** `Name <email> 1700000000 +0000` → identity with an ISO date. */
function parseIdentity(value: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) return blankIdentity();
  return {
    name: match[1] ?? '',
    email: match[2] ?? '',
    date: new Date(Number(match[3]) * 1000).toISOString().replace('.000Z', 'Z'),
  };
}

/** Lines added and removed and files changed between two commits. */
export async function diffStat(
  repo: BareRepo,
  from: string,
  to: string,
): Promise<{ additions: number; deletions: number; changedFiles: number }> {
  const quick = await repo.quickDiffStat(from, to);
  if (quick) return quick;
  const out = await repo.git(['diff', '--numstat', from, to]);
  let additions = 0;
  let deletions = 0;
  let changedFiles = 0;
  for (const line of out.split('\n').filter(Boolean)) {
    const [added = '0', removed = '0'] = line.split('\t');
    additions += Number(added) || 0;
    deletions += Number(removed) || 0;
    changedFiles += 1;
  }
  return { additions, deletions, changedFiles };
}
