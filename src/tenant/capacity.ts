// The capacity gate: per-tenant quotas do not stop their sum from exceeding what a cluster has, so
// what tenants are granted is added up per cluster and node pool and compared with the registry.
// Pure and exact (bigint nano-units, as quantity.ts parses them).
//
// - What counts: a tenant's requests.cpu, requests.memory and pods quota (what the scheduler
//   reserves; limits only cap bursts) and its GPU slices. Sub-namespaces share the tenant's quota
//   (HierarchicalResourceQuota), so a tenant counts once.
// - Where: a tenant without a dedicated pool lands on its cluster's shared pools (every pool with
//   `dedicated: false`; its pods carry no node selector, so the pools count as one). A tenant with
//   `nodePool: dedicated` gets whole nodes of the cluster's dedicated pool (at least one) and
//   nothing of the shared pools.
// - Overcommit: on shared pools cpu, memory and pods count 1/overcommit of the tier (tiers.ts);
//   GPU slices never do (capacity = nodes × gpus × gpuReplicas), nor do dedicated nodes.
import type { FieldIssue } from '../shared/errors.ts';
import type { ClusterRegistry, NodePool, ResolvedCluster } from './clusters.ts';
import { clusterFilePath } from './names.ts';
import { parseQuantity } from './quantity.ts';
import { TIER_POLICIES } from './tiers.ts';
import { TIERS, type Tier } from './types.ts';
import { amountText, dedicatedIssue, largestGrants, overcommitText } from './capacity-text.ts';

/** The resources the gate counts, as a quota names them (GPU slices as the device plugin's resource). */
export const CAPACITY_RESOURCES = ['requests.cpu', 'requests.memory', 'pods', 'nvidia.com/gpu'] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];
/** A dedicated pool hands out whole nodes. */
export type PoolResource = CapacityResource | 'nodes';

const NANO = 1_000_000_000n;

/** What one tenant is granted, in nano-units, before any overcommit. */
export interface CapacityDemand {
  tenant: string;
  tier: Tier;
  cluster: string;
  dedicated: boolean;
  amounts: Record<CapacityResource, bigint>;
}

/** The tenant fields the gate reads: a ResolvedTenant, or a stored spec (`quota` then holds only overrides). */
export interface DemandSource {
  name: string;
  tier: Tier;
  cluster: string;
  nodePool: 'shared' | 'dedicated';
  gpuSlices: number;
  quota: Readonly<Record<string, string | number | undefined>>;
}

export function capacityDemand(t: DemandSource): CapacityDemand {
  const quantity = (key: 'requests.cpu' | 'requests.memory' | 'pods') => {
    const parsed = parseQuantity(t.quota[key] ?? TIER_POLICIES[t.tier].quotaDefaults[key]);
    return parsed.ok ? parsed.quantity.nano : 0n;
  };
  return {
    tenant: t.name,
    tier: t.tier,
    cluster: t.cluster,
    dedicated: t.nodePool === 'dedicated',
    amounts: {
      'requests.cpu': quantity('requests.cpu'),
      'requests.memory': quantity('requests.memory'),
      pods: quantity('pods'),
      'nvidia.com/gpu': BigInt(t.gpuSlices) * NANO,
    },
  };
}

/** One resource of one pool (or of the shared pools together): granted after overcommit, and capacity. */
export interface ResourceUsage {
  resource: PoolResource;
  granted: bigint;
  capacity: bigint;
  /** The refusal, when granted exceeds capacity. */
  issue?: FieldIssue;
}

export interface PoolUsage {
  cluster: string;
  /** `shared` (every pool with dedicated: false) or `dedicated`. */
  kind: 'shared' | 'dedicated';
  /** The pools counted, in file order. */
  pools: string[];
  tenants: number;
  resources: ResourceUsage[];
}

export interface CapacityReport {
  usage: PoolUsage[];
  issues: FieldIssue[];
}

/** The least common multiple of the tiers' ratios: every weighted sum is kept exact as a multiple of it. */
const SCALE = BigInt(TIERS.map((t) => TIER_POLICIES[t].overcommit).reduce(lcm, 1));
const WEIGHT = Object.fromEntries(TIERS.map((t) => [t, SCALE / BigInt(TIER_POLICIES[t].overcommit)])) as Record<
  Tier,
  bigint
