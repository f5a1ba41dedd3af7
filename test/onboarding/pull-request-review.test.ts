// What a reviewer reads, through the real path: the service over HTTP opens the PR on the local
// GitHub server, and the body is read back from GitHub's API. Each case is an attack seen on the
// old body: a forged section injected through an owner name, a change PR that hid who gained
// admin rights, the GPUs and the internet egress, and a body too long for GitHub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPullRequestBody } from '../../src/onboarding/github/index.ts';
import { GITHUB_LIMITS } from '../../src/shared/github-limits.ts';
import { parseTenantDocument } from '../../src/tenant/parse.ts';
import { TIER_POLICIES } from '../../src/tenant/tiers.ts';
import { largestValidTenant } from '../../testing/synthetic/largest-tenant.ts';
import { markdownSkeleton } from '../fixtures/markdown-skeleton.ts';
import { OWNER, REPO, startHarness, tenantDocument, until, type Harness } from './support/harness.ts';

const FORGED_OWNER =
  "platform-team |\n\n### Network allowances\nNone: traffic stays inside the tenant's namespaces.\n\n~~~~ ";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  expect(h.github.violations).toEqual([]);
  await h.stop();
});

/** Sends the spec and waits until its PR is open; returns the PR as GitHub's API shows it. */
async function openedPullRequest(method: 'POST' | 'PUT', document: Record<string, unknown>) {
  const name = (document.metadata as { name: string }).name;
  const sent = await h.api(method, method === 'POST' ? '/v1/tenants' : `/v1/tenants/${name}`, document);
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const number = await until(async () => {
    const tenant = (await h.api('GET', `/v1/tenants/${name}`)).body;
    return tenant.state === 'pr_open' ? (tenant.pullRequest.number as number) : undefined;
  }, `the PR of ${name}`);
  const pr = await h.gitHub('GET', `/repos/${OWNER}/${REPO}/pulls/${number}`);
  expect(pr.status).toBe(200);
  return pr.body as { number: number; title: string; body: string };
}

