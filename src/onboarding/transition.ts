// Applies one state transition: row insert (a tenant's first request) or update, history entry,
// outbox event, all in one transaction, and one log line (tenant, from, to, reason) once that
// transaction commits (a rolled-back transition is never reported). Refuses
// transitions the state machine does not allow.
import { ConflictError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { canTransition, eventFor } from './state-machine.ts';
import type { TenantStore } from './store/index.ts';
import type { TenantPatch } from './store/tenants.ts';
import type { TenantRecord, TenantState } from './store/types.ts';

export interface TransitionRequest {
  tenant: string;
  to: TenantState;
  reason: string;
  actor?: string | null;
  patch?: TenantPatch;
  /** More for the callback this transition sends (the deletion record of tenant.deleted). */
  event?: Record<string, unknown>;
  /** The new tenant's row when it is not stored yet (its first request); its state is `to`. */
  create?: Omit<TenantRecord, 'name' | 'state' | 'createdAt' | 'updatedAt'>;
}

/** Must run inside store.transaction. Returns the updated record. */
export function applyTransition(
  store: TenantStore,
  log: Logger,
  now: string,
  request: TransitionRequest,
): TenantRecord {
  const current = store.tenants.get(request.tenant);
  if (!current && !request.create) throw new Error(`tenant-gitops: tenant ${request.tenant} is not in the store`);
  const from = current?.state ?? null;
  if (!canTransition(from, request.to)) {
    throw new ConflictError(
      `tenant ${request.tenant} cannot go from ${from} to ${request.to} (${request.reason}); wait for the current change to finish`,
    );
  }
  let updated: TenantRecord;
  if (current) {
    updated = store.tenants.update(request.tenant, { ...request.patch, state: request.to, updatedAt: now });
  } else {
    updated = {
      ...request.create!,
      ...request.patch,
      name: request.tenant,
      state: request.to,
      createdAt: now,
      updatedAt: now,
    };
    store.tenants.insert(updated);
  }
  store.history.append(request.tenant, {
    from,
    to: request.to,
    reason: request.reason,
    actor: request.actor ?? null,
    at: now,
  });
  const event = eventFor(from, request.to);
  if (event)
    store.outbox.append(request.tenant, event, { ...eventPayload(updated, request.reason), ...request.event }, now);
  store.afterCommit(() =>
    log.info({ tenant: request.tenant, from, to: request.to, reason: request.reason }, 'tenant state changed'),
  );
  return updated;
}

/** What a callback carries: enough for the backend to act without calling back. */
export function eventPayload(tenant: TenantRecord, reason: string): Record<string, unknown> {
  return {
    name: tenant.name,
    state: tenant.state,
    reason,
    pullRequest: tenant.pullRequest,
    mergeCommit: tenant.mergeSha,
    at: tenant.updatedAt,
  };
}
