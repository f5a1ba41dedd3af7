// One onboarding service over real parts: a bare git repository (a copy of this checkout's
// platform tree) served by the local GitHub server (which validates all traffic against GitHub's
// OpenAPI description and sends signed webhooks), a fault proxy between the service and GitHub,
// a SQLite file in a temp dir, and a callback receiver.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { silentLogger } from '../../../src/shared/log.ts';
import { freeLoopbackPort } from '../../../testing/sandbox/free-port.ts';
import { copyPlatformRepository } from '../../../testing/sandbox/platform-repo.ts';
import { startService, type RunningService, type StartServiceOptions } from '../../../src/onboarding/index.ts';
import { PostgresConnection } from '../../../src/onboarding/store/postgres.ts';
import { sqliteConnection, type SqlConnection } from '../../../src/onboarding/store/sql.ts';
import { createTestDatabase } from '../../../testing/postgres.ts';
import { startCallbackReceiver, type CallbackReceiver } from './callback-receiver.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { until } from '../../fixtures/until.ts';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const OWNER = 'platform';
export const REPO = 'tenants';

export interface LocalGitHub {
  url: string;
  violations: unknown[];
  /** Every webhook delivery sent, as GitHub's "Recent Deliveries" lists them. */
  deliveries: { id: string; event: string; payload: string; signature: string }[];
  stop(): Promise<void>;
}

/** What else the local GitHub server can be started with (testing/github-server/index.ts). */
export interface LocalGitHubOptions {
  tokens?: string[];
  app?: { appId: number; publicKey: string; installationId: number; tokenLifetimeSeconds?: number };
  contentLimits?: { perMinute?: number; perHour?: number; windowScale?: number };
}

interface GitHubServerModule {
  start(
    options: {
      port: number;
      repoDir: string;
      owner: string;
      repo: string;
      webhooks: { url: string; secret: string }[];
    } & LocalGitHubOptions,
  ): Promise<LocalGitHub>;
}

export interface Harness {
  stateDir: string;
  bareDir: string;
  databasePath: string;
  servicePort: number;
  apiToken: string;
  webhookSecret: string;
  callbackSecret: string;
  github: LocalGitHub;
  proxy: FaultProxy;
  receiver: CallbackReceiver;
  service: RunningService | undefined;
  /** Starts (or restarts, on the same database and port) the service in this process. */
  startService(overrides?: Partial<StartServiceOptions>): Promise<RunningService>;
  stopService(): Promise<void>;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  gitHub(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Branch names in the bare repository. */
  branches(): Promise<string[]>;
  /** Everything a request could have written: rows per table, branches, calls that reached GitHub. */
  writes(): Promise<{ rows: Record<string, number>; branches: string[]; githubCalls: number }>;
  /** Files on a branch of the bare repository. */
  filesOn(ref: string): Promise<string[]>;
  showFile(ref: string, path: string): Promise<string>;
  pulls(
    state?: 'open' | 'closed' | 'all',
  ): Promise<{ number: number; head: { ref: string }; state: string; merged_at: string | null }[]>;
  merge(number: number): Promise<string>;
  /** Someone commits `files` (path → text) straight onto main, as a platform engineer's merge would. */
  commitOnMain(files: Record<string, string>, message: string): Promise<void>;
  close(number: number): Promise<void>;
  /** POSTs tenantDocument(name), expects 202 with its PR open; returns the PR's number. */
  onboard(name: string): Promise<number>;
  /** GET /v1/tenants/{name}'s body. */
  tenant(name: string): Promise<any>;
  /** Waits until the tenant is in `state`; returns it. */
  reaches(name: string, state: string): Promise<any>;
  /** Asks to offboard a merged tenant and waits for its offboarding PR; returns the PR's number. */
  offboardingPullRequest(name: string): Promise<number>;
  /** How many jobs of `kind` the store holds for `tenant`, in any status. */
  jobCount(tenant: string, kind: string): number;
  stop(): Promise<void>;
}

/** The store's tables a tenant request writes to. */
const WRITTEN_TABLES = ['tenants', 'history', 'jobs', 'outbox', 'idempotency'];

export function tenantDocument(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: { tier: 'free', owners: [{ kind: 'Group', name: `${name}-admins` }], ...spec },
  };
}

