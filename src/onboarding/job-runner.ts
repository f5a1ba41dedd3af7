// Runs the jobs a tenant has pending, oldest first, inside that tenant's queue. A job that fails
// for a reason that may pass (GitHub 5xx or rate limit, the cluster unreachable) is retried with
// exponential backoff; after maxAttempts, or at once for a refusal that will not change, the
// tenant is marked failed. resumeAll() at start-up picks up whatever a crash left pending.
import { InputError, TenantBusyError } from '../shared/errors.ts';
import { backoffDelay, type ServiceContext } from './context.ts';
import type { Job, JobKind } from './store/types.ts';
import { applyTransition } from './transition.ts';
import { LOOP_BACKOFF, type BackgroundHealth } from './background-health.ts';

/** A tenant another replica held for too long is tried again after this. */
const BUSY_RETRY_MS = 5_000;

export type JobHandler = (context: ServiceContext, job: Job) => Promise<void>;

export class JobRunner {
  readonly #handlers: Record<JobKind, JobHandler>;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #health: BackgroundHealth | undefined;
  #context: ServiceContext | undefined;
  #stopped = false;
  #failures = 0;

  constructor(handlers: Record<JobKind, JobHandler>, health?: BackgroundHealth) {
    this.#handlers = handlers;
    this.#health = health;
  }

  attach(context: ServiceContext): void {
    this.#context = context;
  }

  /** Runs the tenant's due jobs; the caller must already hold the tenant's queue slot. */
  async runDue(tenant: string): Promise<void> {
    const context = this.#requireContext();
    for (const job of context.store.jobs.pendingFor(tenant)) {
      if (this.#stopped) return;
      const wait = job.nextAttemptAt - context.now().getTime();
      if (wait > 0) {
        this.#retryLater(tenant, wait);
        return;
      }
      const ok = await this.#runOne(context, job);
      // Jobs of a tenant run in order: a later one waits for an earlier one that must retry.
      if (!ok) return;
    }
  }

  /**
   * Runs the tenant's due jobs in its queue. A store error (disk full, a locked file) leaves the
   * jobs pending: it is reported, and the tenant is tried again after a backoff.
   */
  schedule(tenant: string): void {
    const context = this.#requireContext();
    void context.queue
      .run(tenant, () => this.runDue(tenant))
      .then(
        () => {
          this.#failures = 0;
          this.#health?.recovered('jobs');
        },
        (error: unknown) => {
          // Another replica works on the tenant: not a fault; it is looked at again later.
          if (error instanceof TenantBusyError) return this.#retryLater(tenant, BUSY_RETRY_MS);
          this.#failures++;
          this.#health?.failed('jobs', error);
          const delay = backoffDelay(LOOP_BACKOFF, this.#failures);
          context.log.error({ tenant, error, retryInMs: delay }, 'jobs could not run; will retry');
          this.#retryLater(tenant, delay);
        },
      );
  }

  resumeAll(): void {
    for (const tenant of this.#requireContext().store.jobs.tenantsWithPending()) this.schedule(tenant);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #runOne(context: ServiceContext, job: Job): Promise<boolean> {
    const log = context.log.child({ tenant: job.tenant, job: job.kind, jobId: job.id, attempt: job.attempts + 1 });
    try {
      await this.#handlers[job.kind](context, job);
      context.store.jobs.markDone(job.id, context.now().toISOString());
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = job.attempts + 1;
      const now = context.now();
      if (isPermanent(error) || attempts >= context.jobRetry.maxAttempts) {
        log.error({ error }, 'job failed for good');
        context.store.transaction(() => {
          context.store.jobs.markFailed(job.id, message, now.toISOString());
          const tenant = context.store.tenants.get(job.tenant);
          if (tenant && tenant.state !== 'failed' && job.kind !== 'comment_provisioned') {
            applyTransition(context.store, context.log, now.toISOString(), {
              tenant: job.tenant,
              to: 'failed',
              reason: `${job.kind} failed after ${attempts} attempt(s): ${message}`,
            });
          }
        });
        return true;
      }
      const delay = backoffDelay(context.jobRetry, attempts);
      log.warn({ error, retryInMs: delay }, 'job failed; will retry');
      context.store.jobs.markRetry(job.id, now.getTime() + delay, message, now.toISOString());
      this.#retryLater(job.tenant, delay);
      return false;
    }
  }

  #retryLater(tenant: string, delayMs: number): void {
    if (this.#stopped || this.#timers.has(tenant)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(tenant);
      this.schedule(tenant);
    }, delayMs);
    timer.unref();
    this.#timers.set(tenant, timer);
  }

  #requireContext(): ServiceContext {
    if (!this.#context) throw new Error('tenant-gitops: the job runner was used before the service attached it');
    return this.#context;
  }
}

/** Refusals that a retry cannot change: bad input, a failed backup, and GitHub's 4xx other than rate limits. */
function isPermanent(error: unknown): boolean {
  if (error instanceof InputError) return true;
  // A failure that says so itself (a Velero backup that ended Failed).
  if ((error as { permanent?: unknown } | null)?.permanent === true) return true;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== 'number') return false;
  return status >= 400 && status < 500 && status !== 403 && status !== 408 && status !== 409 && status !== 429;
}
