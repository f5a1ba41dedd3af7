// The edges the onboarding service depends on, as small interfaces. The service core only speaks
// to these; github-port.ts and cluster-port.ts wire the real modules (tenant/, generate/, github/,
// cluster/) behind them, and
// tests hand in the same real modules against local servers.
import type { PoolUsage } from '../tenant/capacity.ts';
import type { ResolvedCluster } from '../tenant/clusters.ts';
import type { ClusterVault, RenderCluster } from '../tenant/platform.ts';
import type { ResolvedTenant } from '../tenant/types.ts';
import type { FinalBackup } from './cluster/final-backup.ts';
import type { SuspendResult } from './cluster/suspend-tenant.ts';
import type { OffboardingCheck } from './cluster/verify-offboarding.ts';
import type { OpenedPullRequest, PullRequestTruth } from './github/index.ts';

export type PullRequestAction = 'create' | 'update' | 'offboard';

/** Validates a tenant document exactly as the CLI does; throws InputError listing every field. */
export interface SpecPort {
  parse(document: unknown, options?: { expectedName?: string }): { document: unknown; tenant: ResolvedTenant };
  /**
   * Refuses (InputError) a tenant deriving a namespace the platform uses, with the rule `tenantctl
   * generate` applies, against the platform namespaces on the default branch.
   */
  refusePlatformNamespaces(tenant: ResolvedTenant): Promise<void>;
  /**
   * clusters/<name>.yaml on the default branch, checked as `generate` checks it (a bad file throws);
   * when there is none, the names of the clusters that are there.
   */
  readCluster(name: string): Promise<{ cluster: ResolvedCluster } | { known: string[] }>;
  /** The ArgoCD cluster the tenant's record on the default branch names; undefined for a tenant not there. */
  readCommittedCluster(tenant: string): Promise<string | undefined>;
}

export interface TenantPullRequestRequest {
  tenant: ResolvedTenant;
  action: PullRequestAction;
  /** Repo-relative path → file content, committed on branch tenants/<name>. */
  files: Map<string, string>;
  deletePaths: string[];
  title: string;
  /** The whole review text (pullRequestBody); the GitHub side fits it to GitHub's body limit. */
  body: string;
  labels: string[];
}

export type { OpenedPullRequest, PullRequestTruth };

/** The platform repository on GitHub. */
export interface GitHubPort {
  /** `owner/repo`: a webhook naming any other repository is not about this platform. */
  repository: string;
  /** The PR as GitHub holds it now: what a merge or close is decided on, never a webhook body. */
  readPullRequest(number: number): Promise<PullRequestTruth>;
  /** Idempotent: finds and reuses the open PR of branch tenants/<name>. */
  openTenantPullRequest(request: TenantPullRequestRequest): Promise<OpenedPullRequest>;
  commentOnPullRequest(number: number, body: string): Promise<void>;
  /** True when `sha` is `ancestorSha` or a commit after it on the same history. */
  isSameOrDescendant(ancestorSha: string, sha: string): Promise<boolean>;
}

/** The files of a tenant's change: generated overlay, AppProject file, and the PR's text. */
export interface ChangePort {
  /**
   * Files the PR commits for a create/update (spec file included), rendered for the tenant's
   * cluster (its ArgoCD name goes into tenant.json, its Vault into the secret store).
   */
  filesFor(document: unknown, tenant: ResolvedTenant, cluster: RenderCluster): Map<string, string>;
  /** Paths an offboarding PR deletes (the tenant's Namespaces file is under its cluster's folder). */
  offboardPaths(tenant: string, cluster: string): string[];
  /**
   * The reviewer's text: warnings, then every field of the tenant against main's copy, then the
   * headroom of the tenant's pools after the change (none for an offboarding).
   */
  pullRequestBody(
    action: PullRequestAction,
    tenant: ResolvedTenant,
    headroom: PoolUsage | null,
  ): Promise<string> | string;
}

/**
 * Vault, when the service is given its address and a token (TENANT_GITOPS_VAULT_ADDR and
 * TENANT_GITOPS_VAULT_TOKEN_FILE): an offboarding removes the tenant's role, policy and secrets.
 */
export interface VaultPort {
  /** What was removed, one line each (for the tenant's history). */
  removeTenant(tenant: string, vault: ClusterVault): Promise<string[]>;
  /** What is left of the tenant in Vault (read back); empty once it is all gone. */
  leftovers(tenant: string, vault: ClusterVault): Promise<string[]>;
}

/** A tenant and the registry cluster it lives on (clusters/<cluster>.yaml): where its namespaces are. */
export interface PlacedTenant {
  name: string;
  cluster: string;
}

/**
 * The clusters, when one is configured: ArgoCD's (Applications, AppProjects) and each tenant's own
 * (its namespaces, its token, its offboarding), which may be another.
 */
export interface ClusterPort {
  requestToken(tenant: PlacedTenant, expirationSeconds: number): Promise<{ token: string; expiresAt: string }>;
  // The cluster half of an offboarding, one step each, in this order (job-handlers.ts keeps what
  // each finished step returned, so a retried offboarding records what the first attempt did).
  /** Labels the namespaces suspended (admission then refuses tenant writes), scales workloads to zero. */
  suspend(tenant: PlacedTenant, namespaces: string[]): Promise<SuspendResult & { at: string }>;
  /** The final Velero backup, awaited; null when none is configured. A failed one throws BackupFailedError. */
  finalBackup(tenant: PlacedTenant, namespaces: string[], name: string): Promise<FinalBackup | null>;
  /**
   * Deletes the Application (cascade), the AppProject and the namespaces; one line per object. The
   * last two only once ArgoCD's platform Applications have compared a revision `current` accepts
   * (the offboarding's merge or later), so their self-heal cannot re-create them.
   */
  remove(
    tenant: PlacedTenant,
    namespaces: string[],
    current: (revision: string) => Promise<boolean>,
  ): Promise<string[]>;
  /** The verification sweep, on the tenant's cluster: each check with its result. */
  verify(tenant: PlacedTenant, namespaces: string[]): Promise<OffboardingCheck[]>;
  /**
   * One round of asking ArgoCD to act on the tenant's merge now (cluster/prompt-argocd.ts).
   * `current(revision)` says whether a revision ArgoCD compared is the merge commit or after it.
   */
  promptArgoCD(
    tenant: PlacedTenant,
    current: (revision: string) => Promise<boolean>,
  ): Promise<{ actions: string[]; waitingFor: string }>;
}

/** What the Application watch reports (cluster/ ApplicationStatus). */
export interface ApplicationStatusReport {
  tenant: string;
  application: string;
  health: string;
  sync: string;
  revision: string | null;
  observedAt?: string;
}
