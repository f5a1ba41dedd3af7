// Which cluster a tenant runs on: `spec.cluster` (or its tier's defaultCluster) must be a cluster of
// the registry, and a tenant already generated for one cluster cannot move to another yet (nothing
// migrates its namespaces, volumes and workloads). Pure: the committed record is read by the caller.
import type { FieldIssue } from '../shared/errors.ts';
import type { ClusterRegistry, ResolvedCluster } from './clusters.ts';
import { clusterFilePath, CLUSTERS_DIR, tenantRecordPath } from './names.ts';
import { TIER_POLICIES } from './tiers.ts';
import type { ResolvedTenant } from './types.ts';

type Placed = Pick<ResolvedTenant, 'name' | 'tier' | 'cluster'>;
type PlacedWithSecrets = Placed & Pick<ResolvedTenant, 'secrets'>;

/** `spec.cluster` names no file of clusters/. */
export function unknownClusterIssue(tenant: Placed, known: readonly string[], file?: string): FieldIssue {
  const defaulted = TIER_POLICIES[tenant.tier].defaultCluster === tenant.cluster;
  return {
    ...(file ? { file } : {}),
    path: 'spec.cluster',
    message:
      `cluster "${tenant.cluster}"${defaulted ? ` (the ${tenant.tier} tier's default)` : ''} is not in the clusters registry ` +
      `(${known.length > 0 ? `known: ${known.join(', ')}` : `${CLUSTERS_DIR}/ is empty`})`,
    fix: `name one of the known clusters in spec.cluster, or add ${clusterFilePath(tenant.cluster)}`,
  };
}

/** The registry's entry for the tenant's cluster, or the issue refusing it. */
export function placeTenant(
  tenant: Placed,
  registry: ClusterRegistry,
  file?: string,
): { cluster: ResolvedCluster } | { issue: FieldIssue } {
  const cluster = registry.get(tenant.cluster);
  return cluster ? { cluster } : { issue: unknownClusterIssue(tenant, [...registry.keys()], file) };
}

/**
 * A tenant whose committed record (overlays/<name>/tenant.json, what main holds) names another
 * ArgoCD cluster than the one its spec now asks for. `committed` is that record's `cluster`, or
 * undefined for a tenant not generated yet.
 */
export function clusterMoveIssue(
  tenant: Placed,
  cluster: ResolvedCluster,
  committed: string | undefined,
  file?: string,
): FieldIssue | undefined {
  if (committed === undefined || committed === cluster.argocdCluster) return undefined;
  return {
    ...(file ? { file } : {}),
    path: 'spec.cluster',
    message:
      `moving a tenant between clusters is not supported yet: tenant ${tenant.name} runs on ArgoCD cluster "${committed}" ` +
      `(${tenantRecordPath(tenant.name)}) and its spec now places it on "${cluster.name}" (ArgoCD cluster "${cluster.argocdCluster}")`,
    fix:
      `keep spec.cluster on the cluster it runs on (the registry entry whose argocdCluster is "${committed}"); ` +
      'to move it, offboard the tenant and onboard it again on the other cluster',
  };
}

/** A spec asking for secrets (spec.secrets.enabled: true) on a cluster without a Vault. */
export function secretsWithoutVaultIssue(
  tenant: PlacedWithSecrets,
  cluster: ResolvedCluster,
  file?: string,
): FieldIssue | undefined {
  if (tenant.secrets !== 'on' || cluster.vault) return undefined;
  return {
    ...(file ? { file } : {}),
    path: 'spec.secrets.enabled',
    message: `tenant ${tenant.name} asks for a Vault secret store, and cluster "${cluster.name}" has no Vault`,
    fix: `add vault (server, authMount, kvMount) to ${clusterFilePath(cluster.name)}, or set spec.secrets.enabled: false`,
  };
}

/** What keeps a tenant off the cluster it names: a move from another cluster, secrets without a Vault. */
export function clusterFitIssues(
  tenant: PlacedWithSecrets,
  cluster: ResolvedCluster,
  committed: string | undefined,
  file?: string,
): FieldIssue[] {
  return [clusterMoveIssue(tenant, cluster, committed, file), secretsWithoutVaultIssue(tenant, cluster, file)].filter(
    (issue) => issue !== undefined,
  );
}

/** The `cluster` of a tenant record's JSON text, or undefined when there is none. */
export function committedCluster(recordText: string | null | undefined): string | undefined {
  if (!recordText) return undefined;
  try {
    const cluster = (JSON.parse(recordText) as { cluster?: unknown }).cluster;
    return typeof cluster === 'string' ? cluster : undefined;
  } catch {
    return undefined;
  }
}
