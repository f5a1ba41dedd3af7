// GIVEN resolved tenants WHEN rendered THEN the files carry the tenant's values, nothing else,
// byte-stable across runs.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { egressExceptsFor, renderAll, renderTenant } from '../../../src/generate/render/index.ts';
import {
  ANNOTATION_IMAGE_REGISTRIES,
  ANNOTATION_INGRESS_CLASSES,
  ANNOTATION_INGRESS_HOSTS,
  ANNOTATION_OWNERS,
  ANNOTATION_STORAGE_CLASSES,
  LABEL_GPU,
} from '../../../src/tenant/names.ts';
import { checkOwnerName } from '../../../src/tenant/owner-names.ts';
import { DEFAULT_PLATFORM_REPO_URL } from '../../../src/tenant/platform.ts';
import { TIER_POLICIES } from '../../../src/tenant/tiers.ts';
import { platformDocs } from '../../fixtures/platform-files.ts';
import { businessTenant, enterpriseTenant, exampleTenants, freeTenant } from './fixtures.ts';

type Obj = Record<string, any>;

/** A values file: at the overlay's root for a one-namespace tenant, in values/ otherwise. */
function valuesDocs(files: Map<string, string>, name: string, file = 'patches.yaml'): Obj[] {
  const text = files.get(`overlays/${name}/${file}`) ?? files.get(`overlays/${name}/values/${file}`)!;
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

function valuesDoc(files: Map<string, string>, name: string, kind: string): Obj {
  return valuesDocs(files, name).find((d) => d.kind === kind)!;
}

const argocdDocs = (files: Map<string, string>, name: string): Obj[] => platformDocs(files, name);

describe('renderTenant', () => {
  it('gives a tenant without sub-namespaces one flat kustomization that sets its namespace and patches base/tenant', () => {
    const files = renderTenant(freeTenant);
    expect([...files.keys()]).toEqual([
      'argocd/clusters/in-cluster/initech.yaml',
      'argocd/tenants/initech.yaml',
      'overlays/initech/kustomization.yaml',
      'overlays/initech/patches.yaml',
      'overlays/initech/tenant.json',
    ]);
    expect(valuesDocs(files, 'initech').map((d) => d.kind)).toEqual([
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'RoleBinding',
    ]);
    expect(parse(files.get('overlays/initech/kustomization.yaml')!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      labels: [
        {
          includeSelectors: false,
          pairs: {
            'app.kubernetes.io/managed-by': 'tenant-gitops',
            'tenants.gitops.dev/tenant': 'initech',
            'tenants.gitops.dev/tier': 'free',
          },
        },
      ],
      namespace: 'tenant-initech',
      patches: [{ path: 'patches.yaml' }],
      resources: ['../../base/tenant'],
    });
  });

  it('lists network allowances as resources of a flat overlay', () => {
    const files = renderTenant(businessTenant);
    expect(businessTenant.subNamespaces).toEqual([]);
    expect(parse(files.get(`overlays/${businessTenant.name}/kustomization.yaml`)!).resources).toEqual([
      '../../base/tenant',
      'network-allowances.yaml',
    ]);
    expect(valuesDocs(files, businessTenant.name, 'network-allowances.yaml').length).toBeGreaterThan(0);
  });

  it('gives a tenant with sub-namespaces one kustomization per namespace sharing the values component', () => {
    const withChild = { ...businessTenant, subNamespaces: ['staging'] };
    const files = renderTenant(withChild);
    const dir = `overlays/${withChild.name}`;
    expect(parse(files.get(`${dir}/kustomization.yaml`)!).resources).toEqual([
      `namespaces/tenant-${withChild.name}`,
      `namespaces/tenant-${withChild.name}-staging`,
    ]);
    expect(parse(files.get(`${dir}/values/kustomization.yaml`)!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1alpha1',
      kind: 'Component',
      patches: [{ path: 'patches.yaml' }],
      resources: ['network-allowances.yaml'],
    });
    const ns = parse(files.get(`${dir}/namespaces/tenant-${withChild.name}/kustomization.yaml`)!);
    expect(ns).toMatchObject({
      namespace: `tenant-${withChild.name}`,
      resources: ['../../../../base/tenant'],
      components: ['../../values', '../../../../base/components/sub-namespace-parent'],
    });
  });

  it('writes tenant.json with sorted keys and the tier wave', () => {
    const text = renderTenant(enterpriseTenant).get('overlays/acme/tenant.json')!;
    expect(text).toBe(
      `${JSON.stringify(
        {
          cluster: 'in-cluster',
          namespace: 'tenant-acme',
          namespaces: ['tenant-acme', 'tenant-acme-dev', 'tenant-acme-prod'],
          tenant: 'acme',
          tier: 'enterprise',
          wave: 3,
        },
        null,
        2,
      )}\n`,
    );
  });

  it('puts the GPU slices and the quota in the ResourceQuota and the HierarchicalResourceQuota', () => {
    const files = renderTenant(enterpriseTenant);
    const quota = valuesDoc(files, 'acme', 'ResourceQuota');
    const hrq = parse(files.get('overlays/acme/namespaces/tenant-acme/hierarchicalresourcequota.yaml')!);
    expect(quota.spec.hard['requests.nvidia.com/gpu']).toBe('4');
    expect(quota.spec.hard['requests.cpu']).toBe('16');
    // The HierarchicalResourceQuota sums over parent and children: everything but the per-namespace
    // ResourceQuota count (each namespace has its own tenant-quota and HNC's hrq.hnc.x-k8s.io).
    const { resourcequotas, ...whole } = quota.spec.hard;
    expect(resourcequotas).toBe('2');
    expect(hrq.spec.hard).toEqual(whole);
    const child = parse(files.get('overlays/acme/namespaces/tenant-acme-dev/hierarchyconfiguration.yaml')!);
    expect(child.spec.parent).toBe('tenant-acme');
  });

  it.each([
    { t: freeTenant, classes: 'standard', zero: ['premium', 'ssd'], quotas: '1' },
    { t: businessTenant, classes: 'ssd,standard', zero: ['premium'], quotas: '1' },
    { t: enterpriseTenant, classes: 'premium,ssd,standard', zero: [], quotas: '2' },
  ])(
    'GIVEN $t.tier tenant $t.name THEN its Namespaces list the classes $classes AND the quota caps each class, 0 for the others',
    ({ t, classes, zero, quotas }) => {
      const files = renderTenant(t);
      const namespaces = platformDocs(files, t.name).filter((o) => o.kind === 'Namespace');
      for (const ns of namespaces) {
        expect(ns.metadata.annotations[ANNOTATION_STORAGE_CLASSES]).toBe(classes);
        const registries = ns.metadata.annotations[ANNOTATION_IMAGE_REGISTRIES].split(',');
        expect(registries).toEqual([...registries].sort());
        expect(registries).toContain(`registry.example.com/tenants/${t.name}`);
      }
      const hard = valuesDoc(files, t.name, 'ResourceQuota').spec.hard;
      for (const storageClass of classes.split(',')) {
        expect(hard[`${storageClass}.storageclass.storage.k8s.io/requests.storage`]).toBe(t.quota['requests.storage']);
        expect(hard[`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`]).toBe(
          t.quota.persistentvolumeclaims,
        );
      }
      for (const storageClass of zero) {
        expect(hard[`${storageClass}.storageclass.storage.k8s.io/requests.storage`]).toBe('0');
        expect(hard[`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`]).toBe('0');
      }
      expect(hard.resourcequotas).toBe(quotas);
    },
  );

  it('gives a tenant without GPU slices a GPU quota of 0, not an absent (unlimited) one', () => {
    const quota = valuesDoc(renderTenant(businessTenant), 'globex', 'ResourceQuota');
    expect(quota.spec.hard['requests.nvidia.com/gpu']).toBe('0');
  });

  it('binds the owners and the root ServiceAccount, nothing else', () => {
    const binding = valuesDoc(renderTenant(businessTenant), 'globex', 'RoleBinding');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'tenant-admin', namespace: 'tenant-globex' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'globex-admins' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'hank@globex.example' },
    ]);
  });

  it('carves the metadata address out of every allowed CIDR that contains it', () => {
    const allowances = valuesDocs(renderTenant(businessTenant), 'globex', 'network-allowances.yaml');
    expect(allowances.map((d) => d.metadata.name)).toEqual(['allow-listed-ingress', 'allow-listed-egress']);
    const egress = allowances[1]!;
    expect(egress.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      {
        to: [
          {
            ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '10.244.0.0/16', '10.96.0.0/16', '10.0.0.0/16'] },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
    expect(egressExceptsFor('10.0.0.0/8')).toEqual(['10.244.0.0/16', '10.96.0.0/16', '10.0.0.0/16']);
    expect(egressExceptsFor('192.168.0.0/16')).toEqual([]);
    // tenant/ refuses these; the renderer refuses them again rather than emit them.
    expect(() => egressExceptsFor('169.254.169.254/32')).toThrow(/inside 169\.254\.0\.0\/16/);
    expect(() => egressExceptsFor('::ffff:a9fe:a9fe/128')).toThrow(/IPv4-mapped/);
  });

  it('gives the AppProject only the platform repo, the tenant namespaces and no cluster-scoped kind', () => {
    const [project] = argocdDocs(renderTenant(enterpriseTenant), 'acme');
    expect(project).toMatchObject({ kind: 'AppProject', metadata: { name: 'tenant-acme', namespace: 'argocd' } });
    expect(project!.spec.sourceRepos).toEqual([DEFAULT_PLATFORM_REPO_URL]);
    expect(project!.spec.destinations.map((d: Obj) => d.namespace)).toEqual([
      'tenant-acme',
      'tenant-acme-dev',
      'tenant-acme-prod',
    ]);
    expect(project!.spec.clusterResourceWhitelist).toEqual([]);
    const kinds = project!.spec.namespaceResourceWhitelist.map((k: Obj) => k.kind);
    expect(kinds).toContain('HierarchicalResourceQuota');
    expect(kinds).not.toContain('Namespace');
    const other = argocdDocs(renderTenant(freeTenant, { platformRepoUrl: 'https://git.internal/p.git' }), 'initech');
    expect(other[0]!.spec.sourceRepos).toEqual(['https://git.internal/p.git']);
    expect(other[0]!.spec.namespaceResourceWhitelist.map((k: Obj) => k.kind)).not.toContain('HierarchyConfiguration');
  });

  it('creates restricted namespaces, pinned to the dedicated pool only when asked', () => {
    const [, ...namespaces] = argocdDocs(renderTenant(enterpriseTenant), 'acme');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['tenant-acme', 'tenant-acme-dev', 'tenant-acme-prod']);
    for (const ns of namespaces) {
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns.metadata.labels['tenants.gitops.dev/tenant']).toBe('acme');
      expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
      expect(ns.metadata.annotations['scheduler.alpha.kubernetes.io/node-selector']).toBe(
        'tenants.gitops.dev/tenant=acme',
      );
      expect(JSON.parse(ns.metadata.annotations['scheduler.alpha.kubernetes.io/defaultTolerations'])).toEqual([
        { effect: 'NoSchedule', key: 'tenants.gitops.dev/tenant', operator: 'Equal', value: 'acme' },
      ]);
    }
    const [, shared] = argocdDocs(renderTenant(freeTenant), 'initech');
    expect(Object.keys(shared!.metadata.annotations)).toEqual([
      'argocd.argoproj.io/sync-options',
      ANNOTATION_IMAGE_REGISTRIES,
      ANNOTATION_INGRESS_CLASSES,
      ANNOTATION_OWNERS,
      ANNOTATION_STORAGE_CLASSES,
    ]);
  });
  it("annotates every namespace with the tenant's ingress hosts and its tier's IngressClasses, sorted", () => {
    const [, ...namespaces] = argocdDocs(renderTenant(enterpriseTenant), 'acme');
    for (const ns of namespaces) {
      expect(ns.metadata.annotations[ANNOTATION_INGRESS_HOSTS]).toBe(
        [...enterpriseTenant.ingress.hosts].sort().join(','),
      );
      expect(ns.metadata.annotations[ANNOTATION_INGRESS_CLASSES]).toBe(
        [...TIER_POLICIES.enterprise.ingressClasses].sort().join(','),
      );
    }
    const [, free] = argocdDocs(renderTenant(freeTenant), 'initech');
    expect(freeTenant.ingress.hosts).toEqual([]);
    expect(free!.metadata.annotations).not.toHaveProperty([ANNOTATION_INGRESS_HOSTS]);
    expect(free!.metadata.annotations[ANNOTATION_INGRESS_CLASSES]).toBe(TIER_POLICIES.free.ingressClasses.join(','));
  });

  it('labels the namespaces of a tenant with GPU slices (admission lets only those tolerate GPU nodes), and no other', () => {
    const gpuLabels = (t: typeof enterpriseTenant): unknown[] =>
      argocdDocs(renderTenant(t), t.name)
        .filter((d) => d.kind === 'Namespace')
        .map((n) => n.metadata.labels[LABEL_GPU]);
    expect(enterpriseTenant.gpuSlices).toBeGreaterThan(0);
    expect(gpuLabels(enterpriseTenant)).toEqual(['true', 'true', 'true']);
    expect(businessTenant.gpuSlices).toBe(0);
    expect(new Set(gpuLabels(businessTenant))).toEqual(new Set([undefined]));
    expect(gpuLabels({ ...enterpriseTenant, gpuSlices: 0 })).toEqual([undefined, undefined, undefined]);
  });

  it('writes the owners on every Namespace as Kind:name joined by ",", for the tenant-role-bindings policy', () => {
    for (const tenant of exampleTenants) {
      const [, ...namespaces] = argocdDocs(renderTenant(tenant), tenant.name);
      for (const ns of namespaces) {
        const listed = (ns.metadata.annotations[ANNOTATION_OWNERS] as string).split(',');
        expect(listed).toEqual(tenant.owners.map((o) => `${o.kind}:${o.name}`));
      }
    }
    // The separator is safe: the owner-name grammar refuses it.
    expect(checkOwnerName('acme-admins,system:authenticated')?.rule).toBe('character');
  });

  it('is byte-stable and independent of input order', () => {
    const a = renderAll(exampleTenants, { tenantSchemaText: '{}\n' });
    const b = renderAll([...exampleTenants].reverse(), { tenantSchemaText: '{}\n' });
    expect([...a]).toEqual([...b]);
    expect(a.get('tenants/tenant.schema.json')).toBe('{}\n');
    for (const text of a.values()) expect(text.endsWith('\n')).toBe(true);
  });
});

describe('snapshot', () => {
  it('renders the enterprise example overlay exactly as reviewed', () => {
    expect(Object.fromEntries(renderTenant(enterpriseTenant))).toMatchSnapshot();
  });
});
