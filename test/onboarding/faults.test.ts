// Faults at the edges: GitHub answering 502 and a secondary rate limit, and the backend's callback
// receiver being down for a while.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, tenantDocument, until, type Harness } from './support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ callbackDown: true });
});
afterAll(async () => {
  expect(h.github.violations).toEqual([]);
  await h.stop();
});

describe('faults', () => {
  it('GIVEN GitHub answers 502 and then a secondary rate limit WHEN a tenant is requested THEN it is retried and ends with one PR', async () => {
    h.proxy.inject({
      method: 'POST',
      path: /\/git\/commits$/,
      times: 2,
      status: 502,
      body: { message: 'Server Error' },
    });
    h.proxy.inject({
      method: 'POST',
      path: /\/pulls$/,
      times: 1,
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
    const created = await h.api('POST', '/v1/tenants', tenantDocument('flaky'), { 'idempotency-key': 'flaky-1' });
    expect(created.status).toBe(202);
    const tenant = await until(async () => {
      const t = (await h.api('GET', '/v1/tenants/flaky')).body;
      return t.state === 'pr_open' ? t : undefined;
    }, 'pr_open after retries');
    expect(h.proxy.requests.filter((r) => r.faulted).map((r) => r.status)).toEqual([502, 502, 403]);
    const prs = (await h.pulls('all')).filter((p) => p.head.ref === 'tenants/flaky');
    expect(prs.map((p) => p.number)).toEqual([tenant.pullRequest.number]);
    // A repeat with the key, now that the PR exists, returns that PR.
    const again = await h.api('POST', '/v1/tenants', tenantDocument('flaky'), { 'idempotency-key': 'flaky-1' });
    expect(again.body.pullRequest).toEqual(tenant.pullRequest);
  });

  it('GIVEN the callback receiver is down WHEN events pile up and it comes back THEN all are delivered, per tenant in order, none lost', async () => {
    const names = ['cb-one', 'cb-two', 'cb-three'];
    for (const name of names) expect((await h.api('POST', '/v1/tenants', tenantDocument(name))).status).toBe(202);
    const closeMe = (await h.api('GET', '/v1/tenants/cb-two')).body.pullRequest.number;
    await h.close(closeMe);
    await until(
      async () => ((await h.api('GET', '/v1/tenants/cb-two')).body.state === 'rejected' ? true : undefined),
      'rejected',
    );
    await new Promise((resolve) => setTimeout(resolve, 600)); // several failed attempts with the receiver down
    expect(h.receiver.events).toEqual([]);
    const pending = (await h.api('GET', '/metrics')).body as string;
    expect(Number(/^tenant_gitops_outbox_pending (\d+)$/m.exec(pending)?.[1])).toBeGreaterThanOrEqual(5);

    await h.receiver.up();
    await until(
      () => (h.receiver.events.filter((e) => names.includes(e.tenant)).length >= 4 ? true : undefined),
      'events after the receiver is back',
    );
    await until(
      async () => (/^tenant_gitops_outbox_pending 0$/m.test((await h.api('GET', '/metrics')).body) ? true : undefined),
      'outbox drained',
    );
    const of = (tenant: string) => h.receiver.events.filter((e) => e.tenant === tenant).map((e) => e.type);
    expect(of('cb-one')).toEqual(['tenant.pr_opened']);
    expect(of('cb-two')).toEqual(['tenant.pr_opened', 'tenant.rejected']);
    expect(of('cb-three')).toEqual(['tenant.pr_opened']);
    expect(h.receiver.events.every((e) => e.signatureValid && e.headerEventId === e.id)).toBe(true);
    expect(new Set(h.receiver.events.map((e) => e.id)).size).toBe(h.receiver.events.length);
  });
});
