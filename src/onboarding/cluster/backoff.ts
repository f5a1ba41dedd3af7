// Exponential backoff with jitter for restarting the Application watch. Jitter spreads the
// restarts of many service replicas after an API-server outage so they do not stampede it.

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound for any delay, jitter included. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

export class Backoff {
  readonly #options: BackoffOptions;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new RangeError(
        `tenant-gitops: backoff needs 0 < initialMs <= maxMs, got initialMs=${options.initialMs} maxMs=${options.maxMs}`,
      );
    }
    this.#options = options;
    this.#random = random;
  }

  /** The next delay: initialMs·2^attempt capped at maxMs, then "equal jitter" (half fixed, half random). */
  next(): number {
    const exponential = Math.min(this.#options.maxMs, this.#options.initialMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    const half = exponential / 2;
    return Math.round(half + this.#random() * half);
  }

  /** Called after a successful (re)connect: the next failure starts again from initialMs. */
  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}
