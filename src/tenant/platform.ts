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

/** Label and taint key of a dedicated node pool (value: the tenant name). */
export const DEDICATED_POOL_KEY = 'tenants.gitops.dev/tenant';

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
  'system:serviceaccount:tenant-gitops-system:onboarding-service',
];
