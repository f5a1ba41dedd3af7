// The few facts about the platform that every rendered tenant shares, kept in one place.
// The repository URL is a placeholder (the same as argocd/repo-url.yaml) until the platform repo is
// known: set TENANT_GITOPS_REPO_URL (CLI and service alike) or pass `platformRepoUrl`.

export const DEFAULT_PLATFORM_REPO_URL = 'https://git.example.invalid/platform/tenant-gitops.git';

/** The repository every AppProject may source from, unless a caller passes its own. */
export function platformRepoUrl(options: RenderOptions = {}): string {
  return options.platformRepoUrl ?? (process.env.TENANT_GITOPS_REPO_URL || DEFAULT_PLATFORM_REPO_URL);
}

/** ArgoCD's name and URL for the cluster it runs in. */
export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export const ARGOCD_NAMESPACE = 'argocd';

/** Pod Security Standards level and version enforced on every tenant namespace. */
export const POD_SECURITY_LEVEL = 'restricted';
export const POD_SECURITY_VERSION = 'v1.34';

/** Label and taint key of a dedicated node pool (value: the tenant name). */
export const DEDICATED_POOL_KEY = 'tenants.gitops.dev/tenant';

export interface RenderOptions {
  platformRepoUrl?: string;
}
