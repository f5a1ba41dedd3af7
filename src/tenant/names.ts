// Every name derived from a tenant, in one place: its namespaces, its ArgoCD Application and
// AppProject, its labels, its branch, and the repository paths the generator owns for it. Nothing
// else in the product builds `tenant-<name>` or `overlays/<name>` by hand.
import { PLATFORM_REGISTRY } from './platform.ts';
import type { Tier } from './types.ts';

/** A DNS-1123 label: what Kubernetes accepts as a namespace name, and what a tenant name must be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_PATTERN = DNS_LABEL.source;
export const MAX_NAMESPACE_LENGTH = 63;

// Namespaces -------------------------------------------------------------------------------------

export const NAMESPACE_PREFIX = 'tenant-';

export function rootNamespace(tenant: string): string {
  return `${NAMESPACE_PREFIX}${tenant}`;
}

export function subNamespace(tenant: string, sub: string): string {
  return `${NAMESPACE_PREFIX}${tenant}-${sub}`;
}

/** Every namespace a tenant owns, root first. */
export function tenantNamespaces(t: { name: string; subNamespaces: readonly string[] }): string[] {
  return [rootNamespace(t.name), ...t.subNamespaces.map((s) => subNamespace(t.name, s))];
}

// ArgoCD and cluster objects ---------------------------------------------------------------------

/** The Application the ApplicationSet generates for a tenant. */
export function applicationName(tenant: string): string {
  return `${NAMESPACE_PREFIX}${tenant}`;
}

/** The tenant's AppProject (argocd/tenants/<name>.yaml). */
export function appProjectName(tenant: string): string {
  return `${NAMESPACE_PREFIX}${tenant}`;
}

/** The Velero Backup of a tenant's offboarding: one per offboarding PR, so a retry finds the one it made. */
export function finalBackupName(tenant: string, pullRequest: number): string {
  return `${NAMESPACE_PREFIX}${tenant}-offboard-pr-${pullRequest}`;
}

export function priorityClassName(tier: Tier): string {
  return `${NAMESPACE_PREFIX}${tier}`;
}

/** Labels put on every tenant object and namespace. */
export const LABEL_TENANT = 'tenants.gitops.dev/tenant';
export const LABEL_TIER = 'tenants.gitops.dev/tier';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'tenant-gitops';
/** On the Namespaces of a tenant with GPU slices (value `true`): admission lets its pods tolerate GPU nodes. */
export const LABEL_GPU = 'tenants.gitops.dev/gpu';

/**
 * Annotations on every tenant Namespace that admission policies read: comma-separated, sorted.
 * The Namespace is synced by the platform Application and tenants cannot edit it.
 */
export const ANNOTATION_INGRESS_HOSTS = 'tenants.gitops.dev/ingress-hosts';
export const ANNOTATION_INGRESS_CLASSES = 'tenants.gitops.dev/ingress-classes';

/**
 * Annotations the platform puts on every tenant Namespace for its admission policies to read
 * (comma-separated, sorted). The Namespace is synced by the platform Application; a tenant cannot
 * edit it.
 */
export const ANNOTATION_STORAGE_CLASSES = 'tenants.gitops.dev/storage-classes';
export const ANNOTATION_IMAGE_REGISTRIES = 'tenants.gitops.dev/image-registries';

/** A tenant's private path in the platform registry; no other tenant's pods may pull from it. */
export function tenantImageRegistry(tenant: string): string {
  return `${PLATFORM_REGISTRY}/tenants/${tenant}`;
}

/**
 * A pod label a tenant sets to leave the platform's allow-same-tenant NetworkPolicy: such a pod
 * gets only what the tenant's own policies allow (and DNS), so a tenant can segment its workloads.
 */
export const LABEL_ISOLATED = 'tenants.gitops.dev/isolated';

/**
 * Annotation on every tenant Namespace naming the tenant's owners, read by the tenant-role-bindings
 * admission policy: `Group:acme-admins,User:alice@acme.example`. The kind is a fixed word before
 * the first ":", and "," can never occur in an owner name (src/tenant/owner-names.ts).
 */
export const ANNOTATION_OWNERS = 'tenants.gitops.dev/owners';

export function ownersAnnotation(owners: readonly { kind: string; name: string }[]): string {
  return owners.map((o) => `${o.kind}:${o.name}`).join(',');
}

// Git: branch and owned paths --------------------------------------------------------------------

export const TENANT_BRANCH_PREFIX = 'tenants/';

/** The branch one tenant's change is committed on. */
export function tenantBranch(tenant: string): string {
  return `${TENANT_BRANCH_PREFIX}${tenant}`;
}

