// overlays/<name>/: a tenant with one namespace gets one kustomization that sets it, builds on
// base/tenant and patches in the tenant's values. A tenant with sub-namespaces gets one
// kustomization per namespace (kustomize's `namespace:` applies to a whole kustomization, so each
// namespace needs its own directory referencing base/tenant), a `values` component with the
// tenant's patches shared by all of them, and a root kustomization that gathers the namespaces.
// Either way the root kustomization stamps the tenant labels on every object. The flat layout for
// the common case has half the files and directories, which is most of a first generate's cost.
import {
  LABEL_MANAGED_BY,
  LABEL_TENANT,
  LABEL_TIER,
  MANAGED_BY,
  overlayDir,
  rootNamespace,
  tenantNamespaces,
} from '../../tenant/names.ts';
import { platformResourceQuotas, STORAGE_CLASSES, storageClassQuotaKeys, TIER_POLICIES } from '../../tenant/tiers.ts';
import type { RenderOptions } from '../../tenant/platform.ts';
import { type ResolvedTenant } from '../../tenant/types.ts';
import { renderEgressAllowance, renderIngressAllowance } from './network-allowances.ts';
import { renderSecretStore, renderVaultFile, secretStoreVault, vaultFilePath } from './secret-store.ts';
import { yamlStream, yamlText } from './yaml-text.ts';

type Manifest = Record<string, unknown>;

const KUSTOMIZATION = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
const COMPONENT = { apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' };
/** From overlays/<name>/namespaces/<ns>/ back to the repository root. */
const TO_ROOT_FROM_NAMESPACE = '../../../..';
/** From overlays/<name>/ back to the repository root. */
const TO_ROOT_FROM_OVERLAY = '../..';

export function tenantLabels(t: ResolvedTenant): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TENANT]: t.name, [LABEL_TIER]: t.tier };
}

function labels(t: ResolvedTenant): Manifest['labels'] {
  return [{ pairs: tenantLabels(t), includeSelectors: false }];
}

/** The root kustomization of a tenant with sub-namespaces: it gathers one directory per namespace. */
function rootKustomization(t: ResolvedTenant): Manifest {
  return { ...KUSTOMIZATION, labels: labels(t), resources: tenantNamespaces(t).map((ns) => `namespaces/${ns}`) };
}

/** The whole overlay of a tenant with one namespace, in one kustomization. */
function flatKustomization(t: ResolvedTenant, valuesResources: string[]): Manifest {
  return {
    ...KUSTOMIZATION,
    namespace: rootNamespace(t.name),
    labels: labels(t),
    resources: [`${TO_ROOT_FROM_OVERLAY}/base/tenant`, ...valuesResources],
    patches: [{ path: VALUES_PATCHES_FILE }],
  };
}

/** Each StorageClass with its two quota keys, built once. */
const STORAGE_CLASS_QUOTA_KEYS = STORAGE_CLASSES.map((storageClass) => ({
  storageClass,
  ...storageClassQuotaKeys(storageClass),
}));

/** What the tenant's whole quota caps: the HierarchicalResourceQuota sums it over every namespace. */
export function tenantQuotaHard(t: ResolvedTenant): Record<string, string> {
  // A dictionary from the start: adding two dozen dotted keys to an object literal one by one
  // cost a twentieth of a generate at 10,000 tenants. In no particular order: yamlText sorts every
  // map's keys as it writes.
  const hard = Object.create(null) as Record<string, string>;
  Object.assign(hard, t.quota);
  // Always written, 0 included: a quota without the key would let a GPU-less tenant take every
  // GPU slice in the cluster.
  hard['requests.nvidia.com/gpu'] = String(t.gpuSlices);
  // Per StorageClass: the tier's classes share the tenant's storage; every other class gets 0, so
  // the quota refuses a claim on it even without the admission policy.
  const allowed = TIER_POLICIES[t.tier].storageClasses;
  for (const { storageClass, storage, claims } of STORAGE_CLASS_QUOTA_KEYS) {
    const isAllowed = allowed.includes(storageClass);
    const storageValue = isAllowed ? t.quota['requests.storage'] : '0';
    const claimsValue = isAllowed ? t.quota.persistentvolumeclaims : '0';
    if (storageValue !== undefined) hard[storage] = storageValue;
    if (claimsValue !== undefined) hard[claims] = claimsValue;
  }
  return hard;
}

/** One namespace's ResourceQuota: the tenant's whole quota plus the per-namespace object counts. */
export function namespaceQuotaHard(t: ResolvedTenant): Record<string, string> {
  const hard = tenantQuotaHard(t);
  hard.resourcequotas = String(platformResourceQuotas(t));
  return hard;
}

/** The tenant's values as strategic-merge patches of base/tenant, in one multi-document file. */
function valuesPatches(t: ResolvedTenant): Manifest[] {
  const patches: Manifest[] = [];
  patches.push({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'tenant-quota' },
    spec: { hard: namespaceQuotaHard(t) },
  });
  patches.push({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'tenant-limits' },
    spec: { limits: [{ type: 'Container', ...t.limits }] },
  });
  const sameTenant = { namespaceSelector: { matchLabels: { [LABEL_TENANT]: t.name } } };
  patches.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-same-tenant' },
    spec: { ingress: [{ from: [sameTenant] }], egress: [{ to: [sameTenant] }] },
  });
  patches.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'tenant-admin' },
    subjects: [
      { kind: 'ServiceAccount', name: 'tenant-admin', namespace: rootNamespace(t.name) },
      ...t.owners.map((o) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: o.kind, name: o.name })),
    ],
  });
  return patches;
}

