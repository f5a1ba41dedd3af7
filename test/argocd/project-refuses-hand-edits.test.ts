// A hand-edited overlay that reaches into another tenant's namespace, or adds a cluster-scoped
// object, is refused twice: by `tenantctl generate --check` (CI) and by the tenant's AppProject
// (ArgoCD), evaluated here with ArgoCD's documented project rules against the real kustomize render.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { resourcePermitted, type AppProjectSpec } from './support/project-permits.ts';
import { isNamespacedKind, kustomize, parseManifests, type Manifest } from '../fixtures/kustomize.ts';
import { makeTenantRepo, tenantctl } from '../fixtures/tenant-repo.ts';

let root: string;

beforeAll(() => {
  root = makeTenantRepo([
    { name: 'alpha', tier: 'free' },
    { name: 'beta', tier: 'business' },
  ]);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function projectOf(tenant: string): AppProjectSpec {
  const docs = parseManifests(readFileSync(join(root, 'argocd/tenants', `${tenant}.yaml`), 'utf8'));
  const project = docs.find((d) => d.kind === 'AppProject');
  if (!project) throw new Error(`no AppProject in argocd/tenants/${tenant}.yaml`);
  expect(project.metadata.name).toBe(`tenant-${tenant}`);
  return (project as Manifest & { spec: AppProjectSpec }).spec;
}

function verdicts(tenant: string, objects: Manifest[]) {
  const spec = projectOf(tenant);
  return objects.map((o) =>
    resourcePermitted(spec, o, {
      // As the tenants ApplicationSet sets it: the tenant's cluster by ArgoCD's name (tenant.json).
      name: 'in-cluster',
      destinationNamespace: `tenant-${tenant}`,
      namespaced: isNamespacedKind(o.kind),
    }),
  );
}

function editYaml(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, doc.toString());
}

describe('a generated overlay', () => {
  it('is up to date and every object it renders is permitted by its own AppProject', () => {
    // GIVEN the repo as the generator wrote it
    expect(tenantctl(root, ['generate', '--check']).status).toBe(0);
    // WHEN alpha's overlay is rendered and checked against alpha's project
    const objects = kustomize(join(root, 'overlays/alpha'));
    // THEN there is something to check, and all of it is allowed
    expect(objects.length).toBeGreaterThan(3);
    const refused = verdicts('alpha', objects).filter((v) => !v.permitted);
    expect(refused).toEqual([]);
  });

  it("is refused by the other tenant's project: a project admits only its own tenant's namespaces", () => {
    const alphaObjects = kustomize(join(root, 'overlays/alpha'));
    const namespaced = alphaObjects.filter((o) => isNamespacedKind(o.kind));
    expect(verdicts('beta', namespaced).every((v) => !v.permitted)).toBe(true);
  });
});

describe('hand edits to an overlay', () => {
  const kustomizationFile = () => join(root, 'overlays/alpha/kustomization.yaml');
  let original = '';
  beforeAll(() => (original = readFileSync(kustomizationFile(), 'utf8')));
  const restore = () => {
    writeFileSync(kustomizationFile(), original);
    rmSync(join(root, 'overlays/alpha/clusterrolebinding.yaml'), { force: true });
  };

  it("targeting another tenant's namespace fail generate --check and alpha's AppProject", () => {
    // GIVEN alpha's overlay edited by hand to put its objects into beta's namespace
    editYaml(kustomizationFile(), (doc) => doc.set('namespace', 'tenant-beta'));
    try {
      // WHEN CI runs the check
      const check = tenantctl(root, ['generate', '--check']);
      // THEN it fails and names the edited file
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('overlays/alpha/kustomization.yaml');
      // AND the render really targets tenant-beta, which alpha's project refuses for every object
      const objects = kustomize(join(root, 'overlays/alpha'));
      expect(objects.filter((o) => o.metadata.namespace === 'tenant-beta').length).toBeGreaterThan(0);
      const results = verdicts(
        'alpha',
        objects.filter((o) => o.metadata.namespace === 'tenant-beta'),
      );
      expect(results.every((v) => !v.permitted)).toBe(true);
      expect(results[0]?.reason).toContain('namespace tenant-beta is not a permitted destination');
    } finally {
      restore();
    }
  });

  it("adding a ClusterRoleBinding fails generate --check and alpha's AppProject", () => {
    // GIVEN a ClusterRoleBinding that would make alpha's admin a cluster-admin, added to alpha's overlay
    const crb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'alpha-is-cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'tenant-admin', namespace: 'tenant-alpha' }],
    };
    writeFileSync(join(root, 'overlays/alpha/clusterrolebinding.yaml'), parseDocument(JSON.stringify(crb)).toString());
    editYaml(kustomizationFile(), (doc) => doc.addIn(['resources'], 'clusterrolebinding.yaml'));
    try {
      // WHEN CI runs the check
      const check = tenantctl(root, ['generate', '--check']);
      // THEN it fails, naming the edited kustomization
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('overlays/alpha/kustomization.yaml');
      // AND the rendered ClusterRoleBinding is refused by alpha's project as a cluster-scoped kind
      const objects = kustomize(join(root, 'overlays/alpha'));
      const binding = objects.filter((o) => o.kind === 'ClusterRoleBinding');
      expect(binding).toHaveLength(1);
      const [verdict] = verdicts('alpha', binding);
      expect(verdict?.permitted).toBe(false);
      expect(verdict?.reason).toContain(
        'cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not permitted',
      );
    } finally {
      restore();
    }
  });
});
