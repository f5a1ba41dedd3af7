// Asks ArgoCD to act on a merged tenant change now, instead of at its next poll (at ArgoCD's
// defaults the Application controller compares every 120 s plus up to 60 s of jitter, and the
// ApplicationSet's git generator re-reads git every 3 minutes), and in the order that removes the
// race between the Applications that make a tenant:
//   1. the platform Application (it syncs argocd/tenants/<t>.yaml: the tenant's AppProject) and the
//      platform Application of the tenant's cluster, cluster-<cluster> (it syncs
//      argocd/clusters/<cluster>/<t>.yaml: the tenant's Namespaces) are each asked to refresh until
//      they have compared a commit at or after the merge; their automated syncs then apply them;
//   2. only once the AppProject exists and the cluster's Application has compared the merge (its
//      sync of the Namespaces starts at once) is the ApplicationSet asked to re-read git. Asked
//      earlier, it refuses the Application ("references project … which does not exist") and tries
//      again only 3 minutes later, or the tenant's first sync finds no namespace and backs off;
//   3. the tenant's Application (and, for a change, the ApplicationSet again: the change may alter
//      what it generates) is asked to refresh until it has compared a commit at or after the merge;
//   4. when it is then OutOfSync, with automated sync off (RollingSync turns it off on every
//      generated Application) and no operation running, a sync operation is set on it, the way the
//      ApplicationSet controller's RollingSync sets one. A tenant's own change thus syncs at once,
//      whatever the tenants of earlier rollout steps are doing; platform-wide changes still go tier
//      by tier through RollingSync.
// Each call reads the five objects, writes what the next step needs and reports what it waits for;
// the service calls again a few seconds later until the tenant is provisioned. Only the refresh
// annotations and `operation` are written, and an annotation ArgoCD has not consumed yet is not
// written again, so calling often costs reads, not work for ArgoCD.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { applicationName, appProjectName } from '../../tenant/names.ts';
import { ARGOCD_NAMESPACE } from '../../tenant/platform.ts';
import { isNotFound } from './api-errors.ts';
import { APPLICATION_GROUP, APPLICATION_PLURAL, APPLICATION_VERSION } from './application-status.ts';

/** ArgoCD's annotations: the controllers remove each once they have acted on it. */
export const ANNOTATION_REFRESH = 'argocd.argoproj.io/refresh';
export const ANNOTATION_APPLICATION_SET_REFRESH = 'argocd.argoproj.io/application-set-refresh';
export const PLATFORM_APPLICATION = 'platform';

/** The platform Application of one registered cluster (argocd/clusters.yaml makes one per cluster). */
export function clusterPlatformApplication(cluster: string): string {
  return `cluster-${cluster}`;
}
export const TENANTS_APPLICATION_SET = 'tenants';

/** What one round saw of the objects that make a tenant. */
export interface ArgoObservation {
  /** null: the platform Application does not exist. */
  platform: { revision: string | null; refreshPending: boolean } | null;
  /** The tenant's cluster's platform Application (its Namespaces); null: it does not exist. */
  clusterPlatform: { name: string; revision: string | null; refreshPending: boolean } | null;
  appProjectExists: boolean;
  /** null: the ApplicationSet does not exist. */
  applicationSet: { refreshPending: boolean } | null;
  /** null: the ApplicationSet has not made the tenant's Application (yet). */
  application: {
    revision: string | null;
    sync: string;
    health: string;
    refreshPending: boolean;
    /** An operation is set or still running. */
    operationInProgress: boolean;
    automatedSync: boolean;
    resourceVersion: string | undefined;
    syncOptions: string[];
    retry: unknown;
    prune: boolean;
  } | null;
}

export type PromptAction =
  | 'refresh-platform'
  | 'refresh-cluster-platform'
  | 'refresh-applicationset'
  | 'refresh-application'
  | 'sync-application';

export interface PromptDecision {
  actions: PromptAction[];
  /** What the tenant waits for after these actions, for logs and the tenant's status. */
  waitingFor: string;
}

/**
 * The next step from what was seen; pure. `current(revision)` says whether a compared revision is
 * the merge commit or a descendant of it.
 */
