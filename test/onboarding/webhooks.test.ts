// GitHub webhooks from the local GitHub server (real, signed deliveries sent when a PR is merged or
// closed there), plus hand-signed deliveries for the signature and deduplication cases.
import { createHmac, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useHarness, tenantDocument, until } from './support/harness.ts';

const harness = useHarness();

async function onboard(name: string): Promise<number> {
  const created = await harness().api('POST', '/v1/tenants', tenantDocument(name));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return created.body.pullRequest.number as number;
}

async function stateOf(name: string): Promise<any> {
  return (await harness().api('GET', `/v1/tenants/${name}`)).body;
}

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

function closedPayload(name: string, number: number, merged: boolean, sha: string | null): string {
  return JSON.stringify({
    action: 'closed',
    number,
    pull_request: {
      number,
      html_url: `http://x/pull/${number}`,
      merged,
      merge_commit_sha: sha,
      head: { ref: `tenants/${name}`, sha: 'f'.repeat(40) },
    },
  });
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
    const number = await onboard('mergeme');
    const sha = await harness().merge(number);
    const tenant = await until(
      async () => ((await stateOf('mergeme')).state === 'merged' ? stateOf('mergeme') : undefined),
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
    const number = await onboard('closeme');
    await harness().close(number);
    await until(async () => ((await stateOf('closeme')).state === 'rejected' ? true : undefined), 'rejected');
    const event = await until(
      () => harness().receiver.events.find((e) => e.tenant === 'closeme' && e.type === 'tenant.rejected'),
      'tenant.rejected',
    );
    expect(event.signatureValid).toBe(true);
    expect(event.data).toMatchObject({ name: 'closeme', state: 'rejected', pullRequest: { number } });
  });

  it('GIVEN a delivery with a bad or missing signature WHEN posted THEN 401 and nothing changes', async () => {
    const number = await onboard('signed');
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
    expect((await stateOf('signed')).state).toBe('pr_open');
  });

  it('GIVEN a delivery already processed WHEN GitHub redelivers it THEN it is acknowledged and ignored', async () => {
    const number = await onboard('twice');
    const sha = 'b'.repeat(40);
    const body = closedPayload('twice', number, true, sha);
    const headers = {
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': sign(body),
    };
    const first = await deliver(body, headers);
    expect(first.status).toBe(202);
    await until(async () => ((await stateOf('twice')).state === 'merged' ? true : undefined), 'merged');
    const historyLength = (await stateOf('twice')).history.length;

    const again = await deliver(body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    await harness().service!.service.idle();
    expect((await stateOf('twice')).history).toHaveLength(historyLength);
    const metrics = (await harness().api('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/tenant_gitops_webhook_deliveries_total\{result="duplicate"\} 1/);
  });

  it("GIVEN a closed PR that is not the tenant's current one WHEN delivered THEN the tenant is untouched", async () => {
    const number = await onboard('stale');
    const body = closedPayload('stale', number + 1000, false, null);
    const response = await deliver(body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': sign(body),
    });
    expect(response.status).toBe(202);
    await harness().service!.service.idle();
    expect((await stateOf('stale')).state).toBe('pr_open');
  });
});
