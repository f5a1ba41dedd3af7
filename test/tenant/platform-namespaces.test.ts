// GIVEN the namespaces a platform declares WHEN a tenant's derived namespaces meet them THEN the one
// rule (platformNamespaceIssues) refuses it naming the field, the namespace and its declaration:
// for a parsed value (what the service and `tenantctl new` check), a loaded repository (generate),
// and from the generated file the service reads; a tenant beside them is accepted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  KUBERNETES_NAMESPACES,
  loadTenants,
  namespacesOfObjects,
  parsePlatformNamespacesFile,
  parseTenantValue,
  platformNamespaceIssues,
  platformNamespaceSet,
  refusePlatformNamespaces,
  renderPlatformNamespacesFile,
} from '../../src/tenant/index.ts';
import { NAMESPACE_PREFIX, PLATFORM_NAMESPACES_PATH } from '../../src/tenant/names.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { inputIssues, inputIssuesAsync, platformRoot, validDocument } from './support.ts';

/** What base/platform renders when the service lives in the tenant- prefix, as it once did. */
const OLD_SERVICE_OBJECTS = [
  { kind: 'Namespace', metadata: { name: 'tenant-gitops-system' } },
  { kind: 'Deployment', metadata: { name: 'onboarding-service', namespace: 'tenant-gitops-system' } },
  { kind: 'Role', metadata: { name: 'onboarding-service-applications', namespace: 'argocd' } },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'tenant-gitops-onboarding-service' },
    subjects: [{ kind: 'ServiceAccount', name: 'onboarding-service', namespace: 'gitops-sa-home' }],
  },
];
const PLATFORM = platformNamespaceSet(namespacesOfObjects('base/platform', OLD_SERVICE_OBJECTS));

describe('platform namespaces', () => {
  it('GIVEN rendered platform objects THEN every Namespace, metadata.namespace and ServiceAccount subject is one, with the Kubernetes built-ins', () => {
    expect(Object.fromEntries(PLATFORM)).toEqual({
      argocd: 'base/platform: Role onboarding-service-applications',
      default: 'Kubernetes: built-in namespace',
      'gitops-sa-home': 'base/platform: ClusterRoleBinding tenant-gitops-onboarding-service (subject)',
      'kube-node-lease': 'Kubernetes: built-in namespace',
      'kube-public': 'Kubernetes: built-in namespace',
      'kube-system': 'Kubernetes: built-in namespace',
      'tenant-gitops-system': 'base/platform: Namespace tenant-gitops-system',
    });
    expect([...platformNamespaceSet([])].map(([ns]) => ns)).toEqual([...KUBERNETES_NAMESPACES]);
  });

  it('GIVEN the service in tenant-gitops-system WHEN a parsed tenant gitops-system is checked THEN it is refused; acme is accepted', () => {
    const { tenant } = parseTenantValue(validDocument('gitops-system'), { expectedName: 'gitops-system' });
    const issues = inputIssues(() => refusePlatformNamespaces(tenant, PLATFORM));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'metadata.name' });
    expect(issues[0]!.message).toMatch(
      /^namespace "tenant-gitops-system" is a platform namespace \(base\/platform: Namespace tenant-gitops-system\)/,
    );
    expect(issues[0]!.fix).toMatch(/rename the tenant .*tenants\/platform-namespaces\.json/);
    expect(() => refusePlatformNamespaces(parseTenantValue(validDocument('acme')).tenant, PLATFORM)).not.toThrow();
  });

  it.each([
    { what: 'a sub-namespace equal to one', sub: ['system'], tenant: 'gitops', path: 'spec.subNamespaces[0].name' },
    { what: 'a platform namespace inside the tenant space', sub: [], tenant: 'gitops', path: 'metadata.name' },
  ])('GIVEN $what THEN the tenant is refused at $path', ({ sub, tenant, path }) => {
    const issues = platformNamespaceIssues({ name: tenant, subNamespaces: sub }, PLATFORM, 'tenants/x.yaml');
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]!.message).toContain('"tenant-gitops-system"');
    expect(platformNamespaceIssues({ name: 'gitops2', subNamespaces: sub }, PLATFORM)).toEqual([]);
  });

  it('GIVEN a repository WHEN loaded with the platform namespaces THEN only the colliding file is named', async () => {
    const root = await platformRoot({
      'gitops-system.yaml': stringify(validDocument('gitops-system')),
      'acme.yaml': stringify(validDocument('acme')),
    });
    const { issues } = await inputIssuesAsync(() =>
      loadTenants(root, { platformNamespaces: Promise.resolve(PLATFORM) }),
    );
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual(['tenants/gitops-system.yaml metadata.name']);
    expect(await loadTenants(root)).toHaveLength(2); // without the set: the rule is not applied
  });

  it('GIVEN the generated file THEN it reads back to the same set, and anything else is refused with the fix', () => {
    const text = renderPlatformNamespacesFile(PLATFORM);
    expect(parsePlatformNamespacesFile(text)).toEqual(PLATFORM);
    expect(renderPlatformNamespacesFile(parsePlatformNamespacesFile(text))).toBe(text);
    expect(() => parsePlatformNamespacesFile('{"namespaces": ["argocd"]}')).toThrow(
      /tenants\/platform-namespaces\.json is not the generated list .*fix: run tenantctl generate/,
    );
    // Even an emptied file keeps the Kubernetes built-ins.
    expect([...parsePlatformNamespacesFile('{"namespaces": {}}').keys()]).toEqual([...KUBERNETES_NAMESPACES]);
  });

  it('GIVEN this platform repository THEN no platform namespace starts with tenant-, and the service lives in gitops-onboarding', () => {
    const platform = parsePlatformNamespacesFile(readFileSync(join(REPO_ROOT, PLATFORM_NAMESPACES_PATH), 'utf8'));
    expect([...platform.keys()].filter((ns) => ns.startsWith(NAMESPACE_PREFIX))).toEqual([]);
    expect(platform.get('gitops-onboarding')).toBe('base/platform: Namespace gitops-onboarding');
  });
});
