// Test helpers for the tenant Application watch and offboarding: a KubeConfig for the control plane
// started by scripts/control-plane.sh, and Applications created and updated the way ArgoCD's
// ApplicationSet and application controller do it (for tests that run without ArgoCD).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const GROUP = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications', namespace: 'argocd' };

/** The control plane's KubeConfig: $KUBECONFIG, else .cluster/kubeconfig written by scripts/control-plane.sh. */
export function controlPlaneKubeConfig(): KubeConfig {
  const path = process.env.KUBECONFIG || join(ROOT, '.cluster', 'kubeconfig');
  if (!existsSync(path)) {
    throw new Error(`no kubeconfig at ${path}: start the control plane first with \`bash scripts/control-plane.sh start\``);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** A copy of `kc` whose current cluster is reached at `server` (e.g. through a test proxy). */
export function withServer(kc: KubeConfig, server: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromString(kc.exportConfig());
  const cluster = copy.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  copy.clusters = copy.clusters.map((c) => (c.name === cluster.name ? { ...c, server } : c));
  return copy;
}

export async function ensureNamespace(kc: KubeConfig, name: string, labels: Record<string, string> = {}): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.createNamespace({ body: { metadata: { name, labels } } });
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}

export interface TestApplication {
  name: string;
  tenant?: string;
  finalizers?: string[];
}

/** An Application shaped like the one the tenants ApplicationSet generates. */
export async function createApplication(kc: KubeConfig, app: TestApplication): Promise<void> {
  await ensureNamespace(kc, 'argocd');
  const custom = kc.makeApiClient(CustomObjectsApi);
  await custom.createNamespacedCustomObject({
    ...GROUP,
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: app.name,
        namespace: 'argocd',
        labels: app.tenant ? { 'tenants.gitops.dev/tenant': app.tenant } : {},
        finalizers: app.finalizers ?? [],
      },
      spec: {
        project: app.tenant ? `tenant-${app.tenant}` : 'default',
        source: { repoURL: 'https://example.invalid/platform.git', path: `overlays/${app.tenant ?? 'x'}`, targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: `tenant-${app.tenant ?? 'x'}` },
      },
    },
  });
}

async function hasStatusSubresource(kc: KubeConfig): Promise<boolean> {
  const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'applications.argoproj.io' });
  return crd.spec.versions.some((v) => v.name === 'v1alpha1' && v.subresources?.status !== undefined);
}

let statusSubresource: Promise<boolean> | undefined;

/**
 * Sets health/sync/revision as ArgoCD's application controller would: through the status
 * subresource when the CRD declares one, else by patching the object (ArgoCD's own CRD has none).
 */
export async function setApplicationStatus(
  kc: KubeConfig,
  name: string,
  status: { health: string; sync: string; revision?: string },
): Promise<void> {
  statusSubresource ??= hasStatusSubresource(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const body = {
    status: {
      health: { status: status.health },
      sync: { status: status.sync, ...(status.revision ? { revision: status.revision } : {}) },
    },
  };
  const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  if (await statusSubresource) {
    await custom.patchNamespacedCustomObjectStatus({ ...GROUP, name, body }, options);
  } else {
    await custom.patchNamespacedCustomObject({ ...GROUP, name, body }, options);
  }
}

/** Removes an Application whatever its finalizers (test clean-up). */
export async function forceDeleteApplication(kc: KubeConfig, name: string): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  try {
    await custom.patchNamespacedCustomObject(
      { ...GROUP, name, body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await custom.deleteNamespacedCustomObject({ ...GROUP, name });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}

/** A tenant name unique to this run, so reruns against the same control plane never collide. */
export function uniqueTenant(prefix: string): string {
  return `${prefix}${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
