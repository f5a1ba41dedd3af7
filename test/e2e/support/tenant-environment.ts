// Puts tenants on the control plane the way the platform does: base/platform (cluster-wide objects),
// then each tenant's Namespaces from argocd/clusters/<cluster>/<t>.yaml (its AppProject from
// argocd/tenants/<t>.yaml too when ArgoCD's CRDs are installed), then the rendered overlay, all server-side applied. `remove` deletes what this
// environment created (namespaces are finalised by the namespace controller) and leaves
// cluster-wide objects that existed before it alone.
import { ApiextensionsV1Api, CoreV1Api, KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { ARGOCD_NAMESPACE, type RenderOptions } from '../../../src/tenant/platform.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { tenantNamespaces } from '../../../src/tenant/names.ts';
import { deleteObjects, serverSideApply, statusCodeOf, type KubeObject } from './kube-objects.ts';
import { renderPlatformCopy, type PlatformCopy } from './platform-copy.ts';

export interface TenantEnvironment {
  tenants: ResolvedTenant[];
  copy: PlatformCopy;
  /** Everything applied per tenant (namespaces and overlay objects). */
  applied: Map<string, KubeObject[]>;
  remove(): Promise<void>;
}

async function exists(kc: KubeConfig, object: KubeObject): Promise<boolean> {
  return KubernetesObjectApi.makeApiClient(kc)
    .read(object)
    .then(
      () => true,
      (error: unknown) => {
        if (statusCodeOf(error) === 404) return false;
        throw error;
      },
    );
}

async function argocdCrdsInstalled(kc: KubeConfig): Promise<boolean> {
  return kc
    .makeApiClient(ApiextensionsV1Api)
    .readCustomResourceDefinition({ name: 'appprojects.argoproj.io' })
    .then(
      () => true,
      () => false,
    );
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`tenant-gitops: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function setUpTenants(
  kc: KubeConfig,
  tenants: ResolvedTenant[],
  options: RenderOptions = {},
): Promise<TenantEnvironment> {
  const copy = renderPlatformCopy(tenants, options);
  const withAppProjects = await argocdCrdsInstalled(kc);
  const platform = await copy.platformObjects();
  // Namespaces the platform objects land in but do not create themselves (argocd, for the
  // tenants' AppProjects) are made here, and removed again only if made here.
  const declared = new Set(platform.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const homes = [
    ...new Set(
      [...platform.map((o) => o.metadata.namespace), withAppProjects ? ARGOCD_NAMESPACE : undefined].filter(
        (n): n is string => !!n && !declared.has(n),
      ),
    ),
  ];
  const prerequisites: KubeObject[] = homes.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  const created: KubeObject[] = [];
  for (const object of [...prerequisites, ...platform]) if (!(await exists(kc, object))) created.push(object);
  await serverSideApply(kc, [...prerequisites, ...platform]);

  const applied = new Map<string, KubeObject[]>();
  const core = kc.makeApiClient(CoreV1Api);
  for (const tenant of tenants) {
    const argocd = copy.argocdTenantObjects(tenant.name).filter((o) => withAppProjects || o.kind !== 'AppProject');
    const overlay = await copy.overlayObjects(tenant.name);
    await serverSideApply(kc, argocd);
    await serverSideApply(kc, overlay);
    applied.set(tenant.name, [...argocd, ...overlay]);
    // Pods need the namespace's `default` ServiceAccount (made by the serviceaccount controller).
    for (const namespace of tenantNamespaces(tenant)) {
      await waitFor(`ServiceAccount default in ${namespace}`, () =>
        core.readNamespacedServiceAccount({ name: 'default', namespace }).then(
          () => true,
          () => undefined,
        ),
      );
    }
  }
  return {
    tenants,
    copy,
    applied,
    remove: async () => {
      for (const objects of applied.values())
        await deleteObjects(
          kc,
          objects.filter((o) => o.kind === 'Namespace' || o.kind === 'AppProject'),
        );
      // Deleting a namespace deletes what is in it; only objects elsewhere are deleted one by one.
      const gone = new Set(created.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
      await deleteObjects(
        kc,
        created.filter((o) => !o.metadata.namespace || !gone.has(o.metadata.namespace)),
      );
      copy.remove();
    },
  };
}

/** Quota admission refuses every pod until the quota controller has filled in status.hard. */
export async function waitForQuotaStatus(kc: KubeConfig, namespaces: string[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (const namespace of namespaces)
    await waitFor(`ResourceQuota status in ${namespace}`, () =>
      core
        .readNamespacedResourceQuota({ name: 'tenant-quota', namespace })
        .then((q) => (q.status?.hard?.pods ? true : undefined)),
    );
}
