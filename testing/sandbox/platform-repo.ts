// The sandbox's copy of the platform repository: the current checkout's COMMITTED tree (only the
// folders the platform needs), as the single commit of a local bare repository on `main`. The
// local GitHub server serves it and ArgoCD syncs from it, so nothing in the sandbox ever writes to
// the checkout the developer is working in.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pointAtRepository } from './point-at-repository.ts';

const run = promisify(execFile);

/** Folders of the platform repository that ArgoCD and the service read. */
export const PLATFORM_FOLDERS = ['tenants', 'base', 'overlays', 'argocd', 'clusters'] as const;

export interface PlatformRepository {
  /** Path of the bare repository. */
  bareDir: string;
  /** The commit `main` points at. */
  head: string;
  /** The folders that were copied (those present in the checkout's HEAD). */
  folders: string[];
}

async function git(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.trim();
}

function extractTar(tarball: Buffer, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-x', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tenant-gitops: tar -x failed: ${stderr}`))));
    tar.stdin.end(tarball);
  });
}

export interface CopyPlatformOptions {
  checkout: string;
  bareDir: string;
  /** Point the copy's argocd/ at the copy itself (file:// URL of bareDir), so ArgoCD syncs from it. */
  pointAtItself?: boolean;
  /** Files (repo-relative path → text) that replace the checkout's in the copy, e.g. a cluster sized for a benchmark. */
  replaceFiles?: Record<string, string>;
}

/** The URL ArgoCD and the AppProjects use for a bare copy. */
export function repositoryUrl(bareDir: string): string {
  return `file://${bareDir}`;
}

export async function copyPlatformRepository(options: CopyPlatformOptions): Promise<PlatformRepository> {
  const { checkout, bareDir } = options;
  const top = await git(['ls-tree', '--name-only', 'HEAD'], checkout).catch((error: unknown) => {
    throw new Error(
      `tenant-gitops: ${checkout} is not a git checkout with a commit; the sandbox copies its committed tree`,
      { cause: error },
    );
  });
  const present = new Set(top.split('\n'));
  const folders = PLATFORM_FOLDERS.filter((f) => present.has(f));
  if (folders.length === 0) {
    throw new Error(
      `tenant-gitops: the committed tree of ${checkout} has none of ${PLATFORM_FOLDERS.join(', ')}; commit the platform files first`,
    );
  }

  await mkdir(bareDir, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', bareDir], bareDir);
  const work = await mkdtemp(join(bareDir, '..', 'platform-work-'));
  try {
    await git(['init', '--quiet', '--initial-branch=main'], work);
    // `git archive` of HEAD copies the committed files only: uncommitted edits never leak in.
    const { stdout: tarball } = await run('git', ['archive', '--format=tar', 'HEAD', ...folders], {
      cwd: checkout,
      encoding: 'buffer',
      maxBuffer: 512 * 1024 * 1024,
    });
    await extractTar(tarball, work);
    if (options.pointAtItself && folders.includes('argocd')) pointAtRepository(work, repositoryUrl(bareDir));
    for (const [path, text] of Object.entries(options.replaceFiles ?? {})) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), text);
    }
    await git(['add', '--all'], work);
    await git(
      [
        '-c',
        'user.name=tenant-gitops sandbox',
        '-c',
        'user.email=sandbox@tenant-gitops.invalid',
        'commit',
        '--quiet',
        '-m',
        'Platform repository (sandbox copy)',
      ],
      work,
    );
    await git(['push', '--quiet', bareDir, 'main:main'], work);
    return { bareDir, head: await git(['rev-parse', 'main'], bareDir), folders };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
