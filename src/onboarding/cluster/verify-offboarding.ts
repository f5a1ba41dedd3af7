// The last step of an offboarding: read the cluster back and prove the tenant is gone.
//  - namespaces-gone: every namespace of the tenant answers 404;
//  - no-tenant-objects: no object labelled tenants.gitops.dev/tenant=<name> is left anywhere — every
//    resource type the API server serves (discovery: the core group and every other group, every
//    version, custom and aggregated resources included) is listed across all namespaces, metadata
//    only (no Secret value reaches the service); a type that cannot be listed fails the check, since
//    a sweep with a gap proves nothing;
//  - no-bound-volumes: no PersistentVolume is still Bound to a claim in the tenant's namespaces
//    (the PV controller releases them once their claims are deleted; this waits for it up to the
//    deadline). Released volumes kept by reclaimPolicy Retain are named in the detail.
// Each check is a result, not an exception: the deletion record lists them all, passed or not.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { LABEL_TENANT } from '../../tenant/names.ts';
import { ignoreNotFound } from './api-errors.ts';
import { kubeGet } from './raw-get.ts';

export interface OffboardingCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export interface VerifyOptions {
  /** Absolute deadline (Date.now() scale) for the volumes to be released. */
  deadline: number;
  pollMs?: number;
}

export async function verifyTenantGone(
  kubeConfig: KubeConfig,
  tenant: string,
  namespaces: string[],
  options: VerifyOptions,
): Promise<OffboardingCheck[]> {
  return [
    await namespacesGone(kubeConfig, namespaces),
    await noTenantObjects(kubeConfig, tenant),
    await noBoundVolumes(kubeConfig, namespaces, options),
  ];
}

async function namespacesGone(kubeConfig: KubeConfig, namespaces: string[]): Promise<OffboardingCheck> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const left: string[] = [];
  for (const name of namespaces) if (await ignoreNotFound(() => core.readNamespace({ name }))) left.push(name);
  return {
    name: 'namespaces-gone',
    passed: left.length === 0,
    detail: left.length === 0 ? `${namespaces.join(', ')}: not found` : `still there: ${left.join(', ')}`,
  };
}

interface ResourceType {
  /** `apps/v1`, or `v1` for the core group. */
  groupVersion: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/** Every listable resource type, once per group and resource (a group's versions serve the same objects). */
export async function listableResourceTypes(kubeConfig: KubeConfig): Promise<ResourceType[]> {
  const groupVersions = ['v1'];
  const groups = (await kubeGet(kubeConfig, '/apis')) as {
    groups?: { name: string; preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[];
  };
  for (const group of groups.groups ?? []) {
    // The preferred version first, so a resource served by several versions is listed through it.
    const preferred = group.preferredVersion?.groupVersion;
    const versions = (group.versions ?? []).map((v) => v.groupVersion);
    groupVersions.push(...(preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions));
  }
  const seen = new Set<string>();
  const types: ResourceType[] = [];
  for (const groupVersion of groupVersions) {
    const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
    const list = (await kubeGet(kubeConfig, path)) as APIResourceList;
    const group = groupVersion.includes('/') ? groupVersion.split('/')[0] : '';
    for (const r of list.resources ?? []) {
      if (r.name.includes('/') || !(r.verbs ?? []).includes('list')) continue;
      const key = `${group}/${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      types.push({ groupVersion, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
  }
  return types;
}

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

async function noTenantObjects(kubeConfig: KubeConfig, tenant: string): Promise<OffboardingCheck> {
  const types = await listableResourceTypes(kubeConfig);
  const selector = encodeURIComponent(`${LABEL_TENANT}=${tenant}`);
  const found: string[] = [];
  const unlisted: string[] = [];
  for (const type of types) {
    const base = `${type.groupVersion === 'v1' ? '/api/v1' : `/apis/${type.groupVersion}`}/${type.resource}`;
    let next: string | undefined = '';
    try {
      while (next !== undefined) {
        const page = (await kubeGet(
          kubeConfig,
          `${base}?labelSelector=${selector}&limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`,
          METADATA_LIST,
        )) as { items?: { metadata?: { name?: string; namespace?: string } }[]; metadata?: { continue?: string } };
        for (const item of page.items ?? []) {
          const { name = '?', namespace } = item.metadata ?? {};
          found.push(`${type.kind} ${namespace ? `${namespace}/` : ''}${name}`);
        }
        next = page.metadata?.continue || undefined;
      }
    } catch (error) {
      unlisted.push(`${type.resource}.${type.groupVersion} (${(error as Error).message})`);
    }
  }
  const problems = [
    ...(found.length ? [`labelled ${LABEL_TENANT}=${tenant}: ${found.join(', ')}`] : []),
    ...(unlisted.length ? [`could not be listed: ${unlisted.join('; ')}`] : []),
  ];
  return {
    name: 'no-tenant-objects',
    passed: problems.length === 0,
    detail: problems.length
      ? problems.join('; ')
      : `${types.length} resource types listed across all namespaces; none labelled ${LABEL_TENANT}=${tenant}`,
  };
}

async function noBoundVolumes(
  kubeConfig: KubeConfig,
  namespaces: string[],
  options: VerifyOptions,
): Promise<OffboardingCheck> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const ours = new Set(namespaces);
  for (;;) {
    const volumes = (await core.listPersistentVolume()).items.filter((pv) =>
      ours.has(pv.spec?.claimRef?.namespace ?? ''),
    );
    const describe = (pv: (typeof volumes)[number]) =>
      `${pv.metadata?.name} (claim ${pv.spec?.claimRef?.namespace}/${pv.spec?.claimRef?.name}, ` +
      `${pv.status?.phase ?? 'no phase'}, reclaimPolicy ${pv.spec?.persistentVolumeReclaimPolicy ?? 'unset'})`;
    const bound = volumes.filter((pv) => pv.status?.phase === 'Bound');
    if (bound.length === 0 || Date.now() >= options.deadline) {
      const released = volumes.filter((pv) => pv.status?.phase !== 'Bound');
      return {
        name: 'no-bound-volumes',
        passed: bound.length === 0,
        detail:
          (bound.length
            ? `still bound: ${bound.map(describe).join(', ')}`
            : 'no PersistentVolume bound to its claims') +
          (released.length ? `; released, not bound: ${released.map(describe).join(', ')}` : ''),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