export function decidePrompt(seen: ArgoObservation, current: (revision: string | null) => boolean): PromptDecision {
  const actions: PromptAction[] = [];
  if (seen.platform && !current(seen.platform.revision) && !seen.platform.refreshPending)
    actions.push('refresh-platform');
  const clusterPlatform = seen.clusterPlatform;
  if (clusterPlatform && !current(clusterPlatform.revision) && !clusterPlatform.refreshPending)
    actions.push('refresh-cluster-platform');
  const app = seen.application;
  if (!app) {
    if (!seen.platform) return { actions, waitingFor: `the platform Application ${PLATFORM_APPLICATION} (not found)` };
    if (!seen.appProjectExists) return { actions, waitingFor: 'the platform Application to create the AppProject' };
    if (!clusterPlatform) return { actions, waitingFor: "the cluster's platform Application (not found)" };
    if (!current(clusterPlatform.revision))
      return { actions, waitingFor: `the Application ${clusterPlatform.name} to compare the merge commit` };
    if (!seen.applicationSet)
      return { actions, waitingFor: `the ApplicationSet ${TENANTS_APPLICATION_SET} (not found)` };
    if (!seen.applicationSet.refreshPending) actions.push('refresh-applicationset');
    return { actions, waitingFor: 'the ApplicationSet to create the Application' };
  }
  if (!current(app.revision)) {
    if (!app.refreshPending) actions.push('refresh-application');
    // A change may also change what the ApplicationSet generates (tier label, namespaces).
    if (seen.applicationSet && !seen.applicationSet.refreshPending) actions.push('refresh-applicationset');
    return { actions, waitingFor: 'the Application to compare the merge commit' };
  }
  if (app.operationInProgress) return { actions, waitingFor: 'the sync operation to finish' };
  if (app.sync === 'OutOfSync') {
    if (app.automatedSync) return { actions, waitingFor: "the Application's automated sync" };
    actions.push('sync-application');
    return { actions, waitingFor: 'the sync operation to finish' };
  }
  return { actions, waitingFor: `the Application to become Healthy (${app.health}, ${app.sync})` };
}

/** What the service reads of an Application (and of the ApplicationSet's metadata). */
export interface RawApplication {
  metadata: { annotations?: Record<string, string>; resourceVersion?: string };
  spec?: {
    syncPolicy?: {
      automated?: { enabled?: boolean; prune?: boolean };
      syncOptions?: string[];
      retry?: unknown;
    };
  };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
    operationState?: { phase?: string };
  };
  operation?: unknown;
}

export interface PromptOptions {
  argocdNamespace?: string;
  /** The registry cluster the tenant lives on (clusters/<cluster>.yaml). */
  cluster: string;
  /** Whether a compared revision is the merge commit or after it (may ask GitHub). */
  current: (revision: string) => Promise<boolean>;
}

export interface PromptResult extends PromptDecision {
  seen: ArgoObservation;
}

