// Synthetic tenant specs for the benchmark: every feature in a fixed, repeatable mix.
import type { Tier } from '../../src/tenant/types.ts';

export function syntheticTenantName(i: number): string {
  return `bench${String(i).padStart(5, '0')}`;
}

/** A tenants/<name>.yaml document (spec v1) as a plain object; `variant` changes one quota. */
export function syntheticTenantSpec(i: number, variant = 0): Record<string, unknown> {
  const tier: Tier = (['free', 'business', 'enterprise'] as const)[i % 3]!;
  const spec: Record<string, unknown> = {
    tier,
    owners: [{ kind: 'Group', name: `${syntheticTenantName(i)}-admins` }],
  };
  if (tier !== 'free') spec.quota = { pods: String(10 + (i % 7) + variant) };
  if (tier === 'business') {
    spec.network = {
      allowIngressFromNamespaces: ['ingress-nginx'],
      allowEgressTo: [{ cidr: '10.20.0.0/16', ports: [5432] }],
    };
  }
  if (tier === 'enterprise') {
    spec.gpu = { slices: 1 + (i % 4) };
    spec.subNamespaces = [{ name: 'dev' }, { name: 'prod' }];
    spec.nodePool = i % 2 === 0 ? 'dedicated' : 'shared';
  }
  return { apiVersion: 'tenants.gitops.dev/v1', kind: 'Tenant', metadata: { name: syntheticTenantName(i) }, spec };
}
