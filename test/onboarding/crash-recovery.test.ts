// Crash safety with a real process: `tenantctl serve` runs as a child and is killed with SIGKILL
// right after the branch commit reached GitHub and before the PR was created (the fault proxy in
// front of GitHub kills it when the PR request arrives). Restarted on the same SQLite file, it
// resumes the pending job and the request ends with exactly one PR.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startHarness, tenantDocument, until, type Harness } from './support/harness.ts';

let h: Harness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startHarness({ service: false });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  expect(h.github.violations).toEqual([]);
  await h.stop();
});

async function startChild(): Promise<{ child: ChildProcess; exited: Promise<NodeJS.Signals | number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TENANT_GITOPS_HOST: '127.0.0.1',
      TENANT_GITOPS_PORT: String(h.servicePort),
      TENANT_GITOPS_DB: h.databasePath,
      TENANT_GITOPS_API_TOKENS: `backend=${h.apiToken} *:*`,
      TENANT_GITOPS_GITHUB_URL: h.proxy.url,
      TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
      TENANT_GITOPS_GITHUB_TOKEN: 'test-token',
      TENANT_GITOPS_GITHUB_THROTTLE: 'off',
      TENANT_GITOPS_WEBHOOK_SECRET: h.webhookSecret,
      TENANT_GITOPS_JOB_RETRY_BASE_MS: '50',
      TENANT_GITOPS_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-10_000)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  await Promise.race([
    new Promise<void>((resolve) => createInterface(child.stdout!).once('line', () => resolve())),
    exited.then((how) => {
      throw new Error(`tenantctl serve exited (${how}) before listening:\n${stderr}`);
    }),
  ]);
  return { child, exited };
}

describe('crash safety', () => {
  it('GIVEN the service is SIGKILLed between the branch commit and the PR WHEN restarted on the same database THEN the request completes with one PR', async () => {
    const crashing = await startChild();
    h.proxy.inject({
      method: 'POST',
      path: /\/pulls$/,
      times: 1,
      status: 502,
      body: {},
      onMatch: () => crashing.child.kill('SIGKILL'),
    });
    const request = h
      .api('POST', '/v1/tenants', tenantDocument('crashy'), { 'idempotency-key': 'crashy-1' })
      .catch((error: unknown) => error);
    expect(await crashing.exited).toBe('SIGKILL');
    expect(await request).toBeInstanceOf(Error);

    // The commit reached GitHub, the PR did not; the request and its job were stored before either.
    expect(await h.branches()).toContain('tenants/crashy');
    expect((await h.pulls('all')).filter((p) => p.head.ref === 'tenants/crashy')).toEqual([]);
    const db = new Database(h.databasePath, { readonly: true });
    expect(db.prepare("SELECT state FROM tenants WHERE name = 'crashy'").get()).toEqual({ state: 'requested' });
    expect(db.prepare("SELECT kind, status FROM jobs WHERE tenant = 'crashy'").all()).toEqual([
      { kind: 'open_pull_request', status: 'pending' },
    ]);
    db.close();

    const restarted = await startChild();
    const tenant = await until(async () => {
      const t = (await h.api('GET', '/v1/tenants/crashy')).body;
      return t.state === 'pr_open' ? t : undefined;
    }, 'pr_open after restart');
    const prs = (await h.pulls('all')).filter((p) => p.head.ref === 'tenants/crashy');
    expect(prs.map((p) => p.number)).toEqual([tenant.pullRequest.number]);
    const again = await h.api('POST', '/v1/tenants', tenantDocument('crashy'), { 'idempotency-key': 'crashy-1' });
    expect(again).toEqual({ status: 202, body: { name: 'crashy', state: 'pr_open', pullRequest: tenant.pullRequest } });
    expect((await h.pulls('all')).filter((p) => p.head.ref === 'tenants/crashy')).toHaveLength(1);

    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });
});