>;

/**
 * Every cluster of the registry that tenants are placed on: what its pools grant and hold, and an
 * issue for every pool and resource granted beyond its capacity. Demands on a cluster the registry
 * lacks are left to placement.ts.
 */
export function checkCapacity(demands: readonly CapacityDemand[], registry: ClusterRegistry): CapacityReport {
  const byCluster = new Map<string, CapacityDemand[]>();
  for (const d of demands) {
    if (!registry.has(d.cluster)) continue;
    const list = byCluster.get(d.cluster);
    if (list) list.push(d);
    else byCluster.set(d.cluster, [d]);
  }
  const report: CapacityReport = { usage: [], issues: [] };
  for (const [name, cluster] of registry) {
    const placed = byCluster.get(name) ?? [];
    for (const part of [sharedUsage(cluster, placed), dedicatedUsage(cluster, placed)]) {
      if (!part) continue;
      report.usage.push(part.usage);
      report.issues.push(...part.issues);
    }
  }
  return report;
}

type Part = { usage: PoolUsage; issues: FieldIssue[] } | undefined;

function sharedUsage(cluster: ResolvedCluster, placed: CapacityDemand[]): Part {
  const pools = cluster.nodePools.filter((p) => !p.dedicated);
  const tenants = placed.filter((d) => !d.dedicated);
  if (pools.length === 0 && tenants.length === 0) return undefined;
  const scaled = { 'requests.cpu': 0n, 'requests.memory': 0n, pods: 0n, 'nvidia.com/gpu': 0n };
  for (const d of tenants) {
    const weight = WEIGHT[d.tier];
    scaled['requests.cpu'] += d.amounts['requests.cpu'] * weight;
    scaled['requests.memory'] += d.amounts['requests.memory'] * weight;
    scaled.pods += d.amounts.pods * weight;
    scaled['nvidia.com/gpu'] += d.amounts['nvidia.com/gpu'];
  }
  const usage: PoolUsage = {
    cluster: cluster.name,
    kind: 'shared',
    pools: pools.map((p) => p.name),
    tenants: tenants.length,
    resources: [],
  };
  const issues: FieldIssue[] = [];
  for (const resource of CAPACITY_RESOURCES) {
    const capacity = pools.reduce((sum, pool) => sum + poolCapacity(pool, resource), 0n);
    // GPU slices are never overcommitted: their sum is not scaled.
    const over = resource === 'nvidia.com/gpu' ? scaled[resource] > capacity : scaled[resource] > capacity * SCALE;
    const granted = resource === 'nvidia.com/gpu' ? scaled[resource] : ceilDiv(scaled[resource], SCALE);
    const issue = over ? sharedIssue(cluster, usage, { resource, granted, capacity }, tenants) : undefined;
    usage.resources.push({ resource, granted, capacity, ...(issue ? { issue } : {}) });
    if (issue) issues.push(issue);
  }
  return { usage, issues };
}

function dedicatedUsage(cluster: ResolvedCluster, placed: CapacityDemand[]): Part {
  const index = cluster.nodePools.findIndex((p) => p.dedicated);
  const pool = cluster.nodePools[index];
  const tenants = placed.filter((d) => d.dedicated);
  if (!pool && tenants.length === 0) return undefined;
  const file = clusterFilePath(cluster.name);
  if (!pool) {
    return {
      usage: { cluster: cluster.name, kind: 'dedicated', pools: [], tenants: tenants.length, resources: [] },
      issues: [
        {
          file,
          path: 'nodePools',
          message:
            `cluster "${cluster.name}" has no dedicated pool, and ` +
            `${tenants.map((d) => d.tenant).join(', ')} ask for nodePool: dedicated`,
          fix: `add a pool with dedicated: true to ${file}, or place those tenants on a cluster that has one (spec.cluster)`,
        },
      ],
    };
  }
  const issues: FieldIssue[] = [];
  const asked: [string, bigint][] = [];
  for (const d of tenants) {
    const nodes = nodesFor(d, pool);
    if (nodes === undefined)
      issues.push({
        file,
        path: `nodePools[${index}].gpus`,
        message:
          `cluster "${cluster.name}", dedicated pool "${pool.name}": tenant ${d.tenant} asks for ` +
          `${amountText('nvidia.com/gpu', d.amounts['nvidia.com/gpu'])} GPU slices and the pool's nodes have no GPUs`,
        fix: `give the pool gpus and gpuReplicas in ${file}, or lower the tenant's gpu.slices to 0`,
      });
    else asked.push([d.tenant, nodes * NANO]);
  }
  const granted = asked.reduce((sum, [, n]) => sum + n, 0n);
  const capacity = BigInt(pool.nodes) * NANO;
  const issue = granted > capacity ? dedicatedIssue(cluster.name, index, pool, granted, asked) : undefined;
  if (issue) issues.push(issue);
  const usage: PoolUsage = {
    cluster: cluster.name,
    kind: 'dedicated',
    pools: [pool.name],
    tenants: tenants.length,
    resources: [{ resource: 'nodes', granted, capacity, ...(issue ? { issue } : {}) }],
  };
  return { usage, issues };
}

