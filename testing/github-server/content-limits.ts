// GitHub's secondary rate limit on content creation (src/shared/github-limits.ts: 80 content-
// generating requests a minute, 500 an hour), enforced per identity (a token, or an App
// installation) over sliding windows of the requests it served. Over a limit the request is answered
// as GitHub answers it: 403, the secondary-rate-limit message and a `retry-after` header (whole
// seconds until the window has room, at least 1). `windowScale` compresses time: 0.01 makes the
// minute 600 ms and the hour 36 s, so a test sees the limit without waiting an hour. Off unless the
// server is started with `contentLimits`.
import { contentWindows, GITHUB_CONTENT_LIMITS, type ContentLimits } from '../../src/shared/github-limits.ts';
import type { RouteReply } from './routes.ts';

export interface ContentLimitOptions extends Partial<ContentLimits> {
  /** 1 = real time (default). */
  windowScale?: number;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

/** The body GitHub answers with a secondary rate limit (faults.ts answers the same). */
export function secondaryRateLimitReply(retryAfterSeconds: number): RouteReply {
  return {
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
    body: {
      message: SECONDARY_RATE_LIMIT_MESSAGE,
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

/** Content-creating, as GitHub counts it: every write under a repository (not an App's token request). */
export function createsContent(method: string, template: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && template.startsWith('/repos/');
}

export class ContentLimiter {
  readonly #windows: { ms: number; limit: number }[];
  readonly #served = new Map<string, number[]>();

  constructor(options: ContentLimitOptions) {
    this.#windows = contentWindows({ ...GITHUB_CONTENT_LIMITS, ...options }, options.windowScale ?? 1);
  }

  /** Null when `identity` may create content now (the request is counted); else the 403 to answer. */
  take(identity: string, now = performance.now()): RouteReply | null {
    const longest = Math.max(...this.#windows.map((w) => w.ms));
    const served = (this.#served.get(identity) ?? []).filter((t) => t > now - longest);
    this.#served.set(identity, served);
    let waitMs = 0;
    for (const { ms, limit } of this.#windows) {
      const inside = served.filter((t) => t > now - ms);
      if (inside.length >= limit) waitMs = Math.max(waitMs, inside[inside.length - limit]! + ms - now);
    }
    if (waitMs > 0) return secondaryRateLimitReply(Math.max(1, Math.ceil(waitMs / 1000)));
    served.push(now);
    return null;
  }
}
