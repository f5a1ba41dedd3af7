// The first step of an offboarding, before any backup or deletion: the tenant stops serving and
// stops changing anything.
//  1. Each tenant namespace gets the label tenants.gitops.dev/suspended=true, and the admission
//     policy tenant-suspended (base/platform/admission-tenant-suspended.yaml) refuses every write
//     of a tenant identity there from then on: nothing scales back up, nothing is added or removed
//     while the final backup is taken.
//  2. Every workload is scaled to zero (Deployments, StatefulSets, ReplicaSets and
//     ReplicationControllers no other object owns), its replica count kept in the annotation
//     tenants.gitops.dev/replicas-before-suspend so a restored backup can be brought back as it was;
//     CronJobs and Jobs are suspended. With no pods left, the tenant's Services have no endpoints
//     and its Ingresses route to nothing.
// Idempotent: a namespace already gone is skipped, a workload already at zero keeps the count it
// had before the first suspension.
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Logger } from '../../shared/log.ts';
import { ignoreNotFound } from './api-errors.ts';

export const LABEL_SUSPENDED = 'tenants.gitops.dev/suspended';
export const ANNOTATION_REPLICAS_BEFORE_SUSPEND = 'tenants.gitops.dev/replicas-before-suspend';

export interface SuspendResult {
  /** Namespaces labelled suspended (those that still existed). */
  namespaces: string[];
  /** `Deployment tenant-acme/web (3 → 0)`, `CronJob tenant-acme/report (suspended)`, … */
  stopped: string[];
}

interface Scalable {
  metadata?: { name?: string; ownerReferences?: unknown[]; annotations?: Record<string, string> };
  spec?: { replicas?: number };
}

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export async function suspendTenant(
  kubeConfig: KubeConfig,
  namespaces: string[],
  options: { log: Logger },
): Promise<SuspendResult> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const result: SuspendResult = { namespaces: [], stopped: [] };
  for (const namespace of namespaces) {
    const labelled = await ignoreNotFound(() =>
      core.patchNamespace(
        { name: namespace, body: { metadata: { labels: { [LABEL_SUSPENDED]: 'true' } } } },
        MERGE_PATCH,
      ),
    );
    if (!labelled) continue;
    result.namespaces.push(namespace);

    const scale = async (kind: string, items: Scalable[], patch: (name: string, body: object) => Promise<unknown>) => {
      for (const item of items) {
        const name = item.metadata?.name ?? '';
        const replicas = item.spec?.replicas ?? 1;
        if ((item.metadata?.ownerReferences?.length ?? 0) > 0 || replicas === 0) continue;
        const before = item.metadata?.annotations?.[ANNOTATION_REPLICAS_BEFORE_SUSPEND] ?? String(replicas);
        await patch(name, {
          metadata: { annotations: { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: before } },
          spec: { replicas: 0 },
        });
        result.stopped.push(`${kind} ${namespace}/${name} (${replicas} → 0)`);
      }
    };
    await scale('Deployment', (await apps.listNamespacedDeployment({ namespace })).items, (name, body) =>
      apps.patchNamespacedDeployment({ name, namespace, body }, MERGE_PATCH),
    );
    await scale('StatefulSet', (await apps.listNamespacedStatefulSet({ namespace })).items, (name, body) =>
      apps.patchNamespacedStatefulSet({ name, namespace, body }, MERGE_PATCH),
    );
    await scale('ReplicaSet', (await apps.listNamespacedReplicaSet({ namespace })).items, (name, body) =>
      apps.patchNamespacedReplicaSet({ name, namespace, body }, MERGE_PATCH),
    );
    await scale(
      'ReplicationController',
      (await core.listNamespacedReplicationController({ namespace })).items,
      (name, body) => core.patchNamespacedReplicationController({ name, namespace, body }, MERGE_PATCH),
    );

    const suspend = { spec: { suspend: true } };
    for (const cronJob of (await batch.listNamespacedCronJob({ namespace })).items) {
      if (cronJob.spec?.suspend) continue;
      const name = cronJob.metadata?.name ?? '';
      await batch.patchNamespacedCronJob({ name, namespace, body: suspend }, MERGE_PATCH);
      result.stopped.push(`CronJob ${namespace}/${name} (suspended)`);
    }
    for (const job of (await batch.listNamespacedJob({ namespace })).items) {
      if (job.spec?.suspend || job.status?.completionTime) continue;
      const name = job.metadata?.name ?? '';
      await batch.patchNamespacedJob({ name, namespace, body: suspend }, MERGE_PATCH);
      result.stopped.push(`Job ${namespace}/${name} (suspended)`);
    }
  }
  options.log.info({ namespaces: result.namespaces, stopped: result.stopped }, 'tenant suspended');
  return result;
}
