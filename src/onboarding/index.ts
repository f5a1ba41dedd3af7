// startService: the onboarding service with its real edges — the store (a SQLite file or
// PostgreSQL), GitHub, the cluster when one is configured — behind an HTTP server. With a Lease
// (several replicas), only its holder runs the background loops. `tenantctl serve` and the sandbox
// call this.
import type { ClusterOffboardingOptions } from './cluster-port.ts';
import { readSigningKey } from './deletion-record.ts';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../shared/log.ts';
import type { LeaderElectionOptions } from './cluster/leader-lease.ts';
import type { RetryPolicy } from './context.ts';
import { loadGitHubEdges, type GitHubEdgeOptions } from './github-port.ts';
import { ApiTokenAuthenticator, type ApiToken } from './http/auth.ts';
import type { TokenLimits } from './http/rate-limit.ts';
import { FULL_ACCESS, type Scope } from './http/scopes.ts';
import { createServiceHttpServer, type ConnectionLimits } from './http/server.ts';
import { ServiceMetrics } from './metrics.ts';
import { OnboardingService } from './service.ts';
import { isPostgresUrl, openStore } from './store/index.ts';
import { redactUrl } from './store/postgres.ts';
import type { SyncPrompterOptions } from './sync-prompter.ts';
import { vaultPort } from './vault-port.ts';

export interface StartServiceOptions {
  host?: string;
  port?: number;
  /**
   * Plain tokens are named token-1, token-2, …; name them to see who asked in the audit. A token
   * given here without scopes may do everything (tests, the sandbox); the token file and
   * TENANT_GITOPS_API_TOKENS (config.ts) require scopes on every token.
   */
  apiTokens: (string | (Omit<ApiToken, 'scopes'> & { scopes?: readonly Scope[] }))[];
  /** Per API token: requests in flight and started per second (DEFAULT_TOKEN_LIMITS). */
  tokenLimits?: Partial<TokenLimits>;
  /** 2: offboarding needs a second token's approval (POST /v1/tenants/{name}/offboard-approval). @default 1 */
  offboardApprovals?: 1 | 2;
  /** A SQLite file path, or a `postgres://` URL for a store several replicas share. */
  databasePath: string;
  /**
   * Several replicas: the Lease that elects the one running the background loops (the Application
   * watch, the reconciler, the outbox, the ArgoCD prompts). Needs the PostgreSQL store and a cluster.
   */
  leaderElection?: Pick<
    LeaderElectionOptions,
    'namespace' | 'name' | 'identity' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'
  > | null;
  bodyLimitBytes?: number;
  github: Omit<GitHubEdgeOptions, 'log'>;
  callback?: { url: string; secret: string } | null;
  kubeConfig?: KubeConfig | null;
  /** Each registry cluster's connection, for tenants outside ArgoCD's cluster (cluster-port.ts clusterConnections). */
  clusterKubeConfigs?: ReadonlyMap<string, KubeConfig>;
  /** The Vault an offboarding removes the tenant's role, policy and secrets from (vault-port.ts). */
  vault?: { address: string; token: string } | null;
  /** The offboarding's final Velero backup and its waits (cluster-port.ts); only with a cluster. */
  offboarding?: ClusterOffboardingOptions;
  /** PEM of the Ed25519 key deletion records are signed with (deletion-record.ts); absent: unsigned. */
  deletionSigningKey?: string | null;
  log: Logger;
  jobRetry?: Partial<RetryPolicy>;
  callbackRetry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>>;
  outboxPollIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** Asking ArgoCD to act on a merge now (sync-prompter.ts); only with a cluster. */
  prompter?: SyncPrompterOptions;
  relistIntervalMs?: number;
  /** Per-connection timeouts and the connection cap (http/server.ts DEFAULT_CONNECTION_LIMITS). */
  connections?: Partial<ConnectionLimits>;
}

export interface RunningService {
  url: string;
  port: number;
  service: OnboardingService;
  stop(): Promise<void>;
}

