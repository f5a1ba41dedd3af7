// Before an offboarding deletes a tenant's AppProject and Namespaces, the two platform Applications
// that sync them (`platform`: the AppProject; `cluster-<cluster>`: the Namespaces) must have compared
// the offboarding's merge commit, which no longer holds them, and have no sync running. Until then
// their desired state still holds the objects, and self-heal re-creates what was just deleted: the
// namespace comes back, empty, and the verification sweep finds it. Each round asks the one still
// behind to refresh (once: an annotation ArgoCD has not consumed yet is not written again), then
// reads again, until the deadline. A platform Application that does not exist syncs nothing back,
// and is not waited for.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { ARGOCD_NAMESPACE } from '../../tenant/platform.ts';
import { isNotFound } from './api-errors.ts';
import { APPLICATION_GROUP, APPLICATION_PLURAL, APPLICATION_VERSION } from './application-status.ts';
import {
  annotation,
  ANNOTATION_REFRESH,
  clusterPlatformApplication,
  hasAnnotation,
  PLATFORM_APPLICATION,
  revisionOf,
  type RawApplication,
} from './prompt-argocd.ts';

export interface PlatformCaughtUpOptions {
  /** The registry cluster the tenant lived on. */
  cluster: string;
  /** Whether a compared revision is the offboarding's merge commit or after it. */
  current: (revision: string) => Promise<boolean>;
  deadline: number;
  pollMs?: number;
  argocdNamespace?: string;
}

/** Waits until both platform Applications are past the merge; throws, naming the ones behind, at the deadline. */
export async function waitForPlatformCaughtUp(kubeConfig: KubeConfig, options: PlatformCaughtUpOptions): Promise<void> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const object = (name: string) => ({
    group: APPLICATION_GROUP,
    version: APPLICATION_VERSION,
    namespace: options.argocdNamespace ?? ARGOCD_NAMESPACE,
    plural: APPLICATION_PLURAL,
    name,
  });
  const names = [PLATFORM_APPLICATION, clusterPlatformApplication(options.cluster)];
  for (;;) {
    const behind: string[] = [];
    for (const name of names) {
      let app: RawApplication;
      try {
        app = (await custom.getNamespacedCustomObject(object(name))) as RawApplication;
      } catch (error) {
        if (isNotFound(error)) continue;
        throw error;
      }
      const revision = revisionOf(app);
      const compared = revision !== null && (await options.current(revision));
      const syncing =
        (app.operation !== undefined && app.operation !== null) || app.status?.operationState?.phase === 'Running';
      if (compared && !syncing) continue;
      behind.push(`${name} (${compared ? 'a sync is running' : `compared ${revision?.slice(0, 12) ?? 'nothing'}`})`);
      if (!compared && !hasAnnotation(app, ANNOTATION_REFRESH))
        await custom.patchNamespacedCustomObject(
          { ...object(name), body: annotation(ANNOTATION_REFRESH, 'normal') },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
    }
    if (behind.length === 0) return;
    if (Date.now() > options.deadline)
      throw new Error(
        `tenant-gitops: ArgoCD has not caught up with the offboarding's merge: ${behind.join(', ')}; ` +
          "deleting now would let it re-create the tenant's AppProject or Namespaces " +
          '(fix: check those Applications in ArgoCD, the job retries)',
      );
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
