// GitHub webhooks from the local GitHub server (real, signed deliveries sent when a PR is merged or
// closed there), plus hand-signed deliveries for the signature and deduplication cases.
import { createHmac, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OWNER, REPO, useHarness, until } from './support/harness.ts';

const harness = useHarness();

function deliver(body: string, headers: Record<string, string>) {
  return fetch(`${harness().service!.url}/github/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

function sign(body: string, secret = harness().webhookSecret): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A hand-made closed event: what an attacker holding the webhook secret can sign. */
function closedPayload(
  name: string,
  number: number,
  merged: boolean,
  sha: string | null,
  { repository = `${OWNER}/${REPO}`, base = 'main' }: { repository?: string; base?: string } = {},
): string {
  return JSON.stringify({
    action: 'closed',
    number,
    pull_request: {
      number,
      html_url: `http://x/pull/${number}`,
      merged,
      merge_commit_sha: sha,
      head: { ref: `tenants/${name}`, sha: 'f'.repeat(40) },
      base: { ref: base },
    },
    repository: { full_name: repository },
  });
}

function signedDelivery(body: string, id: string = randomUUID()) {
  return deliver(body, {
    'x-github-event': 'pull_request',
    'x-github-delivery': id,
    'x-hub-signature-256': sign(body),
  });
}

