// Several replicas of `tenantctl serve` on one PostgreSQL store (a fresh database on the real
// server, testing/postgres.ts) and one Lease in the real control plane: every replica serves the
// API, the Lease's holder runs the background loops. In the middle of 100 onboardings the leader is
// SIGKILLed; another replica must take the Lease within the lease time, and afterwards every tenant
// has exactly one PR, reaches provisioned (the test plays ArgoCD: it creates each Application and
// marks it Healthy and Synced at the merge commit, which the new leader's watch sees), and the
// backend received every callback. The webhooks from the local GitHub server reach the replicas
// through a round-robin proxy that skips a dead one, as a Kubernetes Service would.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CoordinationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlPlaneKubeConfig,
  createApplication,
  forceDeleteApplication,
  setApplicationStatus,
  uniqueTenant,
} from '../../fixtures/argocd-applications.ts';
import { ROOT, startHarness, tenantDocument, until, type Harness } from '../../onboarding/support/harness.ts';
import { freeLoopbackPort } from '../../../testing/sandbox/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../../testing/postgres.ts';

const TENANTS = 100;
const LEASE_MS = 6_000;
/** serve's retry period for this lease (src/cli/serve.ts: the lease over 7.5). */
const RETRY_MS = LEASE_MS / 7.5;
const LEASE_NAMESPACE = 'gitops-onboarding';

let kc: KubeConfig;
let h: Harness;
let database: TestDatabase;
let balancer: RoundRobin;
let leaseName: string;
const replicas = new Map<string, { child: ChildProcess; port: number; exited: Promise<unknown>; log: string[] }>();
const applications: string[] = [];

