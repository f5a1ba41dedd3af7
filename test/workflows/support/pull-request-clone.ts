// A pull request as the review workflow's checkout sees it, made of this checkout: an upstream
// repository whose main is a copy of this working tree (so the workflow, tenantctl and the
// generator under test are the ones on disk), a clone of it, a commit on a branch that changes
// something, and then HEAD detached at the merge of that branch into origin/main — what
// actions/checkout checks out for a pull_request event (refs/pull/N/merge).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, REPO_ROOT } from '../../fixtures/platform-repo.ts';

export interface PullRequestClone {
  /** The clone the steps run in (GITHUB_WORKSPACE). */
  workspace: string;
  /** Commits the change on branch `pr` and checks out its merge into origin/main. */
  open(change: (workspace: string) => void): void;
  remove(): void;
}

/** Files of this checkout that git would commit (tracked, or new and not ignored). */
function checkoutFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  // node_modules is a symlink in worktrees, which `node_modules/` in .gitignore does not match.
  return listed.split('\0').filter((p) => p && p !== 'node_modules' && !p.startsWith('node_modules/'));
}

function identify(root: string): void {
  git(root, 'config', 'user.email', 'test@tenant-gitops.invalid');
  git(root, 'config', 'user.name', 'tenant-gitops test');
}

export function makePullRequestClone(): PullRequestClone {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-gitops-review-'));
  const upstream = join(dir, 'upstream');
  const workspace = join(dir, 'workspace');
  for (const path of checkoutFiles()) {
    mkdirSync(dirname(join(upstream, path)), { recursive: true });
    cpSync(join(REPO_ROOT, path), join(upstream, path));
  }
  git(upstream, 'init', '-q', '-b', 'main');
  identify(upstream);
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-q', '-m', 'main');
  execFileSync('git', ['clone', '-q', upstream, workspace]);
  identify(workspace);
  // `npm ci` in the workflow; here the checkout's own packages.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(workspace, 'node_modules'));
  appendFileSync(join(workspace, '.git/info/exclude'), 'node_modules\n');
  return {
    workspace,
    open(change) {
      git(workspace, 'checkout', '-q', '-b', 'pr');
      change(workspace);
      git(workspace, 'add', '-A');
      git(workspace, 'commit', '-q', '-m', 'the pull request');
      git(workspace, 'checkout', '-q', '--detach', 'origin/main');
      git(workspace, 'merge', '-q', '--no-ff', '-m', 'Merge pr into main', 'pr');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
