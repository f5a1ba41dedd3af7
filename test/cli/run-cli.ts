// Spawns the real tenantctl launcher (bin/tenantctl.js) against a platform repo, from inside that
// repo as a person would run it: the repo has no node_modules of its own.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makePlatformRepo, REPO_ROOT } from '../fixtures/platform-repo.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cliArgs = (root: string, args: string[]) => [join(REPO_ROOT, 'bin/tenantctl.js'), ...args, '--root', root];
const cliEnv = (extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, TENANT_GITOPS_REPO_URL: '', ...extra });

export function tenantctl(root: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, cliArgs(root, args), { cwd: root, encoding: 'utf8', env: cliEnv() });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same without blocking the test worker: for commands that take seconds (kustomize, git). */
export function tenantctlAsync(root: string, ...args: string[]): Promise<CliResult> {
  return tenantctlAsyncWithEnv(root, {}, ...args);
}

/** tenantctlAsync with variables added to (or replacing) the test's environment. */
export function tenantctlAsyncWithEnv(root: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, cliArgs(root, args), { cwd: root, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** A platform repo holding base/ and the example tenants' specs, nothing generated yet. */
export function makeRepoWithExampleTenants(): string {
  const root = makePlatformRepo();
  cpSync(join(REPO_ROOT, 'tenants'), join(root, 'tenants'), { recursive: true });
  return root;
}

/** Sets top-level fields of the repo's one registry cluster, clusters/in-cluster.yaml. */
export function editInClusterFile(root: string, fields: Record<string, unknown>): void {
  const clusterFile = join(root, 'clusters/in-cluster.yaml');
  const cluster = parse(readFileSync(clusterFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(clusterFile, stringify({ ...cluster, ...fields }));
}
