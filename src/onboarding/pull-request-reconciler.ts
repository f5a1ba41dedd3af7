// What a tenant's PR did, decided on GitHub's word alone. A webhook delivery only asks for this
// check (webhook-events.ts); the reconciler asks for it at start and then periodically for every
// tenant waiting on a PR, so a delivery that is lost, refused or forged can delay a transition but
// never cause or lose one. The PR is read with GET /pulls/{number} before anything changes, always
// before a deletion, and it must be the PR the service opened: its branch, the head the service
// pushed, and the default branch as its base.
import type { ServiceContext } from './context.ts';
import type { PullRequestTruth } from './github/index.ts';
import { evaluateProvisioning } from './provisioning.ts';
import type { TenantRecord, TenantState } from './store/types.ts';
import { applyTransition } from './transition.ts';
import { tenantsForRound, type BackgroundHealth } from './background-health.ts';
import { tenantBranch } from '../tenant/names.ts';

/** States in which a tenant waits on its PR. */
export const AWAITING_PULL_REQUEST: readonly TenantState[] = ['pr_open', 'offboarding'];

/** Checks the tenant's current PR on GitHub and applies what GitHub says happened to it. */
export async function reconcilePullRequest(context: ServiceContext, name: string, source: string): Promise<void> {
  const tenant = context.store.tenants.get(name);
  if (!tenant || !AWAITING_PULL_REQUEST.includes(tenant.state) || !tenant.pullRequest) return;
  const log = context.log.child({ tenant: name, pr: tenant.pullRequest.number, source });
  const truth = await context.github.readPullRequest(tenant.pullRequest.number);
  if (truth.state === 'open' || (truth.merged && truth.mergeCommitSha === null)) {
    log.debug({}, 'PR still open on GitHub; nothing to do');
    return;
  }
  // An offboarding merge already recorded: its clean-up job is queued (a cluster deletion can take
  // minutes, over many rounds) and must not be queued again.
  if (truth.merged && truth.mergeCommitSha === tenant.mergeSha) return;
  const evaluate = context.store.transaction(() => applyOutcome(context, tenant, truth, log));
  context.wakeOutbox();
  context.scheduleJobs(name);
  if (evaluate) {
    const current = context.store.tenants.get(name);
    if (current) await evaluateProvisioning(context, current);
  }
}

/** Why a closed PR cannot be taken as the service's change, or null when it can. */
function foreignPullRequest(tenant: TenantRecord, truth: PullRequestTruth): string | null {
  if (truth.headRef !== tenantBranch(tenant.name))
    return `its branch is ${truth.headRef}, not ${tenantBranch(tenant.name)}`;
  if (truth.merged && tenant.headSha !== null && truth.headSha !== tenant.headSha)
    return `it was merged with head ${truth.headSha}, but the service pushed ${tenant.headSha}`;
  return null;
}

/** Applies the outcome in one transaction; true when provisioning must be evaluated after it. */
function applyOutcome(
  context: ServiceContext,
  tenant: TenantRecord,
  truth: PullRequestTruth,
  log: ServiceContext['log'],
): boolean {
  const now = context.now().toISOString();
  const pr = `PR #${truth.number}`;
  const foreign = foreignPullRequest(tenant, truth);
  if (foreign !== null) {
    applyTransition(context.store, log, now, {
      tenant: tenant.name,
      to: 'failed',
      reason: `${pr} is not the change the service opened: ${foreign}; check ${truth.baseRef}'s history by hand, then request the change again`,
    });
    return false;
  }
  // Merged anywhere but the default branch, main did not change: as good as closed unmerged.
  const merged = truth.merged && truth.baseRef === truth.defaultBranch;
  const unmerged = truth.merged ? `merged into ${truth.baseRef}, not ${truth.defaultBranch}` : 'closed without merge';
  if (merged && tenant.state === 'offboarding') {
    applyTransition(context.store, log, now, {
      tenant: tenant.name,
      to: 'offboarding',
      reason: `offboarding ${pr} merged as ${truth.mergeCommitSha}`,
      patch: { mergeSha: truth.mergeCommitSha },
    });
    context.store.jobs.enqueue(tenant.name, 'offboard_cluster', { mergedBy: truth.mergedBy }, now);
    return false;
  }
  if (merged) {
    applyTransition(context.store, log, now, {
      tenant: tenant.name,
      to: 'merged',
      reason: `${pr} merged as ${truth.mergeCommitSha}`,
      patch: { mergeSha: truth.mergeCommitSha },
    });
    return true;
  }
  if (tenant.state === 'offboarding') {
    applyTransition(context.store, log, now, {
      tenant: tenant.name,
      to: 'merged',
      reason: `offboarding ${pr} ${unmerged}; tenant kept`,
      patch: { action: 'update', offboardRequestedBy: null, offboardRequestedAt: null },
    });
    return true;
  }
  applyTransition(context.store, log, now, { tenant: tenant.name, to: 'rejected', reason: `${pr} ${unmerged}` });
  if (!tenant.mergeSha) return false;
  // A refused change leaves the tenant as it was merged before.
  applyTransition(context.store, log, now, {
    tenant: tenant.name,
    to: 'merged',
    reason: `back to merge ${tenant.mergeSha}`,
  });
  return true;
}

/**
 * Every tenant waiting on a PR, checked against GitHub in its own queue: once at start (what
 * happened while the service was down) and every `intervalMs` (a delivery GitHub never sent, or
 * one the service could not take). A tenant already waiting for its check is not queued twice.
 */
export class PullRequestReconciler {
  readonly #context: ServiceContext;
  readonly #intervalMs: number;
  readonly #waiting = new Set<string>();
  readonly #health: BackgroundHealth | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(context: ServiceContext, intervalMs: number, health?: BackgroundHealth) {
    this.#context = context;
    this.#intervalMs = intervalMs;
    this.#health = health;
  }

  start(): void {
    this.checkAll();
    this.#timer = setInterval(() => this.checkAll(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  checkAll(): void {
    const names = tenantsForRound(
      this.#context,
      this.#health,
      'reconciler',
      AWAITING_PULL_REQUEST,
      'the tenants waiting on a PR',
    );
    if (!names) return;
    for (const name of names) this.#check(name);
  }

  #check(name: string): void {
    if (this.#waiting.has(name)) return;
    this.#waiting.add(name);
    void this.#context.queue
      .run(name, () => {
        this.#waiting.delete(name);
        return reconcilePullRequest(this.#context, name, 'reconciler');
      })
      .catch((error: unknown) =>
        this.#context.log.warn({ tenant: name, error }, 'reconciler could not check the PR; trying again later'),
      );
  }
}
