// GitHub's size limits on what the service writes, in one place: the service keeps under them, and
// the local GitHub server (testing/github-server) refuses what exceeds them, as GitHub does.

export interface GitHubLimits {
  /** Issue, pull-request and comment bodies, in characters ("body is too long" above it). */
  bodyCharacters: number;
  /** Issue and pull-request titles, in characters. */
  titleCharacters: number;
  /** One file (blob) written through the git data API, in bytes. */
  fileBytes: number;
}

export const GITHUB_LIMITS: Readonly<GitHubLimits> = Object.freeze({
  bodyCharacters: 65_536,
  titleCharacters: 256,
  fileBytes: 100 * 1024 * 1024,
});

/**
 * GitHub's secondary rate limit on content-creating requests (POST, PATCH, PUT, DELETE that make
 * something: blobs, trees, commits, refs, pull requests, labels, comments): "no more than 80
 * content-generating requests per minute and no more than 500 content-generating requests per
 * hour" (docs.github.com, REST API, rate limits, "About secondary rate limits"). The service paces
 * under them (github/content-pacing.ts); the local GitHub server enforces them when asked.
 */
export interface ContentLimits {
  perMinute: number;
  perHour: number;
}

export const GITHUB_CONTENT_LIMITS: Readonly<ContentLimits> = Object.freeze({ perMinute: 80, perHour: 500 });

/** The windows of those limits in milliseconds; `scale` < 1 compresses time for tests and benches. */
export function contentWindows(limits: ContentLimits, scale: number): { ms: number; limit: number }[] {
  return [
    { ms: 60_000 * scale, limit: limits.perMinute },
    { ms: 3_600_000 * scale, limit: limits.perHour },
  ];
}
