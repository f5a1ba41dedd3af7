import { describe, expect, it } from 'vitest';
import {
  commentOnPullRequest,
  isSameOrDescendant,
  openTenantPullRequest,
  readDefaultBranchFile,
} from '../../../src/onboarding/github/index.ts';
import { CALL, type Harness, useHarnessPerTest } from '../../fixtures/github-harness.ts';

describe('reads and comments used by the service', () => {
  let h: Harness;
  useHarnessPerTest((started) => {
    h = started;
  });

  it('readDefaultBranchFile returns the file on main, and null when absent', async () => {
    const gh = h.client();
    expect(await readDefaultBranchFile(gh, 'tenants/old.yaml')).toBe(
      'apiVersion: tenants.gitops.dev/v1\nkind: Tenant\nmetadata:\n  name: old\n',
    );
    expect(await readDefaultBranchFile(gh, 'tenants/nobody.yaml')).toBeNull();
    expect(h.server.takeCalls()).toEqual([CALL.getContent, CALL.getContent]);
  });

  it('readDefaultBranchFile refuses a folder', async () => {
    await expect(readDefaultBranchFile(h.client(), 'overlays/old')).rejects.toThrow(
      'tenant-gitops: overlays/old on the default branch is not a file',
    );
    h.server.takeCalls();
  });

  it('isSameOrDescendant: the merge commit and later commits count, earlier and unknown ones do not', async () => {
    // GIVEN a merged tenant PR and a later commit on main
    const gh = h.client();
    const before = await h.repo.git('rev-parse', 'main');
    const pr = await openTenantPullRequest(gh, {
      tenant: 'acme',
      action: 'create',
      files: new Map([['tenants/acme.yaml', 'x\n']]),
      deletePaths: [],
      title: 't',
      body: 'b',
      labels: [],
    });
    const merge = await h.server.mergePullRequest(pr.number);
    const later = await h.repo.commitOnMain({ 'README.md': '# later\n' }, 'later');
    h.server.takeCalls();
    // THEN
    expect(await isSameOrDescendant(gh, merge, merge)).toBe(true);
    expect(await isSameOrDescendant(gh, merge, later)).toBe(true);
    expect(await isSameOrDescendant(gh, merge, before)).toBe(false);
    expect(await isSameOrDescendant(gh, merge, pr.headSha)).toBe(false);
    expect(await isSameOrDescendant(gh, merge, 'f'.repeat(40))).toBe(false);
    // (identical shas need no call)
    expect(h.server.takeCalls()).toEqual([CALL.compare, CALL.compare, CALL.compare, CALL.compare]);
  });

  it('commentOnPullRequest posts on the PR', async () => {
    const gh = h.client();
    const pr = await openTenantPullRequest(gh, {
      tenant: 'acme',
      action: 'create',
      files: new Map([['tenants/acme.yaml', 'x\n']]),
      deletePaths: [],
      title: 't',
      body: 'b',
      labels: [],
    });
    h.server.takeCalls();
    const comment = await commentOnPullRequest(gh, pr.number, 'Tenant acme is provisioned.');
    expect(h.server.takeCalls()).toEqual([CALL.createComment]);
    expect(comment.url).toContain(`/pull/${pr.number}#issuecomment-`);
    expect(h.server.pulls()[0]?.comments).toBe(1);
    await expect(commentOnPullRequest(gh, 99, 'x')).rejects.toThrow(
      'tenant-gitops: GitHub answered 404 while commenting on PR #99',
    );
    h.server.takeCalls();
  });
});
