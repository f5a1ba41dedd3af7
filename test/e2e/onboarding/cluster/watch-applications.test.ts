// The tenant Application watch against the real control plane: Applications created and their
// status patched the way ArgoCD's controllers do it (no ArgoCD needed for these).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { watchTenantApplications, type ApplicationStatus } from '../../../../src/onboarding/cluster/index.ts';
import {
  controlPlaneKubeConfig,
  createApplication,
  forceDeleteApplication,
  setApplicationStatus,
  uniqueTenant,
} from '../../../fixtures/argocd-applications.ts';
import { recordingLogger, waitFor } from '../../support/recorder.ts';

let kc: KubeConfig;
const created: string[] = [];

beforeAll(() => {
  kc = controlPlaneKubeConfig();
});
afterAll(async () => {
  for (const name of created) await forceDeleteApplication(kc, name);
});

async function create(name: string, tenant?: string): Promise<void> {
  created.push(name);
  await createApplication(kc, { name, tenant });
}

describe('watchTenantApplications', () => {
  it('GIVEN a running watch WHEN an Application goes Progressing then Healthy+Synced at a revision THEN onChange sees each state in order, and the deletion', async () => {
    const tenant = uniqueTenant('w');
    const application = `tenant-${tenant}`;
    const seen: ApplicationStatus[] = [];
    const deleted: string[] = [];
    const { log } = recordingLogger();
    const watch = watchTenantApplications({
      kubeConfig: kc,
      log,
      onChange: (s) => {
        seen.push(s);
      },
      onDelete: (t) => {
        deleted.push(t);
      },
    });
    try {
      await watch.ready;
      // WHEN
      await create(application, tenant);
      await create(`untracked-${tenant}`); // no tenant label: must never be reported
      await setApplicationStatus(kc, application, { health: 'Progressing', sync: 'OutOfSync' });
      await setApplicationStatus(kc, application, { health: 'Healthy', sync: 'Synced', revision: 'c0ffee1' });
      await waitFor(() => seen.some((s) => s.health === 'Healthy'), 20_000, 'the Healthy status');

      // THEN
      const mine = seen
        .filter((s) => s.tenant === tenant)
        .map(({ application: a, health, sync, revision }) => ({ a, health, sync, revision }));
      expect(mine).toEqual([
        { a: application, health: 'Unknown', sync: 'Unknown', revision: null },
        { a: application, health: 'Progressing', sync: 'OutOfSync', revision: null },
        { a: application, health: 'Healthy', sync: 'Synced', revision: 'c0ffee1' },
      ]);
      expect(seen.some((s) => s.application === `untracked-${tenant}`)).toBe(false);
      expect(seen.every((s) => !Number.isNaN(Date.parse(s.observedAt)))).toBe(true);

      await forceDeleteApplication(kc, application);
      await waitFor(() => deleted.includes(tenant), 20_000, 'the deletion');
    } finally {
      await watch.stop();
    }
  });

  it('GIVEN Applications that exist before the watch starts THEN the first list delivers each once, and ready waits for it', async () => {
    const tenants = [uniqueTenant('pa'), uniqueTenant('pb')];
    for (const t of tenants) await create(`tenant-${t}`, t);
    await setApplicationStatus(kc, `tenant-${tenants[0]}`, { health: 'Healthy', sync: 'Synced', revision: 'aaa' });
    const seen: ApplicationStatus[] = [];
    const watch = watchTenantApplications({
      kubeConfig: kc,
      log: recordingLogger().log,
      onChange: (s) => {
        seen.push(s);
      },
      relistIntervalMs: 500,
    });
    try {
      await watch.ready;
      // Several relists later, unchanged Applications are still reported exactly once.
      await new Promise((r) => setTimeout(r, 1800));
      const mine = seen.filter((s) => tenants.includes(s.tenant));
      expect(mine.map((s) => `${s.tenant}:${s.health}`).sort()).toEqual(
        [`${tenants[0]}:Healthy`, `${tenants[1]}:Unknown`].sort(),
      );
    } finally {
      await watch.stop();
    }
  });

  it('GIVEN a handler that fails once WHEN the next relist runs THEN the same status is delivered again', async () => {
    const tenant = uniqueTenant('r');
    let calls = 0;
    const { log, records } = recordingLogger();
    const watch = watchTenantApplications({
      kubeConfig: kc,
      log,
      relistIntervalMs: 700,
      onChange: (s) => {
        if (s.tenant !== tenant) return;
        calls++;
        if (calls === 1) throw new Error('database briefly unavailable');
      },
    });
    try {
      await watch.ready;
      await create(`tenant-${tenant}`, tenant);
      await waitFor(() => calls >= 2, 10_000, 'the redelivery');
      expect(records.some((r) => r.level === 'error' && r.tenant === tenant && r.msg.includes('handler failed'))).toBe(
        true,
      );
    } finally {
      await watch.stop();
    }
  });

  it('GIVEN one tenant whose handler is slow THEN its events stay in order and another tenant is not held up', async () => {
    const slow = uniqueTenant('s');
    const fast = uniqueTenant('f');
    const order: string[] = [];
    const watch = watchTenantApplications({
      kubeConfig: kc,
      log: recordingLogger().log,
      onChange: async (s) => {
        if (s.tenant === slow) await new Promise((r) => setTimeout(r, 400));
        if (s.tenant === slow || s.tenant === fast) order.push(`${s.tenant}:${s.health}`);
      },
    });
    try {
      await watch.ready;
      await create(`tenant-${slow}`, slow);
      await setApplicationStatus(kc, `tenant-${slow}`, { health: 'Progressing', sync: 'OutOfSync' });
      await setApplicationStatus(kc, `tenant-${slow}`, { health: 'Healthy', sync: 'Synced', revision: 'b1' });
      await create(`tenant-${fast}`, fast);
      await waitFor(() => order.filter((o) => o.startsWith(slow)).length === 3, 15_000, 'the slow tenant');
      expect(order.filter((o) => o.startsWith(slow))).toEqual([
        `${slow}:Unknown`,
        `${slow}:Progressing`,
        `${slow}:Healthy`,
      ]);
      expect(order.indexOf(`${fast}:Unknown`)).toBeLessThan(order.indexOf(`${slow}:Healthy`));
    } finally {
      await watch.stop();
    }
  });

  it('GIVEN relistIntervalMs passed through as undefined THEN the 60 s default applies (no relist storm), and nonsense intervals are refused', async () => {
    const { log, records } = recordingLogger();
    const watch = watchTenantApplications({ kubeConfig: kc, log, onChange: () => {}, relistIntervalMs: undefined });
    try {
      await watch.ready;
      await new Promise((r) => setTimeout(r, 500));
      expect(records.filter((r) => r.msg === 'starting application informer').map((r) => r.reason)).toEqual(['start']);
    } finally {
      await watch.stop();
    }
    expect(() => watchTenantApplications({ kubeConfig: kc, log, onChange: () => {}, relistIntervalMs: 0 })).toThrow(
      /relistIntervalMs must be at least 100 ms/,
    );
  });
});
