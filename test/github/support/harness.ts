// GIVEN a seeded bare repository served by the local GitHub server, and a client pointed at it.
import { afterEach, beforeEach } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../../generator/github/index.ts';
import { start, type GitHubServer, type WebhookTarget } from '../../../generator/sandbox/github-server/index.ts';
import { createSeededRepo, type SeededRepo } from './seeded-repo.ts';

export const OWNER = 'acme-platform';
export const REPO = 'platform';

export interface Harness {
  repo: SeededRepo;
  server: GitHubServer;
  client(options?: { throttle?: boolean; retries?: number }): GitHubClient;
  close(): Promise<void>;
}

export async function startHarness(options: { webhooks?: WebhookTarget[] } = {}): Promise<Harness> {
  const repo = await createSeededRepo();
  const server = await start({ port: 0, repoDir: repo.dir, owner: OWNER, repo: REPO, webhooks: options.webhooks ?? [] });
  return {
    repo,
    server,
    client: (o = {}) =>
      createGitHubClient({ auth: 'test-token', baseUrl: server.url, owner: OWNER, repo: REPO, throttle: o.throttle ?? false, retries: o.retries ?? 3 }),
    async close() {
      await server.stop();
      await repo.remove();
    },
  };
}

/** Octokit-style: the exact calls since the last check, in order; nothing unexpected, nothing left. */
/**
 * A fresh harness for every test of the calling describe block, handed to `use`; after each test
 * the server must have seen no OpenAPI violation, then it is closed.
 */
export function useHarnessPerTest(use: (harness: Harness) => void): void {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness();
    use(current);
  });
  afterEach(async () => {
    current?.server.assertNoViolations();
    await current?.close();
  });
}

export function takeCalls(server: GitHubServer): string[] {
  return server.takeCalls();
}

export const CALL = {
  getRepo: 'GET /repos/{owner}/{repo}',
  getRef: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  createRef: 'POST /repos/{owner}/{repo}/git/refs',
  updateRef: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  createBlob: 'POST /repos/{owner}/{repo}/git/blobs',
  createTree: 'POST /repos/{owner}/{repo}/git/trees',
  getTree: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  createCommit: 'POST /repos/{owner}/{repo}/git/commits',
  getCommit: 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  listPulls: 'GET /repos/{owner}/{repo}/pulls',
  createPull: 'POST /repos/{owner}/{repo}/pulls',
  updatePull: 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
  mergePull: 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
  addLabels: 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  createComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  compare: 'GET /repos/{owner}/{repo}/compare/{basehead}',
  getContent: 'GET /repos/{owner}/{repo}/contents/{path}',
} as const;

/** The calls that read where main is now: repository, its branch ref, the head commit. */
export const READ_MAIN = [CALL.getRepo, CALL.getRef, CALL.getCommit];
