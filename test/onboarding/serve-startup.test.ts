// What `tenantctl serve` loads at start-up, in its own process: without a cluster it must not load
// the Kubernetes client, a module graph that alone was about half of the service's resident memory.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../testing/sandbox/free-port.ts';
import { ROOT } from './support/harness.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serve-startup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts serve, waits until it listens, stops it; returns every module URL it resolved. */
async function modulesLoadedByServe(extraEnv: Record<string, string>): Promise<string[]> {
  const importsFile = join(dir, `imports-${randomBytes(4).toString('hex')}.txt`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(import.meta.dirname, 'fixtures/record-imports.mjs'),
      '--import',
      'tsx',
      join(ROOT, 'src/cli/main.ts'),
      'serve',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        RECORD_IMPORTS_TO: importsFile,
        TENANT_GITOPS_HOST: '127.0.0.1',
        TENANT_GITOPS_PORT: String(await freeLoopbackPort()),
        TENANT_GITOPS_DB: join(dir, 'service.sqlite'),
        TENANT_GITOPS_API_TOKENS: `backend=${randomBytes(20).toString('hex')} *:*`,
        TENANT_GITOPS_GITHUB_URL: 'http://127.0.0.1:9',
        TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
        TENANT_GITOPS_GITHUB_TOKEN: 'unused',
        TENANT_GITOPS_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
        TENANT_GITOPS_LOG_LEVEL: 'error',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      new Promise<void>((resolve) => createInterface(child.stdout!).once('line', () => resolve())),
      exited.then(() => Promise.reject(new Error('tenantctl serve exited before listening'))),
    ]);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return (await readFile(importsFile, 'utf8')).split('\n').filter(Boolean);
}

describe('tenantctl serve start-up', () => {
  it('GIVEN no cluster configured WHEN serve is listening THEN the Kubernetes client was never loaded, while the service itself was', async () => {
    const loaded = await modulesLoadedByServe({});
    expect(loaded.some((url) => url.endsWith('/src/onboarding/http/server.ts'))).toBe(true);
    expect(loaded.find((url) => url.includes('/@kubernetes/client-node/'))).toBeUndefined();
  }, 60_000);
});
