// The reviewed files of a platform repository that `generate` and `validate` judge together: the
// tenant specs and the clusters registry. Every tenant's cluster must be in the registry, and may
// not differ from the one its committed record (overlays/<name>/tenant.json) names; no cluster or
// node pool may be granted more than it holds (the capacity gate, capacity.ts). Every problem
// is reported at once, and one bad file fails the whole load, so nothing is generated from half a
// repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { capacityDemand, checkCapacity, type PoolUsage } from './capacity.ts';
import { loadClusters, type ClusterRegistry } from './clusters.ts';
import { collectTenants, type LoadedTenant, type LoadOptions } from './load.ts';
import { tenantRecordPath } from './names.ts';
import { clusterFitIssues, committedCluster, placeTenant } from './placement.ts';

export interface LoadedPlatform {
  tenants: LoadedTenant[];
  /** The registry, which is also what the renderer needs of each cluster (RenderOptions.clusters). */
  clusters: ClusterRegistry;
  /** What every cluster's pools grant and hold. */
  capacity: PoolUsage[];
}

export async function loadPlatform(root: string, options: LoadOptions = {}): Promise<LoadedPlatform> {
  const clusters = loadClusters(root);
  const tenants = await collectTenants(root, options);
  const issues = [...clusters.issues, ...tenants.issues];
  // A registry with problems would name every tenant's cluster unknown: its own issues say enough.
  if (clusters.issues.length === 0) issues.push(...placementIssues(root, tenants.loaded, clusters.registry));
  const capacity = checkCapacity(
    tenants.loaded.map((l) => capacityDemand(l.tenant)),
    clusters.registry,
  );
  issues.push(...capacity.issues);
  if (issues.length > 0) throw new InputError(issues);
  return {
    tenants: tenants.loaded,
    clusters: clusters.registry,
    capacity: capacity.usage,
  };
}

function placementIssues(root: string, loaded: LoadedTenant[], registry: ClusterRegistry): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { file, tenant } of loaded) {
    const placed = placeTenant(tenant, registry, file);
    if ('issue' in placed) issues.push(placed.issue);
    else {
      issues.push(...clusterFitIssues(tenant, placed.cluster, committedCluster(readRecord(root, tenant.name)), file));
    }
  }
  return issues;
}

/** The tenant's generated record as it is on disk (what was last generated and committed), if any. */
function readRecord(root: string, tenant: string): string | null {
  try {
    return readFileSync(join(root, tenantRecordPath(tenant)), 'utf8');
  } catch {
    return null;
  }
}
