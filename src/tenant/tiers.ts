// What each tier gets by default and how far a spec may raise it. Values are Kubernetes quantities
// in canonical form; a spec overrides a default but never beyond the ceiling.
import { tenantImageRegistry } from './names.ts';
import { IN_CLUSTER_NAME, INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED, PLATFORM_REGISTRY } from './platform.ts';
import type { ContainerResources, Tier } from './types.ts';

export const QUOTA_KEYS = [
  'configmaps',
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'persistentvolumeclaims',
  'pods',
  'replicationcontrollers',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
  'requests.storage',
  'secrets',
  'services',
  'services.loadbalancers',
  'services.nodeports',
] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

/** Object counts: a ResourceQuota counts whole objects, so "1.5" pods is nonsense. */
export const COUNT_QUOTA_KEYS: readonly QuotaKey[] = [
  'configmaps',
  'persistentvolumeclaims',
  'pods',
  'replicationcontrollers',
  'secrets',
  'services',
  'services.loadbalancers',
  'services.nodeports',
];

/**
 * ResourceQuotas per namespace: exactly what the platform creates there, never a tier value a spec
 * could raise. Every namespace gets `tenant-quota`; with sub-namespaces HNC adds its own
 * `hrq.hnc.x-k8s.io` in the parent and in every child to enforce the HierarchicalResourceQuota.
 * A per-namespace count, so it is never part of the HierarchicalResourceQuota (which sums its
 * keys over parent and children).
 */
export function platformResourceQuotas(t: { subNamespaces: readonly string[] }): number {
  return t.subNamespaces.length > 0 ? 2 : 1;
}

export type Limits = { default: ContainerResources; defaultRequest: ContainerResources; max: ContainerResources };

export interface TierPolicy {
  quotaDefaults: Record<QuotaKey, string>;
  quotaCeilings: Record<QuotaKey, string>;
  /** LimitRange defaults; `max` is also the ceiling for any per-container value. */
  limits: Limits;
  maxGpuSlices: number;
  maxSubNamespaces: number;
  dedicatedNodePool: boolean;
  /** Whether a tenant of the tier gets its Vault secret store (where its cluster has a Vault) unless its spec says otherwise. */
  secretsByDefault: boolean;
  /** The cluster (clusters/<name>.yaml) a tenant of the tier runs on unless its spec names one. */
  defaultCluster: string;
  /**
   * How many times over a shared node pool's cpu, memory and pods the tier's quotas may add up: a
   * tenant's requests.cpu, requests.memory and pods count 1/overcommit against the pool (capacity.ts).
   * A whole number ≥ 1; GPU slices and dedicated nodes are never overcommitted.
   */
  overcommit: number;
  /** IngressClasses the tier's Ingresses may name (namespace annotation, policy tenant-ingress), sorted. */
  ingressClasses: readonly string[];
  /** StorageClasses a PVC may name (sorted); every other class is refused at admission. */
  storageClasses: readonly string[];
  /** Registry prefixes every image must start with (`<prefix>/…`), sorted. */
  imageRegistries: readonly string[];
}

/** Every StorageClass some tier offers: a class no tier offers is refused everywhere anyway. */
export const STORAGE_CLASSES = ['standard', 'ssd', 'premium'] as const;

/** Curated mirrors of public images (every tier), vendor images the platform vetted, licensed images. */
const REGISTRY = {
  library: `${PLATFORM_REGISTRY}/library`,
  verified: `${PLATFORM_REGISTRY}/verified`,
  licensed: `${PLATFORM_REGISTRY}/licensed`,
};

