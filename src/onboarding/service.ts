// The onboarding service without its HTTP layer: requests, webhook intake, Application status,
// tokens, and the background parts (job runner, outbox dispatcher). Built from injected edges so
// the same code runs in production, in the sandbox and in tests against local servers.
import type { KeyObject } from 'node:crypto';
import { ClusterNotConfiguredError, NotFoundError, NotProvisionedError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { BackgroundHealth } from './background-health.ts';
import { placedTenant, type RetryPolicy, type ServiceContext } from './context.ts';
import { JOB_HANDLERS } from './job-handlers.ts';
import { JobRunner } from './job-runner.ts';
import { KeyedQueue } from '../shared/keyed-queue.ts';
import { OutboxDispatcher, type CallbackTarget } from './outbox-dispatcher.ts';
import type { ApplicationStatusReport, ChangePort, ClusterPort, GitHubPort, SpecPort, VaultPort } from './ports.ts';
import { recordApplicationStatus } from './provisioning.ts';
import { TenantRequests } from './requests.ts';
import type { AuditRecord, TenantStore } from './store/index.ts';
import { pageOf, tenantListPage, tenantView, type TenantListPage, type TenantListQuery } from './views.ts';
import { PullRequestReconciler } from './pull-request-reconciler.ts';
import { SyncPrompter, type SyncPrompterOptions } from './sync-prompter.ts';
import { tenantKeyLock } from './tenant-lock.ts';
import { processDelivery, tenantOfDelivery } from './webhook-events.ts';

/** On a shared store, how often the background holder looks for work another replica left. */
const RESUME_INTERVAL_MS = 2_000;

export interface OnboardingServiceOptions {
  store: TenantStore;
  spec: SpecPort;
  change: ChangePort;
  github: GitHubPort;
  cluster?: ClusterPort | null;
  /** Where an offboarding removes the tenant's Vault role, policy and secrets. */
  vault?: VaultPort | null;
  /** Signs each offboarding's deletion record (Ed25519); absent: records are kept unsigned. */
  deletionSigningKey?: KeyObject | null;
  callback?: CallbackTarget | null;
  log: Logger;
  jobRetry?: Partial<RetryPolicy>;
  callbackRetry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>>;
  outboxPollIntervalMs?: number;
  /** 2: an offboarding waits for a second token's approval. @default 1 */
  offboardApprovals?: 1 | 2;
  /** How often every tenant waiting on a PR is checked against GitHub. @default 60_000 */
  reconcileIntervalMs?: number;
  /** How a merged tenant's ArgoCD objects are prompted (only with a cluster). */
  prompter?: SyncPrompterOptions;
  now?: () => Date;
}

export class OnboardingService {
  readonly requests: TenantRequests;
  /** The background loops' state: /readyz and /metrics read it. */
  readonly health = new BackgroundHealth();
  readonly #context: ServiceContext;
  readonly #jobs: JobRunner;
  readonly #dispatcher: OutboxDispatcher | null;
  readonly #reconciler: PullRequestReconciler;
  readonly #prompter: SyncPrompter;
  readonly #queuedDeliveries = new Set<string>();
  #background = false;
  #resumeTimer: NodeJS.Timeout | undefined;

  constructor(options: OnboardingServiceOptions) {
    this.#jobs = new JobRunner(JOB_HANDLERS, this.health);
    this.#dispatcher = options.callback
      ? new OutboxDispatcher({
          store: options.store,
          target: options.callback,
          log: options.log.child({ component: 'outbox' }),
          retry: { baseDelayMs: 1000, maxDelayMs: 60_000, ...options.callbackRetry },
          pollIntervalMs: options.outboxPollIntervalMs,
          health: this.health,
        })
      : null;
    this.#context = {
      store: options.store,
      log: options.log,
      now: options.now ?? (() => new Date()),
      queue: new KeyedQueue(tenantKeyLock(options.store, options.log)),
      spec: options.spec,
      change: options.change,
      github: options.github,
      cluster: options.cluster ?? null,
      vault: options.vault ?? null,
      deletionSigningKey: options.deletionSigningKey ?? null,
      jobRetry: { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 10, ...options.jobRetry },
      wakeOutbox: () => this.#dispatcher?.wake(),
      scheduleJobs: (tenant) => this.#jobs.schedule(tenant),
    };
    this.#jobs.attach(this.#context);
    this.#reconciler = new PullRequestReconciler(this.#context, options.reconcileIntervalMs ?? 60_000, this.health);
    this.#prompter = new SyncPrompter(this.#context, options.prompter, this.health);
    this.requests = new TenantRequests(this.#context, this.#jobs, options.offboardApprovals ?? 1);
  }

  get store(): TenantStore {
    return this.#context.store;
  }

  /**
   * Resumes what a previous run left: pending jobs, unprocessed webhook deliveries, the outbox, and
   * every PR that may have closed while the service was down (the reconciler, then periodically).
   */
  start(): void {
    this.startBackground();
  }

  /**
   * The background loops: the outbox, the reconciler, the ArgoCD prompter and the resumption of
   * left work. One replica runs them (the Lease's holder, index.ts); every replica serves the API.
   * On a shared store the holder also picks up, every RESUME_INTERVAL_MS, what another replica
   * left (a job or a delivery of a replica that died); the tenant locks keep it from running
   * anything twice at once.
   */
  startBackground(): void {
    if (this.#background) return;
    this.#background = true;
    this.#resume();
    this.#dispatcher?.start();
    this.#reconciler.start();
    this.#prompter.start();
    if (this.#context.store.tenantLocks) {
      this.#resumeTimer = setInterval(() => this.#resume(), RESUME_INTERVAL_MS);
      this.#resumeTimer.unref();
    }
  }

  /** Stops the background loops (leadership lost); the API, and its requests' own jobs, go on. */
  async stopBackground(): Promise<void> {
    if (!this.#background) return;
    this.#background = false;
    clearInterval(this.#resumeTimer);
    this.#reconciler.stop();
    this.#prompter.stop();
    await this.#dispatcher?.stop();
  }

  async stop(): Promise<void> {
    await this.stopBackground();
    this.#jobs.stop();
    await this.#context.queue.drain();
  }

  /** Work a previous run, or another replica, left: unprocessed deliveries and pending jobs. */
  #resume(): void {
    try {
      for (const delivery of this.#context.store.deliveries.unprocessed()) this.#queueDelivery(delivery);
      this.#jobs.resumeAll();
    } catch (error) {
      // The store failed; the next round (or the next start) tries again.
      this.#context.log.error({ error }, 'cannot resume left work now (the store failed); will retry');
    }
  }

  /** Waits until every queued request, job and event handler has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.#context.queue.drain();
  }

  getTenant(name: string): Record<string, unknown> {
    const tenant = this.#context.store.tenants.get(name);
    if (!tenant) throw new NotFoundError(`tenant ${name} does not exist`);
    return tenantView(this.#context.store, tenant, true, this.#context.now());
  }

  listTenants(query: TenantListQuery): TenantListPage {
    return tenantListPage(this.#context.store, query, this.#context.now());
  }

  /** Appends one audit record, stamped now. */
  audit(record: Omit<AuditRecord, 'id' | 'at'>): void {
    this.#context.store.audit.append({ ...record, at: this.#context.now().toISOString() });
  }

  /**
   * One page of the audit log, oldest first; records the caller may not see are left out, so a page
   * may hold fewer than `limit`. Reads one record past the page to know if more follow.
   */
  auditPage(query: { tenant?: string; after: number; limit: number; visible: (tenant: string | null) => boolean }): {
    records: AuditRecord[];
    nextAfter: number | null;
  } {
    const rows = this.#context.store.audit.page({ tenant: query.tenant, after: query.after, limit: query.limit + 1 });
    const { items, nextAfter } = pageOf(
      rows,
      query.limit,
      (record) => record.id,
      (record) => query.visible(record.tenant),
    );
    return { records: items, nextAfter };
  }

  /**
   * A stored webhook delivery: returns false for a delivery id seen before. The caller answers
   * GitHub at once; the delivery is processed afterwards in its tenant's queue.
   */
  acceptDelivery(delivery: { id: string; event: string; payload: unknown }): boolean {
    const fresh = this.#context.store.deliveries.insert(
      delivery.id,
      delivery.event,
      delivery.payload,
      this.#context.now().toISOString(),
    );
    if (fresh) this.#queueDelivery(delivery);
    return fresh;
  }

  /** Entry for the cluster watch (watchTenantApplications onChange). */
  applicationStatusChanged(status: ApplicationStatusReport): Promise<void> {
    return this.#context.queue.run(status.tenant, () => recordApplicationStatus(this.#context, status));
  }

  async issueToken(name: string, expirationSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const tenant = this.#context.store.tenants.get(name);
    if (!tenant || tenant.state === 'deleted') throw new NotFoundError(`tenant ${name} does not exist`);
    if (tenant.state !== 'provisioned') {
      throw new NotProvisionedError(`tenant ${name} is ${tenant.state}; a token is issued only once it is provisioned`);
    }
    if (!this.#context.cluster) {
      throw new ClusterNotConfiguredError(
        'no cluster is configured (set TENANT_GITOPS_KUBECONFIG or run in a cluster)',
      );
    }
    return this.#context.cluster.requestToken(placedTenant(this.#context, tenant), expirationSeconds);
  }

  #queueDelivery(delivery: { id: string; event: string; payload: unknown }): void {
    // Resumption rounds see a delivery until it is processed: queue it once.
    if (this.#queuedDeliveries.has(delivery.id)) return;
    this.#queuedDeliveries.add(delivery.id);
    const key = tenantOfDelivery(delivery) ?? '(no tenant)';
    void this.#context.queue
      .run(key, () => processDelivery(this.#context, delivery))
      .catch((error: unknown) =>
        this.#context.log.error({ delivery: delivery.id, error }, 'webhook delivery processing failed'),
      )
      .finally(() => this.#queuedDeliveries.delete(delivery.id));
  }
}
