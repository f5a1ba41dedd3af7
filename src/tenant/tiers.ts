// What each tier gets by default and how far a spec may raise it. Values are Kubernetes quantities
// in canonical form; a spec overrides a default but never beyond the ceiling.
import { INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED } from './platform.ts';
import type { CpuMemory, Tier } from './types.ts';

export const QUOTA_KEYS = [
  'limits.cpu',
  'limits.memory',
  'persistentvolumeclaims',
  'pods',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'services.loadbalancers',
  'services.nodeports',
] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

/** Object counts: a ResourceQuota counts whole objects, so "1.5" pods is nonsense. */
export const COUNT_QUOTA_KEYS: readonly QuotaKey[] = [
  'persistentvolumeclaims',
  'pods',
  'services.loadbalancers',
  'services.nodeports',
];

export type Limits = { default: CpuMemory; defaultRequest: CpuMemory; max: CpuMemory };

export interface TierPolicy {
  quotaDefaults: Record<QuotaKey, string>;
  quotaCeilings: Record<QuotaKey, string>;
  /** LimitRange defaults; `max` is also the ceiling for any per-container value. */
  limits: Limits;
  maxGpuSlices: number;
  maxSubNamespaces: number;
  dedicatedNodePool: boolean;
  /** IngressClasses the tier's Ingresses may name (namespace annotation, policy tenant-ingress), sorted. */
  ingressClasses: readonly string[];
}

export const TIER_POLICIES: Record<Tier, TierPolicy> = {
  free: {
    quotaDefaults: quota({
      cpu: ['1', '2'],
      memory: ['2Gi', '4Gi'],
      pods: '10',
      pvcs: '2',
      storage: '10Gi',
      lbs: '0',
      nodePorts: '0',
    }),
    quotaCeilings: quota({
      cpu: ['2', '4'],
      memory: ['4Gi', '8Gi'],
      pods: '20',
      pvcs: '5',
      storage: '20Gi',
      lbs: '0',
      nodePorts: '0',
    }),
    limits: {
      default: { cpu: '200m', memory: '256Mi' },
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      max: { cpu: '1', memory: '1Gi' },
    },
    maxGpuSlices: 0,
    maxSubNamespaces: 0,
    dedicatedNodePool: false,
    ingressClasses: [INGRESS_CLASS_SHARED],
  },
  business: {
    quotaDefaults: quota({
      cpu: ['4', '8'],
      memory: ['8Gi', '16Gi'],
      pods: '50',
      pvcs: '10',
      storage: '100Gi',
      lbs: '1',
      nodePorts: '0',
    }),
    quotaCeilings: quota({
      cpu: ['16', '32'],
      memory: ['32Gi', '64Gi'],
      pods: '200',
      pvcs: '50',
      storage: '500Gi',
      lbs: '2',
      nodePorts: '5',
    }),
    limits: {
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '250m', memory: '256Mi' },
      max: { cpu: '4', memory: '8Gi' },
    },
    maxGpuSlices: 2,
    maxSubNamespaces: 3,
    dedicatedNodePool: false,
    ingressClasses: [INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED],
  },
  enterprise: {
    quotaDefaults: quota({
      cpu: ['16', '32'],
      memory: ['64Gi', '128Gi'],
      pods: '200',
      pvcs: '50',
      storage: '1Ti',
      lbs: '2',
      nodePorts: '0',
    }),
    quotaCeilings: quota({
      cpu: ['64', '128'],
      memory: ['256Gi', '512Gi'],
      pods: '1k',
      pvcs: '200',
      storage: '5Ti',
      lbs: '10',
      nodePorts: '20',
    }),
    limits: {
      default: { cpu: '1', memory: '1Gi' },
      defaultRequest: { cpu: '500m', memory: '512Mi' },
      max: { cpu: '16', memory: '64Gi' },
    },
    maxGpuSlices: 16,
    maxSubNamespaces: 10,
    dedicatedNodePool: true,
    ingressClasses: [INGRESS_CLASS_INTERNAL, INGRESS_CLASS_SHARED],
  },
};

interface QuotaShorthand {
  /** [requests, limits] */
  cpu: [string, string];
  memory: [string, string];
  pods: string;
  pvcs: string;
  storage: string;
  lbs: string;
  nodePorts: string;
}

function quota(q: QuotaShorthand): Record<QuotaKey, string> {
  return {
    'limits.cpu': q.cpu[1],
    'limits.memory': q.memory[1],
    persistentvolumeclaims: q.pvcs,
    pods: q.pods,
    'requests.cpu': q.cpu[0],
    'requests.memory': q.memory[0],
    'requests.storage': q.storage,
    'services.loadbalancers': q.lbs,
    'services.nodeports': q.nodePorts,
  };
}