export async function startHarness(
  options: {
    callbackDown?: boolean;
    service?: Partial<StartServiceOptions> | false;
    /** false: GitHub sends no webhook at all, as when every delivery is lost. Default true. */
    webhooks?: boolean;
    /** The local GitHub server in App mode, or with content limits on. */
    github?: LocalGitHubOptions;
    /** The service's store: a SQLite file (default) or a fresh database on the test PostgreSQL server. */
    store?: 'sqlite' | 'postgres';
  } = {},
): Promise<Harness> {
  const stateDir = await mkdtemp(join(tmpdir(), 'service-test-'));
  const platform = await copyPlatformRepository({ checkout: ROOT, bareDir: join(stateDir, 'github', `${REPO}.git`) });
  const servicePort = await freeLoopbackPort();
  const webhookSecret = randomBytes(20).toString('hex');
  const callbackSecret = randomBytes(20).toString('hex');
  const apiToken = randomBytes(20).toString('hex');
  const server = (await import('../../../testing/github-server/index.ts' as string)) as GitHubServerModule;
  const github = await server.start({
    ...options.github,
    port: 0,
    repoDir: platform.bareDir,
    owner: OWNER,
    repo: REPO,
    webhooks:
      options.webhooks === false
        ? []
        : [{ url: `http://127.0.0.1:${servicePort}/github/webhook`, secret: webhookSecret }],
  });
  const proxy = await startFaultProxy(github.url);
  const receiver = await startCallbackReceiver(callbackSecret, { startDown: options.callbackDown });
  const postgres = options.store === 'postgres' ? createTestDatabase() : undefined;
  const databasePath = postgres?.url ?? join(stateDir, 'service.sqlite');
  /** The store's database, read directly (whether the service runs or not). */
  const database = <T>(read: (db: SqlConnection) => T): T => {
    const db = postgres
      ? new PostgresConnection(postgres.url)
      : sqliteConnection(new Database(databasePath, { readonly: true }));
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  const git = async (...args: string[]) =>
    (await run('git', args, { cwd: platform.bareDir, maxBuffer: 64 << 20 })).stdout;

  const harness: Harness = {
    stateDir,
    bareDir: platform.bareDir,
    databasePath,
    servicePort,
    apiToken,
    webhookSecret,
    callbackSecret,
    github,
    proxy,
    receiver,
    service: undefined,
    async startService(overrides = {}) {
      harness.service = await startService({
        host: '127.0.0.1',
        port: servicePort,
        apiTokens: [{ name: 'backend', token: apiToken }],
        databasePath,
        github: { baseUrl: proxy.url, token: 'test-token', owner: OWNER, repo: REPO, webhookSecret, throttle: false },
        callback: { url: receiver.url, secret: callbackSecret },
        log: silentLogger,
        jobRetry: { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 20 },
        callbackRetry: { baseDelayMs: 50, maxDelayMs: 300 },
        outboxPollIntervalMs: 50,
        // Tests send bursts of requests on one token; token-limits.test.ts sets its own limits.
        tokenLimits: { concurrency: 1000, ratePerSecond: 100_000, burst: 100_000 },
        ...overrides,
      });
      // A pooled connection to a stopped service is closed under the first call after a restart.
      await until(() => harness.api('GET', '/healthz').catch(() => undefined), 'service answering');
      return harness.service;
    },
    async stopService() {
      await harness.service?.stop();
      harness.service = undefined;
    },
    async api(method, path, body, headers = {}) {
      const response = await fetch(`http://127.0.0.1:${servicePort}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
    async gitHub(method, path, body) {
      const response = await fetch(`${github.url}${path}`, {
        method,
        headers: {
          authorization: 'token reviewer',
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async branches() {
      return (await git('for-each-ref', '--format=%(refname:short)', 'refs/heads/')).split('\n').filter(Boolean).sort();
    },
    async writes() {
      const rows = database((db) => {
        const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        return Object.fromEntries(WRITTEN_TABLES.map((table) => [table, count(table)]));
      });
      return { rows, branches: await harness.branches(), githubCalls: proxy.requests.length };
    },
    async filesOn(ref) {
      return (await git('ls-tree', '-r', '--name-only', ref)).split('\n').filter(Boolean);
    },
    async showFile(ref, path) {
      return git('show', `${ref}:${path}`);
    },
    async pulls(state = 'all') {
      const all: any[] = [];
      for (let page = 1; ; page++) {
        const { body } = await harness.gitHub(
          'GET',
          `/repos/${OWNER}/${REPO}/pulls?state=${state}&per_page=100&page=${page}`,
        );
        all.push(...(body as any[]));
        if ((body as any[]).length < 100) return all;
      }
    },
    async merge(number) {
      const { status, body } = await harness.gitHub('PUT', `/repos/${OWNER}/${REPO}/pulls/${number}/merge`, {
        merge_method: 'merge',
      });
      if (status !== 200) throw new Error(`merge of PR #${number} answered ${status}: ${JSON.stringify(body)}`);
      return (body as { sha: string }).sha;
    },
    async commitOnMain(files, message) {
      const work = await mkdtemp(join(tmpdir(), 'harness-main-'));
      const inWork = (...args: string[]) =>
        run('git', ['-c', 'user.name=platform', '-c', 'user.email=platform@example.test', ...args], { cwd: work });
      try {
        await inWork('clone', '--quiet', platform.bareDir, '.');
        for (const [path, text] of Object.entries(files)) {
          await mkdir(dirname(join(work, path)), { recursive: true });
          await writeFile(join(work, path), text);
        }
        await inWork('add', '-A');
        await inWork('commit', '--quiet', '-m', message);
        await inWork('push', '--quiet', 'origin', 'HEAD:main');
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
    async close(number) {
      const { status, body } = await harness.gitHub('PATCH', `/repos/${OWNER}/${REPO}/pulls/${number}`, {
        state: 'closed',
      });
      if (status !== 200) throw new Error(`closing PR #${number} answered ${status}: ${JSON.stringify(body)}`);
    },
    async onboard(name) {
      const created = await harness.api('POST', '/v1/tenants', tenantDocument(name));
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      return created.body.pullRequest.number as number;
    },
    async tenant(name) {
      return (await harness.api('GET', `/v1/tenants/${name}`)).body;
    },
    reaches(name, state) {
      return until(async () => {
        const tenant = await harness.tenant(name);
        return tenant.state === state ? tenant : undefined;
      }, `${name} ${state}`);
    },
    async offboardingPullRequest(name) {
      const asked = await harness.api('DELETE', `/v1/tenants/${name}`, undefined, { 'idempotency-key': `off-${name}` });
      if (asked.status !== 202)
        throw new Error(`offboarding ${name} answered ${asked.status}: ${JSON.stringify(asked.body)}`);
      const tenant = await until(async () => {
        const t = (await harness.api('GET', `/v1/tenants/${name}`)).body;
        return t.state === 'offboarding' && t.pullRequest ? t : undefined;
      }, `offboarding PR of ${name} opened`);
      return tenant.pullRequest.number as number;
    },
    jobCount(tenant, kind) {
      return database(
        (db) =>
          (
            db.prepare('SELECT COUNT(*) AS n FROM jobs WHERE tenant = ? AND kind = ?').get(tenant, kind) as {
              n: number;
            }
          ).n,
      );
    },
    async stop() {
      await harness.stopService();
      await receiver.stop();
      await proxy.stop();
      await github.stop();
      await rm(stateDir, { recursive: true, force: true });
      postgres?.drop();
    },
  };
  if (options.service !== false) await harness.startService(options.service ?? {});
  return harness;
}

export { until };

/**
 * One harness for a whole test file: started before its first test, stopped after its last, with
 * the local GitHub server's OpenAPI violations asserted empty. Call the returned function in a test.
 */
export function useHarness(options?: Parameters<typeof startHarness>[0]): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    expect(harness!.github.violations).toEqual([]);
    await harness!.stop();
  });
  return () => {
    if (!harness) throw new Error('the harness is used before beforeAll started it');
    return harness;
  };
}