export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const log = options.log;
  if (options.leaderElection && !isPostgresUrl(options.databasePath))
    throw new Error(
      'tenant-gitops: several replicas need a store they share (fix: set TENANT_GITOPS_DB to a postgres:// URL, or run one replica without TENANT_GITOPS_LEASE)',
    );
  if (options.leaderElection && !options.kubeConfig)
    throw new Error(
      'tenant-gitops: the Lease that elects the leading replica lives in the cluster (fix: set TENANT_GITOPS_KUBECONFIG or run in a cluster)',
    );
  const store = openStore(options.databasePath);
  const edges = await loadGitHubEdges({ ...options.github, log: log.child({ component: 'github' }) });
  // The Kubernetes client is a large module graph (~75 MB resident, more under tsx): load it only
  // when a cluster is configured.
  const clusterEdge = options.kubeConfig ? await import('./cluster-port.ts') : null;
  const cluster =
    clusterEdge && options.kubeConfig
      ? clusterEdge.kubernetesClusterPort(
          clusterEdge.clusterConnections(options.kubeConfig, options.clusterKubeConfigs),
          log.child({ component: 'cluster' }),
          options.offboarding,
        )
      : null;
  const service = new OnboardingService({
    store,
    spec: edges.spec,
    change: edges.change,
    github: edges.github,
    cluster,
    vault: options.vault ? vaultPort(options.vault) : null,
    deletionSigningKey: options.deletionSigningKey ? readSigningKey(options.deletionSigningKey) : null,
    callback: options.callback ?? null,
    log,
    jobRetry: options.jobRetry,
    callbackRetry: options.callbackRetry,
    outboxPollIntervalMs: options.outboxPollIntervalMs,
    reconcileIntervalMs: options.reconcileIntervalMs,
    prompter: options.prompter,
    offboardApprovals: options.offboardApprovals,
  });
  let ready = false;
  const server = createServiceHttpServer({
    service,
    auth: new ApiTokenAuthenticator(
      options.apiTokens.map((t, i) =>
        typeof t === 'string'
          ? { name: `token-${i + 1}`, token: t, scopes: FULL_ACCESS }
          : { ...t, scopes: t.scopes ?? FULL_ACCESS },
      ),
    ),
    verifyWebhook: edges.verifyWebhook,
    metrics: new ServiceMetrics(),
    log: log.child({ component: 'http' }),
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    isReady: () => ready,
    connections: options.connections,
    tokenLimits: options.tokenLimits,
  });
  server.listen(options.port ?? 8080, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  // The background loops and the Application watch run in one replica: this one, or the Lease's holder.
  let watch: { ready: Promise<void>; stop(): Promise<void> } | null = null;
  const lead = () => {
    service.startBackground();
    watch =
      clusterEdge && options.kubeConfig
        ? clusterEdge.watchApplicationsInto(service, options.kubeConfig, log, options.relistIntervalMs)
        : null;
    if (watch) {
      void watch.ready.then(
        () => (ready = true),
        (error: unknown) => log.error({ error }, 'Application watch did not start'),
      );
    } else {
      ready = true;
    }
  };
  const follow = async () => {
    const stopping = watch;
    watch = null;
    await Promise.all([stopping?.stop(), service.stopBackground()]);
  };
  const election =
    options.leaderElection && clusterEdge && options.kubeConfig
      ? clusterEdge.startLeaderElection({
          ...options.leaderElection,
          kubeConfig: options.kubeConfig,
          log: log.child({ component: 'leader-election' }),
          onStartedLeading: lead,
          onStoppedLeading: () =>
            void follow().catch((error: unknown) => log.error({ error }, 'background loops did not stop cleanly')),
        })
      : null;
  // A replica that does not lead serves the API at once.
  if (election) ready = true;
  else lead();
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info(
    {
      url,
      database: isPostgresUrl(options.databasePath) ? redactUrl(options.databasePath) : options.databasePath,
      cluster: Boolean(cluster),
      vault: options.vault ? options.vault.address : null,
      finalBackup: options.offboarding?.backup
        ? `${options.offboarding.backup.namespace}/${options.offboarding.backup.storageLocation}`
        : null,
      deletionRecords: options.deletionSigningKey ? 'signed' : 'unsigned',
      lease: options.leaderElection ? `${options.leaderElection.namespace}/${options.leaderElection.name}` : null,
    },
    'onboarding service listening',
  );
  if (!options.deletionSigningKey)
    log.warn(
      {},
      'deletion records are not signed (fix: set TENANT_GITOPS_DELETION_SIGNING_KEY_FILE to an Ed25519 private key)',
    );
  return {
    url,
    port,
    service,
    stop: async () => {
      ready = false;
      server.closeIdleConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await election?.stop({ release: true });
      await follow();
      await service.stop();
      store.close();
    },
  };
}

export { OnboardingService } from './service.ts';
export type { ClusterPort, GitHubPort, SpecPort, ChangePort, ApplicationStatusReport } from './ports.ts';
export { verifyCallbackSignature } from './callback-signature.ts';
export { loadServeConfig } from './config.ts';
