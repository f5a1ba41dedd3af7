// The local GitHub REST server (generator/sandbox/github-server/) over the sandbox's bare copy of
// the platform repository, sending signed pull_request webhooks to the onboarding service.
import { randomBytes } from 'node:crypto';
import { SERVICE_WEBHOOK_PATH } from './service.ts';

export interface SandboxGitHub {
  url: string;
  /** Token the service presents to the local server (any non-empty token is accepted there). */
  token: string;
  stop(): Promise<void>;
}

interface GitHubServerModule {
  start(options: {
    port: number;
    repoDir: string;
    owner: string;
    repo: string;
    webhooks: { url: string; secret: string }[];
  }): Promise<{ url: string; stop(): Promise<void> }>;
}

// Loaded by path at run time: the server is its own module with its own owner, and the sandbox
// must fail with a clear message (not at import time) when it is missing.
const GITHUB_SERVER_MODULE = './github-server/index.ts';

export async function startSandboxGitHub(options: {
  repoDir: string;
  owner: string;
  repo: string;
  webhookUrl: string;
  webhookSecret: string;
}): Promise<SandboxGitHub> {
  let server: GitHubServerModule;
  try {
    server = (await import(GITHUB_SERVER_MODULE)) as GitHubServerModule;
  } catch (error) {
    throw new Error(`tenant-gitops: the local GitHub server (generator/sandbox/github-server/index.ts) could not be loaded`, { cause: error });
  }
  const started = await server.start({
    port: 0,
    repoDir: options.repoDir,
    owner: options.owner,
    repo: options.repo,
    webhooks: [{ url: `${options.webhookUrl}${SERVICE_WEBHOOK_PATH}`, secret: options.webhookSecret }],
  });
  return { url: started.url, token: `sandbox-${randomBytes(16).toString('hex')}`, stop: () => started.stop() };
}
