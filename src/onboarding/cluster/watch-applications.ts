// An informer (list + watch) on the tenants' ArgoCD Applications that survives what the plain
// client-node informer does not: it STOPS on any error (API server restart, reset connection,
// failed list), and a watch whose TCP connection silently dies never reports anything.
//
// Watch configuration (why each choice):
// - Path /apis/argoproj.io/v1alpha1/namespaces/<namespace>/applications, label selector
//   `tenants.gitops.dev/tenant` (existence): only Applications the ApplicationSet made for tenants,
//   so the platform Application and anything hand-made are never seen.
// - The list and the opening of the watch must answer within requestTimeoutMs (default 30 s): a
//   connection that hangs there would otherwise block every later restart and relist.
// - No timeoutSeconds: the API server closes a watch after its own min-request-timeout; the
//   informer then resumes from the last resourceVersion (and relists on 410 Gone) by itself.
// - On an error, a NEW informer (fresh list, then watch) is started after an exponential backoff
//   with jitter (default 0.5 s doubling to 30 s); the backoff resets after a successful list+watch.
// - Every relistIntervalMs (default 60 s) the informer is replaced by a fresh one: that lists again,
//   which delivers whatever a stalled watch missed, and opens a new connection.
// - Each change is delivered once per resourceVersion (relists do not repeat unchanged objects);
//   Applications that disappear between two lists are reported through onDelete.
// - Events are queued per tenant: one tenant's events are handled in order, tenants in parallel.
//   A handler that throws is logged, and the object is delivered again at the next relist.
import {
  CustomObjectsApi,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
} from '@kubernetes/client-node';
// Not re-exported by the package index; the package has no `exports` map, so the path is public.
import { PromiseMiddlewareWrapper } from '@kubernetes/client-node/dist/gen/middleware.js';
import type { Logger } from '../../shared/log.ts';
import { LABEL_TENANT } from '../../tenant/names.ts';
import {
  APPLICATION_GROUP,
  APPLICATION_PLURAL,
  APPLICATION_VERSION,
  parseApplication,
  type ApplicationStatus,
} from './application-status.ts';
import { ARGOCD_NAMESPACE } from '../../tenant/platform.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { KeyedQueue } from '../../shared/keyed-queue.ts';

export interface WatchTenantApplicationsOptions {
  kubeConfig: KubeConfig;
  namespace?: string;
  onChange: (status: ApplicationStatus) => void | Promise<void>;
  onDelete?: (tenant: string) => void | Promise<void>;
  log: Logger;
  relistIntervalMs?: number;
  backoff?: BackoffOptions;
  /** Bound on the list call and on opening the watch (not on the watch's lifetime). */
  requestTimeoutMs?: number;
}

export interface TenantApplicationWatch {
  /** Resolves once the first list has been delivered and the watch is open. */
  ready: Promise<void>;
  /** Stops watching and waits for the handlers already queued. */
  stop(): Promise<void>;
}

export function watchTenantApplications(options: WatchTenantApplicationsOptions): TenantApplicationWatch {
  const watcher = new TenantApplicationWatcher(options);
  watcher.start();
  return { ready: watcher.ready, stop: () => watcher.stop() };
}

interface Delivered {
  tenant: string;
  resourceVersion: string | undefined;
}

class TenantApplicationWatcher {
  readonly ready: Promise<void>;
  readonly #options: Required<Omit<WatchTenantApplicationsOptions, 'onDelete' | 'backoff'>> &
    Pick<WatchTenantApplicationsOptions, 'onDelete'>;
  readonly #api: CustomObjectsApi;
  readonly #path: string;
  readonly #backoff: Backoff;
  readonly #queue: KeyedQueue;
  /** Last delivered state per Application name: relists deliver only what changed. */
  readonly #delivered = new Map<string, Delivered>();
  #informer: Informer<KubernetesObject> | undefined;
  /** Incremented per informer, so late callbacks from a replaced informer are ignored. */
  #generation = 0;
  #starting = false;
  #stopped = false;
  #isReady = false;
  #resolveReady!: () => void;
  #rejectReady!: (error: Error) => void;
  #restartTimer: NodeJS.Timeout | undefined;
  #relistTimer: NodeJS.Timeout | undefined;

