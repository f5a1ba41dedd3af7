// Pod manifests for admission tests. `restrictedPod` passes Pod Security "restricted" and the
// platform's image policy (an allowed registry, imagePullPolicy: Always), so when a variant is
// refused the one thing the test changed is the reason.
import type { V1Container, V1Pod, V1Toleration } from '@kubernetes/client-node';
import { TIER_POLICIES } from '../../../src/tenant/tiers.ts';
import { TIERS } from '../../../src/tenant/types.ts';

/** A registry prefix every tier allows, so one test image runs in every tenant namespace. */
const SHARED_REGISTRY = TIER_POLICIES.free.imageRegistries.find((r) =>
  TIERS.every((tier) => TIER_POLICIES[tier].imageRegistries.includes(r)),
);
if (!SHARED_REGISTRY) throw new Error('tenant-gitops: no image registry is allowed on every tier');
export const TEST_IMAGE = `${SHARED_REGISTRY}/enforcement-test:1`;

export interface PodOptions {
  name: string;
  namespace: string;
  resources?: V1Container['resources'];
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  /** @default TEST_IMAGE */
  image?: string;
  /** @default 'Always' (what the platform requires); null leaves it to the API server's default. */
  imagePullPolicy?: string | null;
}

export function restrictedPod(o: PodOptions): V1Pod {
  const pullPolicy = o.imagePullPolicy === undefined ? 'Always' : o.imagePullPolicy;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: { 'app.kubernetes.io/name': 'enforcement-test' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: o.image ?? TEST_IMAGE,
          ...(pullPolicy === null ? {} : { imagePullPolicy: pullPolicy }),
          ...(o.resources ? { resources: o.resources } : {}),
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      ...(o.priorityClassName ? { priorityClassName: o.priorityClassName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
  };
}

/** Mutates the pod's only container (and pod spec) for a Pod Security variant. */
export function withContainer(pod: V1Pod, change: (c: V1Container) => void): V1Pod {
  const copy = structuredClone(pod);
  const container = copy.spec?.containers[0];
  if (!container) throw new Error('pod has no container');
  change(container);
  return copy;
}
