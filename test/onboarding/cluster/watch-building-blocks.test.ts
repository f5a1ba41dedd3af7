// The pure parts of the Application watch: backoff and the Application subset (per-tenant ordering
// is test/shared/keyed-queue.test.ts).
// (No control plane needed; the watch itself is proven against the real one in watch-applications.)
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../src/onboarding/cluster/application-status.ts';
import { Backoff } from '../../../src/onboarding/cluster/backoff.ts';

describe('Backoff', () => {
  it('GIVEN repeated failures WHEN asking for delays THEN they double, carry jitter and never pass maxMs', () => {
    const lowest = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0);
    const highest = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.999999);
    const low = Array.from({ length: 6 }, () => lowest.next());
    const high = Array.from({ length: 6 }, () => highest.next());
    expect(low).toEqual([50, 100, 200, 400, 500, 500]);
    expect(high).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('GIVEN a successful reconnect WHEN reset THEN the next delay starts from initialMs again', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('GIVEN nonsense bounds THEN it refuses them', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10 })).toThrow(/maxMs/);
  });
});

describe('parseApplication', () => {
  const at = '2026-01-01T00:00:00.000Z';
  it('GIVEN an Application synced at a revision THEN it reads tenant, health, sync and revision', () => {
    const parsed = parseApplication(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'tenant-acme', resourceVersion: '7', labels: { 'tenants.gitops.dev/tenant': 'acme' } },
        spec: { project: 'tenant-acme' },
        status: { health: { status: 'Healthy' }, sync: { status: 'Synced', revision: 'abc123' } },
      },
      at,
    );
    expect(parsed).toEqual({
      ok: true,
      resourceVersion: '7',
      status: {
        tenant: 'acme',
        application: 'tenant-acme',
        health: 'Healthy',
        sync: 'Synced',
        revision: 'abc123',
        observedAt: at,
      },
    });
  });

  it('GIVEN a new Application without status THEN health and sync are Unknown and revision null', () => {
    const parsed = parseApplication(
      { metadata: { name: 'tenant-a', labels: { 'tenants.gitops.dev/tenant': 'a' } } },
      at,
    );
    expect(parsed.ok && parsed.status).toMatchObject({ health: 'Unknown', sync: 'Unknown', revision: null });
  });

  it('GIVEN a multi-source Application THEN the first source revision is used', () => {
    const parsed = parseApplication(
      {
        metadata: { name: 'tenant-a', labels: { 'tenants.gitops.dev/tenant': 'a' } },
        status: { sync: { status: 'Synced', revisions: ['r1', 'r2'] } },
      },
      at,
    );
    expect(parsed.ok && parsed.status.revision).toBe('r1');
  });

  it('GIVEN malformed objects THEN they are refused with the field that is wrong', () => {
    const noLabel = parseApplication({ metadata: { name: 'x' } }, at);
    expect(noLabel).toEqual({ ok: false, name: 'x', problem: expect.stringContaining('tenants.gitops.dev/tenant') });
    const badHealth = parseApplication(
      { metadata: { name: 'y', labels: { 'tenants.gitops.dev/tenant': 'y' } }, status: { health: { status: 42 } } },
      at,
    );
    expect(badHealth).toEqual({ ok: false, name: 'y', problem: expect.stringContaining('status.health.status') });
    expect(parseApplication(null, at)).toMatchObject({ ok: false, name: undefined });
  });
});
