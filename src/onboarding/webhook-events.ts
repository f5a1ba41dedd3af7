// What a signed pull_request delivery does: names the tenant whose PR GitHub should be asked about
// (pull-request-reconciler.ts decides on GitHub's answer, never on the body). Deliveries are stored
// before GitHub gets its answer and processed here afterwards, in the tenant's queue; a crash in
// between is resumed at start-up from the unprocessed deliveries.
import { z } from 'zod';
import type { ServiceContext } from './context.ts';
import { tenantOfBranch } from '../tenant/names.ts';
import { reconcilePullRequest } from './pull-request-reconciler.ts';
import type { StoredDelivery } from './store/types.ts';

/**
 * The part of GitHub's pull_request event the service reads: which repository, which PR and branch.
 * Whether it merged, and as what, is read from GitHub itself (pull-request-reconciler.ts).
 */
export const PullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }),
});

/** The tenant a delivery concerns, or null when it concerns none (the delivery is then just recorded). */
export function tenantOfDelivery(delivery: Pick<StoredDelivery, 'event' | 'payload'>): string | null {
  if (delivery.event !== 'pull_request') return null;
  const parsed = PullRequestEventSchema.safeParse(delivery.payload);
  if (!parsed.success) return null;
  return tenantOfBranch(parsed.data.pull_request.head.ref);
}

/** GitHub compares owner and repository names without regard to case. */
function isRepository(fullName: string, repository: string): boolean {
  return fullName.toLowerCase() === repository.toLowerCase();
}

export async function processDelivery(context: ServiceContext, delivery: StoredDelivery): Promise<void> {
  const parsed = PullRequestEventSchema.safeParse(delivery.payload);
  const done = () => context.store.deliveries.markProcessed(delivery.id, context.now().toISOString());
  if (delivery.event !== 'pull_request' || !parsed.success || parsed.data.action !== 'closed') return done();
  const event = parsed.data;
  const log = context.log.child({ delivery: delivery.id, pr: event.pull_request.number });
  // An organisation webhook signs every repository's events with the same secret.
  if (!isRepository(event.repository.full_name, context.github.repository)) {
    log.warn(
      { repository: event.repository.full_name, expected: context.github.repository },
      'delivery is about another repository; ignored',
    );
    return done();
  }
  const name = tenantOfBranch(event.pull_request.head.ref);
  const tenant = name ? context.store.tenants.get(name) : null;
  if (!tenant || tenant.pullRequest?.number !== event.pull_request.number) {
    log.info({ tenant: name }, "closed PR is not a tenant's current PR; ignored");
    return done();
  }
  // The delivery only says "look again": what changes is decided by the PR as GitHub holds it.
  try {
    await reconcilePullRequest(context, tenant.name, `delivery ${delivery.id}`);
  } catch (error) {
    log.warn(
      { tenant: tenant.name, error },
      'cannot check the PR now (GitHub or the store failed); the reconciler will check it again',
    );
  }
  done();
}
