// A clusters/in-cluster.yaml sized for N synthetic tenants (testing/synthetic/tenants.ts): big nodes,
// as many as their grants need plus a quarter to spare, so the benchmarks and tests that generate
// thousands of synthetic tenants pass the capacity gate the way a real, sized fleet would.
import { stringify } from 'yaml';
import {
  capacityDemand,
  checkCapacity,
  nodesFor,
  type CapacityDemand,
  type DemandSource,
} from '../../src/tenant/capacity.ts';
import type { ClusterRegistry, NodePool } from '../../src/tenant/clusters.ts';
import { CLUSTER_SCHEMA_COMMENT, clusterFilePath } from '../../src/tenant/names.ts';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../../src/tenant/platform.ts';
import { syntheticTenantSpec } from './tenants.ts';

const NODE = { cpu: '64', memory: '256Gi', pods: 250, gpus: 8, gpuReplicas: 10 };

/** What synthetic tenant `i` is granted (its spec as written, the tier's defaults for the rest). */
export function syntheticDemand(i: number): CapacityDemand {
  const doc = syntheticTenantSpec(i) as {
    metadata: { name: string };
    spec: Pick<DemandSource, 'tier'> & {
      nodePool?: DemandSource['nodePool'];
      gpu?: { slices: number };
      quota?: Record<string, string>;
    };
  };
  const spec = doc.spec;
  return capacityDemand({
    name: doc.metadata.name,
    tier: spec.tier,
    cluster: IN_CLUSTER_NAME,
    nodePool: spec.nodePool ?? 'shared',
    gpuSlices: spec.gpu?.slices ?? 0,
    quota: spec.quota ?? {},
  });
}

/** Nodes like `pool`'s that the shared (not dedicated) `demands` need, at least one. */
export function sharedNodesNeeded(demands: readonly CapacityDemand[], pool: NodePool): number {
  const one: ClusterRegistry = new Map([
    [
      IN_CLUSTER_NAME,
      { name: IN_CLUSTER_NAME, argocdCluster: IN_CLUSTER_NAME, labels: {}, nodePools: [{ ...pool, nodes: 1 }] },
    ],
  ]);
  // On a one-node pool, granted / capacity is the number of nodes each resource needs.
  const shared = checkCapacity(demands, one).usage.find((u) => u.kind === 'shared');
  const needed = (shared?.resources ?? [])
    .filter((r) => r.capacity > 0n)
    .map((r) => Number((r.granted + r.capacity - 1n) / r.capacity));
  return Math.max(1, ...needed);
}

/** Node pools holding `demands` with a quarter to spare: one shared pool of GPU nodes, one dedicated. */
export function sizedNodePools(demands: readonly CapacityDemand[]): NodePool[] {
  const one = (name: string, dedicated: boolean): NodePool => ({ name, nodes: 1, ...NODE, dedicated });
  const dedicatedNodes = demands
    .filter((d) => d.dedicated)
    .reduce((sum, d) => sum + Number(nodesFor(d, one('dedicated', true)) ?? 1n), 0);
  const spare = (n: number) => Math.ceil(n * 1.25) + 1;
  return [
    { ...one('general', false), nodes: spare(sharedNodesNeeded(demands, one('general', false))) },
    { ...one('dedicated', true), nodes: spare(dedicatedNodes) },
  ];
}

/** The text of clusters/in-cluster.yaml for synthetic tenants 0 … count-1. */
export function syntheticClusterYaml(count: number): string {
  const demands = Array.from({ length: count }, (_, i) => syntheticDemand(i));
  const nodePools = sizedNodePools(demands);
  const doc = {
    name: IN_CLUSTER_NAME,
    argocdCluster: IN_CLUSTER_NAME,
    server: IN_CLUSTER_SERVER,
    labels: { region: 'synthetic' },
    nodePools,
  };
  return `#${CLUSTER_SCHEMA_COMMENT}\n${stringify(doc)}`;
}

/** clusters/in-cluster.yaml sized for synthetic tenants 0 … count-1, as a file to put in a platform copy. */
export function syntheticCluster(count: number): Record<string, string> {
  return { [clusterFilePath(IN_CLUSTER_NAME)]: syntheticClusterYaml(count) };
}
