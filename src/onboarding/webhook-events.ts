// What a verified pull_request delivery does to a tenant. Deliveries are stored before GitHub gets
// its answer and processed here afterwards, in the tenant's queue; a crash in between is resumed
// at start-up from the unprocessed deliveries.
import { z } from 'zod';
import type { ServiceContext } from './context.ts';
import { tenantOfBranch } from '../tenant/names.ts';
import { evaluateProvisioning } from './provisioning.ts';
import type { StoredDelivery } from './store/types.ts';
import { applyTransition } from './transition.ts';

/** The part of GitHub's pull_request event the service reads. */
export const PullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    html_url: z.string(),
    merged: z.boolean().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    head: z.object({ ref: z.string(), sha: z.string() }),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

/** The tenant a delivery concerns, or null when it concerns none (the delivery is then just recorded). */
export function tenantOfDelivery(delivery: Pick<StoredDelivery, 'event' | 'payload'>): string | null {
  if (delivery.event !== 'pull_request') return null;
  const parsed = PullRequestEventSchema.safeParse(delivery.payload);
  if (!parsed.success) return null;
  return tenantOfBranch(parsed.data.pull_request.head.ref);
}

export async function processDelivery(context: ServiceContext, delivery: StoredDelivery): Promise<void> {
  const parsed = PullRequestEventSchema.safeParse(delivery.payload);
  const done = () => context.store.deliveries.markProcessed(delivery.id, context.now().toISOString());
  if (delivery.event !== 'pull_request' || !parsed.success || parsed.data.action !== 'closed') return done();
  const event = parsed.data;
  const name = tenantOfBranch(event.pull_request.head.ref);
  const tenant = name ? context.store.tenants.get(name) : null;
  if (!tenant || tenant.pullRequest?.number !== event.pull_request.number) {
    context.log.info(
      { delivery: delivery.id, pr: event.pull_request.number, tenant: name },
      "closed PR is not a tenant's current PR; ignored",
    );
    return done();
  }
  const now = context.now().toISOString();
  const pr = `PR #${event.pull_request.number}`;
  const merged = event.pull_request.merged === true && Boolean(event.pull_request.merge_commit_sha);
  let evaluate = false;
  context.store.transaction(() => {
    const log = context.log.child({ delivery: delivery.id });
    if (merged && tenant.state === 'offboarding') {
      applyTransition(context.store, log, now, {
        tenant: tenant.name,
        to: 'offboarding',
        reason: `offboarding ${pr} merged as ${event.pull_request.merge_commit_sha}`,
        patch: { mergeSha: event.pull_request.merge_commit_sha ?? null },
      });
      context.store.jobs.enqueue(tenant.name, 'offboard_cluster', {}, now);
    } else if (merged && tenant.state === 'pr_open') {
      applyTransition(context.store, log, now, {
        tenant: tenant.name,
        to: 'merged',
        reason: `${pr} merged as ${event.pull_request.merge_commit_sha}`,
        patch: { mergeSha: event.pull_request.merge_commit_sha ?? null },
      });
      evaluate = true;
    } else if (!merged && tenant.state === 'pr_open') {
      applyTransition(context.store, log, now, {
        tenant: tenant.name,
        to: 'rejected',
        reason: `${pr} closed without merge`,
      });
      if (tenant.mergeSha) {
        // A refused change leaves the tenant as it was merged before.
        applyTransition(context.store, log, now, {
          tenant: tenant.name,
          to: 'merged',
          reason: `back to merge ${tenant.mergeSha}`,
        });
        evaluate = true;
      }
    } else if (!merged && tenant.state === 'offboarding') {
      applyTransition(context.store, log, now, {
        tenant: tenant.name,
        to: 'merged',
        reason: `offboarding ${pr} closed without merge; tenant kept`,
        patch: { action: 'update', offboardRequestedBy: null, offboardRequestedAt: null },
      });
      evaluate = true;
    } else {
      log.info({ tenant: tenant.name, state: tenant.state, merged }, 'closed PR does not change the tenant');
    }
    done();
  });
  context.wakeOutbox();
  context.scheduleJobs(tenant.name);
  if (evaluate) {
    const current = context.store.tenants.get(tenant.name);
    if (current) await evaluateProvisioning(context, current);
  }
}
