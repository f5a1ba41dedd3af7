// Leader election over a coordination.k8s.io/v1 Lease. The onboarding service runs several replicas
// behind one Service; all of them answer the API, but only the Lease holder runs the background
// loops (job runner, outbox, Application watch), so those never run twice. Rules as client-go's
// leaderelection: expiry is judged by our own clock from when we last saw the record change.
import {
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';
// Not re-exported by the package index; the package has no `exports` map, so the path is public.
import { PromiseMiddlewareWrapper } from '@kubernetes/client-node/dist/gen/middleware.js';
import type { Logger } from '../../shared/log.ts';
import { apiMessageOf, httpStatusOf, isNotFound } from './api-errors.ts';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  /** Where the Lease lives. */
  namespace: string;
  /** The Lease's name. */
  name: string;
  /** This replica (its pod name): the Lease's holderIdentity while it leads. */
  identity: string;
  /** How long a holder's claim lasts without renewal, as other replicas see it. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that could not renew for this long stops leading (must be < leaseDurationMs). Default 10 s. */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew. Default 2 s. */
  retryPeriodMs?: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export interface LeaderElection {
  /** True between onStartedLeading and onStoppedLeading (false once stopped). */
  readonly leading: boolean;
  /**
   * Stops the loop. With `release`, a Lease we hold is handed back at once (empty holder, 1 s
   * duration) and onStoppedLeading is called. Without it nothing more is written and no callback
   * runs: the Lease expires on its own, as after a crash.
   */
  stop(options?: { release?: boolean }): Promise<void>;
}

export function startLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const elector = new LeaseElector(options);
  elector.start();
  return {
    get leading() {
      return elector.leading;
    },
    stop: (stopOptions) => elector.stop(stopOptions?.release ?? false),
  };
}

/** How one acquire-or-renew round ended. */
type Round = { holder: 'us' } | { holder: 'other'; identity: string } | { holder: 'unknown' };

/** Nobody known to hold it after this round: an API error, or another replica's write won the race. */
const UNDECIDED: Round = { holder: 'unknown' };

