// Spawns the real tenantctl launcher (bin/tenantctl.js) against a platform repo, from inside that
// repo as a person would run it: the repo has no node_modules of its own.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { makePlatformRepo, REPO_ROOT } from '../fixtures/platform-repo.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tenantctl(root: string, ...args: string[]): CliResult {
  return tenantctlWithEnv(root, {}, ...args);
}

export function tenantctlWithEnv(root: string, env: NodeJS.ProcessEnv, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/tenantctl.js'), ...args, '--root', root], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TENANT_GITOPS_REPO_URL: '', ...env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same without blocking the test worker: for long commands (validate), so the worker keeps
 * answering vitest while the child runs.
 */
export function tenantctlAsync(root: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tenantctl.js'), ...args, '--root', root], {
      cwd: root,
      env: { ...process.env, TENANT_GITOPS_REPO_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A platform repo holding base/ and the example tenants' specs, nothing generated yet. */
export function makeRepoWithExampleTenants(): string {
  const root = makePlatformRepo();
  cpSync(join(REPO_ROOT, 'tenants'), join(root, 'tenants'), { recursive: true });
  return root;
}