/** The tenant a PR belongs to, from its head branch `tenants/<name>`; null for any other branch. */
export function tenantOfBranch(ref: string): string | null {
  if (!ref.startsWith(TENANT_BRANCH_PREFIX)) return null;
  const name = ref.slice(TENANT_BRANCH_PREFIX.length);
  return DNS_LABEL.test(name) ? name : null;
}

/** Where the reviewed specs live. */
export const TENANTS_DIR = 'tenants';
/** The generator's own folders: every file below them is rendered, nothing is hand-written. */
export const OVERLAYS_DIR = 'overlays';
export const ARGOCD_TENANTS_DIR = 'argocd/tenants';
/** argocd/clusters/<cluster>/: the Namespaces of the tenants on one cluster, synced to that cluster. */
export const ARGOCD_CLUSTERS_DIR = 'argocd/clusters';
/** The JSON Schema editors use for tenant files, generated from the zod schema. */
export const TENANT_SCHEMA_FILE = 'tenant.schema.json';
export const TENANT_SCHEMA_PATH = `${TENANTS_DIR}/${TENANT_SCHEMA_FILE}`;
/** The first line of every tenant file: points editors at the schema. */
export const TENANT_SCHEMA_COMMENT = ` yaml-language-server: $schema=./${TENANT_SCHEMA_FILE}`;

/** The namespaces the platform uses (generated from base/platform and argocd/), which no tenant
 *  may derive; the onboarding service reads it from the default branch. */
export const PLATFORM_NAMESPACES_FILE = 'platform-namespaces.json';
export const PLATFORM_NAMESPACES_PATH = `${TENANTS_DIR}/${PLATFORM_NAMESPACES_FILE}`;

/** Where the reviewed cluster files live: clusters/<name>.yaml, one per cluster tenants run on. */
export const CLUSTERS_DIR = 'clusters';
/** The JSON Schema editors use for cluster files, generated from the zod schema. */
export const CLUSTER_SCHEMA_FILE = 'cluster.schema.json';
export const CLUSTER_SCHEMA_PATH = `${CLUSTERS_DIR}/${CLUSTER_SCHEMA_FILE}`;
/** The first line of every cluster file. */
export const CLUSTER_SCHEMA_COMMENT = ` yaml-language-server: $schema=./${CLUSTER_SCHEMA_FILE}`;

/** Generated files outside the generator's folders. */
export const OWNED_SINGLE_FILES: readonly string[] = [
  TENANT_SCHEMA_PATH,
  PLATFORM_NAMESPACES_PATH,
  CLUSTER_SCHEMA_PATH,
];

export function tenantSpecPath(tenant: string): string {
  return `${TENANTS_DIR}/${tenant}.yaml`;
}

export function overlayDir(tenant: string): string {
  return `${OVERLAYS_DIR}/${tenant}`;
}

export function argocdTenantPath(tenant: string): string {
  return `${ARGOCD_TENANTS_DIR}/${tenant}.yaml`;
}

/** The folder of one registered cluster's tenant Namespaces (cluster = its clusters/ name). */
export function clusterNamespacesDir(cluster: string): string {
  return `${ARGOCD_CLUSTERS_DIR}/${cluster}`;
}

/** argocd/clusters/<cluster>/<tenant>.yaml: the tenant's Namespaces, on its own cluster only. */
export function tenantNamespacesPath(cluster: string, tenant: string): string {
  return `${clusterNamespacesDir(cluster)}/${tenant}.yaml`;
}

/** The file that keeps a cluster's folder in git while no tenant lives there (ArgoCD needs the path). */
export function clusterNamespacesReadmePath(cluster: string): string {
  return `${clusterNamespacesDir(cluster)}/README.md`;
}

/** The tenant a generated argocd/ path belongs to (its AppProject or its Namespaces), if any. */
export function tenantOfPlatformPath(path: string): string | undefined {
  if (!path.endsWith('.yaml')) return undefined;
  const parts = path.slice(0, -'.yaml'.length).split('/');
  if (parts.length === 3 && `${parts[0]}/${parts[1]}` === ARGOCD_TENANTS_DIR) return parts[2];
  if (parts.length === 4 && `${parts[0]}/${parts[1]}` === ARGOCD_CLUSTERS_DIR) return parts[3];
  return undefined;
}

/** Everything one tenant has in the repository; a path ending in '/' means everything under it. */
export function tenantRepositoryPaths(tenant: string, cluster: string): string[] {
  return [
    tenantSpecPath(tenant),
    `${overlayDir(tenant)}/`,
    argocdTenantPath(tenant),
    tenantNamespacesPath(cluster, tenant),
  ];
}

export function clusterFilePath(cluster: string): string {
  return `${CLUSTERS_DIR}/${cluster}.yaml`;
}

/** The record ArgoCD's git files generator reads for a tenant (it holds the tenant's cluster). */
export function tenantRecordPath(tenant: string): string {
  return `${overlayDir(tenant)}/tenant.json`;
}
