// GIVEN resolved tenants WHEN rendered THEN the files carry the tenant's values, nothing else,
// byte-stable across runs.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { metadataExceptFor, renderAll, renderTenant } from '../../../src/generate/render/index.ts';
import { ANNOTATION_OWNERS } from '../../../src/tenant/names.ts';
import { checkOwnerName } from '../../../src/tenant/owner-names.ts';
import { DEFAULT_PLATFORM_REPO_URL } from '../../../src/tenant/platform.ts';
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

function argocdDocs(files: Map<string, string>, name: string): Obj[] {
  return parseAllDocuments(files.get(`argocd/tenants/${name}.yaml`)!).map((d) => d.toJS() as Obj);
}

describe('renderTenant', () => {
  it('gives a tenant without sub-namespaces one flat kustomization that sets its namespace and patches base/tenant', () => {
    const files = renderTenant(freeTenant);
    expect([...files.keys()]).toEqual([
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
    expect(hrq.spec.hard).toEqual(quota.spec.hard);
    const child = parse(files.get('overlays/acme/namespaces/tenant-acme-dev/hierarchyconfiguration.yaml')!);
    expect(child.spec.parent).toBe('tenant-acme');
  });

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
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
    expect(metadataExceptFor('169.254.0.0/16')).toEqual(['169.254.169.254/32']);
    expect(metadataExceptFor('169.254.170.0/24')).toEqual([]);
    expect(() => metadataExceptFor('169.254.169.254/32')).toThrow(/metadata/);
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
    expect(Object.keys(shared!.metadata.annotations)).toEqual(['argocd.argoproj.io/sync-options', ANNOTATION_OWNERS]);
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
