// The order in which the service asks ArgoCD to act on a merge (cluster/prompt-argocd.ts
// decidePrompt, pure): the platform Application and the tenant cluster's platform Application first,
// the ApplicationSet only once the tenant's AppProject exists (asked earlier it refuses the
// Application and retries 3 minutes later) and the cluster's Application has compared the merge
// (its sync makes the Namespaces the tenant's first sync needs), then the
// Application's refresh, and a sync operation only when RollingSync left automated sync off and no
// operation runs. The real-ArgoCD proof is test/e2e/onboarding/onboarding-argocd.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decidePrompt, type ArgoObservation } from '../../../src/onboarding/cluster/index.ts';

const MERGE = 'm'.repeat(40);
const BEFORE = 'b'.repeat(40);
const current = (revision: string | null) => revision === MERGE;

function application(overrides: Partial<NonNullable<ArgoObservation['application']>> = {}) {
  return {
    revision: MERGE,
    sync: 'OutOfSync',
    health: 'Missing',
    refreshPending: false,
    operationInProgress: false,
    automatedSync: false,
    resourceVersion: '7',
    syncOptions: ['ServerSideApply=true'],
    retry: undefined,
    prune: true,
    ...overrides,
  };
}

const fresh: ArgoObservation = {
  platform: { revision: BEFORE, refreshPending: false },
  clusterPlatform: { name: 'cluster-east', revision: BEFORE, refreshPending: false },
  appProjectExists: false,
  applicationSet: { refreshPending: false },
  application: null,
};

const clusterAtMerge = { name: 'cluster-east', revision: MERGE, refreshPending: false };