const VALUES_PATCHES_FILE = 'patches.yaml';
const VALUES_ALLOWANCES_FILE = 'network-allowances.yaml';
const VALUES_SECRET_STORE_FILE = 'secret-store.yaml';

function valuesComponent(valuesResources: string[]): Manifest {
  const component: Manifest = { ...COMPONENT, patches: [{ path: VALUES_PATCHES_FILE }] };
  if (valuesResources.length > 0) component.resources = valuesResources;
  return component;
}

function namespaceKustomization(
  t: ResolvedTenant,
  ns: string,
): { kustomization: Manifest; patches: Map<string, Manifest> } {
  const isRoot = ns === rootNamespace(t.name);
  const components = ['../../values'];
  const patches = new Map<string, Manifest>();
  if (isRoot && t.subNamespaces.length > 0) {
    components.push(`${TO_ROOT_FROM_NAMESPACE}/base/components/sub-namespace-parent`);
    patches.set('hierarchicalresourcequota.yaml', {
      apiVersion: 'hnc.x-k8s.io/v1alpha2',
      kind: 'HierarchicalResourceQuota',
      metadata: { name: 'tenant-quota' },
      spec: { hard: tenantQuotaHard(t) },
    });
  }
  if (!isRoot) {
    components.push(`${TO_ROOT_FROM_NAMESPACE}/base/components/sub-namespace-child`);
    patches.set('hierarchyconfiguration.yaml', {
      apiVersion: 'hnc.x-k8s.io/v1alpha2',
      kind: 'HierarchyConfiguration',
      metadata: { name: 'hierarchy' },
      spec: { parent: rootNamespace(t.name) },
    });
  }
  const kustomization: Manifest = {
    ...KUSTOMIZATION,
    namespace: ns,
    resources: [`${TO_ROOT_FROM_NAMESPACE}/base/tenant`],
    components,
  };
  if (patches.size > 0) kustomization.patches = [...patches.keys()].map((path) => ({ path }));
  return { kustomization, patches };
}

/**
 * Every file under overlays/<name>/ except tenant.json, as repo-relative path → text: the
 * kustomizations, the values files, and vault.json when the tenant has a secret store.
 */
export function renderOverlayFiles(t: ResolvedTenant, options: RenderOptions = {}): Map<string, string> {
  const dir = overlayDir(t.name);
  const out = new Map<string, string>();
  // A few values files, not one per object: a first generate at 10,000 tenants spends most of its
  // time creating files.
  const allowances = [renderIngressAllowance(t), renderEgressAllowance(t)].filter((m) => m !== undefined);
  const vault = secretStoreVault(t, options);
  const flat = t.subNamespaces.length === 0;
  const valuesDir = flat ? dir : `${dir}/values`;
  const valuesResources: string[] = [];
  out.set(`${valuesDir}/${VALUES_PATCHES_FILE}`, yamlStream(valuesPatches(t)));
  if (allowances.length > 0) {
    out.set(`${valuesDir}/${VALUES_ALLOWANCES_FILE}`, yamlStream(allowances));
    valuesResources.push(VALUES_ALLOWANCES_FILE);
  }
  if (vault) {
    out.set(`${valuesDir}/${VALUES_SECRET_STORE_FILE}`, yamlStream(renderSecretStore(t, vault)));
    valuesResources.push(VALUES_SECRET_STORE_FILE);
    out.set(vaultFilePath(t.name), renderVaultFile(t, vault));
  }

  if (flat) {
    out.set(`${dir}/kustomization.yaml`, yamlText(flatKustomization(t, valuesResources)));
    return out;
  }
  out.set(`${dir}/kustomization.yaml`, yamlText(rootKustomization(t)));
  out.set(`${dir}/values/kustomization.yaml`, yamlText(valuesComponent(valuesResources)));
  for (const ns of tenantNamespaces(t)) {
    const { kustomization, patches: nsPatches } = namespaceKustomization(t, ns);
    out.set(`${dir}/namespaces/${ns}/kustomization.yaml`, yamlText(kustomization));
    for (const [name, manifest] of nsPatches) out.set(`${dir}/namespaces/${ns}/${name}`, yamlText(manifest));
  }
  return out;
}

/** The namespaced kinds an overlay of this tenant contains (the AppProject allows exactly these). */
export function overlayKinds(t: ResolvedTenant, options: RenderOptions = {}): { group: string; kind: string }[] {
  const kinds = [
    { group: '', kind: 'LimitRange' },
    { group: '', kind: 'ResourceQuota' },
    { group: '', kind: 'ServiceAccount' },
    { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  ];
  if (t.subNamespaces.length > 0) {
    kinds.push({ group: 'hnc.x-k8s.io', kind: 'HierarchicalResourceQuota' });
    kinds.push({ group: 'hnc.x-k8s.io', kind: 'HierarchyConfiguration' });
  }
  if (secretStoreVault(t, options)) kinds.push({ group: 'external-secrets.io', kind: 'SecretStore' });
  return kinds;
}
