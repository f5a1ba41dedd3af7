// The cluster checks of a create or change, before anything is written (422 with generate's words):
// the tenant's cluster must be in the registry on the default branch, it may not move a tenant that
// main already places elsewhere, and the change may not oversubscribe its cluster's pools. The sum
// is over every tenant the service stores (all but deleted and rejected ones), as the host check's;
// tenants added to main by hand are counted by `generate` in CI.
import { InputError } from '../shared/errors.ts';
import { capacityDemand, checkCapacity, type CapacityDemand, type PoolUsage } from '../tenant/capacity.ts';
import { refusalsOfChange } from '../tenant/capacity-change.ts';
import type { ClusterRegistry, ResolvedCluster } from '../tenant/clusters.ts';
import { tenantSpecPath } from '../tenant/names.ts';
import { clusterFitIssues, unknownClusterIssue } from '../tenant/placement.ts';
import { TIER_POLICIES } from '../tenant/tiers.ts';
import { TIERS, type ResolvedTenant, type Tier } from '../tenant/types.ts';
import type { ServiceContext } from './context.ts';
import type { CapacityClaim } from './store/tenants.ts';

/**
 * Refuses (InputError) a tenant its cluster cannot take; returns the cluster. `merged`: the service
 * merged the tenant once, so main holds its record (a tenant never merged has none but one added by
 * hand, which `generate` checks in CI; not reading it saves a GitHub call per new tenant).
 */
export async function refuseMisplacement(
  context: ServiceContext,
  tenant: ResolvedTenant,
  merged: boolean,
): Promise<ResolvedCluster> {
  const file = tenantSpecPath(tenant.name);
  const cluster = await readTenantCluster(context, tenant, file);
  const committed = merged ? await context.spec.readCommittedCluster(tenant.name) : undefined;
  const unfit = clusterFitIssues(tenant, cluster, committed, file);
  if (unfit.length > 0) throw new InputError(unfit);
  const { others, stored } = storedDemands(context, tenant.name);
  const registry: ClusterRegistry = new Map([[cluster.name, cluster]]);
  const before = checkCapacity(stored ? [...others, stored] : others, registry);
  const after = checkCapacity([...others, capacityDemand(tenant)], registry);
  const refused = refusalsOfChange(before, after);
  if (refused.length > 0) throw new InputError(refused);
  return cluster;
}

/**
 * What a PR needs of the tenant's cluster: the cluster itself (its ArgoCD name and Vault go into the
 * rendered files), and the headroom of the tenant's pools once the change (already stored) is merged.
 */
export async function clusterOfChange(
  context: ServiceContext,
  tenant: ResolvedTenant,
): Promise<{ cluster: ResolvedCluster; headroom: PoolUsage | null }> {
  const cluster = await readTenantCluster(context, tenant, tenantSpecPath(tenant.name));
  const { others } = storedDemands(context, tenant.name);
  const mine = capacityDemand(tenant);
  const usage = checkCapacity([...others, mine], new Map([[cluster.name, cluster]])).usage;
  const kind = mine.dedicated ? 'dedicated' : 'shared';
  return { cluster, headroom: usage.find((u) => u.kind === kind) ?? null };
}

async function readTenantCluster(
  context: ServiceContext,
  tenant: ResolvedTenant,
  file: string,
): Promise<ResolvedCluster> {
  const read = await context.spec.readCluster(tenant.cluster);
  if ('known' in read) throw new InputError([unknownClusterIssue(tenant, read.known, file)]);
  return read.cluster;
}

/** Every other stored tenant's demand, and this tenant's as stored (before the change), if any. */
function storedDemands(context: ServiceContext, name: string): { others: CapacityDemand[]; stored?: CapacityDemand } {
  const others: CapacityDemand[] = [];
  let stored: CapacityDemand | undefined;
  for (const claim of context.store.tenants.capacityClaims()) {
    const demand = demandOfClaim(claim);
    if (!demand) continue;
    if (claim.name === name) stored = demand;
    else others.push(demand);
  }
  return stored ? { others, stored } : { others };
}

function demandOfClaim(claim: CapacityClaim): CapacityDemand | undefined {
  if (!(TIERS as readonly string[]).includes(claim.tier)) return undefined;
  const tier = claim.tier as Tier;
  return capacityDemand({
    name: claim.name,
    tier,
    cluster: claim.cluster ?? TIER_POLICIES[tier].defaultCluster,
    nodePool: claim.nodePool === 'dedicated' ? 'dedicated' : 'shared',
    gpuSlices: claim.gpuSlices,
    quota: claim.quota,
  });
}
