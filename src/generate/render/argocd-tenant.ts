// The tenant's platform part, in two files:
// - argocd/tenants/<name>.yaml, synced by the PLATFORM Application into ArgoCD's own cluster: the
//   tenant's AppProject, whose destinations name the tenant's cluster as ArgoCD knows it;
// - argocd/clusters/<cluster>/<name>.yaml, synced by that cluster's `cluster-<cluster>` Application
//   (argocd/clusters.yaml) into the tenant's cluster only: its Namespaces.
// Namespaces live there, not in the overlay, so the tenant Application holds only namespaced objects
// and emptying overlays/ can never delete a namespace. Both carry Prune=false, so a commit emptying
// argocd/tenants/ or argocd/clusters/ deletes neither.
import {
  ANNOTATION_IMAGE_REGISTRIES,
  ANNOTATION_INGRESS_CLASSES,
  ANNOTATION_INGRESS_HOSTS,
  ANNOTATION_OWNERS,
  ANNOTATION_STORAGE_CLASSES,
  appProjectName,
  LABEL_GPU,
  ownersAnnotation,
  rootNamespace,
  tenantNamespaces,
} from '../../tenant/names.ts';
import { imageRegistries, TIER_POLICIES } from '../../tenant/tiers.ts';
import { TIER_WAVE, type ResolvedTenant } from '../../tenant/types.ts';
import { overlayKinds, tenantLabels } from './overlay.ts';
import {
  ARGOCD_NAMESPACE,
  argocdClusterName,
  DEDICATED_POOL_KEY,
  platformRepoUrl,
  POD_SECURITY_LEVEL,
  POD_SECURITY_VERSION,
  type RenderOptions,
} from '../../tenant/platform.ts';
import { sortedJsonText, yamlStream } from './yaml-text.ts';

type Manifest = Record<string, unknown>;

/** ArgoCD never prunes an object carrying it: only offboarding (onboarding/cluster/) deletes these. */
const NO_PRUNE = { 'argocd.argoproj.io/sync-options': 'Prune=false' } as const;

export function renderAppProject(t: ResolvedTenant, options: RenderOptions = {}): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: appProjectName(t.name),
      namespace: ARGOCD_NAMESPACE,
      labels: tenantLabels(t),
      // A commit emptying argocd/tenants/ must not delete every tenant's project.
      annotations: { ...NO_PRUNE },
    },
    spec: {
      // No `: ` in it, so YAML needs no quotes: a quoted scalar costs the writer a package call per tenant.
      description: `Tenant ${t.name} (${t.tier}), its own namespaces only, nothing cluster-scoped.`,
      sourceRepos: [platformRepoUrl(options)],
      // By ArgoCD's cluster name: an Application of this project may deploy to the tenant's own
      // cluster only, whatever server address that cluster has.
      destinations: tenantNamespaces(t).map((namespace) => ({
        name: argocdClusterName(t.cluster, options),
        namespace,
      })),
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: overlayKinds(t, options),
    },
  };
}

function namespaceAnnotations(t: ResolvedTenant): Record<string, string> {
  const annotations: Record<string, string> = {
    ...NO_PRUNE,
    // Read by base/platform's admission policies (tenant-ingress, tenant-storage-classes,
    // tenant-images, tenant-role-bindings: a tenant RoleBinding may name these owners).
    [ANNOTATION_IMAGE_REGISTRIES]: annotationList(imageRegistries(t)),
    [ANNOTATION_OWNERS]: ownersAnnotation(t.owners),
    [ANNOTATION_INGRESS_CLASSES]: annotationList(TIER_POLICIES[t.tier].ingressClasses),
    [ANNOTATION_STORAGE_CLASSES]: annotationList(TIER_POLICIES[t.tier].storageClasses),
  };
  // Absent when the tenant owns no host: the policy then refuses every Ingress, naming the field.
  if (t.ingress.hosts.length > 0) annotations[ANNOTATION_INGRESS_HOSTS] = annotationList(t.ingress.hosts);
  if (t.nodePool === 'dedicated') {
    annotations['scheduler.alpha.kubernetes.io/node-selector'] = `${DEDICATED_POOL_KEY}=${t.name}`;
    annotations['scheduler.alpha.kubernetes.io/defaultTolerations'] = JSON.stringify([
      { effect: 'NoSchedule', key: DEDICATED_POOL_KEY, operator: 'Equal', value: t.name },
    ]);
  }
  return annotations;
}

/** A list an admission policy reads from an annotation: sorted, without duplicates, comma-separated. */
function annotationList(values: readonly string[]): string {
  return [...new Set(values)].sort().join(',');
}

export function renderNamespaces(t: ResolvedTenant): Manifest[] {
  // The same for every namespace of the tenant: built once.
  const annotations = namespaceAnnotations(t);
  return tenantNamespaces(t).map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...tenantLabels(t),
        // Read by admission (admission-tenant-tolerations.yaml): only GPU tenants may tolerate GPU nodes.
        ...(t.gpuSlices > 0 ? { [LABEL_GPU]: 'true' } : {}),
        'kubernetes.io/metadata.name': name,
        'pod-security.kubernetes.io/enforce': POD_SECURITY_LEVEL,
        'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
        'pod-security.kubernetes.io/audit': POD_SECURITY_LEVEL,
        'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
        'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
        'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
      },
      annotations: { ...annotations },
    },
  }));
}

/** argocd/tenants/<name>.yaml: the tenant's AppProject. */
export function renderAppProjectFile(t: ResolvedTenant, options: RenderOptions = {}): string {
  return yamlStream([renderAppProject(t, options)]);
}

/** argocd/clusters/<cluster>/<name>.yaml: the tenant's Namespaces. */
export function renderNamespacesFile(t: ResolvedTenant): string {
  return yamlStream(renderNamespaces(t));
}

/** argocd/clusters/<cluster>/README.md: keeps a registered cluster's folder in git while it is empty. */
export function renderClusterNamespacesReadme(cluster: string): string {
  return [
    `# Tenant Namespaces on cluster ${cluster}`,
    '',
    `Generated by \`tenantctl generate\`; do not edit. One file per tenant placed on \`${cluster}\``,
    `(clusters/${cluster}.yaml), synced to that cluster by the Application \`cluster-${cluster}\``,
    '(argocd/clusters.yaml) together with base/platform. This file keeps the folder in git while no',
    'tenant lives on the cluster.',
    '',
  ].join('\n');
}

/** overlays/<name>/tenant.json: what the ApplicationSet's git files generator reads. */
export function renderTenantJson(t: ResolvedTenant, options: RenderOptions = {}): string {
  return sortedJsonText({
    cluster: argocdClusterName(t.cluster, options),
    namespace: rootNamespace(t.name),
    namespaces: tenantNamespaces(t),
    tenant: t.name,
    tier: t.tier,
    wave: TIER_WAVE[t.tier],
  });
}
