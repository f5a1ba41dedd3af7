// Fault injection: the next N answers of a route are a 502 or a secondary rate limit, so a test
// proves that clients retry and back off instead of failing or duplicating work.
import { secondaryRateLimitReply } from './content-limits.ts';
import type { RouteReply } from './routes.ts';

export type FaultKind = 'bad-gateway' | 'secondary-rate-limit';

export interface Fault {
  method: string;
  /** OpenAPI path template, e.g. `/repos/{owner}/{repo}/git/blobs`. */
  template: string;
  kind: FaultKind;
  /** How many consecutive matching requests fail. Default 1. */
  times?: number;
  /** Seconds in the retry-after header of a rate limit. Default 1. */
  retryAfter?: number;
}

export class Faults {
  readonly #pending: (Fault & { left: number })[] = [];

  inject(fault: Fault): void {
    this.#pending.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Faults injected but not yet used up: a test asserts none are left. */
  get pending(): Fault[] {
    return this.#pending.filter((f) => f.left > 0);
  }

  /** The reply replacing this request's real answer, if a fault is due. */
  take(method: string, template: string): RouteReply | null {
    const fault = this.#pending.find((f) => f.left > 0 && f.method === method && f.template === template);
    if (!fault) return null;
    fault.left -= 1;
    if (fault.kind === 'bad-gateway') return { status: 502, body: { message: 'Server Error' } };
    return secondaryRateLimitReply(fault.retryAfter ?? 1);
  }
}
