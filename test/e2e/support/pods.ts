// Pod manifests for admission tests. `restrictedPod` passes Pod Security "restricted", so when a
// variant is refused the one thing the test changed is the reason.
import type { V1Container, V1Pod, V1Toleration } from '@kubernetes/client-node';

export interface PodOptions {
  name: string;
  namespace: string;
  resources?: V1Container['resources'];
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
}

export function restrictedPod(o: PodOptions): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: { 'app.kubernetes.io/name': 'enforcement-test' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.invalid/app:1',
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
