// The loop that prompts ArgoCD for merged tenants (sync-prompter.ts), with a recording cluster
// port: which tenants get rounds, how a compared revision is judged (the merge commit at once, any
// other through GitHub's compare, asked once), when it stops, and that it can be switched off.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/shared/log.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import type { ServiceContext } from '../../src/onboarding/context.ts';
import { SyncPrompter } from '../../src/onboarding/sync-prompter.ts';
import type { PlacedTenant } from '../../src/onboarding/ports.ts';
import type { TenantState } from '../../src/onboarding/store/types.ts';
import { until } from '../fixtures/until.ts';

const MERGE = 'a'.repeat(40);
const LATER = 'c'.repeat(40);
const BEFORE = 'b'.repeat(40);

function setUp(states: Record<string, TenantState>) {
  const rounds: { tenant: string; answers: boolean[] }[] = [];
  const compares: string[] = [];
  const context = {
    log: silentLogger,
    queue: new KeyedQueue(),
    store: {
      tenants: {
        namesInStates: (wanted: readonly TenantState[]) =>
          Object.keys(states).filter((n) => wanted.includes(states[n]!)),
        get: (name: string) =>
          states[name] ? { name, state: states[name], mergeSha: MERGE, document: { cluster: 'east' } } : undefined,
      },
    },
    spec: { parse: (document: { cluster: string }) => ({ document, tenant: { cluster: document.cluster } }) },
    github: {
      isSameOrDescendant: async (ancestor: string, sha: string) => {
        compares.push(sha);
        return ancestor === MERGE && sha === LATER;
      },
    },
    cluster: {
      promptArgoCD: async (tenant: PlacedTenant, current: (revision: string) => Promise<boolean>) => {
        // The round names the tenant's cluster, from its spec.
        expect(tenant.cluster).toBe('east');
        rounds.push({
          tenant: tenant.name,
          answers: [await current(MERGE), await current(LATER), await current(BEFORE)],
        });
        return { actions: [], waitingFor: 'test' };
      },
    },
  } as unknown as ServiceContext;
  return { context, rounds, compares };
}

describe('SyncPrompter', () => {
  it('GIVEN one merged tenant and one provisioned WHEN rounds run THEN only the merged one is prompted, the merge commit is current without asking GitHub, and GitHub is asked once per other revision', async () => {
    const states: Record<string, TenantState> = { fresh: 'merged', done: 'provisioned' };
    const { context, rounds, compares } = setUp(states);
    const prompter = new SyncPrompter(context, { intervalMs: 10_000 });
    prompter.promptAll();
    await context.queue.drain();
    expect(rounds).toEqual([{ tenant: 'fresh', answers: [true, true, false] }]);
    // The next round is not due yet (one interval per tenant) ...
    prompter.promptAll();
    await context.queue.drain();
    expect(rounds).toHaveLength(1);
    expect(compares.sort()).toEqual([BEFORE, LATER]);
  });

  it('GIVEN a short interval THEN rounds repeat until the tenant leaves merged, and GitHub is not asked again', async () => {
    const states: Record<string, TenantState> = { fresh: 'merged' };
    const { context, rounds, compares } = setUp(states);
    const prompter = new SyncPrompter(context, { intervalMs: 500 });
    prompter.start();
    try {
      await until(() => (rounds.length >= 3 ? true : undefined), 'three rounds', 10_000, 50);
      states['fresh'] = 'provisioned';
      await context.queue.drain();
      const after = rounds.length;
      await new Promise((r) => setTimeout(r, 1_200));
      expect(rounds.length).toBe(after);
      expect(compares).toHaveLength(2);
    } finally {
      prompter.stop();
    }
  });

  it('GIVEN the prompter switched off, or no cluster THEN ArgoCD is never prompted', async () => {
    const { context, rounds } = setUp({ fresh: 'merged' });
    const off = new SyncPrompter(context, { enabled: false, intervalMs: 500 });
    off.start();
    const noCluster = new SyncPrompter({ ...context, cluster: null }, { intervalMs: 500 });
    noCluster.start();
    await new Promise((r) => setTimeout(r, 800));
    off.stop();
    noCluster.stop();
    expect(rounds).toEqual([]);
  });

  it('GIVEN a merge ArgoCD never provisions WHEN giveUpAfterMs has passed THEN no more rounds (ArgoCD polls on its own)', async () => {
    const { context, rounds } = setUp({ stuck: 'merged' });
    const prompter = new SyncPrompter(context, { intervalMs: 500, giveUpAfterMs: 1_000 });
    prompter.start();
    try {
      await until(() => (rounds.length >= 2 ? true : undefined), 'two rounds', 10_000, 50);
      await new Promise((r) => setTimeout(r, 2_000));
      const settled = rounds.length;
      await new Promise((r) => setTimeout(r, 1_200));
      expect(rounds.length).toBe(settled);
    } finally {
      prompter.stop();
    }
  });
});
