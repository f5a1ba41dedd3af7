// Leader election over a real coordination.k8s.io Lease: several electors (the service's replicas)
// on one Lease, with short durations. Each elector reaches the API server through its own loopback
// proxy, so one replica can be cut off (connections refused, or answers that never come) while the
// others keep talking to the same API server.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { startLeaderElection, type LeaderElection } from '../../../../src/onboarding/cluster/leader-lease.ts';
import {
  controlPlaneKubeConfig,
  ensureNamespace,
  uniqueTenant,
  withServer,
} from '../../../fixtures/argocd-applications.ts';
import { recordingLogger, waitFor, type LogRecord } from '../../support/recorder.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';

const LEASE_MS = 3_000;
const RENEW_MS = 2_000;
const RETRY_MS = 300;

let kc: KubeConfig;
let namespace: string;
let leaseCount = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  kc = controlPlaneKubeConfig();
  namespace = `leader-${uniqueTenant('l')}`;
  await ensureNamespace(kc, namespace);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

interface Elector {
  identity: string;
  election: LeaderElection;
  /** onStartedLeading / onStoppedLeading, in the order they were called, with Date.now(). */
  events: { event: 'started' | 'stopped'; at: number }[];
  records: LogRecord[];
}

/** A Lease name of its own for each test; deleted after the test. */
function newLease(): string {
  const name = `onboarding-leader-${++leaseCount}`;
  cleanups.push(async () => {
    try {
      await kc.makeApiClient(CoordinationV1Api).deleteNamespacedLease({ name, namespace });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  });
  return name;
}

function elect(identity: string, lease: string, kubeConfig: KubeConfig): Elector {
  const { log, records } = recordingLogger();
  const events: Elector['events'] = [];
  const election = startLeaderElection({
    kubeConfig,
    namespace,
    name: lease,
    identity,
    leaseDurationMs: LEASE_MS,
    renewDeadlineMs: RENEW_MS,
    retryPeriodMs: RETRY_MS,
    log,
    onStartedLeading: () => events.push({ event: 'started', at: Date.now() }),
    onStoppedLeading: () => events.push({ event: 'stopped', at: Date.now() }),
  });
  cleanups.push(() => election.stop());
  return { identity, election, events, records };
}

/** Three electors, each behind its own proxy to the API server. */
async function threeElectors(lease: string): Promise<{ electors: Elector[]; proxyOf: Map<Elector, TcpProxy> }> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const proxyOf = new Map<Elector, TcpProxy>();
  const electors: Elector[] = [];
  for (const identity of ['replica-a', 'replica-b', 'replica-c']) {
    const proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 443) });
    await proxy.listen();
    cleanups.push(() => proxy.close());
    const elector = elect(identity, lease, withServer(kc, proxy.url));
    electors.push(elector);
    proxyOf.set(elector, proxy);
  }
  return { electors, proxyOf };
}

function leaders(electors: Elector[]): Elector[] {
  return electors.filter((e) => e.election.leading);
}

async function oneLeader(electors: Elector[], timeoutMs: number, what: string): Promise<Elector> {
  return waitFor(() => (leaders(electors).length === 1 ? leaders(electors)[0] : undefined), timeoutMs, what);
}

async function readLease(name: string): Promise<V1Lease> {
  return kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name, namespace });
}

