// A local GitHub REST server over a real bare git repository, speaking exactly the endpoints the
// onboarding service uses, checked against GitHub's OpenAPI description on every call.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppInstallations, type AppOptions } from './app-installations.ts';
import { ContentLimiter, type ContentLimitOptions } from './content-limits.ts';
import { Faults, type Fault } from './faults.ts';
import { GITHUB_LIMITS, type GitHubLimits } from './limits.ts';
import { createHandler } from './http-server.ts';
import { closePullRequest, mergePullRequest, type MergeMethod } from './merge-pull-request.ts';
import { OpenApiValidator, type Violation } from './openapi-validator.ts';
import type { PullRequestRecord } from './pull-requests.ts';
import { gitRoutes } from './routes-git.ts';
import { pullRoutes } from './routes-pulls.ts';
import { repoRoutes } from './routes-repos.ts';
import { GitHubState } from './state.ts';
import { WebhookSender, type Delivery, type WebhookTarget } from './webhook-sender.ts';

export type {
  AppOptions,
  ContentLimitOptions,
  Delivery,
  Fault,
  GitHubLimits,
  MergeMethod,
  PullRequestRecord,
  Violation,
  WebhookTarget,
};

export interface GitHubServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** A bare git repository whose HEAD names the default branch. */
  repoDir: string;
  owner: string;
  repo: string;
  webhooks?: WebhookTarget[];
  /**
   * Accepted tokens; empty or absent = any non-empty token. With `app`, the tokens the App minted
   * and these (a reviewer's, say); absent then = only the App's.
   */
  tokens?: string[];
  /** A GitHub App installed on the repository (app-installations.ts). */
  app?: AppOptions;
  /** GitHub's secondary limit on content creation (content-limits.ts); off when absent. */
  contentLimits?: ContentLimitOptions;
  /** GitHub's size limits (the default); a test lowers one to show a refusal without sending that much. */
  limits?: Partial<GitHubLimits>;
}

export interface GitHubServer {
  url: string;
  /** Every OpenAPI mismatch seen so far (requests, responses, webhook payloads). */
  violations: Violation[];
  /** `METHOD /template` of every API call so far, in order. */
  calls: string[];
  /** `METHOD /template` of every call refused by the content limits (403 secondary rate limit). */
  secondaryRateLimited: string[];
  /** The App's tokens minted so far (with `app`). */
  installationTokens(): { token: string; expiresAt: number }[];
  /** Returns the calls since the last take and forgets them. */
  takeCalls(): string[];
  deliveries: Delivery[];
  pulls(): PullRequestRecord[];
  injectFault(fault: Fault): void;
  pendingFaults(): Fault[];
  mergePullRequest(number: number, method?: MergeMethod): Promise<string>;
  closePullRequest(number: number): Promise<void>;
  /** Waits for webhook deliveries in flight. */
  settled(): Promise<void>;
  /** Throws listing every violation, if any. */
  assertNoViolations(): void;
  stop(): Promise<void>;
}

export async function start(options: GitHubServerOptions): Promise<GitHubServer> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(http.address() as AddressInfo).port}`;
  const state = new GitHubState({
    repoDir: options.repoDir,
    owner: options.owner,
    repo: options.repo,
    urls: { api: url, web: `${url}/web` },
    limits: { ...GITHUB_LIMITS, ...options.limits },
  });
  state.defaultBranch = await state.git.defaultBranch();
  const validator = new OpenApiValidator();
  const faults = new Faults();
  const calls: string[] = [];
  const secondaryRateLimited: string[] = [];
  const app = options.app ? new AppInstallations(options.app) : undefined;
  const sender = new WebhookSender(state, validator, options.webhooks ?? []);
  state.onPullRequestClosed = (pr) => sender.pullRequestClosed(pr);
  http.on(
    'request',
    createHandler({
      state,
      routes: [...repoRoutes, ...gitRoutes, ...pullRoutes, ...(app ? [app.route()] : [])],
      validator,
      faults,
      calls,
      tokens: options.tokens ?? [],
      app,
      contentLimits: options.contentLimits ? new ContentLimiter(options.contentLimits) : undefined,
      secondaryRateLimited,
    }),
  );

  return {
    url,
    violations: validator.violations,
    calls,
    secondaryRateLimited,
    installationTokens: () => [...(app?.minted ?? [])],
    takeCalls: () => calls.splice(0, calls.length),
    deliveries: sender.deliveries,
    pulls: () => [...state.pulls.values()],
    injectFault: (fault) => faults.inject(fault),
    pendingFaults: () => faults.pending,
    mergePullRequest: async (number, method) => (await mergePullRequest(state, number, { method })).sha,
    closePullRequest: async (number) => {
      await closePullRequest(state, number);
    },
    settled: () => sender.settled(),
    assertNoViolations() {
      if (validator.violations.length > 0) {
        throw new Error(
          `tenant-gitops: the local GitHub server saw ${validator.violations.length} OpenAPI mismatch(es):\n` +
            validator.violations.map((v) => `${v.operation} [${v.where}] ${v.message}`).join('\n'),
        );
      }
    },
    async stop() {
      await sender.settled();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      state.git.close();
    },
  };
}
