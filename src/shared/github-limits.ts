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