/** A MicroTime as the API server wrote it (client-node hands back the string despite its Date type). */
function microTimeText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Callbacks alternate started, stopped, started… on every elector. */
function expectAlternating(electors: Elector[]): void {
  for (const e of electors) {
    e.events.forEach(({ event }, i) =>
      expect(event, `${e.identity} callback ${i}`).toBe(i % 2 ? 'stopped' : 'started'),
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startLeaderElection', () => {
  it('GIVEN three electors on one Lease WHEN they start together THEN exactly one leads and stays the only one, and the Lease names it with MicroTimes that round-trip', async () => {
    const lease = newLease();
    const { electors } = await threeElectors(lease);
    const leader = await oneLeader(electors, 5_000, 'a leader');

    const firstRead = await readLease(lease);
    const observedFor = Date.now() + 2_000;
    while (Date.now() < observedFor) {
      expect(leaders(electors).map((e) => e.identity)).toEqual([leader.identity]);
      await sleep(50);
    }
    const lease2 = await readLease(lease);

    expect(electors.flatMap((e) => e.events)).toEqual([{ event: 'started', at: expect.any(Number) }]);
    expect(leader.records.some((r) => r.level === 'info' && r.identity === leader.identity && r.lease)).toBe(true);
    expect(lease2.spec).toMatchObject({
      holderIdentity: leader.identity,
      leaseDurationSeconds: 3,
      leaseTransitions: 0,
    });
    // MicroTime: six fractional digits, as written; renewTime moves on, acquireTime is written back unchanged.
    const [acquired, renewedBefore, renewedAfter] = [
      lease2.spec?.acquireTime,
      firstRead.spec?.renewTime,
      lease2.spec?.renewTime,
    ].map(microTimeText);
    for (const text of [acquired, renewedBefore, renewedAfter])
      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(acquired).toBe(microTimeText(firstRead.spec?.acquireTime));
    expect(Date.parse(renewedAfter!)).toBeGreaterThan(Date.parse(renewedBefore!));
    expect(Math.abs(Date.now() - Date.parse(renewedAfter!))).toBeLessThan(2 * RETRY_MS + 1_000);
  });

  it('GIVEN a leader WHEN it stops without releasing (a crash) THEN another leads only once the lease duration has passed since its last renew, and the crashed one got no callback', async () => {
    const lease = newLease();
    const { electors } = await threeElectors(lease);
    const crashed = await oneLeader(electors, 5_000, 'a leader');
    await sleep(1_000); // followers have seen several renewals

    await crashed.election.stop();
    const lastRenew = Date.parse(microTimeText((await readLease(lease)).spec?.renewTime));
    const others = electors.filter((e) => e !== crashed);
    const next = await oneLeader(others, LEASE_MS + 5_000, 'a new leader');
    const tookOverAfter = next.events[0]!.at - lastRenew;

    console.log(`leader-lease: after a crash, ${next.identity} led ${tookOverAfter} ms after the last renew`);
    expect(tookOverAfter).toBeGreaterThanOrEqual(LEASE_MS);
    expect(tookOverAfter).toBeLessThanOrEqual(LEASE_MS + 2 * RETRY_MS + 1_000);
    expect(crashed.events.map((e) => e.event)).toEqual(['started']);
    expect(crashed.election.leading).toBe(false);
    expect((await readLease(lease)).spec).toMatchObject({ holderIdentity: next.identity, leaseTransitions: 1 });
    expect(leaders(electors)).toEqual([next]);
    expectAlternating(electors);
  });

  it('GIVEN a leader WHEN it stops with release THEN it gets onStoppedLeading and another leads within two retry periods', async () => {
    const lease = newLease();
    const { electors } = await threeElectors(lease);
    const leaving = await oneLeader(electors, 5_000, 'a leader');
    await sleep(1_000);

    await leaving.election.stop({ release: true });
    const releasedAt = Date.now();
    expect(leaving.events.map((e) => e.event)).toEqual(['started', 'stopped']);
    const others = electors.filter((e) => e !== leaving);
    const next = await oneLeader(others, 5_000, 'a new leader');
    const tookOverAfter = next.events[0]!.at - releasedAt;

    console.log(`leader-lease: after a release, ${next.identity} led ${tookOverAfter} ms later`);
    expect(tookOverAfter).toBeLessThanOrEqual(2 * RETRY_MS);
    const spec = (await readLease(lease)).spec;
    expect(spec).toMatchObject({ holderIdentity: next.identity, leaseDurationSeconds: 3, leaseTransitions: 1 });
    expectAlternating(electors);
  });

  it('GIVEN a leader WHEN its connections to the API server are refused THEN it stops leading within the renew deadline, before another takes over', async () => {
    const lease = newLease();
    const { electors, proxyOf } = await threeElectors(lease);
    const cutOff = await oneLeader(electors, 5_000, 'a leader');
    await sleep(1_000);

    await proxyOf.get(cutOff)!.refuse();
    const refusedAt = Date.now();
    const lastRenew = Date.parse(microTimeText((await readLease(lease)).spec?.renewTime));
    await waitFor(() => cutOff.events.length === 2, RENEW_MS + 5_000, 'the cut-off leader to stop leading');
    const stoppedAt = cutOff.events[1]!.at;
    const next = await oneLeader(electors, LEASE_MS + 5_000, 'a new leader');

    console.log(
      `leader-lease: refused: ${cutOff.identity} stopped ${stoppedAt - refusedAt} ms after the cut, ` +
        `${next.identity} led ${next.events[0]!.at - lastRenew} ms after the last renew`,
    );
    expect(stoppedAt - refusedAt).toBeLessThanOrEqual(RENEW_MS + RETRY_MS + 1_000);
    expect(stoppedAt - lastRenew).toBeGreaterThanOrEqual(RENEW_MS);
    expect(next).not.toBe(cutOff);
    expect(next.events[0]!.at).toBeGreaterThan(stoppedAt); // never two leaders at once
    expect(cutOff.records.some((r) => r.level === 'warn')).toBe(true);
    expect(cutOff.records.some((r) => r.level === 'error' && r.msg.includes('stopped leading'))).toBe(true);
    expect((await readLease(lease)).spec?.holderIdentity).toBe(next.identity);
    expectAlternating(electors);
  });

  it('GIVEN a leader WHEN its requests to the API server hang (no answer, no error) THEN it still stops leading at the renew deadline, and another takes over', async () => {
    const lease = newLease();
    const hangingProxy = new HangingProxy(new URL(kc.getCurrentCluster()!.server));
    await hangingProxy.listen();
    cleanups.push(() => hangingProxy.close());
    const hung = elect('replica-d', lease, withServer(kc, hangingProxy.url));
    await waitFor(() => hung.election.leading, 5_000, 'replica-d to lead alone');
    const { electors } = await threeElectors(lease);
    const all = [...electors, hung];
    await sleep(1_000);

    hangingProxy.hang();
    const hungAt = Date.now();
    await waitFor(() => hung.events.length === 2, RENEW_MS + 5_000, 'the hung leader to stop leading');
    const stoppedAt = hung.events[1]!.at;
    const next = await oneLeader(all, LEASE_MS + 5_000, 'a new leader');

    console.log(`leader-lease: hung: replica-d stopped ${stoppedAt - hungAt} ms after the hang`);
    expect(stoppedAt - hungAt).toBeLessThanOrEqual(RENEW_MS + RETRY_MS + 1_000);
    expect(next).not.toBe(hung);
    expect(next.events.at(-1)!.at).toBeGreaterThan(stoppedAt);
    expect(hung.records.some((r) => r.level === 'warn' && /abort|timeout/i.test(String(r.error)))).toBe(true);
    expectAlternating(all);
  });
});

/** Forwards to the API server until hang(); then open connections freeze and new ones get no answer. */
class HangingProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #hanging = false;
  #port = 0;

  constructor(target: URL) {
    this.#target = { host: target.hostname, port: Number(target.port || 443) };
  }

  get url(): string {
    return `https://127.0.0.1:${this.#port}`;
  }

  async listen(): Promise<void> {
    const server = createServer((client) => {
      this.#sockets.add(client);
      client.on('error', () => client.destroy()).on('close', () => this.#sockets.delete(client));
      if (this.#hanging) return;
      const upstream = connect(this.#target);
      this.#sockets.add(upstream);
      upstream.on('error', () => client.destroy()).on('close', () => this.#sockets.delete(upstream));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  hang(): void {
    this.#hanging = true;
    for (const socket of this.#sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
