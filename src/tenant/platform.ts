// The few facts about the platform that every rendered tenant and the onboarding service share,
// kept in one place. The repository URL is a placeholder (the same as argocd/repo-url.yaml) until the
// platform repository is known: the edges (CLI, service) read TENANT_GITOPS_REPO_URL and pass it in
// as `platformRepoUrl`; nothing here reads the environment.

export const DEFAULT_PLATFORM_REPO_URL = 'https://git.example.invalid/platform/tenant-gitops.git';

/** The environment variable the CLI and the service read the platform repository URL from. */
export const PLATFORM_REPO_URL_ENV = 'TENANT_GITOPS_REPO_URL';

export interface RenderOptions {
  /** The repository every AppProject may source from. @default DEFAULT_PLATFORM_REPO_URL */
  platformRepoUrl?: string;
  /**
   * The registry clusters the tenants run on (clusters/<name>.yaml), by name: ArgoCD's name for each
   * is written into the tenant record the ApplicationSet reads, and its Vault into the tenant's
   * secret store. @default each cluster's ArgoCD name is its registry name, and it has no Vault
   */
  clusters?: ReadonlyMap<string, RenderCluster>;
}

/** What rendering needs of a registry cluster (a ResolvedCluster has it). */
export interface RenderCluster {
  argocdCluster: string;
  vault?: ClusterVault;
}

/** A cluster's Vault (clusters/<name>.yaml `vault`): where its tenants' secret stores read. */
export interface ClusterVault {
  /** Vault's address as the external-secrets controller reaches it. */
  server: string;
  /** The Kubernetes auth mount that verifies this cluster's ServiceAccount tokens. */
  authMount: string;
  /** The KV version 2 mount; tenant <name> reads only <kvMount>/tenants/<name>/. */
  kvMount: string;
}

/** The ArgoCD cluster a tenant of registry cluster `cluster` is deployed to. */
export function argocdClusterName(cluster: string, options: RenderOptions = {}): string {
  return options.clusters?.get(cluster)?.argocdCluster ?? cluster;
}

/** The repository every AppProject may source from. */
export function platformRepoUrl(options: RenderOptions = {}): string {
  return options.platformRepoUrl || DEFAULT_PLATFORM_REPO_URL;
}

/** The platform repository URL an edge was configured with (empty means the default). */
export function platformRepoUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env[PLATFORM_REPO_URL_ENV] || undefined;
}

/** ArgoCD's name and URL for the cluster it runs in. */
export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Where ArgoCD runs: the tenant Applications and AppProjects live in this namespace. */
export const ARGOCD_NAMESPACE = 'argocd';

/** Pod Security Standards level and version enforced on every tenant namespace. */
export const POD_SECURITY_LEVEL = 'restricted';
export const POD_SECURITY_VERSION = 'v1.34';

/**
 * The platform's image registry: tiers allow paths below it (src/tenant/tiers.ts), and each tenant
 * its own `<registry>/tenants/<name>`. Pods must pull with `imagePullPolicy: Always`, so the
 * registry checks the pod's pull credentials even when a node has the image cached.
 */
export const PLATFORM_REGISTRY = 'registry.example.com';

/**
 * The cluster's own address ranges, IPv4 and IPv6. No egress allowance may lie inside one, and
 * every allowance that contains one gets it as an ipBlock `except`: pods, Services and nodes are
 * reached through the same-tenant and DNS policies, never by an address range. The Service ranges
 * match the API server's `--service-cluster-ip-range` (scripts/control-plane.sh uses 10.96.0.0/16);
 * an operator whose cluster uses other ranges edits them here and runs `tenantctl generate`
 * (`generate --check` in CI shows every overlay the change touches).
 */
export const CLUSTER_NETWORKS: Readonly<Record<'pods' | 'services' | 'nodes', readonly string[]>> = {
  pods: ['10.244.0.0/16', 'fd00:10:244::/56'],
  services: ['10.96.0.0/16', 'fd00:10:96::/112'],
  nodes: ['10.0.0.0/16', 'fd00:10::/64'],
};

/** Label and taint key of a dedicated node pool (value: the tenant name). */
export const DEDICATED_POOL_KEY = 'tenants.gitops.dev/tenant';

/**
 * The longest ServiceAccount token a tenant may hold, in seconds (one day): the onboarding service's
 * `POST /v1/tenants/{name}/token` allows at most this, base/platform/admission-tenant-tokens.yaml
 * refuses longer TokenRequests in tenant namespaces, and the API server's
 * `--service-account-max-token-expiration` caps every other token at it (scripts/control-plane.sh).
 */
export const MAX_TOKEN_SECONDS = 86_400;
/** The shortest token the API server issues (TokenRequest validation: 10 minutes). */
export const MIN_TOKEN_SECONDS = 600;

/** Taint key of GPU nodes (the NVIDIA device plugin's resource name); only GPU tenants tolerate it. */
export const GPU_TAINT_KEY = 'nvidia.com/gpu';

/**
 * The platform's IngressClasses (base/platform/ingressclasses.yaml): `shared` is the internet-facing
 * controller every tier may use, and the cluster's default class, so an Ingress without
 * `ingressClassName` gets it from the DefaultIngressClass admission plugin; `internal` is the
 * private one (VPN and peered networks only). Which tier may use which is in tiers.ts.
 */
export const INGRESS_CLASS_SHARED = 'shared';
export const INGRESS_CLASS_INTERNAL = 'internal';

/**
 * The identities that write platform-made objects in tenant namespaces (objects labelled
 * managed-by tenant-gitops) and that the self-service admission policies therefore skip
 * (base/platform/admission-tenant-self-service.yaml, matchConditions on request.userInfo). Every
 * other identity — the tenant-admin ServiceAccount, the owners, any ServiceAccount a tenant makes —
 * is a tenant identity. Groups are set by the authenticator, and a tenant cannot impersonate.
 */
export const PLATFORM_WRITER_GROUPS: readonly string[] = [
  // Cluster administrators (break-glass, the test harness).
  'system:masters',
  // kube-controller-manager's controllers (namespace controller, garbage collector, …) with
  // --use-service-account-credentials.
  'system:serviceaccounts:kube-system',
  // HNC copies the parent's objects into sub-namespaces.
  'system:serviceaccounts:hnc-system',
];
export const PLATFORM_WRITER_USERS: readonly string[] = [
  // kube-controller-manager without per-controller credentials.
  'system:kube-controller-manager',
  // ArgoCD's application controller syncs every overlay.
  `system:serviceaccount:${ARGOCD_NAMESPACE}:argocd-application-controller`,
  // The onboarding service (base/platform/onboarding-service).
  'system:serviceaccount:gitops-onboarding:onboarding-service',
];
