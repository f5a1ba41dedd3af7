// The Octokit client for the platform repository: authenticates with a token or as a GitHub App
// (app-auth.ts), paces content-creating requests under GitHub's secondary limit on content
// (content-pacing.ts), retries transient failures (plugin-retry) and backs off on primary and
// secondary rate limits that still happen, a bounded number of times (plugin-throttling).
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { silentLogger, type Logger } from '../../shared/log.ts';
import { appAuthStrategy, type GitHubAppCredentials } from './app-auth.ts';
import type { PullRequestTruth } from './read-pull-request.ts';
import { ContentPacer, contentPacingPlugin, DEFAULT_CONTENT_PACING, type ContentPacing } from './content-pacing.ts';

// Pacing first: plugins applied later wrap it, so each attempt of plugin-retry and
// plugin-throttling passes through the queue.
const TenantOctokit = Octokit.plugin(contentPacingPlugin, retry, throttling);
export type TenantOctokit = InstanceType<typeof TenantOctokit>;

/** An Octokit bundled with the repository it works on and the logger it reports to. */
export interface GitHubClient {
  octokit: TenantOctokit;
  owner: string;
  repo: string;
  log: Logger;
  /** Facts remembered between calls to spare GitHub requests (and rate limit). */
  memo: GitHubMemo;
}

/**
 * What a client may remember: the default branch's name, commit → tree (immutable), and each PR's
 * last answer with its ETag (for conditional reads).
 */
export class GitHubMemo {
  defaultBranch: string | undefined;
  readonly treeOfCommit = new Map<string, string>();
  readonly pullRequests = new Map<number, { etag: string; fields: Omit<PullRequestTruth, 'defaultBranch'> }>();
  readonly #limit: number;

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  rememberTree(commitSha: string, treeSha: string): void {
    remember(this.treeOfCommit, commitSha, treeSha, this.#limit);
  }

  rememberPullRequest(number: number, etag: string, fields: Omit<PullRequestTruth, 'defaultBranch'>): void {
    remember(this.pullRequests, number, { etag, fields }, this.#limit);
  }
}

/** Oldest first out: what is asked for again and again stays, older entries fade. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  if (map.size >= limit) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

export interface GitHubClientOptions {
  /** A token (personal access token, or an installation token minted elsewhere), or a GitHub App. */
  auth: string | GitHubAppCredentials;
  /** REST API root; the local server's URL in tests and the sandbox. */
  baseUrl?: string;
  owner: string;
  repo: string;
  log?: Logger;
  /** Rate-limit handling; off only for benchmarks against the local server. Default true. */
  throttle?: boolean;
  /** How many times a failed request (5xx, rate limit) is tried again. Default 3. */
  retries?: number;
  /**
   * Pacing of content-creating requests; false for none. Default GitHub's limits in real time, or
   * none when `throttle` is false (the local server, which enforces no limit unless asked).
   */
  contentPacing?: Partial<ContentPacing> | false;
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = (options.log ?? silentLogger).child({ component: 'github', repo: `${options.owner}/${options.repo}` });
  const retries = options.retries ?? 3;
  const retryLimited =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const again = retryCount < retries;
      log.warn({ method: request.method, url: request.url, retryAfter, retryCount, again }, `${kind} rate limit hit`);
      return again;
    };
  const pacing = options.contentPacing ?? (options.throttle === false ? false : ({} satisfies Partial<ContentPacing>));
  const pacer = pacing === false ? null : new ContentPacer({ ...DEFAULT_CONTENT_PACING, ...pacing }, log);
  const octokit = new TenantOctokit({
    ...(typeof options.auth === 'string'
      ? { auth: options.auth }
      : { authStrategy: appAuthStrategy, auth: options.auth }),
    ...(pacer ? { contentPacing: pacer } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    userAgent: 'tenant-gitops',
    log: {
      debug: (message: string) => log.debug({}, message),
      info: (message: string) => log.info({}, message),
      warn: (message: string) => log.warn({}, message),
      error: (message: string) => log.error({}, message),
    },
    retry: { retries },
    throttle:
      options.throttle === false
        ? { enabled: false }
        : { onRateLimit: retryLimited('primary'), onSecondaryRateLimit: retryLimited('secondary') },
  });
  return { octokit, owner: options.owner, repo: options.repo, log, memo: new GitHubMemo() };
}
