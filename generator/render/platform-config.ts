// The few facts about the platform that every rendered tenant shares, kept in one place.
// The repository URL is a placeholder until the platform repo is known; pass `platformRepoUrl`
// in RenderOptions (the CLI reads TENANT_GITOPS_REPO_URL) to render for a real one.

export const DEFAULT_PLATFORM_REPO_URL = 'https://git.example.invalid/platform/tenant-gitops.git';

/** ArgoCD's name and URL for the cluster it runs in. */
export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export const ARGOCD_NAMESPACE = 'argocd';

/** Pod Security Standards level and version enforced on every tenant namespace. */
export const POD_SECURITY_LEVEL = 'restricted';
export const POD_SECURITY_VERSION = 'v1.34';

/** Label and taint key of a dedicated node pool (value: the tenant name). */
export const DEDICATED_POOL_KEY = 'tenants.gitops.dev/tenant';

/** The cloud metadata address: never reachable from a tenant. */
export const METADATA_CIDR = '169.254.169.254/32';

export interface RenderOptions {
  platformRepoUrl?: string;
}
