// GIVEN the store failing under the background loops (SQLITE_FULL, as on a full disk) WHEN the
// outbox or the job runner meets it THEN the process keeps running, /readyz answers 503 naming the
// loop, /metrics counts it, and once the store works again nothing was lost: the PR is opened and
// every callback delivered.
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/shared/log.ts';
import { tenantDocument, until, useHarness } from './support/harness.ts';
import { failStoreMethod } from './support/store-fault.ts';

const harness = useHarness({ callbackDown: true });

async function readyz(): Promise<{ status: number; body: any }> {
  return harness().api('GET', '/readyz');
}

describe('store faults under the background loops', () => {
  it('GIVEN a callback retry that cannot be recorded WHEN the outbox meets it THEN it reports, backs off and later delivers', async () => {
    const store = harness().service!.service.store;
    const restore = failStoreMethod(store.outbox, 'markFailed');
    const created = await harness().api('POST', '/v1/tenants', tenantDocument('fullness'));
    expect(created.status).toBe(202);
    const degraded = await until(async () => {
      const r = await readyz();
      return r.status === 503 ? r : undefined;
    }, 'readyz 503');
    expect(degraded.body).toMatchObject({ status: 'degraded', failing: { outbox: 'database or disk is full' } });
    const metrics = (await harness().api('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/tenant_gitops_background_errors_total\{loop="outbox"\} [1-9]/);
    expect(metrics).toMatch(/tenant_gitops_background_failing\{loop="outbox"\} 1/);

    restore();
    await harness().receiver.up();
    await until(
      () => harness().receiver.events.find((e) => e.tenant === 'fullness' && e.type === 'tenant.pr_opened'),
      'tenant.pr_opened delivered',
    );
    await until(async () => ((await readyz()).status === 200 ? true : undefined), 'readyz 200 again');
  });

  it('GIVEN the jobs table failing under a job retry WHEN the runner meets it THEN the job waits, is reported, and runs once the store works', async () => {
    // GitHub refuses the first attempt (a secondary rate limit), so the job is left to retry in the
    // background; the store then fails under that retry.
    harness().proxy.inject({
      method: 'POST',
      path: /\/git\/trees$/,
      times: 1,
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const created = await harness().api('POST', '/v1/tenants', tenantDocument('jobless'));
    expect(created.status).toBe(202);
    expect(created.body.pullRequest).toBeNull();
    const store = harness().service!.service.store;
    const restore = failStoreMethod(store.jobs, 'pendingFor');
    const degraded = await until(async () => {
      const r = await readyz();
      return r.status === 503 ? r : undefined;
    }, 'readyz 503');
    expect(degraded.body.failing).toMatchObject({ jobs: 'database or disk is full' });
    restore();
    const tenant = await until(async () => {
      const t = (await harness().api('GET', '/v1/tenants/jobless')).body;
      return t.state === 'pr_open' ? t : undefined;
    }, 'pr_open');
    expect(tenant.pullRequest.number).toBeGreaterThan(0);
    await until(async () => ((await readyz()).status === 200 ? true : undefined), 'readyz 200 again');
  });

  it('GIVEN a transition whose write is rolled back WHEN the request is refused THEN no log line reports it, and the one that commits is logged', async () => {
    const lines: { msg: string; tenant?: string; to?: string }[] = [];
    await harness().stopService();
    await harness().startService({
      log: createJsonLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }),
    });
    const store = harness().service!.service.store;
    // The request's transition is written, then queueing its job fails: the whole request rolls back.
    const restore = failStoreMethod(store.jobs, 'enqueue');
    const refused = await harness().api('POST', '/v1/tenants', tenantDocument('unlogged'));
    expect(refused.status).toBe(500);
    expect((await harness().api('GET', '/v1/tenants/unlogged')).status).toBe(404);
    const changes = () => lines.filter((l) => l.msg === 'tenant state changed' && l.tenant === 'unlogged');
    expect(changes()).toEqual([]);
    restore();
    const created = await harness().api('POST', '/v1/tenants', tenantDocument('unlogged'));
    expect(created.status).toBe(202);
    expect(created.body.state).toBe('pr_open');
    expect(changes().map((l) => l.to)).toEqual(['requested', 'pr_open']);
  });
});
