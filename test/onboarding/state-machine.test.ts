// The tenant life cycle table: the path the issue describes is allowed, shortcuts are not, and
// only the transitions the backend cares about produce a callback.
import { describe, expect, it } from 'vitest';
import { canTransition, eventFor } from '../../src/onboarding/state-machine.ts';
import { TENANT_STATES } from '../../src/onboarding/store/types.ts';

describe('tenant state machine', () => {
  it('GIVEN the onboarding path WHEN walked THEN every step is allowed', () => {
    const path = [
      null,
      'requested',
      'pr_open',
      'merged',
      'provisioned',
      'degraded',
      'provisioned',
      'offboarding',
      'deleted',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1] ?? null, path[i]!)).toBe(true);
  });

  it('GIVEN a shortcut WHEN checked THEN it is refused', () => {
    expect(canTransition('requested', 'provisioned')).toBe(false);
    expect(canTransition('pr_open', 'provisioned')).toBe(false);
    expect(canTransition('deleted', 'provisioned')).toBe(false);
    expect(canTransition(null, 'pr_open')).toBe(false);
    expect(canTransition('rejected', 'provisioned')).toBe(false);
  });

  it('GIVEN every state WHEN it is reached THEN exactly the six announced transitions produce callbacks', () => {
    const events = new Set(
      TENANT_STATES.flatMap((to) => TENANT_STATES.map((from) => eventFor(from, to))).filter(Boolean),
    );
    expect([...events].sort()).toEqual([
      'tenant.degraded',
      'tenant.deleted',
      'tenant.failed',
      'tenant.pr_opened',
      'tenant.provisioned',
      'tenant.rejected',
    ]);
    expect(eventFor('pr_open', 'pr_open')).toBeNull();
    expect(eventFor('degraded', 'degraded')).toBeNull();
    expect(eventFor('pr_open', 'failed')).toBe('tenant.failed');
  });
});