class LeaseElector {
  readonly #options: LeaderElectionOptions;
  readonly #api: CoordinationV1Api;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #fields: { identity: string; lease: string };
  #leading = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  /** Monotonic time of our last successful acquire or renew. */
  #renewedAt = 0;
  /** The Lease record last read, and when (our monotonic clock) we first saw it: client-go's observedTime. */
  #observed: { record: string; holder: string; at: number } | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.#retryPeriodMs > 0 && this.#renewDeadlineMs > 0 && this.#renewDeadlineMs < this.#leaseDurationMs)) {
      throw new RangeError(
        `tenant-gitops: leader election needs retryPeriodMs > 0 and 0 < renewDeadlineMs < leaseDurationMs, got ` +
          `${this.#retryPeriodMs}, ${this.#renewDeadlineMs}, ${this.#leaseDurationMs}`,
      );
    }
    this.#api = options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.#fields = { identity: options.identity, lease: `${options.namespace}/${options.name}` };
  }

  get leading(): boolean {
    return this.#leading;
  }

  start(): void {
    this.#round = this.#tick();
  }

  async stop(release: boolean): Promise<void> {
    if (this.#stopped) return this.#round;
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    const wasLeading = this.#leading;
    this.#leading = false;
    if (!release) return;
    await this.#release();
    if (wasLeading) this.#callback('onStoppedLeading', 'released the Lease: stopped leading');
  }

  /** One round, then the next one a retry period later; never rejects. */
  async #tick(): Promise<void> {
    if (this.#leading && this.#renewOverdue()) this.#lose(`not renewed within ${this.#renewDeadlineMs} ms`);
    let round: Round;
    try {
      // A leader's request may take only what is left of its renew deadline; a follower's, the deadline.
      const timeoutMs = this.#leading
        ? this.#renewedAt + this.#renewDeadlineMs - performance.now()
        : this.#renewDeadlineMs;
      round = await this.#tryAcquireOrRenew(AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))));
    } catch (error) {
      this.#options.log.warn({ ...this.#fields, error: apiMessageOf(error) }, 'cannot read or write the Lease');
      round = UNDECIDED;
    }
    if (this.#stopped) return;
    if (round.holder === 'us') {
      this.#renewedAt = performance.now();
      if (!this.#leading) {
        this.#leading = true;
        this.#callback('onStartedLeading', 'acquired the Lease: started leading');
      }
    } else if (round.holder === 'other' && this.#leading) {
      this.#lose(`the Lease is held by ${round.identity}`);
    } else if (this.#leading && this.#renewOverdue()) {
      this.#lose(`not renewed within ${this.#renewDeadlineMs} ms`);
    }
    // A failing leader retries sooner when its deadline falls within the next period.
    const untilDeadline = this.#leading ? this.#renewedAt + this.#renewDeadlineMs - performance.now() : Infinity;
    const delay = Math.max(0, Math.min(this.#retryPeriodMs, untilDeadline));
    this.#timer = setTimeout(() => {
      this.#round = this.#tick();
    }, delay);
  }

  #renewOverdue(): boolean {
    return performance.now() - this.#renewedAt >= this.#renewDeadlineMs;
  }

  #lose(reason: string): void {
    this.#leading = false;
    this.#options.log.error({ ...this.#fields, reason }, 'lost the Lease: stopped leading');
    this.#safely('onStoppedLeading');
  }

  #callback(which: 'onStartedLeading' | 'onStoppedLeading', message: string): void {
    this.#options.log.info(this.#fields, message);
    this.#safely(which);
  }

  #safely(which: 'onStartedLeading' | 'onStoppedLeading'): void {
    try {
      this.#options[which]();
    } catch (error) {
      this.#options.log.error({ ...this.#fields, error }, `${which} threw`);
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<Round> {
    const { namespace, name, identity } = this.#options;
    const requestOptions = withSignal(signal);
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name, namespace }, requestOptions);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const now = new V1MicroTime();
      const spec: V1LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: this.#leaseSeconds(),
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      };
      try {
        await this.#api.createNamespacedLease(
          { namespace, body: { metadata: { name, namespace }, spec } },
          requestOptions,
        );
        return { holder: 'us' };
      } catch (createError) {
        if (httpStatusOf(createError) === 409) return UNDECIDED; // another replica created it first
        throw createError;
      }
    }

    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.#observe(spec, holder);
    const ours = holder === this.#options.identity;
    if (!ours && holder !== '' && !this.#observedExpired(spec)) return { holder: 'other', identity: holder };

    const now = new V1MicroTime();
    const next: V1LeaseSpec = ours
      ? { ...spec, acquireTime: microTime(spec.acquireTime) ?? now, renewTime: now }
      : { ...spec, holderIdentity: identity, acquireTime: now, renewTime: now };
    next.leaseDurationSeconds = this.#leaseSeconds();
    next.leaseTransitions = (spec.leaseTransitions ?? 0) + (ours ? 0 : 1);
    try {
      // lease.metadata carries the resourceVersion we read: a write since then fails with 409.
      await this.#api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: next } }, requestOptions);
      return { holder: 'us' };
    } catch (error) {
      if (httpStatusOf(error) === 409 || isNotFound(error)) return UNDECIDED; // someone else won this round
      throw error;
    }
  }

  /** Remembers when the record changed, by our clock: a stale remote clock then cannot expire a live holder. */
  #observe(spec: V1LeaseSpec, holder: string): void {
    const record = JSON.stringify([
      holder,
      spec.leaseDurationSeconds,
      microTimeText(spec.acquireTime),
      microTimeText(spec.renewTime),
      spec.leaseTransitions,
    ]);
    if (this.#observed?.record === record) return;
    if (this.#observed && this.#observed.holder !== holder && holder !== '' && holder !== this.#options.identity) {
      this.#options.log.info({ ...this.#fields, holder }, 'the Lease has a new holder');
    }
    this.#observed = { record, holder, at: performance.now() };
  }

  #observedExpired(spec: V1LeaseSpec): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? this.#leaseSeconds()) * 1000;
    return this.#observed !== undefined && this.#observed.at + durationMs <= performance.now();
  }

  #leaseSeconds(): number {
    return Math.ceil(this.#leaseDurationMs / 1000);
  }

  /** Hands a Lease we hold back: empty holder and a 1 s duration, so a follower takes it at its next round. */
  async #release(): Promise<void> {
    const { namespace, name, identity } = this.#options;
    const requestOptions = withSignal(AbortSignal.timeout(this.#renewDeadlineMs));
    try {
      const lease = await this.#api.readNamespacedLease({ name, namespace }, requestOptions);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = new V1MicroTime();
      const spec: V1LeaseSpec = {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
      };
      await this.#api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec } }, requestOptions);
    } catch (error) {
      if (isNotFound(error) || httpStatusOf(error) === 409) return; // gone, or already someone else's
      this.#options.log.warn(
        { ...this.#fields, error: apiMessageOf(error) },
        'cannot release the Lease: it expires after its lease duration instead',
      );
    }
  }
}

/** Per-request options that abort the request when `signal` fires. */
function withSignal(signal: AbortSignal) {
  return {
    middleware: [
      new PromiseMiddlewareWrapper({
        pre: async (context) => {
          context.setSignal(signal);
          return context;
        },
        post: async (response) => response,
      }),
    ],
    middlewareMergeStrategy: 'append' as const,
  };
}

// client-node types MicroTime fields as V1MicroTime (a Date), but its deserializer does not know that
// type and leaves the API server's string ("…T10:00:00.123456Z") as is. The API server rejects a
// plain Date (JSON gives milliseconds only); V1MicroTime serializes with six digits.

function microTimeText(value: unknown): string | undefined {
  if (value instanceof Date) return new V1MicroTime(value.getTime()).toISOString();
  return typeof value === 'string' ? value : undefined;
}

/** A MicroTime as read, fit to be written back: the string unchanged, a Date as a V1MicroTime. */
function microTime(value: unknown): V1MicroTime | undefined {
  if (value instanceof V1MicroTime) return value;
  if (value instanceof Date) return new V1MicroTime(value.getTime());
  // The serializer passes strings through untouched: keep the API server's own microseconds.
  return typeof value === 'string' ? (value as unknown as V1MicroTime) : undefined;
}
