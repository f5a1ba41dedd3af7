// Benchmark of the capacity gate (`npm run bench -- --only capacity`): 10,000 synthetic tenants
// (testing/synthetic/tenants.ts) over a cluster sized for them (testing/synthetic/cluster.ts), the
// check `generate` and `validate` run over the whole fleet, and the one the service runs per
// request (the cluster before and after one tenant's change). Target: the fleet check ≤ 1 s. Two
// correctness targets: the sized cluster passes, and the same cluster one shared node short of what
// its tenants are granted is refused.
import { pathToFileURL } from 'node:url';
import { capacityDemand, checkCapacity, type CapacityDemand } from '../../src/tenant/capacity.ts';
import { refusalsOfChange } from '../../src/tenant/capacity-change.ts';
import { parseClusterYaml, type ClusterRegistry, type ResolvedCluster } from '../../src/tenant/clusters.ts';
import { parseTenantDocument } from '../../src/tenant/parse.ts';
import { sharedNodesNeeded, syntheticClusterYaml } from '../../testing/synthetic/cluster.ts';
import { syntheticTenantSpec } from '../../testing/synthetic/tenants.ts';

const TENANTS = 10_000;
const TARGET_MS = 1_000;
/** Timed runs after as many untimed ones; the median is reported. */
const RUNS = 5;

export interface CapacityBenchResult {
  tenants: number;
  targetMs: number;
  /** Demands from the resolved tenants plus the check, per run (median). */
  fleetMs: number;
  /** The service's per-request check: the cluster before and after one change, and the refusals. */
  requestMs: number;
  sizedIssues: number;
  shortIssues: number;
  shortFirstIssue: string;
  targets: { time: boolean; sizedPasses: boolean; shortRefused: boolean };
}

export function benchCapacity(tenants = TENANTS): CapacityBenchResult {
  const resolved = Array.from({ length: tenants }, (_, i) => parseTenantDocument(syntheticTenantSpec(i)).tenant);
  const { cluster } = parseClusterYaml(syntheticClusterYaml(tenants), { expectedName: 'in-cluster' });
  if (!cluster) throw new Error('tenant-gitops: the synthetic cluster file does not parse');
  const sized: ClusterRegistry = new Map([[cluster.name, cluster]]);
  const fleet = () => checkCapacity(resolved.map(capacityDemand), sized);
  const fleetMs = median(time(fleet));
  const demands = resolved.map(capacityDemand);
  const changed = capacityDemand({ ...resolved[0]!, quota: { ...resolved[0]!.quota, pods: '20' } });
  const request = () =>
    refusalsOfChange(checkCapacity(demands, sized), checkCapacity([changed, ...demands.slice(1)], sized));
  const requestMs = median(time(request));
  const sizedIssues = fleet().issues.length;
  const short = checkCapacity(demands, new Map([[cluster.name, oneNodeShort(cluster, demands)]]));
  return {
    tenants,
    targetMs: TARGET_MS,
    fleetMs,
    requestMs,
    sizedIssues,
    shortIssues: short.issues.length,
    shortFirstIssue: short.issues[0]?.message ?? '',
    targets: { time: fleetMs <= TARGET_MS, sizedPasses: sizedIssues === 0, shortRefused: short.issues.length > 0 },
  };
}

/** The cluster with its shared pool one node short of what its tenants are granted. */
function oneNodeShort(cluster: ResolvedCluster, demands: CapacityDemand[]): ResolvedCluster {
  const pool = cluster.nodePools.find((p) => !p.dedicated)!;
  const nodes = sharedNodesNeeded(demands, pool) - 1;
  return { ...cluster, nodePools: cluster.nodePools.map((p) => (p === pool ? { ...p, nodes } : p)) };
}

function time(run: () => unknown): number[] {
  for (let i = 0; i < RUNS; i++) run();
  return Array.from({ length: RUNS }, () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(benchCapacity(), null, 2)}\n`);
}
