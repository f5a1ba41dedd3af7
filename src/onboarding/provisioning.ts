// Turns Application status changes (from the cluster watch) into tenant states: provisioned when
// the Application is Healthy and Synced at the merge commit or a later commit, degraded when it is
// Degraded. The latest status is stored on the tenant, so a merge webhook that arrives after the
// Application turned Healthy still finds it.
import type { ServiceContext } from './context.ts';
import type { ApplicationStatusReport } from './ports.ts';
import { isHealthyAndSynced, WATCHED_STATES } from './state-machine.ts';
import type { TenantRecord } from './store/types.ts';
import { applyTransition } from './transition.ts';

/** Records the status and moves the tenant; runs in the tenant's queue. */
export async function recordApplicationStatus(context: ServiceContext, status: ApplicationStatusReport): Promise<void> {
  const tenant = context.store.tenants.get(status.tenant);
  if (!tenant) {
    context.log.debug(
      { tenant: status.tenant, application: status.application },
      'Application of an unknown tenant ignored',
    );
    return;
  }
  const observedAt = status.observedAt ?? context.now().toISOString();
  const updated = context.store.tenants.update(tenant.name, {
    application: { health: status.health, sync: status.sync, revision: status.revision, observedAt },
  });
  await evaluateProvisioning(context, updated);
}

/** Decides provisioned/degraded from the stored Application status. */
export async function evaluateProvisioning(context: ServiceContext, tenant: TenantRecord): Promise<void> {
  const app = tenant.application;
  if (!app || !tenant.mergeSha || !WATCHED_STATES.includes(tenant.state)) return;
  if (app.health === 'Degraded') {
    if (tenant.state === 'degraded') return;
    transition(
      context,
      tenant,
      'degraded',
      `Application is Degraded (sync ${app.sync}, revision ${app.revision ?? 'unknown'})`,
    );
    return;
  }
  if (!isHealthyAndSynced(app) || !app.revision || tenant.state === 'provisioned') return;
  const atOrAfterMerge =
    app.revision === tenant.mergeSha || (await context.github.isSameOrDescendant(tenant.mergeSha, app.revision));
  if (!atOrAfterMerge) {
    context.log.debug(
      { tenant: tenant.name, revision: app.revision, merge: tenant.mergeSha },
      'Healthy at a revision before the merge',
    );
    return;
  }
  transition(context, tenant, 'provisioned', `Application Healthy and Synced at ${app.revision}`, {
    revision: app.revision,
  });
}

function transition(
  context: ServiceContext,
  tenant: TenantRecord,
  to: 'provisioned' | 'degraded',
  reason: string,
  comment?: { revision: string },
): void {
  const now = context.now().toISOString();
  context.store.transaction(() => {
    applyTransition(context.store, context.log, now, { tenant: tenant.name, to, reason });
    if (comment) context.store.jobs.enqueue(tenant.name, 'comment_provisioned', comment, now);
  });
  context.wakeOutbox();
  if (comment) context.scheduleJobs(tenant.name);
}
