// The local server's git layer writes objects and refs from Node: git itself must read them back
// as its own, and agree on every sha.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BareRepo, diffStat } from '../../testing/github-server/bare-repo.ts';

const run = promisify(execFile);
const who = { name: 'Tenant Bot', email: 'bot@example.test', date: '2026-01-02T03:04:05+02:00' };

describe('BareRepo: objects and refs written from Node, read by git', () => {
  let root: string;
  let dir: string;
  let repo: BareRepo;
  const git = async (...args: string[]) =>
    (await run('git', args, { env: { ...process.env, GIT_DIR: dir } })).stdout.trim();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bare-repo-test-'));
    dir = join(root, 'repo.git');
    await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
    repo = new BareRepo(dir);
  });
  afterEach(async () => {
    repo.close();
    await rm(root, { recursive: true, force: true });
  });

  it('builds trees and commits with the shas git computes, and git reads them back', async () => {
    // GIVEN a base tree with nested folders, written from Node
    const blob = (text: string) => repo.writeBlob(Buffer.from(text));
    const base = await repo.buildTree(null, [
      { path: 'README.md', mode: '100644', sha: await blob('# hi\n') },
      { path: 'overlays/a/tenant.json', mode: '100644', sha: await blob('{"tenant":"a"}\n') },
      { path: 'overlays/a-b.yaml', mode: '100644', sha: await blob('x: 1\n') },
      { path: 'run.sh', mode: '100755', sha: await blob('#!/bin/sh\n') },
    ]);
    // WHEN a change adds a file, replaces one and removes the only file of a folder
    const tree = await repo.buildTree(base, [
      { path: 'tenants/b.yaml', mode: '100644', sha: await blob('name: b\n') },
      { path: 'README.md', mode: '100644', sha: await blob('# changed\n') },
      { path: 'overlays/a/tenant.json', mode: '100644', sha: null },
    ]);
    const commit = await repo.commitTree({ tree, parents: [], message: 'Onboard b\n', author: who, committer: who });
    await repo.updateRef('refs/heads/main', commit, null);
    // THEN git lists exactly the expected files, the emptied folder is gone, and fsck finds nothing wrong
    expect(await git('ls-tree', '-r', '--name-only', commit)).toBe(
      ['README.md', 'overlays/a-b.yaml', 'run.sh', 'tenants/b.yaml'].join('\n'),
    );
    expect(await git('show', `${commit}:README.md`)).toBe('# changed');
    expect(await git('log', '-1', '--format=%an <%ae> %ai%n%B', commit)).toBe(
      'Tenant Bot <bot@example.test> 2026-01-02 03:04:05 +0200\nOnboard b',
    );
    await git('fsck', '--strict', '--no-dangling');
    // AND git's own plumbing computes the same tree and commit shas
    const mktree = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['mktree'], { env: { ...process.env, GIT_DIR: dir } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      );
      void git('ls-tree', tree).then((listing) => child.stdin?.end(`${listing}\n`));
    });
    expect(mktree).toBe(tree);
    const env = {
      ...process.env,
      GIT_DIR: dir,
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: who.date,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: who.date,
    };
    const byGit = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['commit-tree', tree], { env }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      );
      child.stdin?.end('Onboard b\n');
    });
    expect(byGit).toBe(commit);
  });

  it('moves refs with compare-and-swap, and answers history and diff questions as git does', async () => {
    // GIVEN main and a branch one commit ahead, written from Node
    const file = (text: string) => repo.writeBlob(Buffer.from(text));
    const mainTree = await repo.buildTree(null, [{ path: 'README.md', mode: '100644', sha: await file('# hi\n') }]);
    const main = await repo.commitTree({ tree: mainTree, parents: [], message: 'init\n', author: who, committer: who });
    await repo.updateRef('refs/heads/main', main, null);
    const branchTree = await repo.buildTree(mainTree, [
      { path: 'tenants/b.yaml', mode: '100644', sha: await file('a\nb\nc') },
    ]);
    const head = await repo.commitTree({
      tree: branchTree,
      parents: [main],
      message: 'b\n',
      author: who,
      committer: who,
    });
    await repo.updateRef('refs/heads/tenants/b', head, null);
    // THEN git sees the refs, a stale compare-and-swap is refused and changes nothing
    expect(await git('rev-parse', 'tenants/b')).toBe(head);
    await expect(repo.updateRef('refs/heads/tenants/b', main, null)).rejects.toThrow(/tenants\/b/);
    await expect(repo.updateRef('refs/heads/tenants/b', main, main)).rejects.toThrow(/tenants\/b/);
    expect(await repo.resolveRef('refs/heads/tenants/b')).toBe(head);
    expect(await repo.resolveRef('refs/heads/absent')).toBeNull();
    // AND history and the diff stat match git's answers
    expect(await repo.commitsBetween(main, head)).toEqual([head]);
    expect(await repo.mergeBase(main, head)).toBe(main);
    expect(await repo.isAncestor(head, main)).toBe(false);
    expect(await diffStat(repo, main, head)).toEqual({ additions: 3, deletions: 0, changedFiles: 1 });
    expect(await git('diff', '--numstat', main, head)).toBe('3\t0\ttenants/b.yaml');
  });

  it('reads objects git packed and refs in packed-refs, as a repository copied by push has them', async () => {
    // GIVEN a commit made by git itself, then packed (objects and refs) by git gc
    const env = {
      ...process.env,
      GIT_DIR: dir,
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
    };
    const blob = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['hash-object', '-w', '--stdin'], { env }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      );
      child.stdin?.end('packed\n');
    });
    const tree = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['mktree'], { env }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      );
      child.stdin?.end(`100644 blob ${blob}\tfile.txt\n`);
    });
    const commit = (await run('git', ['commit-tree', tree, '-m', 'packed'], { env })).stdout.trim();
    await git('update-ref', 'refs/heads/main', commit);
    await git('gc', '--quiet', '--prune=now');
    expect(await git('count-objects', '-v')).toMatch(/^count: 0$/m);
    // WHEN a fresh BareRepo reads them
    const fresh = new BareRepo(dir);
    try {
      // THEN the ref, the commit, the tree and the blob all come back
      expect(await fresh.resolveRef('refs/heads/main')).toBe(commit);
      expect((await fresh.readCommit(commit)).tree).toBe(tree);
      expect(await fresh.lsTree(commit)).toEqual([
        { mode: '100644', type: 'blob', sha: blob, path: 'file.txt', size: 7 },
      ]);
      expect((await fresh.readBlob(blob)).toString()).toBe('packed\n');
      expect(await fresh.objectType('0'.repeat(40))).toBeNull();
    } finally {
      fresh.close();
    }
  });
});
