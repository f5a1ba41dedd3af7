// argocd/ as ArgoCD receives it: `kubectl kustomize argocd/` (the repo URL filled in from
// repo-url.yaml), checked for the contract the rest of the platform relies on.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_REPO_URL, IN_CLUSTER_SERVER } from '../../src/tenant/platform.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { isNamespacedKind, kustomize, type Manifest } from '../fixtures/kustomize.ts';
import { resourcePermitted, type AppProjectSpec } from './support/project-permits.ts';

const objects = kustomize(join(REPO_ROOT, 'argocd'));
const find = (kind: string, name: string): Manifest & { spec: any } => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name} in argocd/`).toHaveLength(1);
  return found[0] as Manifest & { spec: any };
};

describe('argocd/ kustomization', () => {
  it('renders exactly the platform project, the platform Application and the clusters and tenants ApplicationSets, all in argocd', () => {
    // GIVEN argocd/ rendered by kustomize
    // THEN the local-config ConfigMap holding the URL is gone and four objects remain
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AppProject/platform',
      'Application/platform',
      'ApplicationSet/clusters',
      'ApplicationSet/tenants',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('argocd');
  });

  it('writes the one repo URL of repo-url.yaml everywhere, the same one the generator puts in AppProjects', () => {
    const text = JSON.stringify(objects);
    expect(text).not.toContain('set-from-repo-url.yaml');
    const appset = find('ApplicationSet', 'tenants');
    const platform = find('Application', 'platform');
    const clusters = find('ApplicationSet', 'clusters');
    const urls = [
      clusters.spec.generators[0].git.repoURL,
      ...clusters.spec.template.spec.sources.map((s: { repoURL: string }) => s.repoURL),
      ...find('AppProject', 'platform').spec.sourceRepos,
      ...platform.spec.sources.map((s: { repoURL: string }) => s.repoURL),
      appset.spec.generators[0].git.repoURL,
      appset.spec.template.spec.source.repoURL,
    ];
    expect(urls).toHaveLength(9);
    expect(new Set(urls)).toEqual(new Set([DEFAULT_PLATFORM_REPO_URL]));
  });

  it('gives the deployed onboarding service the same URL, so the AppProjects in its PRs allow this repository', () => {
    const service = kustomize(join(REPO_ROOT, 'base/platform/onboarding-service')).find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'onboarding-service',
    ) as Manifest & { data: Record<string, string> };
    expect(service.data.TENANT_GITOPS_REPO_URL).toBe(DEFAULT_PLATFORM_REPO_URL);
  });
});

describe('the tenants ApplicationSet', () => {
  const appset = find('ApplicationSet', 'tenants');
  const template = appset.spec.template;

  it('reads overlays/*/tenant.json with a git files generator and strict Go templates', () => {
    expect(appset.spec.goTemplate).toBe(true);
    expect(appset.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(appset.spec.generators).toHaveLength(1);
    expect(appset.spec.generators[0].git.files).toEqual([{ path: 'overlays/*/tenant.json' }]);
    expect(appset.spec.generators[0].git.revision).toBe('main');
  });

  it('names each Application tenant-<tenant> in argocd, labelled with tenant and tier, in project tenant-<tenant>', () => {
    expect(template.metadata.name).toBe('tenant-{{.tenant}}');
    expect(template.metadata.namespace).toBe('argocd');
    expect(template.metadata.labels['tenants.gitops.dev/tenant']).toBe('{{.tenant}}');
    expect(template.metadata.labels['tenants.gitops.dev/tier']).toBe('{{.tier}}');
    expect(template.spec.project).toBe('tenant-{{.tenant}}');
    expect(template.spec.source.path).toBe('{{.path.path}}');
    expect(template.spec.destination.namespace).toBe('{{.namespace}}');
  });

  it('syncs automatically with prune and self-heal, server-side, and never creates namespaces', () => {
    expect(template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(template.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(JSON.stringify(template)).not.toContain('CreateNamespace');
    expect(template.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
    // namespaces may appear after the tenant Application's first sync: it must retry
    expect(template.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
  });

  it('rolls out by tier: free, then business, then enterprise', () => {
    expect(appset.spec.strategy.type).toBe('RollingSync');
    const steps = appset.spec.strategy.rollingSync.steps.map(
      (step: { matchExpressions: unknown[] }) => step.matchExpressions,
    );
    expect(steps).toEqual(
      ['free', 'business', 'enterprise'].map((tier) => [
        { key: 'tenants.gitops.dev/tier', operator: 'In', values: [tier] },
      ]),
    );
  });

  it('guards against mass deletion: creates and updates Applications but never deletes them, and keeps resources', () => {
    expect(appset.spec.syncPolicy).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
  });

  it('uses only fields that tenant.json provides (missingkey=error would fail on any other)', () => {
    const keys = new Set([...JSON.stringify(template).matchAll(/\{\{\s*\.([a-zA-Z]+)/g)].map((m) => m[1]));
    // `path` is the files generator's own parameter; the rest come from render/argocd-tenant.ts.
    expect([...keys].sort()).toEqual(['cluster', 'namespace', 'path', 'tenant', 'tier']);
  });
});

describe('the platform Application', () => {
  const app = find('Application', 'platform');

  it("syncs the onboarding service, argocd/tenants/ (the AppProjects) and argocd/ itself, in the platform project, into ArgoCD's cluster", () => {
    expect(app.spec.project).toBe('platform');
    expect(app.spec.sources.map((s: { path: string }) => s.path)).toEqual([
      'base/platform/onboarding-service',
      'argocd/tenants',
      'argocd',
    ]);
    expect(app.spec.destination.server).toBe(IN_CLUSTER_SERVER);
    // Thousands of AppProjects: a three-way diff and only the changed objects applied (platform.yaml).
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ApplyOutOfSyncOnly=true']);
  });

  it('runs in a project that alone may create cluster-scoped objects', () => {
    const project = find('AppProject', 'platform');
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '*', kind: '*' }]);
  });

  it('GIVEN base/platform rendered WHEN the platform project judges each object THEN every one may sync, the monitoring objects included', () => {
    const project = find('AppProject', 'platform').spec as AppProjectSpec;
    const platform = [
      ...kustomize(join(REPO_ROOT, 'base/platform')),
      ...kustomize(join(REPO_ROOT, 'base/platform/onboarding-service')),
    ];
    const verdicts = platform.map((o) =>
      resourcePermitted(project, o, {
        server: IN_CLUSTER_SERVER,
        destinationNamespace: app.spec.destination.namespace,
        namespaced: isNamespacedKind(o.kind),
      }),
    );
    expect(verdicts.filter((v) => !v.permitted).map((v) => v.reason)).toEqual([]);
    const kinds = platform.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace//gitops-monitoring',
        'PrometheusRule/gitops-monitoring/tenant-quota',
        'ConfigMap/gitops-monitoring/tenant-dashboard',
      ]),
    );
  });
});

describe('the clusters ApplicationSet', () => {
  const appset = find('ApplicationSet', 'clusters');
  const template = appset.spec.template;

  it('makes one Application per clusters/*.yaml, in the platform project, on that cluster by its ArgoCD name', () => {
    expect(appset.spec.goTemplate).toBe(true);
    expect(appset.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(appset.spec.generators[0].git.files).toEqual([{ path: 'clusters/*.yaml' }]);
    expect(template.metadata.name).toBe('cluster-{{.name}}');
    expect(template.spec.project).toBe('platform');
    expect(template.spec.destination).toEqual({ name: '{{.argocdCluster}}', namespace: 'argocd' });
  });

  it("syncs base/platform and only that cluster's folder of tenant Namespaces", () => {
    expect(template.spec.sources.map((s: { path: string }) => s.path)).toEqual([
      'base/platform',
      'argocd/clusters/{{.name}}',
    ]);
    expect(template.spec.sources[1].directory).toEqual({ recurse: false, include: '*.yaml' });
    expect(template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(template.spec.syncPolicy.syncOptions).toEqual(['ApplyOutOfSyncOnly=true']);
  });

  it('guards against mass deletion like the tenants ApplicationSet', () => {
    expect(appset.spec.syncPolicy).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
  });

  it('GIVEN every registered cluster file THEN it has the fields the template reads (missingkey=error would fail on a missing one)', () => {
    const keys = new Set([...JSON.stringify(template).matchAll(/\{\{\s*\.([a-zA-Z]+)/g)].map((m) => m[1]));
    expect([...keys].sort()).toEqual(['argocdCluster', 'name']);
    for (const file of readdirSync(join(REPO_ROOT, 'clusters')).filter((f) => f.endsWith('.yaml'))) {
      const cluster = parse(readFileSync(join(REPO_ROOT, 'clusters', file), 'utf8')) as Record<string, unknown>;
      for (const key of keys) expect(typeof cluster[key!], `clusters/${file}: ${key}`).toBe('string');
      // The generator keeps the cluster's folder in git, so the source path exists even when empty.
      expect(existsSync(join(REPO_ROOT, 'argocd/clusters', String(cluster['name']), 'README.md'))).toBe(true);
    }
  });
});
