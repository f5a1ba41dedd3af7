// Delivers the outbox to the backend's callback URL: per tenant in order (a tenant's next event
// waits until the one before it is acknowledged), tenants in parallel, retried with exponential
// backoff capped at maxDelayMs and never dropped (at-least-once: the backend deduplicates by id).
import type { Logger } from '../shared/log.ts';
import { EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, signCallback } from './callback-signature.ts';
import { backoffDelay, type RetryPolicy } from './context.ts';
import type { TenantStore } from './store/index.ts';
import type { OutboxEvent } from './store/types.ts';
import { LOOP_BACKOFF, type BackgroundHealth } from './background-health.ts';

export interface CallbackTarget {
  url: string;
  secret: string;
}

export interface OutboxDispatcherOptions {
  store: TenantStore;
  target: CallbackTarget;
  log: Logger;
  retry: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  /** How often to look for due retries when nothing wakes the dispatcher. */
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  now?: () => Date;
  onDelivered?: (event: OutboxEvent) => void;
  /** Told when a round fails (a store error) and when one succeeds again. */
  health?: BackgroundHealth;
}

export class OutboxDispatcher {
  readonly #options: OutboxDispatcherOptions;
  #running = false;
  #wake: (() => void) | undefined;
  #woken = false;
  #loop: Promise<void> | undefined;

  constructor(options: OutboxDispatcherOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const now = this.#options.now ?? (() => new Date());
    let failures = 0;
    while (this.#running) {
      this.#woken = false;
      let heads: OutboxEvent[];
      try {
        heads = this.#options.store.outbox.dueHeads(now().getTime(), 32);
        if (heads.length > 0) await Promise.all(heads.map((event) => this.#deliver(event, now())));
        failures = 0;
        this.#options.health?.recovered('outbox');
      } catch (error) {
        // A store error (disk full, a locked file): nothing is lost, the events stay due.
        failures++;
        this.#options.health?.failed('outbox', error);
        const delay = backoffDelay(LOOP_BACKOFF, failures);
        this.#options.log.error({ error, retryInMs: delay }, 'outbox round failed; will retry');
        await this.#sleep(delay);
        continue;
      }
      if (heads.length > 0) continue;
      if (this.#woken) continue;
      await this.#sleep(this.#options.pollIntervalMs ?? 1000);
    }
  }

  /** Waits `ms`, or until woken (a new event, stop). */
  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #deliver(event: OutboxEvent, now: Date): Promise<void> {
    const { store, target, log } = this.#options;
    const body = JSON.stringify({
      id: event.eventId,
      type: event.type,
      tenant: event.tenant,
      createdAt: event.createdAt,
      data: event.payload,
    });
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [EVENT_HEADER]: event.type,
          [EVENT_ID_HEADER]: event.eventId,
          [SIGNATURE_HEADER]: signCallback(target.secret, body, Math.floor(now.getTime() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`callback answered HTTP ${response.status}`);
      store.outbox.markDelivered(event.seq, new Date().toISOString());
      log.info({ tenant: event.tenant, event: event.type, eventId: event.eventId }, 'callback delivered');
      this.#options.onDelivered?.(event);
    } catch (error) {
      const delay = backoffDelay(this.#options.retry, event.attempts + 1);
      const message =
        error instanceof Error
          ? error.cause instanceof Error
            ? `${error.message}: ${error.cause.message}`
            : error.message
          : String(error);
      log.warn(
        { tenant: event.tenant, event: event.type, eventId: event.eventId, retryInMs: delay, error: message },
        'callback failed; will retry',
      );
      store.outbox.markFailed(event.seq, Date.now() + delay, message);
    }
  }
}