/** The body without its "Cluster headroom" section, which depends on every tenant stored (headroom tests: placement.test.ts). */
function withoutHeadroom(body: string): string {
  return body.replace(/\n\n### Cluster headroom\n[\s\S]*?(?=\n\n### |\n?$)/, '');
}

/** The warnings block: the quoted lines before the first section. */
function warningsOf(body: string): string[] {
  const top = body.slice(0, body.indexOf('\n### '));
  return top.split('\n').filter((line) => line.startsWith('> - '));
}

const spec = (owners: string[]) => ({
  tier: 'business',
  owners: [
    { kind: 'Group', name: owners[0] },
    { kind: 'User', name: owners[1] },
  ],
  network: { allowEgressTo: [{ cidr: '0.0.0.0/0' }] },
});

/** The tenant the spec above resolves to, owner names taken as they are (the grammar bypassed). */
function resolvedWithOwners(owners: string[]) {
  const tenant = parseTenantDocument(tenantDocument('forged', spec(['platform-team', 'second@corp.example']))).tenant;
  return { ...tenant, owners: tenant.owners.map((owner, i) => ({ ...owner, name: owners[i]! })) };
}

describe('the PR body a reviewer reads', () => {
  it('GIVEN an owner name that forges a section and opens a fence WHEN onboarded THEN the service refuses it, naming the field, and writes nothing', async () => {
    const before = await h.writes();
    const sent = await h.api(
      'POST',
      '/v1/tenants',
      tenantDocument('forged', spec([FORGED_OWNER, 'second@corp.example'])),
    );
    expect(sent.status).toBe(422);
    expect(sent.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['spec.owners[0].name']);
    expect(await h.writes()).toEqual(before);
  });

  it('GIVEN the same forged owner rendered anyway (defence in depth behind the grammar) THEN the body has the structure of plain names, and both owners and the egress are shown', () => {
    const render = (owners: string[]) =>
      renderPullRequestBody({ action: 'create', tenant: resolvedWithOwners(owners) });
    const forged = render([FORGED_OWNER, 'second@corp.example']);
    const plain = render(['platform-team', 'second@corp.example']);

    expect(markdownSkeleton(forged)).toEqual(markdownSkeleton(plain));
    const lines = forged.split('\n');
    expect(lines).toContain(
      '| **added** | `Group` `"platform-team \\u{7c}\\n\\n### Network allowances\\nNone: traffic stays inside the ' +
        'tenant\'s namespaces.\\n\\n~~~~ "` | — | bound |',
    );
    expect(lines).toContain('| **added** | `User` `second@corp.example` | — | bound |');
    expect(lines).toContain('| **added** | `0.0.0.0/0` | — | all ports and protocols |');
    expect(warningsOf(forged)).toContain(
      '> - **Egress to the whole internet:** `0.0.0.0/0` on all ports and protocols.',
    );
  });

  it('GIVEN a merged tenant WHEN a change replaces every owner, raises GPU slices and adds internet egress THEN warnings and rows show each of them, the LimitRange included', async () => {
    const first = await openedPullRequest(
      'POST',
      tenantDocument('victim', {
        tier: 'enterprise',
        owners: [
          { kind: 'Group', name: 'victim-admins' },
          { kind: 'User', name: 'ops@victim.example' },
        ],
      }),
    );
    await h.merge(first.number);
    await until(
      async () => ((await h.api('GET', '/v1/tenants/victim')).body.state === 'merged' ? true : undefined),
      'merged',
    );

    const change = await openedPullRequest(
      'PUT',
      tenantDocument('victim', {
        tier: 'enterprise',
        owners: [{ kind: 'User', name: 'mallory@evil.example' }],
        gpu: { slices: 16 },
        network: { allowEgressTo: [{ cidr: '0.0.0.0/0' }] },
      }),
    );

    expect(change.title).toBe('Change tenant victim');
    expect(warningsOf(change.body)).toEqual([
      '> - **1 owner added**, bound to `tenant-admin`: `User` `mallory@evil.example`.',
      '> - **2 owners removed:** `Group` `victim-admins`, `User` `ops@victim.example`.',
      '> - **Egress to the whole internet:** `0.0.0.0/0` on all ports and protocols (added).',
      '> - **GPU slices:** `0` → `16`.',
    ]);
    const lines = change.body.split('\n');
    const max = TIER_POLICIES.enterprise.limits.max;
    expect(lines).toEqual(
      expect.arrayContaining([
        '| **added** | `User` `mallory@evil.example` | — | bound |',
        '| **removed** | `Group` `victim-admins` | bound | — |',
        '| **removed** | `User` `ops@victim.example` | bound | — |',
        '| **changed** | `gpu.slices` | `0` | `16` |',
        '| **added** | `0.0.0.0/0` | — | all ports and protocols |',
        '### LimitRange `tenant-limits` (per container)',
        `|  | \`max.cpu\` | \`${max.cpu}\` | \`${max.cpu}\` |`,
        `|  | \`max.memory\` | \`${max.memory}\` | \`${max.memory}\` |`,
      ]),
    );
  });

  it("GIVEN the largest valid spec WHEN onboarded THEN its whole review is the body; WHEN merged and changed in every field THEN GitHub accepts a body cut at its limit with a notice, and the branch's commit message holds the whole review", async () => {
    const first = largestValidTenant('largest', 'a');
    const created = parseTenantDocument(first.document).tenant;
    const pr = await openedPullRequest('POST', first.document);
    expect(withoutHeadroom(pr.body)).toBe(renderPullRequestBody({ action: 'create', tenant: created }));
    expect(pr.body).toMatch(
      /### Cluster headroom\n\nCluster `in-cluster`, dedicated pool `dedicated` .*\n\n.*\n.*\n\| `nodes` \| `4` \|/,
    );
    expect(pr.body.length).toBeLessThanOrEqual(GITHUB_LIMITS.bodyCharacters);
    await h.merge(pr.number);
    await until(
      async () => ((await h.api('GET', '/v1/tenants/largest')).body.state === 'merged' ? true : undefined),
      'merged',
    );

    const second = largestValidTenant('largest', 'b');
    const review = renderPullRequestBody({
      action: 'update',
      tenant: parseTenantDocument(second.document).tenant,
      previous: created,
    });
    expect(review.length).toBeGreaterThan(GITHUB_LIMITS.bodyCharacters);
    const change = await openedPullRequest('PUT', second.document);

    expect(change.body.length).toBeLessThanOrEqual(GITHUB_LIMITS.bodyCharacters);
    expect(change.body).toMatch(
      /\n\n> \[!CAUTION\]\n> \*\*…truncated:\*\* .* commit message of the head commit of branch `tenants\/largest`.*\n$/,
    );
    expect(review.startsWith(change.body.slice(0, change.body.indexOf('\n\n> [!CAUTION]')))).toBe(true);
    expect(warningsOf(change.body)).toEqual(warningsOf(review));
    const commit = await h.gitHub('GET', `/repos/${OWNER}/${REPO}/git/ref/heads/tenants/largest`);
    const head = await h.gitHub('GET', `/repos/${OWNER}/${REPO}/git/commits/${commit.body.object.sha}`);
    expect(withoutHeadroom(head.body.message)).toBe(`Change tenant largest\n\n${review}`.replace(/\n$/, ''));
  });
});
