// `tenantctl serve [--port N] [--db FILE] [--repo OWNER/NAME] …`: runs the onboarding service until
// SIGINT/SIGTERM. Everything else (secrets included) comes from the environment; see config.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../shared/errors.ts';
import { createJsonLogger } from '../shared/log.ts';
import { loadServeConfig } from '../onboarding/config.ts';
import { startService } from '../onboarding/index.ts';

const USAGE =
  'usage: tenantctl serve [--host H] [--port N] [--db FILE] [--api-tokens-file FILE] [--github-url URL] [--repo OWNER/NAME]\n' +
  '                       [--callback-url URL] [--kubeconfig FILE|in-cluster] [--log-level debug|info|warn|error]\n' +
  'secrets from the environment: TENANT_GITOPS_GITHUB_TOKEN, or a GitHub App (TENANT_GITOPS_GITHUB_APP_ID,\n' +
  'TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE or TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY, TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID),\n' +
  'TENANT_GITOPS_WEBHOOK_SECRET, TENANT_GITOPS_CALLBACK_SECRET, TENANT_GITOPS_API_TOKENS (name=token scope…,…) or TENANT_GITOPS_API_TOKENS_FILE;\n' +
  'for offboarding in Vault: TENANT_GITOPS_VAULT_ADDR and TENANT_GITOPS_VAULT_TOKEN_FILE';

export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadServeConfig(argv, process.env);
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const log = createJsonLogger({ level: config.logLevel, bindings: { component: 'service' } });
  const kubeConfig = config.cluster ? await loadKubeConfig(config.cluster) : null;
  if (!kubeConfig && config.clusterKubeConfigs.length > 0) {
    process.stderr.write(
      'tenant-gitops: TENANT_GITOPS_CLUSTER_KUBECONFIGS is set but not TENANT_GITOPS_KUBECONFIG' +
        " (fix: set it to ArgoCD's cluster, where the Applications are)\n",
    );
    return 2;
  }
  const clusterKubeConfigs = new Map<string, KubeConfig>();
  for (const { cluster, kubeconfig } of config.clusterKubeConfigs)
    clusterKubeConfigs.set(cluster, await loadKubeConfig(kubeconfig));
  const throttled = process.env['TENANT_GITOPS_GITHUB_THROTTLE'] !== 'off';
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const running = await startService({
    host: config.host,
    port: config.port,
    apiTokens: config.apiTokens,
    databasePath: config.databasePath,
    bodyLimitBytes: config.bodyLimitBytes,
    // Off: neither plugin-throttling nor the content queue (for the local GitHub server only).
    github: { ...config.github, ...(throttled ? {} : { throttle: false, contentPacing: false as const }) },
    callback: config.callback,
    offboardApprovals: config.offboardApprovals,
    tokenLimits: config.tokenLimits,
    kubeConfig,
    clusterKubeConfigs,
    vault: config.vault,
    offboarding: config.offboarding,
    deletionSigningKey: config.deletionSigningKey,
    leaderElection: config.leaderElection && {
      ...config.leaderElection,
      // client-go's proportions (15 s, 10 s, 2 s): renew within two thirds of the lease, retry every 2/15 of it.
      renewDeadlineMs: Math.round((config.leaderElection.leaseDurationMs * 2) / 3),
      retryPeriodMs: Math.round(config.leaderElection.leaseDurationMs / 7.5),
    },
    log,
    jobRetry: numberFromEnv('TENANT_GITOPS_JOB_RETRY_BASE_MS', (ms) => ({ baseDelayMs: ms })),
    callbackRetry: numberFromEnv('TENANT_GITOPS_CALLBACK_RETRY_BASE_MS', (ms) => ({ baseDelayMs: ms })),
    outboxPollIntervalMs: numberFromEnv('TENANT_GITOPS_OUTBOX_POLL_MS', (ms) => ms),
    prompter: {
      // off: ArgoCD's own polling alone (the bench measures it).
      enabled: process.env['TENANT_GITOPS_ARGOCD_PROMPT'] !== 'off',
      intervalMs: numberFromEnv('TENANT_GITOPS_ARGOCD_PROMPT_INTERVAL_MS', (ms) => {
        // Each round is four reads per merged tenant: faster than twice a second only loads the API server.
        if (ms < 500)
          throw new Error(`tenant-gitops: TENANT_GITOPS_ARGOCD_PROMPT_INTERVAL_MS must be at least 500, got ${ms}`);
        return ms;
      }),
    },
    reconcileIntervalMs: numberFromEnv('TENANT_GITOPS_RECONCILE_INTERVAL_MS', (ms) => {
      // Each round reads every waiting PR from GitHub: faster than once a second only spends rate limit.
      if (ms < 1000)
        throw new Error(`tenant-gitops: TENANT_GITOPS_RECONCILE_INTERVAL_MS must be at least 1000, got ${ms}`);
      return ms;
    }),
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  const signal = await signalled;
  log.info({ signal }, 'stopping');
  await running.stop();
  return 0;
}

/** Imports the Kubernetes client only here: without a cluster, serve never loads it. */
async function loadKubeConfig(source: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  if (source === 'in-cluster') kubeConfig.loadFromCluster();
  else kubeConfig.loadFromFile(source);
  return kubeConfig;
}

function numberFromEnv<T>(name: string, wrap: (value: number) => T): T | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`tenant-gitops: ${name} must be a non-negative number of milliseconds, got ${raw}`);
  return wrap(value);
}
