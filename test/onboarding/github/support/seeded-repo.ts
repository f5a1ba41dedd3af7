// A real bare repository seeded with one commit on main, plus git helpers the tests use to look
// at what the local GitHub server wrote.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SeededRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  /** Adds a commit on main (someone else merging), returns its sha. */
  commitOnMain(files: Record<string, string>, message: string): Promise<string>;
  /** path → content of every file at a commit-ish. */
  files(commitish: string): Promise<Map<string, string>>;
  remove(): Promise<void>;
}

export const SEED_FILES: Record<string, string> = {
  'README.md': '# platform\n',
  'tenants/old.yaml': 'apiVersion: tenants.gitops.dev/v1\nkind: Tenant\nmetadata:\n  name: old\n',
  'overlays/old/kustomization.yaml': 'resources:\n  - ../../base/tenant\n',
  'overlays/old/tenant.json': '{"tenant":"old"}\n',
  'overlays/other/tenant.json': '{"tenant":"other"}\n',
};

const IDENTITY = { GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 'seed@example.test', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 'seed@example.test' };

export async function createSeededRepo(): Promise<SeededRepo> {
  const root = await mkdtemp(join(tmpdir(), 'github-test-'));
  const dir = join(root, 'platform.git');
  const git = async (...args: string[]) => (await run('git', args, { env: { ...process.env, ...IDENTITY, GIT_DIR: dir } })).stdout.trim();
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);

  const writeCommit = async (files: Record<string, string>, message: string, parent: string | null) => {
    const index = join(root, 'index');
    const env = { ...process.env, ...IDENTITY, GIT_DIR: dir, GIT_INDEX_FILE: index };
    await run('git', parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env });
    for (const [path, content] of Object.entries(files)) {
      const sha = await new Promise<string>((resolve, reject) => {
        const child = execFile('git', ['hash-object', '-w', '--stdin'], { env }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
        child.stdin?.end(content);
      });
      await run('git', ['update-index', '--add', '--cacheinfo', `100644,${sha},${path}`], { env });
    }
    const tree = (await run('git', ['write-tree'], { env })).stdout.trim();
    const args = ['commit-tree', tree, '-m', message, ...(parent ? ['-p', parent] : [])];
    const sha = (await run('git', args, { env })).stdout.trim();
    await run('git', ['update-ref', 'refs/heads/main', sha], { env });
    await rm(index, { force: true });
    return sha;
  };
  await writeCommit(SEED_FILES, 'Seed the platform repository', null);

  return {
    dir,
    git,
    commitOnMain: async (files, message) => writeCommit(files, message, await git('rev-parse', 'main')),
    async files(commitish) {
      const out = new Map<string, string>();
      for (const path of (await git('ls-tree', '-r', '--name-only', commitish)).split('\n').filter(Boolean)) {
        out.set(path, (await run('git', ['cat-file', 'blob', `${commitish}:${path}`], { env: { ...process.env, GIT_DIR: dir } })).stdout);
      }
      return out;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