/** TCP round robin over the live replicas: a connection to a dead one fails over to the next. */
class RoundRobin {
  readonly #server: Server;
  #next = 0;
  constructor(readonly ports: () => number[]) {
    this.#server = createServer((client) => this.#forward(client, 0));
  }
  listen(port: number): Promise<void> {
    return new Promise((resolve) => this.#server.listen(port, '127.0.0.1', () => resolve()));
  }
  #forward(client: Socket, tried: number): void {
    const ports = this.ports();
    if (tried >= ports.length) return void client.destroy();
    const port = ports[this.#next++ % ports.length]!;
    const upstream = connect({ host: '127.0.0.1', port });
    upstream.once('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.once('error', () =>
      upstream.readyState === 'opening' ? this.#forward(client, tried + 1) : client.destroy(),
    );
    client.once('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function startReplica(name: string): Promise<void> {
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TENANT_GITOPS_HOST: '127.0.0.1',
      TENANT_GITOPS_PORT: String(port),
      TENANT_GITOPS_DB: database.url,
      TENANT_GITOPS_LEASE: `${LEASE_NAMESPACE}/${leaseName}`,
      TENANT_GITOPS_REPLICA: name,
      TENANT_GITOPS_LEASE_DURATION_MS: String(LEASE_MS),
      TENANT_GITOPS_KUBECONFIG: process.env['KUBECONFIG'] ?? join(ROOT, '.cluster', 'kubeconfig'),
      TENANT_GITOPS_API_TOKENS: `backend=${h.apiToken} *:*`,
      TENANT_GITOPS_GITHUB_URL: h.github.url,
      TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
      TENANT_GITOPS_GITHUB_TOKEN: 'test-token',
      TENANT_GITOPS_GITHUB_THROTTLE: 'off',
      TENANT_GITOPS_WEBHOOK_SECRET: h.webhookSecret,
      TENANT_GITOPS_CALLBACK_URL: h.receiver.url,
      TENANT_GITOPS_CALLBACK_SECRET: h.callbackSecret,
      TENANT_GITOPS_CALLBACK_RETRY_BASE_MS: '50',
      TENANT_GITOPS_JOB_RETRY_BASE_MS: '50',
      TENANT_GITOPS_OUTBOX_POLL_MS: '100',
      TENANT_GITOPS_ARGOCD_PROMPT: 'off',
      TENANT_GITOPS_TOKEN_CONCURRENCY: '1000',
      TENANT_GITOPS_TOKEN_RATE: '100000',
      TENANT_GITOPS_TOKEN_BURST: '100000',
      TENANT_GITOPS_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  const lines = createInterface(child.stdout!);
  lines.on('line', (line) => log.push(line));
  await Promise.race([
    new Promise<void>((resolve) => lines.once('line', () => resolve())),
    exited.then((how) => {
      throw new Error(`replica ${name} exited (${String(how)}) before listening:\n${log.join('\n')}`);
    }),
  ]);
  replicas.set(name, { child, port, exited, log });
}

function alive(): [string, { port: number }][] {
  return [...replicas].filter(([, r]) => r.child.exitCode === null && r.child.signalCode === null);
}

async function holder(): Promise<string | undefined> {
  const lease = await kc
    .makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ name: leaseName, namespace: LEASE_NAMESPACE })
    .catch(() => undefined);
  return lease?.spec?.holderIdentity || undefined;
}

let turn = 0;
/** A request to the next live replica; a replica that dies under it is retried on another. */
async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  for (let attempt = 0; ; attempt++) {
    const live = alive();
    const [, replica] = live[turn++ % live.length]!;
    try {
      const response = await fetch(`http://127.0.0.1:${replica.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${h.apiToken}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status === 503 && attempt < 20) continue;
      return { status: response.status, body: text ? JSON.parse(text) : null };
    } catch (error) {
      // The replica died mid-request (connection reset): the backend retries with the same key.
      if (attempt >= 20) throw error;
    }
  }
}

/** Every tenant's view once all of them are in `state` (read through the replicas, every 500 ms). */
function allReach(names: string[], state: string): Promise<any[]> {
  return until(
    async () => {
      const all = await Promise.all(names.map(async (n) => (await api('GET', `/v1/tenants/${n}`)).body));
      return all.every((t) => t.state === state) ? all : undefined;
    },
    `every tenant ${state}`,
    180_000,
    500,
  );
}

beforeAll(async () => {
  kc = controlPlaneKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: LEASE_NAMESPACE } } }).catch(() => undefined);
  leaseName = uniqueTenant('onboarding-');
  database = createTestDatabase();
  h = await startHarness({ service: false });
  balancer = new RoundRobin(() => alive().map(([, r]) => r.port));
  await balancer.listen(h.servicePort);
  for (const name of ['replica-a', 'replica-b', 'replica-c']) await startReplica(name);
}, 180_000);

afterAll(async () => {
  for (const { child } of replicas.values())
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all([...replicas.values()].map((r) => r.exited));
  await balancer?.close();
  for (const name of applications) await forceDeleteApplication(kc, name);
  expect(h.github.violations).toEqual([]);
  await h?.stop();
  database?.drop();
  await kc
    .makeApiClient(CoordinationV1Api)
    .deleteNamespacedLease({ name: leaseName, namespace: LEASE_NAMESPACE })
    .catch(() => undefined);
});

describe('several replicas on one PostgreSQL store', () => {
  it(`GIVEN three replicas WHEN the leader is SIGKILLed in the middle of ${TENANTS} onboardings THEN another takes the Lease within the lease time, and no request, PR or callback is lost or doubled`, async () => {
    const first = await until(holder, 'a replica holds the Lease', 30_000);
    const base = uniqueTenant('r');
    const names = Array.from({ length: TENANTS }, (_, i) => `${base}${String(i).padStart(3, '0')}`);

    // The backend onboards, ten at a time, each request with its own idempotency key.
    let accepted = 0;
    let killedAt = 0;
    let killed: string | undefined;
    const onboard = async (name: string) => {
      const answer = await api('POST', '/v1/tenants', tenantDocument(name), { 'idempotency-key': `onboard-${name}` });
      expect(answer.status, JSON.stringify(answer.body)).toBe(202);
      if (++accepted === TENANTS / 2 - 10) {
        killed = await holder();
        replicas.get(killed!)!.child.kill('SIGKILL');
        killedAt = performance.now();
      }
    };
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let name = queue.shift(); name; name = queue.shift()) await onboard(name);
      }),
    );
    expect(killed).toBe(first);
    expect(await replicas.get(killed!)!.exited).toBe('SIGKILL');
    const next = await until(
      async () => {
        const now = await holder();
        return now && now !== killed ? { now, at: performance.now() } : undefined;
      },
      'another replica holds the Lease',
      60_000,
    );
    const takeoverMs = next.at - killedAt;

    // Every tenant gets its PR (jobs the dead replica left are resumed by the new leader).
    const pullRequests = await allReach(names, 'pr_open');
    const prs = (await h.pulls('all')).filter((p) => names.includes(p.head.ref.replace('tenants/', '')));
    expect(prs).toHaveLength(TENANTS);
    expect(new Set(prs.map((p) => p.head.ref)).size).toBe(TENANTS);

    // Reviewers merge; the webhooks reach the live replicas; the test plays ArgoCD.
    for (const tenant of pullRequests) await h.merge(tenant.pullRequest.number);
    const merged = await allReach(names, 'merged');
    for (const tenant of merged) {
      const application = `tenant-${tenant.name}`;
      await createApplication(kc, { name: application, tenant: tenant.name });
      applications.push(application);
      await setApplicationStatus(kc, application, { health: 'Healthy', sync: 'Synced', revision: tenant.mergeCommit });
    }
    await allReach(names, 'provisioned');

    // Every callback arrived, signed; duplicates (at-least-once delivery) are counted, not lost.
    const events = await until(
      async () => {
        const mine = h.receiver.events.filter((e) => names.includes(e.tenant));
        const kinds = (type: string) => new Set(mine.filter((e) => e.type === type).map((e) => e.tenant)).size;
        return kinds('tenant.pr_opened') === TENANTS && kinds('tenant.provisioned') === TENANTS ? mine : undefined;
      },
      'every callback received',
      120_000,
      500,
    );
    expect(events.every((e) => e.signatureValid)).toBe(true);
    const ids = events.map((e) => e.id);
    const duplicates = ids.length - new Set(ids).size;
    // No second PR was ever opened, even for a moment, and every PR that exists is merged.
    expect((await h.pulls('all')).filter((p) => names.includes(p.head.ref.replace('tenants/', '')))).toHaveLength(
      TENANTS,
    );
    // client-go's rule: the lease runs from the last renew the others saw, then one retry period.
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + 2 * RETRY_MS + 1_000);
    console.log(
      `replicas: leader ${killed} SIGKILLed after ${TENANTS / 2 - 10} of ${TENANTS} onboardings; ${next.now} took the Lease ` +
        `${takeoverMs.toFixed(0)} ms later (lease ${LEASE_MS} ms); ${TENANTS} PRs, ${TENANTS} provisioned, ` +
        `${events.length} callbacks (${duplicates} delivered twice)`,
    );
  }, 600_000);

  it('GIVEN the same tenant requested 10 times at once across the replicas WHEN all complete THEN one PR, and every answer names it', async () => {
    const name = uniqueTenant('same');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api('POST', '/v1/tenants', tenantDocument(name), i % 2 === 0 ? { 'idempotency-key': `same-${name}` } : {}),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    const numbers = new Set(answers.map((a) => a.body.pullRequest?.number));
    expect(numbers.size).toBe(1);
    const prs = (await h.pulls('all')).filter((p) => p.head.ref === `tenants/${name}`);
    expect(prs.map((p) => p.number)).toEqual([...numbers]);
  });
});
