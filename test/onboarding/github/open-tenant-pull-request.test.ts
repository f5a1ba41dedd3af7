import { describe, expect, it } from 'vitest';
import { openTenantPullRequest, type TenantChange } from '../../../src/onboarding/github/index.ts';
import { CALL, READ_MAIN, startHarness, type Harness, useHarnessPerTest } from '../../fixtures/github-harness.ts';

function onboarding(overrides: Partial<TenantChange> = {}): TenantChange {
  return {
    tenant: 'acme',
    action: 'create',
    files: new Map([
      ['tenants/acme.yaml', 'apiVersion: tenants.gitops.dev/v1\nkind: Tenant\nmetadata:\n  name: acme\n'],
      ['overlays/acme/tenant.json', '{"tenant":"acme"}\n'],
      ['argocd/tenants/acme.yaml', 'kind: AppProject\n'],
    ]),
    deletePaths: [],
    title: 'Onboard tenant acme',
    body: 'Tier: free',
    labels: ['tenant', 'tenant:create'],
    ...overrides,
  };
}

describe('openTenantPullRequest against the local GitHub server', () => {
  let h: Harness;
  useHarnessPerTest((started) => {
    h = started;
  });

  it('commits the files as ONE commit on tenants/<name> on top of main and opens a labelled PR', async () => {
    // GIVEN a platform repository with one commit on main
    const main = await h.repo.git('rev-parse', 'main');
    // WHEN the tenant's change is opened
    const pr = await openTenantPullRequest(h.client(), onboarding());
    // THEN the calls are exactly these, in order
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef, // tenants/acme is new, so it has no PR to look for
      CALL.createPull,
      CALL.addLabels,
    ]);
    expect(pr).toMatchObject({ number: 1, created: true });
    // AND the branch holds one commit whose parent is main and whose tree is main's plus the files
    expect(await h.repo.git('rev-parse', 'tenants/acme')).toBe(pr.headSha);
    expect(await h.repo.git('rev-list', '--count', 'main..tenants/acme')).toBe('1');
    expect(await h.repo.git('rev-parse', 'tenants/acme^')).toBe(main);
    const files = await h.repo.files('tenants/acme');
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'argocd/tenants/acme.yaml',
      'overlays/acme/tenant.json',
      'overlays/old/kustomization.yaml',
      'overlays/old/tenant.json',
      'overlays/other/tenant.json',
      'tenants/acme.yaml',
      'tenants/old.yaml',
    ]);
    expect(files.get('overlays/acme/tenant.json')).toBe('{"tenant":"acme"}\n');
    expect(await h.repo.git('log', '-1', '--format=%s', 'tenants/acme')).toBe('Onboard tenant acme');
    // AND the PR targets main from tenants/acme with the labels
    const [stored] = h.server.pulls();
    expect(stored).toMatchObject({
      head: 'tenants/acme',
      base: 'main',
      state: 'open',
      title: 'Onboard tenant acme',
      body: 'Tier: free',
    });
    expect(stored?.labels.map((l) => l.name)).toEqual(['tenant', 'tenant:create']);
  });

  it('re-running the same change returns the same PR (created: false), keeps the commit and never opens a second PR', async () => {
    // GIVEN the change was opened once
    const first = await openTenantPullRequest(h.client(), onboarding());
    h.server.takeCalls();
    // WHEN it runs again with a new title
    const again = await openTenantPullRequest(h.client(), onboarding({ title: 'Onboard tenant acme (retry)' }));
    // THEN it finds the identical commit on the branch and updates the open PR instead of opening one
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef, // 422: the branch exists
      CALL.getRef,
      CALL.getCommit, // same tree, same parent: the branch keeps its commit
      CALL.listPulls,
      CALL.updatePull,
      CALL.addLabels,
    ]);
    expect(again).toEqual({ ...first, created: false });
    expect(h.server.pulls()).toHaveLength(1);
    expect(h.server.pulls()[0]?.title).toBe('Onboard tenant acme (retry)');
  });

  it('rebuilds the branch on the new main when main moved, in the same PR', async () => {
    // GIVEN an open PR, then someone else merges to main
    const first = await openTenantPullRequest(h.client(), onboarding());
    const moved = await h.repo.commitOnMain(
      { 'overlays/other/tenant.json': '{"tenant":"other","tier":"business"}\n' },
      'Change other',
    );
    h.server.takeCalls();
    // WHEN the change is opened again
    const again = await openTenantPullRequest(h.client(), onboarding());
    // THEN a new commit on the new main replaces the old one (force move), and the PR is reused
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef, // 422: the branch exists
      CALL.getRef,
      CALL.getCommit, // parent is the old main: not reusable
      CALL.updateRef,
      CALL.listPulls,
      CALL.updatePull,
      CALL.addLabels,
    ]);
    expect(again.number).toBe(first.number);
    expect(again.created).toBe(false);
    expect(again.headSha).not.toBe(first.headSha);
    expect(await h.repo.git('rev-parse', 'tenants/acme^')).toBe(moved);
    expect(await h.repo.git('rev-list', '--count', 'main..tenants/acme')).toBe('1');
    // AND main's newer content is kept under the tenant's change
    expect((await h.repo.files('tenants/acme')).get('overlays/other/tenant.json')).toContain('business');
    expect(h.server.pulls()).toHaveLength(1);
  });

  it('deletes single files and whole folders (trailing slash), ignoring paths that do not exist', async () => {
    // WHEN an offboarding change removes tenant old
    const pr = await openTenantPullRequest(
      h.client(),
      onboarding({
        tenant: { name: 'old' },
        action: 'offboard',
        files: new Map(),
        deletePaths: ['tenants/old.yaml', 'overlays/old/', 'argocd/tenants/old.yaml'],
        title: 'Offboard tenant old',
        labels: ['tenant:offboard'],
      }),
    );
    // THEN the tree is listed once to expand the folder, and the commit drops exactly those files
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.getTree,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef,
      CALL.createPull,
      CALL.addLabels,
    ]);
    expect(pr.created).toBe(true);
    expect([...(await h.repo.files('tenants/old')).keys()].sort()).toEqual(['README.md', 'overlays/other/tenant.json']);
    expect(await h.repo.git('diff', '--name-status', 'main', 'tenants/old')).toBe(
      ['D\toverlays/old/kustomization.yaml', 'D\toverlays/old/tenant.json', 'D\ttenants/old.yaml'].join('\n'),
    );
  });

  it('completes with one PR after a crash between the commit and the PR', async () => {
    // GIVEN a run that dies when opening the PR (the branch commit already exists)
    h.server.injectFault({ method: 'POST', template: '/repos/{owner}/{repo}/pulls', kind: 'bad-gateway', times: 1 });
    await expect(openTenantPullRequest(h.client({ retries: 0 }), onboarding())).rejects.toThrow(
      /^tenant-gitops: GitHub answered 502 while opening the PR of tenants\/acme/,
    );
    const committed = await h.repo.git('rev-parse', 'tenants/acme');
    expect(h.server.pulls()).toHaveLength(0);
    h.server.takeCalls();
    // WHEN the request runs again
    const pr = await openTenantPullRequest(h.client(), onboarding());
    // THEN the commit is reused and exactly one PR is opened
    expect(h.server.takeCalls()).toEqual([
      ...READ_MAIN,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef, // 422: the branch exists
      CALL.getRef,
      CALL.getCommit,
      CALL.listPulls,
      CALL.createPull,
      CALL.addLabels,
    ]);
    expect(pr).toMatchObject({ created: true, headSha: committed });
    expect(h.server.pulls()).toHaveLength(1);
    expect(h.server.pendingFaults()).toEqual([]);
  });

  it('names the failing step when GitHub refuses (unknown repository)', async () => {
    // GIVEN a client for a repository the server does not have
    const { createGitHubClient } = await import('../../../src/onboarding/github/index.ts');
    const gh = createGitHubClient({
      auth: 't',
      baseUrl: h.server.url,
      owner: 'acme-platform',
      repo: 'missing',
      throttle: false,
    });
    // THEN the error says what was being done and GitHub's status
    await expect(openTenantPullRequest(gh, onboarding())).rejects.toThrow(
      'tenant-gitops: GitHub answered 404 while reading repository acme-platform/missing',
    );
    h.server.takeCalls();
  });
});

describe('openTenantPullRequest run concurrently for the same tenant', () => {
  it('ten runs at once end with one PR and the branch one commit ahead of main', async () => {
    const h = await startHarness();
    try {
      // WHEN the same change is opened ten times at once
      const results = await Promise.all(
        Array.from({ length: 10 }, () => openTenantPullRequest(h.client(), onboarding())),
      );
      // THEN every run names the same PR, and exactly one run created it
      expect(new Set(results.map((r) => r.number)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(h.server.pulls()).toHaveLength(1);
      expect(await h.repo.git('rev-list', '--count', 'main..tenants/acme')).toBe('1');
      h.server.assertNoViolations();
    } finally {
      await h.close();
    }
  });
});