describe('decidePrompt', () => {
  it("GIVEN a merge ArgoCD has not seen WHEN the AppProject does not exist THEN only the platform Application and the cluster's are refreshed, never the ApplicationSet", () => {
    expect(decidePrompt(fresh, current)).toEqual({
      actions: ['refresh-platform', 'refresh-cluster-platform'],
      waitingFor: 'the platform Application to create the AppProject',
    });
  });

  it('GIVEN a platform refresh ArgoCD has not consumed yet WHEN asked again THEN nothing is written twice', () => {
    const seen = {
      ...fresh,
      platform: { revision: BEFORE, refreshPending: true },
      clusterPlatform: { name: 'cluster-east', revision: BEFORE, refreshPending: true },
    };
    expect(decidePrompt(seen, current).actions).toEqual([]);
  });

  it("GIVEN the AppProject exists but the cluster's Application has not compared the merge THEN the ApplicationSet waits: the tenant's namespaces are not there yet", () => {
    const seen = { ...fresh, platform: { revision: MERGE, refreshPending: false }, appProjectExists: true };
    expect(decidePrompt(seen, current)).toEqual({
      actions: ['refresh-cluster-platform'],
      waitingFor: 'the Application cluster-east to compare the merge commit',
    });
    expect(decidePrompt({ ...seen, clusterPlatform: null }, current)).toEqual({
      actions: [],
      waitingFor: "the cluster's platform Application (not found)",
    });
  });

  it("GIVEN the AppProject exists and the cluster's Application compared the merge, no Application yet THEN the ApplicationSet is asked to re-read git", () => {
    const seen = {
      ...fresh,
      platform: { revision: MERGE, refreshPending: false },
      clusterPlatform: { name: 'cluster-east', revision: MERGE, refreshPending: false },
      appProjectExists: true,
    };
    expect(decidePrompt(seen, current)).toEqual({
      actions: ['refresh-applicationset'],
      waitingFor: 'the ApplicationSet to create the Application',
    });
  });

  it('GIVEN the Application compared a commit before the merge THEN it and the ApplicationSet are refreshed, no sync yet', () => {
    const seen = {
      ...fresh,
      platform: { revision: MERGE, refreshPending: false },
      clusterPlatform: clusterAtMerge,
      appProjectExists: true,
      application: application({ revision: BEFORE, sync: 'Synced', health: 'Healthy' }),
    };
    expect(decidePrompt(seen, current).actions).toEqual(['refresh-application', 'refresh-applicationset']);
  });

  it('GIVEN the Application OutOfSync at the merge with automated sync off (RollingSync) THEN a sync operation is set', () => {
    const seen = {
      ...fresh,
      platform: { revision: MERGE, refreshPending: false },
      clusterPlatform: clusterAtMerge,
      appProjectExists: true,
      application: application(),
    };
    expect(decidePrompt(seen, current)).toEqual({
      actions: ['sync-application'],
      waitingFor: 'the sync operation to finish',
    });
  });

  it('GIVEN automated sync on, or an operation already running THEN no sync operation is set', () => {
    const base = {
      ...fresh,
      platform: { revision: MERGE, refreshPending: false },
      clusterPlatform: clusterAtMerge,
      appProjectExists: true,
    };
    expect(decidePrompt({ ...base, application: application({ automatedSync: true }) }, current).actions).toEqual([]);
    expect(decidePrompt({ ...base, application: application({ operationInProgress: true }) }, current).actions).toEqual(
      [],
    );
  });

  it('GIVEN the Application Synced at the merge THEN nothing is asked, the tenant waits for health', () => {
    const seen = {
      ...fresh,
      platform: { revision: MERGE, refreshPending: false },
      clusterPlatform: clusterAtMerge,
      appProjectExists: true,
      application: application({ sync: 'Synced', health: 'Progressing' }),
    };
    expect(decidePrompt(seen, current)).toEqual({
      actions: [],
      waitingFor: 'the Application to become Healthy (Progressing, Synced)',
    });
  });

  it("PROPERTY: whatever is seen, the ApplicationSet is never asked for an Application whose AppProject is missing or whose cluster's Application has not compared the merge, and a sync is only set on a current, manual, idle, OutOfSync Application", () => {
    const revision = fc.constantFrom(MERGE, BEFORE, null);
    const seen = fc.record({
      platform: fc.option(fc.record({ revision, refreshPending: fc.boolean() }), { nil: null }),
      clusterPlatform: fc.option(
        fc.record({ name: fc.constant('cluster-east'), revision, refreshPending: fc.boolean() }),
        {
          nil: null,
        },
      ),
      appProjectExists: fc.boolean(),
      applicationSet: fc.option(fc.record({ refreshPending: fc.boolean() }), { nil: null }),
      application: fc.option(
        fc.record({
          revision,
          sync: fc.constantFrom('Synced', 'OutOfSync', 'Unknown'),
          health: fc.constantFrom('Healthy', 'Progressing', 'Degraded', 'Missing'),
          refreshPending: fc.boolean(),
          operationInProgress: fc.boolean(),
          automatedSync: fc.boolean(),
          resourceVersion: fc.constant('1'),
          syncOptions: fc.constant<string[]>([]),
          retry: fc.constant(undefined),
          prune: fc.boolean(),
        }),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(seen, (s) => {
        const { actions } = decidePrompt(s, current);
        if (s.application === null && (!s.appProjectExists || s.clusterPlatform?.revision !== MERGE))
          expect(actions).not.toContain('refresh-applicationset');
        if (actions.includes('sync-application')) {
          expect(s.application).not.toBeNull();
          expect(s.application!.revision).toBe(MERGE);
          expect(s.application!.sync).toBe('OutOfSync');
          expect(s.application!.automatedSync).toBe(false);
          expect(s.application!.operationInProgress).toBe(false);
        }
        if (s.platform?.refreshPending) expect(actions).not.toContain('refresh-platform');
        if (s.clusterPlatform?.refreshPending) expect(actions).not.toContain('refresh-cluster-platform');
        if (s.application?.refreshPending) expect(actions).not.toContain('refresh-application');
        expect(new Set(actions).size).toBe(actions.length);
      }),
    );
  });
});
