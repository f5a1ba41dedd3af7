import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityDemand, checkCapacity, type DemandSource } from '../../src/tenant/capacity.ts';
import type { ClusterRegistry, NodePool, ResolvedCluster } from '../../src/tenant/clusters.ts';
import { loadPlatform } from '../../src/tenant/index.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';

function pool(name: string, extra: Partial<NodePool> = {}): NodePool {
  return { name, nodes: 1, cpu: '8', memory: '32Gi', pods: 110, gpus: 0, gpuReplicas: 1, dedicated: false, ...extra };
}

function registry(...nodePools: NodePool[]): ClusterRegistry {
  const cluster: ResolvedCluster = { name: 'eu-1', argocdCluster: 'eu-1', labels: {}, nodePools };
  return new Map([['eu-1', cluster]]);
}

function tenant(name: string, spec: Partial<DemandSource> = {}): DemandSource {
  return { name, tier: 'business', cluster: 'eu-1', nodePool: 'shared', gpuSlices: 0, quota: {}, ...spec };
}

const check = (tenants: DemandSource[], reg: ClusterRegistry) => checkCapacity(tenants.map(capacityDemand), reg);

describe('checkCapacity', () => {
  it('GIVEN two business tenants of 16 cpu on one 8-cpu node WHEN checked THEN requests.cpu is oversubscribed, with cluster, pool, sums and fix', () => {
    const { issues } = check(
      [tenant('acme', { quota: { 'requests.cpu': '16' } }), tenant('globex', { quota: { 'requests.cpu': '16' } })],
      registry(pool('general')),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({
      file: 'clusters/eu-1.yaml',
      path: 'nodePools (shared: general)',
      message:
        'cluster "eu-1", shared pools "general": requests.cpu oversubscribed: 16 granted (quotas divided by the ' +
        "tier's overcommit: free 4, business 2, enterprise 1) exceed the capacity of 8; largest: acme 8, globex 8",
      fix:
        "raise nodes or cpu of the shared pools in clusters/eu-1.yaml, lower the tenants' requests.cpu quotas, " +
        'or place tenants on another cluster (spec.cluster)',
    });
  });

  it.each([
    { what: 'four free tenants of 2 cpu on a 2-cpu pool (overcommit 4)', tier: 'free', count: 4, fits: true },
    { what: 'five free tenants of 2 cpu on a 2-cpu pool', tier: 'free', count: 5, fits: false },
    {
      what: 'two enterprise tenants of 1 cpu on a 2-cpu pool (overcommit 1)',
      tier: 'enterprise',
      count: 2,
      fits: true,
    },
    { what: 'three enterprise tenants of 1 cpu on a 2-cpu pool', tier: 'enterprise', count: 3, fits: false },
  ] as const)('GIVEN $what WHEN checked THEN it fits: $fits', ({ tier, count, fits }) => {
    const cpu = tier === 'free' ? '2' : '1';
    const tenants = Array.from({ length: count }, (_, i) => tenant(`t${i}`, { tier, quota: { 'requests.cpu': cpu } }));
    const { issues, usage } = check(tenants, registry(pool('general', { cpu: '2' })));
    expect(issues.filter((i) => i.message.includes('requests.cpu')).length === 0).toBe(fits);
    expect(usage[0]?.resources.find((r) => r.resource === 'requests.cpu')?.capacity).toBe(2_000_000_000n);
  });

  it('GIVEN more GPU slices than GPUs × replicas WHEN checked THEN the GPU is refused and never overcommitted', () => {
    const tenants = Array.from({ length: 6 }, (_, i) => tenant(`t${i}`, { tier: 'free', gpuSlices: 2 }));
    const { issues } = check(tenants, registry(pool('general'), pool('gpu', { gpus: 1, gpuReplicas: 10 })));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(
      /^cluster "eu-1", shared pools "general", "gpu": GPU slices oversubscribed: 12 granted \(never overcommitted\) exceed the capacity of 10 \(nodes × gpus × gpuReplicas\)/,
    );
    expect(issues[0]?.fix).toMatch(/gpus or gpuReplicas of the shared pools in clusters\/eu-1\.yaml/);
  });

  it('GIVEN dedicated tenants WHEN they need more whole nodes than the pool has THEN the pool is refused', () => {
    const big = { tier: 'enterprise', nodePool: 'dedicated', quota: { 'requests.cpu': '32' } } as const;
    const reg = registry(
      pool('general'),
      pool('dedicated', { nodes: 3, cpu: '16', memory: '128Gi', pods: 250, dedicated: true }),
    );
    // 32 cpu on 16-cpu nodes: two nodes; a tenant with a small quota still takes one whole node.
    const small = tenant('initrode', { tier: 'enterprise', nodePool: 'dedicated', quota: { 'requests.cpu': '1' } });
    const fits = check([tenant('acme', big), small], reg);
    expect(fits.issues).toEqual([]);
    expect(fits.usage.find((u) => u.kind === 'dedicated')?.resources).toEqual([
      { resource: 'nodes', granted: 3_000_000_000n, capacity: 3_000_000_000n },
    ]);
    const { issues } = check([tenant('acme', big), small, tenant('globex', big)], reg);
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'clusters/eu-1.yaml',
        path: 'nodePools[1].nodes',
        message: expect.stringMatching(
          /^cluster "eu-1", dedicated pool "dedicated": 5 whole nodes asked \(largest: acme 2, globex 2, initrode 1\) exceed its 3 nodes/,
        ),
        fix: expect.stringMatching(/raise nodes of pool "dedicated" in clusters\/eu-1\.yaml/),
      }),
    ]);
  });

  it('GIVEN a dedicated tenant WHEN the cluster has no dedicated pool or its GPUs cannot fit THEN it is named', () => {
    const dedicated = tenant('acme', { tier: 'enterprise', nodePool: 'dedicated', gpuSlices: 1 });
    expect(check([dedicated], registry(pool('general'))).issues[0]?.message).toMatch(
      /cluster "eu-1" has no dedicated pool, and acme ask for nodePool: dedicated/,
    );
    const noGpus = check([dedicated], registry(pool('dedicated', { dedicated: true }))).issues;
    expect(noGpus[0]).toMatchObject({ path: 'nodePools[0].gpus', message: expect.stringMatching(/have no GPUs/) });
  });

  it('GIVEN this checkout WHEN checked THEN the example tenants fit in-cluster with room to spare', async () => {
    const { tenants, clusters } = await loadPlatform(REPO_ROOT);
    const { issues, usage } = checkCapacity(
      tenants.map((l) => capacityDemand(l.tenant)),
      clusters,
    );
    expect(issues).toEqual([]);
    for (const part of usage)
      for (const row of part.resources)
        expect(row.granted * 2n, `${part.kind} ${row.resource}`).toBeLessThanOrEqual(row.capacity);
  });

  const demandArbitrary = fc.record({
    name: fc.stringMatching(/^[a-z]{1,8}$/),
    tier: fc.constantFrom('free' as const, 'business' as const, 'enterprise' as const),
    cluster: fc.constant('eu-1'),
    nodePool: fc.constantFrom('shared' as const, 'dedicated' as const),
    gpuSlices: fc.integer({ min: 0, max: 16 }),
    quota: fc.record({
      'requests.cpu': fc.integer({ min: 0, max: 64_000 }).map((m) => `${m}m`),
      'requests.memory': fc.integer({ min: 0, max: 256 }).map((g) => `${g}Gi`),
      pods: fc.integer({ min: 0, max: 1000 }).map(String),
    }),
  });
  const reg = registry(
    pool('general', { nodes: 4, cpu: '16', memory: '64Gi' }),
    pool('gpu', { gpus: 2, gpuReplicas: 10 }),
    pool('dedicated', { nodes: 5, cpu: '32', memory: '128Gi', gpus: 1, gpuReplicas: 10, dedicated: true }),
  );

  it('GIVEN any tenants WHEN checked THEN a pool is refused exactly when what it grants exceeds its capacity, in any order', () => {
    fc.assert(
      fc.property(fc.array(demandArbitrary, { maxLength: 30 }), (tenants) => {
        const report = check(tenants, reg);
        const over = report.usage.flatMap((u) => u.resources.filter((r) => r.granted > r.capacity));
        // Granted is rounded up to a nano-unit, so "over" on the rounded figure is exactly "over" on the exact sum.
        const refusals = report.issues.filter((i) => !i.path.endsWith('.gpus'));
        expect(refusals.length).toBe(over.length);
        expect(check([...tenants].reverse(), reg)).toEqual(report);
      }),
    );
  });

  it('GIVEN any tenants WHEN one more joins THEN nothing granted shrinks and no refusal disappears', () => {
    fc.assert(
      fc.property(fc.array(demandArbitrary, { maxLength: 20 }), demandArbitrary, (tenants, extra) => {
        const before = check(tenants, reg);
        const after = check([...tenants, extra], reg);
        const granted = (r: typeof before) => r.usage.flatMap((u) => u.resources.map((x) => x.granted));
        granted(after).forEach((g, i) => expect(g).toBeGreaterThanOrEqual(granted(before)[i] ?? 0n));
        for (const issue of before.issues.filter((i) => !i.path.endsWith('.gpus')))
          expect(after.issues.map((i) => i.path)).toContain(issue.path);
      }),
    );
  });
});
