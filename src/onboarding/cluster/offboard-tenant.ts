// Removes a tenant from the cluster after its offboarding PR merged:
//  1. delete Application tenant-<name> in argocd with foreground cascade, so the Application only
//     disappears after what it owns (ArgoCD's resources-finalizer prunes the synced objects when
//     ArgoCD runs; the garbage collector handles ownerReferences), and wait until it is gone;
//  2. delete the tenant's AppProject tenant-<name> in argocd (Prune=false like the namespaces, so a
//     commit removing argocd/tenants/<name>.yaml never deletes it) and wait until it is gone;
//  3. delete the tenant's namespaces (made by the platform Application with Prune=false, so
//     ArgoCD never deletes them on its own) and wait until the namespace controller has emptied
//     and removed them.
// Idempotent: anything already gone counts as done, so a retried offboarding just finishes.
// It is step 3 of the provable offboarding (src/onboarding/job-handlers.ts): after the suspension
// (suspend-tenant.ts) and the final backup (final-backup.ts), before the verification sweep
// (verify-offboarding.ts).
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { applicationName, appProjectName, rootNamespace } from '../../tenant/names.ts';
import { ARGOCD_NAMESPACE } from '../../tenant/platform.ts';
import { ignoreNotFound } from './api-errors.ts';
import { APPLICATION_GROUP, APPLICATION_PLURAL, APPLICATION_VERSION } from './application-status.ts';

import { waitUntilGone } from './wait-until-gone.ts';

const APP_PROJECT_PLURAL = 'appprojects';

export interface OffboardOptions {
  /** For the whole operation (Application and namespaces). */
  timeoutMs: number;
  log: Logger;
  /** Where the Applications live; `argocd` unless ArgoCD runs elsewhere. */
  argocdNamespace?: string;
  /** The tenant's own cluster, where its namespaces are, when it is not ArgoCD's (`kubeConfig`). */
  tenantCluster?: KubeConfig;
}

export interface OffboardResult {
  applicationDeleted: boolean;
  appProjectDeleted: boolean;
  namespacesDeleted: string[];
}

/** `kubeConfig`: ArgoCD's cluster (the Application, the AppProject). */
export async function offboardTenantFromCluster(
  kubeConfig: KubeConfig,
  tenant: string,
  namespaces: string[],
  options: OffboardOptions,
): Promise<OffboardResult> {
  refuseForeignNamespaces(tenant, namespaces);
  const deadline = Date.now() + options.timeoutMs;
  const log = options.log.child({ tenant });
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = (options.tenantCluster ?? kubeConfig).makeApiClient(CoreV1Api);
  const application = {
    group: APPLICATION_GROUP,
    version: APPLICATION_VERSION,
    namespace: options.argocdNamespace ?? ARGOCD_NAMESPACE,
    plural: APPLICATION_PLURAL,
    name: applicationName(tenant),
  };

  const applicationDeleted = await ignoreNotFound(() =>
    custom.deleteNamespacedCustomObject({ ...application, propagationPolicy: 'Foreground' }),
  );
  log.info({ application: application.name, alreadyGone: !applicationDeleted }, 'deleting tenant Application');
  await waitUntilGone(() => custom.getNamespacedCustomObject(application), {
    deadline,
    what: `Application ${application.namespace}/${application.name}`,
    explain: explainStuckApplication,
  });

  // After the Application: a project deleted first would leave it unable to sync its own pruning.
  const appProject = { ...application, plural: APP_PROJECT_PLURAL, name: appProjectName(tenant) };
  const appProjectDeleted = await ignoreNotFound(() => custom.deleteNamespacedCustomObject(appProject));
  log.info({ appProject: appProject.name, alreadyGone: !appProjectDeleted }, 'deleting tenant AppProject');
  await waitUntilGone(() => custom.getNamespacedCustomObject(appProject), {
    deadline,
    what: `AppProject ${appProject.namespace}/${appProject.name}`,
    explain: explainStuckAppProject,
  });

  const namespacesDeleted: string[] = [];
  for (const namespace of namespaces) {
    if (await ignoreNotFound(() => core.deleteNamespace({ name: namespace }))) namespacesDeleted.push(namespace);
  }
  log.info({ namespaces, deleting: namespacesDeleted }, 'deleting tenant namespaces');
  for (const namespace of namespaces) {
    await waitUntilGone(() => core.readNamespace({ name: namespace }), {
      deadline,
      what: `Namespace ${namespace}`,
      explain: explainStuckNamespace,
    });
  }
  log.info({ namespaces }, 'tenant removed from the cluster');
  return { applicationDeleted, appProjectDeleted, namespacesDeleted };
}

/** Offboarding deletes namespaces: a list naming anything but this tenant's own is a bug upstream. */
export function refuseForeignNamespaces(tenant: string, namespaces: string[]): void {
  const root = rootNamespace(tenant);
  const foreign = namespaces.filter((ns) => ns !== root && !ns.startsWith(`${root}-`));
  if (foreign.length > 0) {
    throw new InputError(
      foreign.map((ns) => ({
        path: 'namespaces',
        message: `${ns} is not a namespace of tenant ${tenant} (expected ${root} or ${root}-<sub>)`,
        fix: "pass the namespaces from the tenant's tenant.json",
      })),
    );
  }
}

function explainStuckApplication(object: unknown): string {
  const finalizers = (object as { metadata?: { finalizers?: string[] } }).metadata?.finalizers ?? [];
  if (finalizers.includes('resources-finalizer.argocd.argoproj.io')) {
    return (
      'it still has the finalizer resources-finalizer.argocd.argoproj.io, which only a running ArgoCD ' +
      'application controller removes (after pruning the tenant resources); check that ArgoCD is running, ' +
      'or remove the finalizer by hand if ArgoCD is gone for good'
    );
  }
  if (finalizers.length > 0) {
    return `it still has the finalizers ${finalizers.join(', ')}; check kube-controller-manager (garbage collector) is running`;
  }
  return 'it has no finalizers left; it should disappear shortly, retry with a longer timeout';
}

function explainStuckAppProject(object: unknown): string {
  const finalizers = (object as { metadata?: { finalizers?: string[] } }).metadata?.finalizers ?? [];
  return finalizers.length > 0
    ? `it still has the finalizers ${finalizers.join(', ')}, which ArgoCD removes once no Application uses the project`
    : 'it has no finalizers left; it should disappear shortly, retry with a longer timeout';
}

function explainStuckNamespace(object: unknown): string {
  const ns = object as {
    status?: { phase?: string; conditions?: { type?: string; status?: string; message?: string }[] };
  };
  const blocking = (ns.status?.conditions ?? [])
    .filter((c) => c.status === 'True')
    .map((c) => `${c.type}: ${c.message ?? ''}`.trim());
  return (
    `phase ${ns.status?.phase ?? 'unknown'}` +
    (blocking.length ? `; ${blocking.join('; ')}` : '') +
    '; the namespace controller (kube-controller-manager) removes it once its contents and finalizers are gone'
  );
}
