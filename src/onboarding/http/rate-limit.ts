// Per-token limits: how many requests one API token may have in flight, and how many it may start
// per second (a token bucket: `ratePerSecond` refilled continuously, up to `burst`). A request over
// either is refused with 429 and Retry-After before its body is read, so no caller, however busy,
// can take the CPU that GitHub's webhooks (never limited) need to be answered in time.
import { ApiError } from './errors.ts';

export interface TokenLimits {
  /** Requests one token may have in flight at once. */
  concurrency: number;
  /** Requests one token may start per second, on average. */
  ratePerSecond: number;
  /** Requests one token may start at once after a quiet spell. */
  burst: number;
}

export const DEFAULT_TOKEN_LIMITS: TokenLimits = { concurrency: 8, ratePerSecond: 50, burst: 100 };

/** 429: a token over its limits; the answer carries Retry-After and closes the connection. */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface TokenState {
  inFlight: number;
  tokens: number;
  refilledAt: number;
}

export class TokenLimiter {
  readonly #limits: TokenLimits;
  readonly #now: () => number;
  readonly #states = new Map<string, TokenState>();

  constructor(limits: TokenLimits, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Admits one request of `caller` or throws RateLimitedError; call the returned function when it is answered. */
  acquire(caller: string): () => void {
    const now = this.#now();
    let state = this.#states.get(caller);
    if (!state) {
      state = { inFlight: 0, tokens: this.#limits.burst, refilledAt: now };
      this.#states.set(caller, state);
    }
    state.tokens = Math.min(
      this.#limits.burst,
      state.tokens + ((now - state.refilledAt) / 1000) * this.#limits.ratePerSecond,
    );
    state.refilledAt = now;
    if (state.inFlight >= this.#limits.concurrency)
      throw new RateLimitedError(
        `the token "${caller}" already has ${state.inFlight} requests in flight, its limit; wait for one to finish`,
        1,
      );
    if (state.tokens < 1)
      throw new RateLimitedError(
        `the token "${caller}" is over its rate of ${this.#limits.ratePerSecond} requests a second; slow down`,
        Math.max(1, Math.ceil((1 - state.tokens) / this.#limits.ratePerSecond)),
      );
    state.tokens -= 1;
    state.inFlight += 1;
    let released = false;
    const held = state;
    return () => {
      if (released) return;
      released = true;
      held.inFlight -= 1;
    };
  }
}
