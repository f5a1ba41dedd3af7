// The onboarding service (src/onboarding/) configured for the sandbox: loopback only, SQLite in
// the sandbox's state dir, the local GitHub server, the sandbox's control plane.
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../src/shared/log.ts';
import { startService } from '../../src/onboarding/index.ts';

/** Where the service receives GitHub's webhooks. */
export const SERVICE_WEBHOOK_PATH = '/v1/github/webhook';

export interface SandboxServiceOptions {
  port: number;
  stateDir: string;
  token: string;
  kubeconfig: string;
  githubUrl: string;
  githubToken: string;
  owner: string;
  repo: string;
  webhookSecret: string;
  /** The URL ArgoCD reads the platform repository from (written into the PRs' AppProjects). */
  platformRepoUrl: string;
  log: Logger;
  /** Where the service sends its signed tenant.* callbacks, if anywhere. */
  callback?: { url: string; secret: string } | null;
  /** Each registry cluster's kubeconfig (the sandbox's own is `in-cluster`), when there are several. */
  clusterKubeconfigs?: Record<string, string>;
}

export async function startSandboxService(
  options: SandboxServiceOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfig);
  const running = await startService({
    host: '127.0.0.1',
    port: options.port,
    apiTokens: [{ name: 'sandbox', token: options.token }],
    databasePath: join(options.stateDir, 'service.sqlite'),
    github: {
      baseUrl: options.githubUrl,
      token: options.githubToken,
      owner: options.owner,
      repo: options.repo,
      webhookSecret: options.webhookSecret,
      platformRepoUrl: options.platformRepoUrl,
      // The local server has no rate limits to respect.
      throttle: false,
    },
    callback: options.callback ?? null,
    kubeConfig,
    clusterKubeConfigs: new Map(
      Object.entries(options.clusterKubeconfigs ?? {}).map(([name, path]) => {
        const kc = new KubeConfig();
        kc.loadFromFile(path);
        return [name, kc] as const;
      }),
    ),
    log: options.log.child({ component: 'service' }),
  });
  return { url: running.url, stop: () => running.stop() };
}