/** Whole nodes of `pool` a dedicated tenant needs for its quota and GPU slices (at least one); undefined when its GPUs cannot fit. */
export function nodesFor(d: CapacityDemand, pool: NodePool): bigint | undefined {
  let nodes = 1n;
  for (const resource of CAPACITY_RESOURCES) {
    const need = d.amounts[resource];
    if (need === 0n) continue;
    const perNode = poolCapacity({ ...pool, nodes: 1 }, resource);
    if (perNode === 0n) return undefined;
    const n = ceilDiv(need, perNode);
    if (n > nodes) nodes = n;
  }
  return nodes;
}

/** nodes × per-node allocatable, in nano-units; GPU: nodes × gpus × gpuReplicas slices. */
export function poolCapacity(pool: NodePool, resource: CapacityResource): bigint {
  const nodes = BigInt(pool.nodes);
  if (resource === 'nvidia.com/gpu') return nodes * BigInt(pool.gpus) * BigInt(pool.gpuReplicas) * NANO;
  if (resource === 'pods') return nodes * BigInt(pool.pods) * NANO;
  const parsed = parseQuantity(resource === 'requests.cpu' ? pool.cpu : pool.memory);
  return parsed.ok ? nodes * parsed.quantity.nano : 0n;
}

/** The registry field that holds each resource per node. */
const NODE_FIELD: Record<CapacityResource, string> = {
  'requests.cpu': 'cpu',
  'requests.memory': 'memory',
  pods: 'pods',
  'nvidia.com/gpu': 'gpus or gpuReplicas',
};

function sharedIssue(
  cluster: ResolvedCluster,
  usage: PoolUsage,
  row: { resource: CapacityResource; granted: bigint; capacity: bigint },
  tenants: CapacityDemand[],
): FieldIssue {
  const file = clusterFilePath(cluster.name);
  const pools = usage.pools.length > 0 ? usage.pools.map((p) => `"${p}"`).join(', ') : '(none)';
  const gpu = row.resource === 'nvidia.com/gpu';
  const grants: [string, bigint][] = tenants.map((d) => [
    d.tenant,
    gpu ? d.amounts[row.resource] : ceilDiv(d.amounts[row.resource] * WEIGHT[d.tier], SCALE),
  ]);
  const how = gpu ? '(never overcommitted)' : `(quotas divided by the tier's overcommit: ${overcommitText()})`;
  const limit = gpu ? ' (nodes × gpus × gpuReplicas)' : '';
  const lower = gpu ? 'gpu.slices' : `${row.resource} quotas`;
  return {
    file,
    path: `nodePools (shared: ${usage.pools.join(', ') || 'none'})`,
    message:
      `cluster "${cluster.name}", shared pools ${pools}: ${gpu ? 'GPU slices' : row.resource} oversubscribed: ` +
      `${amountText(row.resource, row.granted)} granted ${how} exceed the capacity of ` +
      `${amountText(row.resource, row.capacity)}${limit}; largest: ${largestGrants(grants, row.resource)}`,
    fix:
      `raise nodes or ${NODE_FIELD[row.resource]} of the shared pools in ${file}, lower the tenants' ${lower}, ` +
      'or place tenants on another cluster (spec.cluster)',
  };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a / b + (a % b === 0n ? 0n : 1n);
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a * b) / gcd(a, b);
}
