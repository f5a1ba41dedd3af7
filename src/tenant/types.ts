// The resolved tenant: a validated spec with the tier's defaults applied and every quantity
// normalised. Everything downstream of spec/ (render, service, cluster) works on this shape only.

export const TIERS = ['free', 'business', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** Rollout wave per tier: free first, enterprise last. */
export const TIER_WAVE: Record<Tier, number> = { free: 1, business: 2, enterprise: 3 };

export interface Owner {
  kind: 'Group' | 'User';
  name: string;
}

export interface CpuMemory {
  cpu: string;
  memory: string;
}

export interface EgressAllowance {
  cidr: string;
  /** TCP ports; empty means every port. */
  ports: number[];
}

export interface ResolvedTenant {
  name: string;
  tier: Tier;
  owners: Owner[];
  /** Effective ResourceQuota `hard` (tier defaults merged with the spec), normalised, keys sorted. */
  quota: Record<string, string>;
  /** Effective per-container LimitRange. */
  limits: { default: CpuMemory; defaultRequest: CpuMemory; max: CpuMemory };
  /** Whole time-sliced GPU replicas (nvidia.com/gpu); 0 when the tenant has none. */
  gpuSlices: number;
  /** Child names, in spec order (namespace `tenant-<name>-<sub>`). */
  subNamespaces: string[];
  network: {
    allowIngressFromNamespaces: string[];
    allowEgressTo: EgressAllowance[];
  };
  nodePool: 'shared' | 'dedicated';
}

export const NAMESPACE_PREFIX = 'tenant-';

export function rootNamespace(tenant: string): string {
  return `${NAMESPACE_PREFIX}${tenant}`;
}

export function subNamespace(tenant: string, sub: string): string {
  return `${NAMESPACE_PREFIX}${tenant}-${sub}`;
}

/** Every namespace a tenant owns, root first. */
export function tenantNamespaces(t: Pick<ResolvedTenant, 'name' | 'subNamespaces'>): string[] {
  return [rootNamespace(t.name), ...t.subNamespaces.map((s) => subNamespace(t.name, s))];
}

/** Labels put on every tenant object and namespace. */
export const LABEL_TENANT = 'tenants.gitops.dev/tenant';
export const LABEL_TIER = 'tenants.gitops.dev/tier';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'tenant-gitops';

export function priorityClassName(tier: Tier): string {
  return `tenant-${tier}`;
}
