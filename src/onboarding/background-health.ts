// Whether the service's background loops (outbox, jobs, reconciler, ArgoCD prompter) are getting their work done.
// A loop that meets a store error (disk full, a locked or damaged file) reports it here, backs off
// and tries again instead of dying with the process; /readyz answers 503 naming the failing loops
// and /metrics counts the errors, so an operator sees it before the backend does.

import type { ServiceContext } from './context.ts';
import type { TenantState } from './store/types.ts';

export const BACKGROUND_LOOPS = ['jobs', 'outbox', 'prompter', 'reconciler'] as const;
export type BackgroundLoop = (typeof BACKGROUND_LOOPS)[number];

export class BackgroundHealth {
  readonly #failing = new Map<BackgroundLoop, string>();
  readonly #errors = new Map<BackgroundLoop, number>();

  failed(loop: BackgroundLoop, error: unknown): void {
    this.#failing.set(loop, error instanceof Error ? error.message : String(error));
    this.#errors.set(loop, (this.#errors.get(loop) ?? 0) + 1);
  }

  /** The loop did a round of work without an error. */
  recovered(loop: BackgroundLoop): void {
    this.#failing.delete(loop);
  }

  /** Failing loops and their last error, sorted by loop. */
  failing(): [BackgroundLoop, string][] {
    return [...this.#failing].sort(([a], [b]) => a.localeCompare(b));
  }

  errorCounts(): [BackgroundLoop, number][] {
    return [...this.#errors].sort(([a], [b]) => a.localeCompare(b));
  }
}

/** Backoff after failed rounds of a loop (context.ts backoffDelay): 1 s doubling to 30 s. */
export const LOOP_BACKOFF = { baseDelayMs: 1000, maxDelayMs: 30_000 } as const;

/**
 * The tenants in `states`, for one round of a periodic loop; on a store error the loop is reported
 * failing (and the error logged) and undefined is returned, so the round is skipped, not the loop.
 */
export function tenantsForRound(
  context: Pick<ServiceContext, 'store' | 'log'>,
  health: BackgroundHealth | undefined,
  loop: BackgroundLoop,
  states: readonly TenantState[],
  what: string,
): string[] | undefined {
  try {
    const names = context.store.tenants.namesInStates(states);
    health?.recovered(loop);
    return names;
  } catch (error) {
    health?.failed(loop, error);
    context.log.error({ error }, `cannot list ${what}; trying again later`);
    return undefined;
  }
}
