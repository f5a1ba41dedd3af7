// The base side of an impact report comes from git: the ref is resolved to one commit, and the
// folders ArgoCD syncs from are extracted from that commit (never from the working tree or index,
// which belong to the person running the command).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { InputError } from '../../shared/errors.ts';
import { runProcess } from '../validate/run-process.ts';

/** The ref as the person wrote it, the commit it names, and where the platform sits in it. */
export interface ResolvedRef {
  ref: string;
  commit: string;
  /** The git work tree's top level: git commands run there, whatever folder --root names. */
  top: string;
  /** The platform root's tree in that commit (`<commit>:<folder>/`), so a platform kept in a subfolder works. */
  tree: string;
}

function badRef(ref: string, message: string, fix: string): InputError {
  return new InputError([{ path: '--base', message: `${JSON.stringify(ref)}: ${message}`, fix }]);
}

export async function resolveCommit(root: string, ref: string): Promise<ResolvedRef> {
  // A ref that starts with '-' would be read by git as an option.
  if (ref === '' || ref.startsWith('-'))
    throw badRef(ref, 'is not a git ref', 'name a branch, tag or commit, e.g. --base origin/main');
  const where = await runProcess('git', ['rev-parse', '--show-toplevel', '--show-prefix'], { cwd: root });
  const [top, prefix = ''] = where.stdout.split('\n');
  if (where.code !== 0 || !top)
    throw badRef(
      ref,
      `${root} is not inside a git work tree, so there is nothing to compare with`,
      'run from a clone of the platform repository or pass --root DIR',
    );
  const resolved = await runProcess('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root });
  if (resolved.code !== 0)
    throw badRef(
      ref,
      'names no commit in this repository',
      `fetch it first (e.g. git fetch origin main for --base origin/main) or name a branch, tag or commit that exists`,
    );
  const commit = resolved.stdout.trim();
  return { ref, commit, top, tree: `${commit}:${prefix}` };
}

/**
 * Writes `paths` (files or folders of the platform root, each present at `at`: git archive refuses
 * one that is not) as they are at `at` into `dest`: `git archive | tar -x`.
 */
export async function extractTree(at: ResolvedRef, present: readonly string[], dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  if (present.length === 0) return;
  const archive = spawn('git', ['archive', '--format=tar', at.tree, '--', ...present], {
    cwd: at.top,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
  archive.stdout.pipe(tar.stdin);
  const errors: string[] = [];
  const finished = (child: typeof archive | typeof tar) =>
    new Promise<number>((resolvePromise, reject) => {
      child.stderr.on('data', (b: Buffer) => errors.push(b.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise(code ?? 1));
    });
  const codes = await Promise.all([finished(archive), finished(tar)]);
  if (codes.some((c) => c !== 0))
    throw new Error(`tenant-gitops: cannot extract ${present.join(', ')} of ${at.ref}: ${errors.join('').trim()}`);
}

/** Every file under `paths` at `at`, relative to the platform root, with its blob id. */
export async function listBlobs(at: ResolvedRef, paths: readonly string[]): Promise<Map<string, string>> {
  const listed = await runProcess('git', ['ls-tree', '-r', '-z', '--full-tree', at.tree, '--', ...paths], {
    cwd: at.top,
  });
  if (listed.code !== 0) throw new Error(`tenant-gitops: git ls-tree ${at.tree} failed: ${listed.stderr.trim()}`);
  const blobs = new Map<string, string>();
  for (const entry of listed.stdout.split('\0')) {
    // `<mode> <type> <id>\t<path>`
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(entry.slice(tab + 1), id!);
  }
  return blobs;
}

/** The id git gives a file with this text, so files on disk compare with a commit's without reading it. */
export function blobId(text: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0`)
    .update(text)
    .digest('hex');
}
