// The watch survives what stops a plain client-node informer: connections reset and refused (an
// API server restart), and a stream that silently stops carrying data. A loopback TCP proxy in front
// of the real API server breaks the connection; the API server itself keeps running.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { watchTenantApplications, type ApplicationStatus } from '../../../../src/onboarding/cluster/index.ts';
import {
  controlPlaneKubeConfig,
  createApplication,
  forceDeleteApplication,
  setApplicationStatus,
  uniqueTenant,
  withServer,
} from '../../../fixtures/argocd-applications.ts';
import { recordingLogger, waitFor } from '../../support/recorder.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';

const NEVER = 3_600_000;
let kc: KubeConfig;
const created: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  kc = controlPlaneKubeConfig();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const name of created) await forceDeleteApplication(kc, name);
});

async function proxiedKubeConfig(): Promise<{ proxy: TcpProxy; kubeConfig: KubeConfig }> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 443) });
  await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, kubeConfig: withServer(kc, proxy.url) };
}

async function trackedApplication(): Promise<{ tenant: string; name: string }> {
  const tenant = uniqueTenant('x');
  const name = `tenant-${tenant}`;
  created.push(name);
  await createApplication(kc, { name, tenant });
  return { tenant, name };
}

describe('watch recovery', () => {
  it('GIVEN the API server unreachable for a while (connections reset, then refused) THEN the watch restarts with growing backoff and delivers what changed meanwhile and after', async () => {
    const { proxy, kubeConfig } = await proxiedKubeConfig();
    const { tenant, name } = await trackedApplication();
    const seen: ApplicationStatus[] = [];
    const { log, records } = recordingLogger();
    const watch = watchTenantApplications({
      kubeConfig,
      log,
      relistIntervalMs: NEVER, // only the restart path may recover here
      backoff: { initialMs: 200, maxMs: 1600 },
      onChange: (s) => {
        if (s.tenant === tenant) seen.push(s);
      },
    });
    cleanups.push(() => watch.stop());
    await watch.ready;
    await waitFor(() => seen.length === 1, 10_000, 'the first list');

    // WHEN the "API server" goes away and the Application changes while it is away
    await proxy.refuse();
    await setApplicationStatus(kc, name, { health: 'Progressing', sync: 'OutOfSync' });
    await waitFor(
      () => records.filter((r) => r.msg.includes('restarting after backoff')).length >= 4,
      15_000,
      'several restarts',
    );
    await proxy.listen();

    // THEN the change made during the outage arrives, and the new watch delivers later changes
    await waitFor(() => seen.some((s) => s.health === 'Progressing'), 15_000, 'the change made during the outage');
    await setApplicationStatus(kc, name, { health: 'Healthy', sync: 'Synced', revision: 'd00d' });
    await waitFor(() => seen.some((s) => s.health === 'Healthy'), 15_000, 'the change made after reconnecting');
    expect(seen.map((s) => s.health)).toEqual(['Unknown', 'Progressing', 'Healthy']);

    const delays = records.filter((r) => r.msg.includes('restarting after backoff')).map((r) => r.delayMs as number);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[0]).toBeLessThanOrEqual(200);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1600);
    expect(delays[3]).toBeGreaterThan(delays[0]!); // 4th attempt draws from [800, 1600]
    expect(records.some((r) => r.msg === 'application watch connected' && r.reason === 'restart')).toBe(true);
  });

  it('GIVEN the watch stream silently stalls (no data, no close) THEN the periodic relist still delivers the change, and without relist it would not', async () => {
    const relisting = await proxiedKubeConfig();
    const control = await proxiedKubeConfig();
    const { tenant, name } = await trackedApplication();
    const viaRelist: ApplicationStatus[] = [];
    const viaWatchOnly: ApplicationStatus[] = [];
    const { log } = recordingLogger();
    const start = (kubeConfig: KubeConfig, relistIntervalMs: number, sink: ApplicationStatus[]) => {
      const watch = watchTenantApplications({
        kubeConfig,
        log,
        relistIntervalMs,
        onChange: (s) => {
          if (s.tenant === tenant) sink.push(s);
        },
      });
      cleanups.push(() => watch.stop());
      return watch.ready;
    };
    await start(relisting.kubeConfig, 1500, viaRelist);
    await start(control.kubeConfig, NEVER, viaWatchOnly);
    await waitFor(() => viaRelist.length === 1 && viaWatchOnly.length === 1, 10_000, 'the first lists');

    // WHEN both watch connections freeze and the Application turns Healthy
    await new Promise((r) => setTimeout(r, 100)); // let any relist connection in flight finish
    expect(relisting.proxy.freezeOpenConnections()).toBeGreaterThan(0);
    expect(control.proxy.freezeOpenConnections()).toBeGreaterThan(0);
    await setApplicationStatus(kc, name, { health: 'Healthy', sync: 'Synced', revision: 'feed' });

    // THEN the relisting watch delivers it; the stalled one never does
    await waitFor(() => viaRelist.some((s) => s.health === 'Healthy'), 10_000, 'the relist');
    await new Promise((r) => setTimeout(r, 1500));
    expect(viaWatchOnly.map((s) => s.health)).toEqual(['Unknown']);
  });

  it('GIVEN an API server that never answers WHEN the watch is stopped before its first list THEN ready rejects with a clear message', async () => {
    const { proxy, kubeConfig } = await proxiedKubeConfig();
    await proxy.refuse();
    const { log, records } = recordingLogger();
    const watch = watchTenantApplications({
      kubeConfig,
      log,
      onChange: () => {},
      backoff: { initialMs: 50, maxMs: 100 },
    });
    await waitFor(() => records.filter((r) => r.level === 'warn').length >= 2, 10_000, 'failed attempts');
    await watch.stop();
    await expect(watch.ready).rejects.toThrow(/tenant-gitops: the Application watch was stopped before its first list/);
  });
});
