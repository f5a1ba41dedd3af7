// A throw-away platform repository: base/ copied from this repo, git initialised, so tests write,
// kustomize and diff against real files.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function makePlatformRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'tenant-gitops-repo-'));
  cpSync(join(REPO_ROOT, 'base'), join(root, 'base'), { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.email', 'test@tenant-gitops.invalid');
  git(root, 'config', 'user.name', 'tenant-gitops test');
  return root;
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

export function commitAll(root: string, message: string): void {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
}

export function writeFiles(root: string, files: Map<string, string>): void {
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Every file under root (except .git) with its bytes and mtime, to prove nothing changed. */
export function snapshotTree(root: string): Map<string, { bytes: string; mtimeMs: number }> {
  const out = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.set(child, { bytes: readFileSync(join(root, child), 'base64'), mtimeMs: statSync(join(root, child)).mtimeMs });
    }
  };
  walk('');
  return out;
}
