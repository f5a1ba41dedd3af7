// The one queue every content-creating GitHub request of a client goes through, so the service stays
// under GitHub's secondary limit on content creation (80 a minute, 500 an hour) instead of being
// refused. A request starts only while both sliding windows have room; a request counts from the
// moment it starts until one window after its answer arrived, so however long it travelled, GitHub
// cannot have seen more than the limit in any window. Reads (GET, HEAD) are not paced, nor is the
// App's installation-token request (GitHub does not count it as content).
import type { Octokit } from '@octokit/rest';
import { contentWindows, GITHUB_CONTENT_LIMITS, type ContentLimits } from '../../shared/github-limits.ts';
import type { Logger } from '../../shared/log.ts';

export interface ContentPacing extends ContentLimits {
  /** 1 = real time (the default); 0.01 makes a minute 600 ms, for tests and benchmarks. */
  windowScale: number;
}

export const DEFAULT_CONTENT_PACING: Readonly<ContentPacing> = Object.freeze({
  ...GITHUB_CONTENT_LIMITS,
  windowScale: 1,
});

/** True for a request GitHub counts as creating content. */
export function isContentCreating(method: string, url: string): boolean {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') return false;
  return !/\/app\/installations\/[^/]+\/access_tokens$/.test(new URL(url, 'http://github.invalid').pathname);
}

export class ContentPacer {
  readonly #windows: { ms: number; limit: number }[];
  readonly #log: Logger | undefined;
  /** Answer times (performance.now) of finished requests still inside the longest window, oldest first. */
  readonly #done: number[] = [];
  readonly #waiting: { resolve: () => void; since: number }[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(pacing: ContentPacing, log?: Logger) {
    for (const [name, value] of Object.entries(pacing))
      if (!(Number.isFinite(value) && value > 0))
        throw new Error(`tenant-gitops: content pacing ${name} must be a positive number, got ${value}`);
    this.#windows = contentWindows(pacing, pacing.windowScale);
    this.#log = log;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `work` once both windows have room, counting it in them. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await work();
    } finally {
      this.#inFlight -= 1;
      this.#done.push(performance.now());
      this.#pump();
    }
  }

  #acquire(): Promise<void> {
    if (this.#waiting.length === 0 && this.#waitMs(performance.now()) === 0) {
      this.#inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting.push({ resolve, since: performance.now() });
      this.#pump();
    });
  }

  /** Starts waiting requests, oldest first, while there is room; otherwise wakes up when there will be. */
  #pump(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (;;) {
      const next = this.#waiting[0];
      if (!next) return;
      const now = performance.now();
      const wait = this.#waitMs(now);
      if (wait === Infinity) return; // a request in flight frees room when it ends
      if (wait > 0) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(wait));
        this.#timer.unref();
        return;
      }
      this.#waiting.shift();
      this.#inFlight += 1;
      this.#log?.debug(
        { waitedMs: Math.round(now - next.since), waiting: this.#waiting.length },
        'content request paced',
      );
      next.resolve();
    }
  }

  /** 0 when a request may start now; Infinity when only an answer can make room. */
  #waitMs(now: number): number {
    const longest = Math.max(...this.#windows.map((w) => w.ms));
    while (this.#done.length > 0 && this.#done[0]! <= now - longest) this.#done.shift();
    let wait = 0;
    for (const { ms, limit } of this.#windows) {
      const free = limit - this.#inFlight;
      if (free <= 0) return Infinity;
      // Finished requests still inside this window; the oldest ones leave it first.
      const first = this.#done.findIndex((t) => t > now - ms);
      const inside = first === -1 ? 0 : this.#done.length - first;
      if (inside < free) continue;
      const leaving = this.#done[first + (inside - free)]!;
      wait = Math.max(wait, leaving + ms - now);
    }
    return wait;
  }
}

/**
 * An Octokit plugin: options `contentPacing` (a ContentPacer, or absent for none). Listed before
 * plugin-retry and plugin-throttling, it wraps the request closest to the wire, so every attempt,
 * retries included, takes its place in the queue.
 */
export function contentPacingPlugin(octokit: Pick<Octokit, 'hook'>, options: Record<string, unknown>): object {
  const pacer = options.contentPacing instanceof ContentPacer ? options.contentPacing : null;
  if (!pacer) return {};
  octokit.hook.wrap('request', (request, endpoint) =>
    isContentCreating(endpoint.method, endpoint.url) ? pacer.run(async () => request(endpoint)) : request(endpoint),
  );
  return {};
}