/** One round: read, decide, write. Throws on API errors other than "not found". */
export async function promptArgoCD(
  kubeConfig: KubeConfig,
  tenant: string,
  options: PromptOptions,
): Promise<PromptResult> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const namespace = options.argocdNamespace ?? ARGOCD_NAMESPACE;
  const object = (plural: string, name: string) => ({
    group: APPLICATION_GROUP,
    version: APPLICATION_VERSION,
    namespace,
    plural,
    name,
  });
  const read = async (plural: string, name: string): Promise<RawApplication | null> => {
    try {
      return (await custom.getNamespacedCustomObject(object(plural, name))) as RawApplication;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };
  const clusterApplication = clusterPlatformApplication(options.cluster);
  const [platform, clusterPlatform, project, applicationSet, application] = await Promise.all([
    read(APPLICATION_PLURAL, PLATFORM_APPLICATION),
    read(APPLICATION_PLURAL, clusterApplication),
    read('appprojects', appProjectName(tenant)),
    read('applicationsets', TENANTS_APPLICATION_SET),
    read(APPLICATION_PLURAL, applicationName(tenant)),
  ]);
  const seen: ArgoObservation = {
    platform: platform && {
      revision: revisionOf(platform),
      refreshPending: hasAnnotation(platform, ANNOTATION_REFRESH),
    },
    clusterPlatform: clusterPlatform && {
      name: clusterApplication,
      revision: revisionOf(clusterPlatform),
      refreshPending: hasAnnotation(clusterPlatform, ANNOTATION_REFRESH),
    },
    appProjectExists: project !== null,
    applicationSet: applicationSet && {
      refreshPending: hasAnnotation(applicationSet, ANNOTATION_APPLICATION_SET_REFRESH),
    },
    application: application && {
      revision: revisionOf(application),
      sync: application.status?.sync?.status ?? 'Unknown',
      health: application.status?.health?.status ?? 'Unknown',
      refreshPending: hasAnnotation(application, ANNOTATION_REFRESH),
      operationInProgress:
        application.operation !== undefined && application.operation !== null
          ? true
          : application.status?.operationState?.phase === 'Running',
      automatedSync: automatedSyncOn(application),
      resourceVersion: application.metadata.resourceVersion,
      syncOptions: application.spec?.syncPolicy?.syncOptions ?? [],
      retry: application.spec?.syncPolicy?.retry,
      prune: application.spec?.syncPolicy?.automated?.prune ?? false,
    },
  };
  const known = new Map<string, boolean>();
  for (const revision of [seen.platform?.revision, seen.clusterPlatform?.revision, seen.application?.revision]) {
    if (revision && !known.has(revision)) known.set(revision, await options.current(revision));
  }
  const decision = decidePrompt(seen, (revision) => (revision ? (known.get(revision) ?? false) : false));
  const merge = (plural: string, name: string, body: object) =>
    custom.patchNamespacedCustomObject(
      { ...object(plural, name), body },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  for (const action of decision.actions) {
    switch (action) {
      case 'refresh-platform':
        await merge(APPLICATION_PLURAL, PLATFORM_APPLICATION, annotation(ANNOTATION_REFRESH, 'normal'));
        break;
      case 'refresh-cluster-platform':
        await merge(APPLICATION_PLURAL, clusterApplication, annotation(ANNOTATION_REFRESH, 'normal'));
        break;
      case 'refresh-applicationset':
        await merge('applicationsets', TENANTS_APPLICATION_SET, annotation(ANNOTATION_APPLICATION_SET_REFRESH, 'true'));
        break;
      case 'refresh-application':
        await merge(APPLICATION_PLURAL, applicationName(tenant), annotation(ANNOTATION_REFRESH, 'normal'));
        break;
      case 'sync-application': {
        const app = seen.application!;
        // resourceVersion makes the patch conditional: if ArgoCD (or RollingSync) changed the
        // Application since it was read, the API server refuses it (409) and the next round decides again.
        await merge(APPLICATION_PLURAL, applicationName(tenant), {
          metadata: { resourceVersion: app.resourceVersion },
          operation: syncOperation(app),
        });
        break;
      }
    }
  }
  return { ...decision, seen };
}

/** The operation RollingSync would set: same initiator shape, the template's options and retry. */
function syncOperation(app: NonNullable<ArgoObservation['application']>): object {
  return {
    initiatedBy: { username: 'tenant-gitops', automated: true },
    info: [
      {
        name: 'Reason',
        value: "tenant-gitops: the tenant's own change merged; synced without waiting for its rollout step",
      },
    ],
    sync: { prune: app.prune, ...(app.syncOptions.length > 0 ? { syncOptions: app.syncOptions } : {}) },
    retry: app.retry ?? { limit: 5 },
  };
}

export function annotation(key: string, value: string): object {
  return { metadata: { annotations: { [key]: value } } };
}

export function hasAnnotation(object: RawApplication, key: string): boolean {
  return object.metadata.annotations?.[key] !== undefined;
}

/** The compared revision (multi-source Applications, like the platform one, report one per source). */
export function revisionOf(app: RawApplication): string | null {
  return app.status?.sync?.revision ?? app.status?.sync?.revisions?.[0] ?? null;
}

function automatedSyncOn(app: RawApplication): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated.enabled !== false;
}
