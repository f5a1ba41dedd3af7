// The repository the local GitHub server serves: a real bare git repository driven with git
// plumbing only (hash-object, mktree via a scratch index, commit-tree, update-ref, merge-tree).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export class BareRepo {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  git(args: string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: this.dir, env: { ...process.env, GIT_DIR: this.dir, ...options.env }, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
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
    return (await this.git(['symbolic-ref', '--short', 'HEAD'])).trim();
  }

  /** The sha a full ref (refs/heads/x) points at, or null. */
  async resolveRef(ref: string): Promise<string | null> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || null;
    } catch {
      return null;
    }
  }

  /** Moves a ref; with `expected`, only if it still points there (compare-and-swap). */
  async updateRef(ref: string, sha: string, expected?: string | null): Promise<void> {
    const args = ['update-ref', ref, sha];
    if (expected !== undefined) args.push(expected ?? '0'.repeat(40));
    await this.git(args);
  }

  async objectType(sha: string): Promise<string | null> {
    try {
      return (await this.git(['cat-file', '-t', sha])).trim();
    } catch {
      return null;
    }
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], { input: content })).trim();
  }

  async readBlob(sha: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile('git', ['cat-file', 'blob', sha], { env: { ...process.env, GIT_DIR: this.dir }, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new GitError(stderr.toString())) : resolve(stdout),
      );
    });
  }

  /** Entries of a tree; recursive lists every blob and subtree. */
  async lsTree(treeish: string, options: { recursive?: boolean; path?: string } = {}): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-l', '-z'];
    if (options.recursive) args.push('-r', '-t');
    args.push(treeish);
    if (options.path) args.push('--', options.path);
    const out = await this.git(args);
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta = '', path = ''] = line.split('\t');
        const [mode = '', type = '', sha = '', size = '-'] = meta.split(/\s+/);
        const entry: TreeEntry = { mode, type: type as TreeEntry['type'], sha, path };
        if (size !== '-') entry.size = Number(size);
        return entry;
      });
  }

  /** A new tree: `base` (or empty) with `changes` applied, written through a scratch index. */
  async buildTree(base: string | null, changes: TreeChange[]): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'github-server-index-'));
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      if (base) await this.git(['read-tree', base], { env });
      else await this.git(['read-tree', '--empty'], { env });
      // --index-info: mode 0 removes a path, any other mode adds or replaces it.
      const lines = changes.map((c) => (c.sha === null ? `0 ${'0'.repeat(40)}\t${c.path}` : `${c.mode} ${c.sha}\t${c.path}`));
      if (lines.length > 0) await this.git(['update-index', '--add', '-z', '--index-info'], { env, input: lines.join('\0') + '\0' });
      return (await this.git(['write-tree'], { env })).trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async commitTree(input: { tree: string; parents: string[]; message: string; author: GitIdentity; committer: GitIdentity }): Promise<string> {
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
    const raw = await this.git(['cat-file', 'commit', sha]);
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

  async isAncestor(ancestor: string, sha: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, sha]);
      return true;
    } catch {
      return false;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    try {
      return (await this.git(['merge-base', a, b])).trim() || null;
    } catch {
      return null;
    }
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
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
}

function blankIdentity(): GitIdentity {
  return { name: '', email: '', date: new Date(0).toISOString() };
}

/** `Name <email> 1700000000 +0000` → identity with an ISO date. */
function parseIdentity(value: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) return blankIdentity();
  return { name: match[1] ?? '', email: match[2] ?? '', date: new Date(Number(match[3]) * 1000).toISOString().replace('.000Z', 'Z') };
}

/** Lines added and removed and files changed between two commits. */
export async function diffStat(repo: BareRepo, from: string, to: string): Promise<{ additions: number; deletions: number; changedFiles: number }> {
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
