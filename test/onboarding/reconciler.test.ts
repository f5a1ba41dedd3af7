// GIVEN GitHub sends no webhook at all (every delivery lost) WHEN PRs merge or close THEN the
// reconciler still moves each tenant, within its interval, on what GitHub says about the PR, and a
// GitHub outage only delays it.
import { describe, expect, it } from 'vitest';
import { OWNER, REPO, useHarness, tenantDocument, until } from './support/harness.ts';
import { failStoreMethod } from './support/store-fault.ts';

const RECONCILE_INTERVAL_MS = 300;
const harness = useHarness({ webhooks: false, service: { reconcileIntervalMs: RECONCILE_INTERVAL_MS } });

async function onboard(name: string): Promise<number> {
  const created = await harness().api('POST', '/v1/tenants', tenantDocument(name));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await harness().service!.service.idle();
  return (await harness().api('GET', `/v1/tenants/${name}`)).body.pullRequest.number as number;
}

describe('PR reconciler without webhooks', () => {
  it('GIVEN a merged PR and no delivery WHEN the next round runs THEN the tenant is merged at GitHub’s merge commit', async () => {
    const number = await onboard('quiet');
    const sha = await harness().merge(number);
    const tenant = await harness().reaches('quiet', 'merged');
    expect(tenant.mergeCommit).toBe(sha);
    expect(tenant.history.at(-1).reason).toBe(`PR #${number} merged as ${sha}`);
  });

  it('GIVEN a PR left open WHEN round after round reads it THEN GitHub answers 304 Not Modified (no rate limit spent) until it changes', async () => {
    const number = await onboard('patient');
    const reads = () =>
      harness()
        .proxy.requests.filter(
          (r) => r.method === 'GET' && r.path.split('?')[0] === `/repos/${OWNER}/${REPO}/pulls/${number}`,
        )
        .map((r) => r.status)
        .filter((status) => status !== 0); // 0: still in flight, not answered yet
    const opening = reads().length; // the PR's own opening may read it too
    const rounds = () => reads().slice(opening);
    // Nothing is pushed meanwhile, so after the first read every round (over 1.5 s of them) is a 304.
    await until(() => (rounds().length >= 6 ? true : undefined), 'six rounds');
    expect(rounds()[0]).toBe(200);
    expect(new Set(rounds().slice(1))).toEqual(new Set([304]));
    const sha = await harness().merge(number);
    expect((await harness().reaches('patient', 'merged')).mergeCommit).toBe(sha);
    expect(reads().at(-1)).toBe(200);
  });

  it('GIVEN a PR closed unmerged and no delivery WHEN the next round runs THEN the tenant is rejected', async () => {
    await harness().close(await onboard('shut'));
    await harness().reaches('shut', 'rejected');
  });

  it('GIVEN a merged offboarding PR whose clean-up is still pending WHEN round after round finds it merged THEN the clean-up is queued once', async () => {
    await harness().merge(await onboard('leaving'));
    await harness().reaches('leaving', 'merged');
    const number = await harness().offboardingPullRequest('leaving');
    // The clean-up cannot run for now (its job list fails), as while a cluster deletion waits.
    const restore = failStoreMethod(harness().service!.service.store.jobs, 'pendingFor');
    try {
      await harness().merge(number);
      await until(async () => {
        const t = (await harness().api('GET', '/v1/tenants/leaving')).body;
        return t.history.some((h: { reason: string }) => /^offboarding PR #\d+ merged as/.test(h.reason))
          ? t
          : undefined;
      }, 'offboarding merge recorded');
      await new Promise((r) => setTimeout(r, RECONCILE_INTERVAL_MS * 5));
      expect(harness().jobCount('leaving', 'offboard_cluster')).toBe(1);
    } finally {
      restore();
    }
    await harness().reaches('leaving', 'deleted');
  });

  it('GIVEN GitHub failing the PR reads WHEN it recovers THEN the merge is still found', async () => {
    const number = await onboard('outage');
    const read = new RegExp(`^/repos/${OWNER}/${REPO}/pulls/${number}$`);
    harness().proxy.inject({ method: 'GET', path: read, times: 4, status: 502, body: { message: 'Server Error' } });
    await harness().merge(number);
    await harness().reaches('outage', 'merged');
    const reads = harness().proxy.requests.filter((r) => r.method === 'GET' && read.test(r.path));
    expect(reads.filter((r) => r.faulted).length).toBe(4);
    expect(reads.at(-1)!.status).toBe(200);
  });
});
