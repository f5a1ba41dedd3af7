// Spawns the real tenantctl (through tsx, as bin/tenantctl.js does) against a platform repo.
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { makePlatformRepo, REPO_ROOT } from '../write/platform-repo.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tenantctl(root: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'generator/cli/main.ts'), ...args, '--root', root], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, TENANT_GITOPS_REPO_URL: '' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A platform repo holding base/ and the example tenants' specs, nothing generated yet. */
export function makeRepoWithExampleTenants(): string {
  const root = makePlatformRepo();
  cpSync(join(REPO_ROOT, 'tenants'), join(root, 'tenants'), { recursive: true });
  return root;
}
