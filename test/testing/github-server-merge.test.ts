import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhooks } from '@octokit/webhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWebhookVerifier, openTenantPullRequest } from '../../src/onboarding/github/index.ts';
import { CALL, startHarness, type Harness } from '../fixtures/github-harness.ts';

/** What GitHub's `pull_request` closed event carries about the PR (beside the OpenAPI check). */
const pullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    merged: z.boolean().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    html_url: z.string(),
    head: z.object({ ref: z.string(), sha: z.string() }),
    base: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }).optional(),
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver standing in for the onboarding service's endpoint. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, received, server };
}

const SECRET = 'webhook-secret-for-tests';

describe('local GitHub server: merging and closing PRs', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver();
    h = await startHarness({ webhooks: [{ url: receiver.url, secret: SECRET }] });
  });
  afterEach(async () => {
    h.server.assertNoViolations();
    await h.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  async function openAcme() {
    const pr = await openTenantPullRequest(h.client(), {
      tenant: 'acme',
      action: 'create',
      files: new Map([['tenants/acme.yaml', 'name: acme\n']]),
      deletePaths: [],
      title: 'Onboard tenant acme',
      body: 'b',
      labels: ['tenant'],
    });
    h.server.takeCalls();
    return pr;
  }

  it('PUT /pulls/{n}/merge makes a merge commit on main in the bare repo and sends a signed pull_request webhook', async () => {
    // GIVEN an open tenant PR
    const pr = await openAcme();
    const mainBefore = await h.repo.git('rev-parse', 'main');
    // WHEN it is merged through the real REST endpoint
    const gh = h.client();
    const merged = await gh.octokit.rest.pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: pr.number });
    expect(h.server.takeCalls()).toEqual([CALL.mergePull]);
    // THEN main in the bare repository is a merge commit of the old main and the PR head
    expect(merged.data).toMatchObject({ merged: true, sha: await h.repo.git('rev-parse', 'main') });
    expect(await h.repo.git('rev-list', '--parents', '-n', '1', 'main')).toBe(
      `${merged.data.sha} ${mainBefore} ${pr.headSha}`,
    );
    expect((await h.repo.files('main')).get('tenants/acme.yaml')).toBe('name: acme\n');
    // AND one delivery arrived, signed so that @octokit/webhooks verifies it
    await h.server.settled();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const signature = String(delivery?.headers['x-hub-signature-256']);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(delivery?.headers['x-github-event']).toBe('pull_request');
    expect(delivery?.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await new Webhooks({ secret: SECRET }).verify(delivery?.body ?? '', signature)).toBe(true);
    expect(await createWebhookVerifier(SECRET)(delivery?.body ?? '', signature)).toBe(true);
    // AND the payload says closed + merged with the merge commit, in the shape the service reads
    const event = pullRequestEventSchema.parse(JSON.parse(delivery?.body ?? '{}'));
    expect(event).toMatchObject({
      action: 'closed',
      number: pr.number,
      pull_request: {
        state: 'closed',
        merged: true,
        merge_commit_sha: merged.data.sha,
        head: { ref: 'tenants/acme', sha: pr.headSha },
        base: { ref: 'main' },
      },
    });
    // AND a second merge is refused (405; retries off so the refusal is seen once)
    await expect(
      h.client({ retries: 0 }).octokit.rest.pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: pr.number }),
    ).rejects.toMatchObject({ status: 405 });
    expect(h.server.takeCalls()).toEqual([CALL.mergePull]);
  });

  it('a signature made with another secret, or a changed body, does not verify', async () => {
    const pr = await openAcme();
    await h.server.mergePullRequest(pr.number, 'squash');
    await h.server.settled();
    const [delivery] = receiver.received;
    const body = delivery?.body ?? '';
    const signature = String(delivery?.headers['x-hub-signature-256']);
    expect(await createWebhookVerifier('another-secret')(body, signature)).toBe(false);
    expect(await createWebhookVerifier(SECRET)(body.replace('"closed"', '"opened"'), signature)).toBe(false);
    expect(await createWebhookVerifier(SECRET)(body, '')).toBe(false);
    expect(await createWebhookVerifier(SECRET)(body, 'sha256=nothex')).toBe(false);
  });

  it('squash merge (admin API) makes one commit with main as sole parent', async () => {
    const pr = await openAcme();
    const mainBefore = await h.repo.git('rev-parse', 'main');
    const response = await fetch(`${h.server.url}/_admin/pulls/${pr.number}/squash`, { method: 'POST' });
    const result = (await response.json()) as { merge_commit_sha: string };
    expect(await h.repo.git('rev-list', '--parents', '-n', '1', 'main')).toBe(
      `${result.merge_commit_sha} ${mainBefore}`,
    );
    expect(await h.repo.git('log', '-1', '--format=%s', 'main')).toBe(`Onboard tenant acme (#${pr.number})`);
  });

  it('closing without merging sends closed with merged false and leaves main alone', async () => {
    const pr = await openAcme();
    const mainBefore = await h.repo.git('rev-parse', 'main');
    const gh = h.client();
    await gh.octokit.rest.pulls.update({ owner: gh.owner, repo: gh.repo, pull_number: pr.number, state: 'closed' });
    h.server.takeCalls();
    await h.server.settled();
    expect(await h.repo.git('rev-parse', 'main')).toBe(mainBefore);
    const event = pullRequestEventSchema.parse(JSON.parse(receiver.received[0]?.body ?? '{}'));
    expect(event.pull_request).toMatchObject({ state: 'closed', merged: false, merge_commit_sha: null });
    expect(receiver.received).toHaveLength(1);
  });

  it('records an unreachable receiver as a failed delivery instead of failing the merge', async () => {
    await new Promise((resolve) => receiver.server.close(resolve));
    receiver.server = createServer();
    receiver.server.listen(0);
    const pr = await openAcme();
    await h.server.mergePullRequest(pr.number);
    await h.server.settled();
    expect(h.server.deliveries).toHaveLength(1);
    expect(h.server.deliveries[0]).toMatchObject({ status: null, event: 'pull_request', action: 'closed' });
  });
});