/** The GitHub calls the service made since `from` (an index into the proxy's log). */
function gitHubCallsSince(from: number): string[] {
  return harness()
    .proxy.requests.slice(from)
    .map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

function snapshot(): unknown {
  const db = new Database(harness().databasePath, { readonly: true });
  try {
    return ['tenants', 'history', 'deliveries', 'outbox', 'jobs'].map((t) =>
      db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(),
    );
  } finally {
    db.close();
  }
}

describe('GitHub webhooks', () => {
  it('GIVEN an open tenant PR WHEN it is merged on GitHub THEN the tenant is merged with the merge commit sha', async () => {
    const number = await harness().onboard('mergeme');
    const sha = await harness().merge(number);
    const tenant = await until(
      async () => ((await harness().tenant('mergeme')).state === 'merged' ? harness().tenant('mergeme') : undefined),
      'merged',
    );
    expect(tenant.mergeCommit).toBe(sha);
    expect(tenant.history.at(-1)).toMatchObject({
      from: 'pr_open',
      to: 'merged',
      reason: expect.stringContaining(sha),
    });
  });

  it('GIVEN an open tenant PR WHEN it is closed without merge THEN the tenant is rejected and the backend is told', async () => {
    const number = await harness().onboard('closeme');
    await harness().close(number);
    await until(async () => ((await harness().tenant('closeme')).state === 'rejected' ? true : undefined), 'rejected');
    const event = await until(
      () => harness().receiver.events.find((e) => e.tenant === 'closeme' && e.type === 'tenant.rejected'),
      'tenant.rejected',
    );
    expect(event.signatureValid).toBe(true);
    expect(event.data).toMatchObject({ name: 'closeme', state: 'rejected', pullRequest: { number } });
  });

  it('GIVEN a delivery with a bad or missing signature WHEN posted THEN 401 and nothing changes', async () => {
    const number = await harness().onboard('signed');
    await harness().service!.service.idle();
    await until(
      async () =>
        /^tenant_gitops_outbox_pending 0$/m.test((await harness().api('GET', '/metrics')).body) ? true : undefined,
      'outbox drained',
    );
    const before = snapshot();
    const body = closedPayload('signed', number, true, 'a'.repeat(40));
    const headers = { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID() };
    for (const signature of [sign(body, 'not-the-secret-at-all'), sign(`${body} `), undefined]) {
      const response = await deliver(body, { ...headers, ...(signature ? { 'x-hub-signature-256': signature } : {}) });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    }
    await harness().service!.service.idle();
    expect(snapshot()).toEqual(before);
    expect((await harness().tenant('signed')).state).toBe('pr_open');
  });

  it('GIVEN a delivery already processed WHEN GitHub redelivers it, or it is replayed under a new id THEN nothing changes', async () => {
    const number = await harness().onboard('twice');
    await harness().merge(number);
    await until(async () => ((await harness().tenant('twice')).state === 'merged' ? true : undefined), 'merged');
    const real = harness().github.deliveries.find((d) => JSON.parse(d.payload).number === number)!;
    const historyLength = (await harness().tenant('twice')).history.length;

    const again = await deliver(real.payload, {
      'x-github-event': 'pull_request',
      'x-github-delivery': real.id,
      'x-hub-signature-256': real.signature,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const metrics = (await harness().api('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/tenant_gitops_webhook_deliveries_total\{result="duplicate"\} 1/);

    // The same signed body under a new id is a fresh delivery, and still changes nothing.
    const replayed = await deliver(real.payload, {
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': real.signature,
    });
    expect(replayed.status).toBe(202);
    await harness().service!.service.idle();
    expect((await harness().tenant('twice')).history).toHaveLength(historyLength);
  });

  it("GIVEN a tenant's PR still open on GitHub WHEN a signed delivery claims it merged THEN the service asks GitHub and nothing changes", async () => {
    const number = await harness().onboard('forged');
    await harness().service!.service.idle();
    const before = (await harness().tenant('forged')).history.length;
    const from = harness().proxy.requests.length;
    // Another repository (an organisation webhook signs them all), another base, an invented merge.
    for (const body of [
      closedPayload('forged', number, true, 'c'.repeat(40), { repository: 'attacker/other-repo', base: 'not-main' }),
      closedPayload('forged', number, true, 'c'.repeat(40)),
    ])
      expect((await signedDelivery(body)).status).toBe(202);
    await harness().service!.service.idle();
    const tenant = await harness().tenant('forged');
    expect(tenant.state).toBe('pr_open');
    expect(tenant.history).toHaveLength(before);
    // The delivery about another repository was not even worth a question; the other one was asked.
    expect(gitHubCallsSince(from)).toEqual([`GET /repos/${OWNER}/${REPO}/pulls/${number}`]);
  });

  it('GIVEN an offboarding PR still open WHEN a signed delivery claims it merged THEN nothing is deleted or scheduled', async () => {
    await harness().merge(await harness().onboard('keepme'));
    await until(async () => ((await harness().tenant('keepme')).state === 'merged' ? true : undefined), 'merged');
    const number = await harness().offboardingPullRequest('keepme');
    const body = closedPayload('keepme', number, true, 'd'.repeat(40));
    expect((await signedDelivery(body)).status).toBe(202);
    await harness().service!.service.idle();
    expect((await harness().tenant('keepme')).state).toBe('offboarding');
    expect(harness().jobCount('keepme', 'offboard_cluster')).toBe(0);
  });

  it('GIVEN the merge delivery never arrives WHEN the service starts again THEN the reconciler finds the merge on GitHub', async () => {
    const number = await harness().onboard('lost');
    await harness().service!.service.idle();
    await harness().stopService();
    const sha = await harness().merge(number);
    await harness().startService();
    const tenant = await until(async () => {
      const t = await harness().tenant('lost');
      return t.state === 'merged' ? t : undefined;
    }, 'merged after restart');
    expect(tenant.mergeCommit).toBe(sha);
  });

  it('GIVEN commits pushed to the tenant branch by someone else WHEN the PR is merged THEN the tenant fails instead of taking that change as its own', async () => {
    const number = await harness().onboard('tampered');
    await harness().service!.service.idle();
    const branch = `/repos/${OWNER}/${REPO}/git/refs/heads/tenants/tampered`;
    const head = (await harness().gitHub('GET', `/repos/${OWNER}/${REPO}/git/ref/heads/tenants/tampered`)).body.object
      .sha;
    const tree = (await harness().gitHub('GET', `/repos/${OWNER}/${REPO}/git/commits/${head}`)).body.tree.sha;
    const extra = await harness().gitHub('POST', `/repos/${OWNER}/${REPO}/git/commits`, {
      message: 'one more thing',
      tree,
      parents: [head],
    });
    expect((await harness().gitHub('PATCH', branch, { sha: extra.body.sha })).status).toBe(200);
    await harness().merge(number);
    const tenant = await until(async () => {
      const t = await harness().tenant('tampered');
      return t.state === 'failed' ? t : undefined;
    }, 'failed');
    expect(tenant.history.at(-1).reason).toContain(
      `merged with head ${extra.body.sha}, but the service pushed ${head}`,
    );
    // The backend hears of it: a tenant.failed callback with the same reason.
    const event = await until(
      () => harness().receiver.events.find((e) => e.tenant === 'tampered' && e.type === 'tenant.failed'),
      'tenant.failed delivered',
    );
    expect(event.data).toMatchObject({ state: 'failed', reason: tenant.history.at(-1).reason });
  });

  it("GIVEN a closed PR that is not the tenant's current one WHEN delivered THEN the tenant is untouched", async () => {
    const number = await harness().onboard('stale');
    const body = closedPayload('stale', number + 1000, false, null);
    const response = await deliver(body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': sign(body),
    });
    expect(response.status).toBe(202);
    await harness().service!.service.idle();
    expect((await harness().tenant('stale')).state).toBe('pr_open');
  });
});
