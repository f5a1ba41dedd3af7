// Spawns the real tenantctl launcher (bin/tenantctl.js) against a platform repo, from inside that
// repo as a person would run it: the repo has no node_modules of its own.
import { spawnSync } from 'node:child_process';
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

/** A platform repo holding base/ and the example tenants' specs, nothing generated yet. */
export function makeRepoWithExampleTenants(): string {
  const root = makePlatformRepo();
  cpSync(join(REPO_ROOT, 'tenants'), join(root, 'tenants'), { recursive: true });
  return root;
}
