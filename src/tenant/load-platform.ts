// The reviewed files of a platform repository that `generate` and `validate` judge together: the
// tenant specs and the clusters registry. Every problem of both is reported at once, and one bad
// file fails the whole load, so nothing is generated from half a repository.
import { InputError } from '../shared/errors.ts';
import { loadClusters, type ClusterRegistry } from './clusters.ts';
import { collectTenants, type LoadedTenant, type LoadOptions } from './load.ts';

export interface LoadedPlatform {
  tenants: LoadedTenant[];
  clusters: ClusterRegistry;
}

export async function loadPlatform(root: string, options: LoadOptions = {}): Promise<LoadedPlatform> {
  const clusters = loadClusters(root);
  const tenants = await collectTenants(root, options);
  const issues = [...clusters.issues, ...tenants.issues];
  if (issues.length > 0) throw new InputError(issues);
  return { tenants: tenants.loaded, clusters: clusters.registry };
}
