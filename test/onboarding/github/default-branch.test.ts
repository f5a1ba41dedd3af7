import { describe, expect, it } from 'vitest';
import { openTenantPullRequest, type TenantChange } from '../../../src/onboarding/github/index.ts';
import { CALL, type Harness, useHarnessPerTest } from '../../fixtures/github-harness.ts';

function onboarding(name: string): TenantChange {
  return {
    tenant: name,
    action: 'create',
    files: new Map([[`tenants/${name}.yaml`, `metadata:\n  name: ${name}\n`]]),
    deletePaths: [],
    title: `Onboard tenant ${name}`,
    body: 'Tier: free',
    labels: [],
  };
}

describe('one client, many changes: what is read about main', () => {
  let h: Harness;
  useHarnessPerTest((started) => {
    h = started;
  });

  it('reads the repository and main head commit once, then only the ref, and a moved main once more', async () => {
    // GIVEN a client that already opened one change
    const gh = h.client();
    await openTenantPullRequest(gh, onboarding('first'));
    h.server.takeCalls();
    // WHEN it opens a second change while main is where it was
    await openTenantPullRequest(gh, onboarding('second'));
    // THEN the default branch's name and its head's tree come from memory: one ref read
    expect(h.server.takeCalls()).toEqual([
      CALL.getRef,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef,
      CALL.createPull,
    ]);
    // WHEN main moves and a third change comes
    const moved = await h.repo.commitOnMain({ 'README.md': '# moved\n' }, 'Move main');
    const third = await openTenantPullRequest(gh, onboarding('third'));
    // THEN the new head commit is read (its tree is new) and the branch sits on the moved main
    expect(h.server.takeCalls()).toEqual([
      CALL.getRef,
      CALL.getCommit,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef,
      CALL.createPull,
    ]);
    expect(await h.repo.git('rev-parse', `${third.headSha}^`)).toBe(moved);
    expect((await h.repo.files('tenants/third')).get('README.md')).toBe('# moved\n');
  });
});
