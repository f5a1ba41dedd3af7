// The tenant life cycle as data: which transitions are allowed, and which of them the product
// backend hears about. Pure: the service applies transitions through transition.ts.
//
//   requested → pr_open → merged → provisioned ⇄ degraded
//   pr_open → rejected (PR closed unmerged)      any request → failed (GitHub refused for good)
//   provisioned/degraded/merged → pr_open (change) or offboarding → deleted
import type { EventType, TenantState } from './store/types.ts';

const ALLOWED: Record<TenantState, readonly TenantState[]> = {
  requested: ['pr_open', 'failed', 'requested'],
  pr_open: ['pr_open', 'requested', 'merged', 'rejected', 'failed'],
  merged: ['provisioned', 'degraded', 'requested', 'offboarding'],
  provisioned: ['degraded', 'requested', 'offboarding'],
  degraded: ['provisioned', 'degraded', 'requested', 'offboarding'],
  rejected: ['requested', 'merged'],
  failed: ['requested', 'offboarding'],
  // An offboarding PR closed unmerged leaves the tenant as it was: merged, then re-evaluated.
  offboarding: ['offboarding', 'merged', 'deleted', 'failed'],
  deleted: ['requested'],
};

export function canTransition(from: TenantState | null, to: TenantState): boolean {
  if (from === null) return to === 'requested';
  return ALLOWED[from].includes(to);
}

/** The callback a transition produces, if the backend cares about it. */
export function eventFor(from: TenantState | null, to: TenantState): EventType | null {
  switch (to) {
    case 'pr_open':
      return from === 'pr_open' ? null : 'tenant.pr_opened';
    case 'provisioned':
      return 'tenant.provisioned';
    case 'rejected':
      return 'tenant.rejected';
    case 'degraded':
      return from === 'degraded' ? null : 'tenant.degraded';
    case 'failed':
      return from === 'failed' ? null : 'tenant.failed';
    case 'deleted':
      return 'tenant.deleted';
    default:
      return null;
  }
}

/** Whether the Application status means provisioned (the revision check is separate: it needs git). */
export function isHealthyAndSynced(status: { health: string; sync: string }): boolean {
  return status.health === 'Healthy' && status.sync === 'Synced';
}

/** States in which Application status changes are meaningful for the tenant. */
export const WATCHED_STATES: readonly TenantState[] = ['merged', 'provisioned', 'degraded'];

/** States that can take a new create/update request. */
export const ACCEPTS_CHANGE: readonly TenantState[] = [
  'requested',
  'pr_open',
  'merged',
  'provisioned',
  'degraded',
  'rejected',
  'failed',
  'deleted',
];
