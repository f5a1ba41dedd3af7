// The PR body's "Cluster headroom" table: for the tenant's pools (its cluster's shared pools, or its
// dedicated pool), per resource what tenants are granted against the capacity once this change is
// merged, and what stays free. Every value goes through code() like the rest of the body.
import { amountText, overcommitText } from '../../tenant/capacity-text.ts';
import type { PoolUsage } from '../../tenant/capacity.ts';
import { code } from '../../shared/markdown.ts';

export interface HeadroomView {
  intro: string;
  rows: { resource: string; granted: string; capacity: string; free: string }[];
}

export function headroomView(usage: PoolUsage): HeadroomView {
  const pools = usage.pools.length > 0 ? usage.pools.map((p) => code(p)).join(', ') : 'none';
  const how =
    usage.kind === 'shared'
      ? `shared pools ${pools} (${usage.tenants.toLocaleString('en-US')} tenants; cpu, memory and pods count ` +
        `1/overcommit of each tier's quota: ${overcommitText()}; ` +
        'GPU slices are never overcommitted)'
      : `dedicated pool ${pools} (${usage.tenants.toLocaleString('en-US')} tenants, whole nodes each)`;
  return {
    intro: `Cluster ${code(usage.cluster)}, ${how}, once this PR is merged:`,
    rows: usage.resources.map((r) => {
      const free = r.capacity - r.granted;
      return {
        resource: code(r.resource),
        granted: code(amountText(r.resource, r.granted)),
        capacity: code(amountText(r.resource, r.capacity)),
        free: free >= 0n ? code(amountText(r.resource, free)) : `none (over by ${code(amountText(r.resource, -free))})`,
      };
    }),
  };
}
