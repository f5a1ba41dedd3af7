// The resolved tenant: a validated spec with the tier's defaults applied and every quantity
// normalised. Everything downstream of tenant/ (generate, onboarding) works on this shape only; the
// names derived from it are in names.ts.

export const TIERS = ['free', 'business', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** Rollout wave per tier: free first, enterprise last. */
export const TIER_WAVE: Record<Tier, number> = { free: 1, business: 2, enterprise: 3 };

export const OWNER_KINDS = ['Group', 'User'] as const;

export interface Owner {
  kind: (typeof OWNER_KINDS)[number];
  name: string;
}

/** The per-container resources a LimitRange sets; a spec overrides each under `spec.limits`. */
export const LIMIT_RESOURCES = ['cpu', 'ephemeral-storage', 'memory'] as const;
export type LimitResource = (typeof LIMIT_RESOURCES)[number];
/** One LimitRange field (`default`, `defaultRequest`, `max`): a quantity per resource. */
export type ContainerResources = Record<LimitResource, string>;

export interface EgressAllowance {
  cidr: string;
  /** TCP ports; empty means every port. */
  ports: number[];
}

export type SecretsMode = 'on' | 'default' | 'off';

export interface ResolvedTenant {
  name: string;
  tier: Tier;
  owners: Owner[];
  /** Effective ResourceQuota `hard` (tier defaults merged with the spec), normalised, keys sorted. */
  quota: Record<string, string>;
  /** Effective per-container LimitRange. */
  limits: { default: ContainerResources; defaultRequest: ContainerResources; max: ContainerResources };
  /** Whole time-sliced GPU replicas (nvidia.com/gpu); 0 when the tenant has none. */
  gpuSlices: number;
  /** Child names, in spec order (namespace `tenant-<name>-<sub>`). */
  subNamespaces: string[];
  network: {
    allowIngressFromNamespaces: string[];
    allowEgressTo: EgressAllowance[];
  };
  /** Ingress hostnames the tenant owns (exact names and `*.` patterns), sorted. */
  ingress: { hosts: string[] };
  nodePool: 'shared' | 'dedicated';
  /**
   * A SecretStore tenant-secrets in every namespace, reading <kvMount>/tenants/<name>/ of its
   * cluster's Vault: 'on' when spec.secrets asks for it (the cluster must have a Vault), 'default'
   * when the tier gives it (wherever the cluster has a Vault), 'off' when neither does.
   */
  secrets: SecretsMode;
  /** The clusters/<name>.yaml the tenant runs on: the spec's, or its tier's defaultCluster. */
  cluster: string;
}
