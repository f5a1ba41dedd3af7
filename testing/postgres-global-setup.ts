// vitest globalSetup: one PostgreSQL server for every test file of the run (scripts/postgres.sh,
// private state dir), unless TENANT_GITOPS_TEST_POSTGRES_URL already names one. Test workers
// inherit the URL through the environment; testing/postgres.ts gives each caller its own database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'postgres.sh');

function script(args: string[], dir: string): string {
  const result = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TENANT_GITOPS_POSTGRES_DIR: dir },
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`scripts/postgres.sh ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Starts a server in a new temp dir; returns its URL and how to stop it. */
export function startPostgresServer(): { url: string; stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-gitops-postgres-'));
  const line = script(['start'], dir);
  const url = /TENANT_GITOPS_TEST_POSTGRES_URL=(\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`scripts/postgres.sh start printed no URL: ${line}`);
  return { url, stop: () => script(['stop'], dir) };
}

export default function setup(): (() => void) | undefined {
  if (process.env['TENANT_GITOPS_TEST_POSTGRES_URL']) return undefined;
  const server = startPostgresServer();
  process.env['TENANT_GITOPS_TEST_POSTGRES_URL'] = server.url;
  return () => server.stop();
}
