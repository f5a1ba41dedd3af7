import { describe, expect, it } from 'vitest';
import { openTenantPullRequest } from '../../../src/onboarding/github/index.ts';
import { CALL, READ_MAIN, type Harness, useHarnessPerTest } from '../../fixtures/github-harness.ts';

const change = {
  tenant: 'acme',
  action: 'create' as const,
  files: new Map([['tenants/acme.yaml', 'name: acme\n']]),
  deletePaths: [],
  title: 'Onboard tenant acme',
  body: 'body',
  labels: ['tenant'],
};

describe('retries and rate limits (plugin-retry, plugin-throttling)', () => {
  let h: Harness;
  useHarnessPerTest((started) => {
    h = started;
  });

  it('a 502 on the commit and a secondary rate limit on the tree are retried, ending with one PR', async () => {
    // GIVEN GitHub answers the first commit with 502 and the first tree with a secondary rate limit
    h.server.injectFault({
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/commits',
      kind: 'bad-gateway',
      times: 1,
    });
    h.server.injectFault({
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/trees',
      kind: 'secondary-rate-limit',
      retryAfter: 1,
      times: 1,
    });
    // WHEN the change is opened with throttling on (as in production)
    const pr = await openTenantPullRequest(h.client({ throttle: true }), change);
    // THEN each failed call was made again, and everything else exactly once
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.createTree,
      CALL.createTree, // secondary rate limit, then retried after retry-after
      CALL.createCommit,
      CALL.createCommit, // 502, then retried
      CALL.createRef,
      CALL.createPull,
      CALL.addLabels,
    ]);
    expect(h.server.pendingFaults()).toEqual([]);
    expect(pr.created).toBe(true);
    expect(h.server.pulls()).toHaveLength(1);
    expect(await h.repo.git('rev-list', '--count', 'main..tenants/acme')).toBe('1');
  });

  it('gives up after the configured number of retries with the step named in the error', async () => {
    // GIVEN the tree endpoint fails more often than the client retries
    h.server.injectFault({
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/trees',
      kind: 'bad-gateway',
      times: 2,
    });
    // WHEN the client allows one retry
    const attempt = openTenantPullRequest(h.client({ retries: 1 }), change);
    // THEN it fails naming the step and the status, after exactly two attempts, with no PR
    await expect(attempt).rejects.toThrow('tenant-gitops: GitHub answered 502 while creating a tree on ');
    expect(h.server.takeCalls()).toEqual([...READ_MAIN, CALL.createTree, CALL.createTree]);
    expect(h.server.pulls()).toHaveLength(0);
  });
});