export const TIER_POLICIES: Record<Tier, TierPolicy> = {
  free: {
    quotaDefaults: quota({
      cpu: ['1', '2'],
      memory: ['2Gi', '4Gi'],
      ephemeralStorage: ['5Gi', '10Gi'],
      pods: '10',
      pvcs: '2',
      storage: '10Gi',
      lbs: '0',
      nodePorts: '0',
      services: '10',
      configmaps: '20',
      secrets: '20',
      replicationcontrollers: '0',
    }),
    quotaCeilings: quota({
      cpu: ['2', '4'],
      memory: ['4Gi', '8Gi'],
      ephemeralStorage: ['10Gi', '20Gi'],
      pods: '20',
      pvcs: '5',
      storage: '20Gi',
      lbs: '0',
      nodePorts: '0',
      services: '20',
      configmaps: '50',
      secrets: '50',
      replicationcontrollers: '5',
    }),
    limits: {
      default: { cpu: '200m', 'ephemeral-storage': '512Mi', memory: '256Mi' },
      defaultRequest: { cpu: '100m', 'ephemeral-storage': '256Mi', memory: '128Mi' },
      max: { cpu: '1', 'ephemeral-storage': '2Gi', memory: '1Gi' },
    },
    maxGpuSlices: 0,
    maxSubNamespaces: 0,
    dedicatedNodePool: false,
    secretsByDefault: false,
    defaultCluster: IN_CLUSTER_NAME,
    overcommit: 4,
    ingressClasses: [INGRESS_CLASS_SHARED],
    storageClasses: ['standard'],
    imageRegistries: [REGISTRY.library],
  },
  business: {
    quotaDefaults: quota({
      cpu: ['4', '8'],
      memory: ['8Gi', '16Gi'],
      ephemeralStorage: ['25Gi', '50Gi'],
      pods: '50',
      pvcs: '10',
      storage: '100Gi',
      lbs: '1',
      nodePorts: '0',
      services: '50',
      configmaps: '100',
      secrets: '100',
      replicationcontrollers: '0',
    }),
    quotaCeilings: quota({
      cpu: ['16', '32'],
      memory: ['32Gi', '64Gi'],
      ephemeralStorage: ['100Gi', '200Gi'],
      pods: '200',
      pvcs: '50',
      storage: '500Gi',
      lbs: '2',
      nodePorts: '5',
      services: '200',
      configmaps: '500',
      secrets: '500',
      replicationcontrollers: '20',
    }),
    limits: {
      default: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '512Mi' },
      defaultRequest: { cpu: '250m', 'ephemeral-storage': '256Mi', memory: '256Mi' },
      max: { cpu: '4', 'ephemeral-storage': '10Gi', memory: '8Gi' },
    },
    maxGpuSlices: 2,
    maxSubNamespaces: 3,
    dedicatedNodePool: false,
    secretsByDefault: true,
    defaultCluster: IN_CLUSTER_NAME,
    overcommit: 2,
    ingressClasses: [INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED],
    storageClasses: ['ssd', 'standard'],
    imageRegistries: [REGISTRY.library, REGISTRY.verified],
  },
  enterprise: {
    quotaDefaults: quota({
      cpu: ['16', '32'],
      memory: ['64Gi', '128Gi'],
      ephemeralStorage: ['200Gi', '400Gi'],
      pods: '200',
      pvcs: '50',
      storage: '1Ti',
      lbs: '2',
      nodePorts: '0',
      services: '200',
      configmaps: '500',
      secrets: '500',
      replicationcontrollers: '0',
    }),
    quotaCeilings: quota({
      cpu: ['64', '128'],
      memory: ['256Gi', '512Gi'],
      ephemeralStorage: ['1Ti', '2Ti'],
      pods: '1k',
      pvcs: '200',
      storage: '5Ti',
      lbs: '10',
      nodePorts: '20',
      services: '1k',
      configmaps: '2k',
      secrets: '2k',
      replicationcontrollers: '50',
    }),
    limits: {
      default: { cpu: '1', 'ephemeral-storage': '2Gi', memory: '1Gi' },
      defaultRequest: { cpu: '500m', 'ephemeral-storage': '512Mi', memory: '512Mi' },
      max: { cpu: '16', 'ephemeral-storage': '50Gi', memory: '64Gi' },
    },
    maxGpuSlices: 16,
    maxSubNamespaces: 10,
    dedicatedNodePool: true,
    secretsByDefault: true,
    defaultCluster: IN_CLUSTER_NAME,
    overcommit: 1,
    ingressClasses: [INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED],
    storageClasses: ['premium', 'ssd', 'standard'],
    imageRegistries: [REGISTRY.library, REGISTRY.licensed, REGISTRY.verified],
  },
};

/** Registry prefixes a tenant's images may come from: its tier's, and its own private path. */
export function imageRegistries(t: { name: string; tier: Tier }): string[] {
  return [...TIER_POLICIES[t.tier].imageRegistries, tenantImageRegistry(t.name)].sort();
}

/** The ResourceQuota keys that cap one StorageClass (Kubernetes' `<class>.storageclass.storage.k8s.io/…`). */
export function storageClassQuotaKeys(storageClass: string): { storage: string; claims: string } {
  const prefix = `${storageClass}.storageclass.storage.k8s.io`;
  return { storage: `${prefix}/requests.storage`, claims: `${prefix}/persistentvolumeclaims` };
}

interface QuotaShorthand {
  /** [requests, limits] */
  cpu: [string, string];
  memory: [string, string];
  ephemeralStorage: [string, string];
  pods: string;
  pvcs: string;
  storage: string;
  lbs: string;
  nodePorts: string;
  services: string;
  configmaps: string;
  secrets: string;
  replicationcontrollers: string;
}

function quota(q: QuotaShorthand): Record<QuotaKey, string> {
  return {
    configmaps: q.configmaps,
    'limits.cpu': q.cpu[1],
    'limits.ephemeral-storage': q.ephemeralStorage[1],
    'limits.memory': q.memory[1],
    persistentvolumeclaims: q.pvcs,
    pods: q.pods,
    replicationcontrollers: q.replicationcontrollers,
    'requests.cpu': q.cpu[0],
    'requests.ephemeral-storage': q.ephemeralStorage[0],
    'requests.memory': q.memory[0],
    'requests.storage': q.storage,
    secrets: q.secrets,
    services: q.services,
    'services.loadbalancers': q.lbs,
    'services.nodeports': q.nodePorts,
  };
}
