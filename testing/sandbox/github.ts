// The local GitHub REST server (testing/github-server/) over the sandbox's bare copy of
// the platform repository, sending signed pull_request webhooks to the onboarding service.
import { randomBytes } from 'node:crypto';
import { start, type GitHubServer } from '../github-server/index.ts';
import { SERVICE_WEBHOOK_PATH } from './service.ts';

export interface SandboxGitHub {
  url: string;
  /** Token the service presents to the local server (the server accepts any non-empty token). */
  token: string;
  /** The server itself: its calls, deliveries and OpenAPI violations, for tests. */
  server: GitHubServer;
  stop(): Promise<void>;
}

export async function startSandboxGitHub(options: {
  repoDir: string;
  owner: string;
  repo: string;
  webhookUrl: string;
  webhookSecret: string;
}): Promise<SandboxGitHub> {
  const server = await start({
    port: 0,
    host: '127.0.0.1',
    repoDir: options.repoDir,
    owner: options.owner,
    repo: options.repo,
    webhooks: [{ url: `${options.webhookUrl}${SERVICE_WEBHOOK_PATH}`, secret: options.webhookSecret }],
  });
  return { url: server.url, token: `sandbox-${randomBytes(16).toString('hex')}`, server, stop: () => server.stop() };
}