  constructor(options: WatchTenantApplicationsOptions) {
    // `??` per field, not a spread over defaults: callers pass `relistIntervalMs: undefined` through.
    const relistIntervalMs = options.relistIntervalMs ?? 60_000;
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    for (const [name, value] of [
      ['relistIntervalMs', relistIntervalMs],
      ['requestTimeoutMs', requestTimeoutMs],
    ] as const) {
      if (!Number.isFinite(value) || value < 100) {
        throw new RangeError(`tenant-gitops: watchTenantApplications ${name} must be at least 100 ms, got ${value}`);
      }
    }
    this.#options = {
      kubeConfig: options.kubeConfig,
      onChange: options.onChange,
      onDelete: options.onDelete,
      namespace: options.namespace ?? ARGOCD_NAMESPACE,
      relistIntervalMs,
      requestTimeoutMs,
      log: options.log.child({ component: 'application-watch' }),
    };
    this.#api = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.#path = `/apis/${APPLICATION_GROUP}/${APPLICATION_VERSION}/namespaces/${this.#options.namespace}/${APPLICATION_PLURAL}`;
    this.#backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.#queue = new KeyedQueue();
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // A caller that never awaits `ready` must not crash the process when stop() rejects it.
    this.ready.catch(() => {});
  }

  start(): void {
    void this.#replaceInformer('start');
    this.#relistTimer = setInterval(() => {
      // A pending restart or a start in progress will list anyway.
      if (this.#restartTimer || this.#starting) return;
      void this.#replaceInformer('relist');
    }, this.#options.relistIntervalMs);
    this.#relistTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#relistTimer);
    clearTimeout(this.#restartTimer);
    this.#generation++;
    await this.#informer?.stop();
    this.#informer = undefined;
    if (!this.#isReady) {
      this.#rejectReady(new Error('tenant-gitops: the Application watch was stopped before its first list completed'));
    }
    await this.#queue.drain();
  }

  async #replaceInformer(reason: 'start' | 'relist' | 'restart'): Promise<void> {
    if (this.#stopped) return;
    this.#starting = true;
    const generation = ++this.#generation;
    let failed = false;
    try {
      await this.#informer?.stop();
      const informer = makeInformer<KubernetesObject>(
        this.#options.kubeConfig,
        this.#path,
        () => this.#list(generation),
        LABEL_TENANT,
      );
      informer.on('add', (object) => this.#observe(generation, object));
      informer.on('update', (object) => this.#observe(generation, object));
      informer.on('delete', (object) => this.#forget(generation, object));
      informer.on('error', (error) => {
        failed = true;
        this.#onInformerError(generation, error);
      });
      this.#informer = informer;
      this.#options.log.debug({ reason, path: this.#path }, 'starting application informer');
      // Resolves after the list and once the watch request is answered; list and connect failures
      // are reported through the 'error' callback before it resolves.
      const answered = await withinTimeout(informer.start(), this.#options.requestTimeoutMs);
      if (!answered) {
        throw new Error(
          `tenant-gitops: list+watch of ${this.#path} did not answer within ${this.#options.requestTimeoutMs} ms`,
        );
      }
    } catch (error) {
      failed = true;
      this.#onInformerError(generation, error);
    } finally {
      this.#starting = false;
    }
    if (failed || generation !== this.#generation || this.#stopped) return;
    this.#backoff.reset();
    if (reason !== 'relist') this.#options.log.info({ reason }, 'application watch connected');
    if (!this.#isReady) {
      this.#isReady = true;
      this.#resolveReady();
    }
  }

  async #list(generation: number): Promise<KubernetesListObject<KubernetesObject>> {
    const timeoutMs = this.#options.requestTimeoutMs;
    const list = (await this.#api.listNamespacedCustomObject(
      {
        group: APPLICATION_GROUP,
        version: APPLICATION_VERSION,
        namespace: this.#options.namespace,
        plural: APPLICATION_PLURAL,
        labelSelector: LABEL_TENANT,
      },
      {
        middleware: [
          new PromiseMiddlewareWrapper({
            pre: async (context) => {
              context.setSignal(AbortSignal.timeout(timeoutMs));
              return context;
            },
            post: async (response) => response,
          }),
        ],
        middlewareMergeStrategy: 'append',
      },
    )) as KubernetesListObject<KubernetesObject>;
    if (generation === this.#generation) this.#reportVanished(list.items);
    return list;
  }

  /** Applications delivered earlier but absent from a fresh list were deleted while we were not watching. */
  #reportVanished(items: KubernetesObject[]): void {
    const present = new Set(items.map((item) => item.metadata?.name));
    for (const [name, delivered] of this.#delivered) {
      if (present.has(name)) continue;
      this.#delivered.delete(name);
      this.#enqueueDelete(delivered.tenant, name);
    }
  }

  #observe(generation: number, object: KubernetesObject): void {
    if (generation !== this.#generation) return;
    const parsed = parseApplication(object, new Date().toISOString());
    if (!parsed.ok) {
      this.#options.log.warn({ application: parsed.name, problem: parsed.problem }, 'ignoring malformed Application');
      return;
    }
    const { status, resourceVersion } = parsed;
    const previous = this.#delivered.get(status.application);
    if (previous && resourceVersion !== undefined && previous.resourceVersion === resourceVersion) return;
    this.#delivered.set(status.application, { tenant: status.tenant, resourceVersion });
    this.#enqueue(status.tenant, async () => {
      try {
        await this.#options.onChange(status);
      } catch (error) {
        // Forget this version so the next relist delivers it again.
        const current = this.#delivered.get(status.application);
        if (current && current.resourceVersion === resourceVersion) current.resourceVersion = undefined;
        throw error;
      }
    });
  }

  #forget(generation: number, object: KubernetesObject): void {
    if (generation !== this.#generation) return;
    const name = object.metadata?.name;
    if (!name) return;
    const delivered = this.#delivered.get(name);
    const tenant = delivered?.tenant ?? object.metadata?.labels?.[LABEL_TENANT];
    this.#delivered.delete(name);
    if (tenant) this.#enqueueDelete(tenant, name);
  }

  #enqueueDelete(tenant: string, application: string): void {
    const onDelete = this.#options.onDelete;
    this.#options.log.info({ tenant, application }, 'application deleted');
    if (onDelete) this.#enqueue(tenant, () => onDelete(tenant));
  }

  /** One tenant's handlers run in order; a failure is logged and retried at the next relist. */
  #enqueue(tenant: string, task: () => void | Promise<void>): void {
    this.#queue
      .run(tenant, task)
      .catch((error: unknown) =>
        this.#options.log.error({ tenant, err: error }, 'application handler failed; will retry at the next relist'),
      );
  }

  #onInformerError(generation: number, error: unknown): void {
    if (generation !== this.#generation || this.#stopped || this.#restartTimer) return;
    const delayMs = this.#backoff.next();
    this.#options.log.warn(
      { err: describeError(error), delayMs, attempt: this.#backoff.attempts },
      'application watch failed; restarting after backoff',
    );
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      void this.#replaceInformer('restart');
    }, delayMs);
  }
}

/** True when `promise` settled in time (its rejection is passed on); false on timeout. */
async function withinTimeout(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown; statusCode?: unknown }).statusCode ?? (error as { code?: unknown }).code;
    return code === undefined ? error.message : `${error.message} (${String(code)})`;
  }
  return String(error);
}
