// GIVEN the example tenants rendered into a real repo WHEN validated with real kustomize
// and real kubeconform THEN they pass; hand-made escapes from the tenant's boundary are named.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { renderAll } from '../../../src/generate/render/index.ts';
import { kubeconformFiles, kustomizeOverlays, validateRepository } from '../../../src/generate/validate/index.ts';
import { exampleTenants } from '../render/fixtures.ts';
import { makePlatformRepo, writeFiles } from '../../fixtures/platform-repo.ts';

let root: string;
beforeAll(() => {
  root = makePlatformRepo();
  writeFiles(root, renderAll(exampleTenants));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshCopy(): string {
  const copy = makePlatformRepo();
  writeFiles(copy, renderAll(exampleTenants));
  return copy;
}

describe('validateRepository', () => {
  it('accepts every example overlay, AppProject, namespace and the platform objects', async () => {
    const report = await validateRepository(root);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, tenants: 3 });
    expect(report.objects).toBeGreaterThan(30);
  });

  it('renders the same objects per tenant whatever the batch size', async () => {
    const batched = await kustomizeOverlays(root, ['acme', 'globex', 'initech'], { batchSize: 3 });
    const single = await kustomizeOverlays(root, ['acme', 'globex', 'initech'], { batchSize: 1 });
    expect(batched.failures.size).toBe(0);
    expect([...batched.objects.keys()].sort()).toEqual(['acme', 'globex', 'initech']);
    for (const t of ['acme', 'globex', 'initech']) expect(batched.objects.get(t)).toEqual(single.objects.get(t));
  });

  it('names the one overlay that breaks a batch', async () => {
    const copy = freshCopy();
    try {
      appendFileSync(join(copy, 'overlays/globex/kustomization.yaml'), 'resources:\n  - does-not-exist\n');
      const report = await validateRepository(copy);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.tenant)).toEqual(['globex']);
      expect(report.problems[0]!.file).toBe('overlays/globex');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('names the tenant of a schema problem when each batch is schema-checked as it renders', async () => {
    const copy = freshCopy();
    try {
      const patch = join(copy, 'overlays/globex/patches.yaml');
      writeFileSync(patch, readFileSync(patch, 'utf8').replace('spec:\n', 'spec:\n  hardd: {}\n'));
      const report = await validateRepository(copy, { batchSize: 1 });
      expect(report.ok).toBe(false);
      // Only the parent namespace has a ResourceQuota; sub-namespaces share it through HNC.
      expect(report.problems.map((p) => [p.tenant, p.file])).toEqual([['globex', 'overlays/globex']]);
      expect(report.problems[0]!.message).toMatch(/^ResourceQuota\/tenant-quota: .*hardd/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('refuses an overlay that targets another tenant namespace or adds a ClusterRoleBinding', async () => {
    const copy = freshCopy();
    try {
      const overlay = join(copy, 'overlays/initech');
      writeFileSync(
        join(overlay, 'steal.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: steal\n  namespace: tenant-globex\ndata: {}\n',
      );
      writeFileSync(
        join(overlay, 'crb.yaml'),
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: initech-admin\n' +
          'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n' +
          'subjects: [{kind: Group, name: initech-admins, apiGroup: rbac.authorization.k8s.io}]\n',
      );
      const kustomization = join(overlay, 'kustomization.yaml');
      const doc = parseDocument(readFileSync(kustomization, 'utf8'));
      doc.addIn(['resources'], 'steal.yaml');
      doc.addIn(['resources'], 'crb.yaml');
      writeFileSync(kustomization, doc.toString());
      const report = await validateRepository(copy, { tenants: ['initech'] });
      const messages = report.problems.map((p) => p.message).join('\n');
      expect(report.ok).toBe(false);
      expect(messages).toMatch(/ConfigMap\/steal .*not in AppProject tenant-initech/);
      expect(messages).toMatch(/ClusterRoleBinding\/initech-admin .*not in AppProject/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reads the committed AppProject whatever its layout, not only as the generator writes it', async () => {
    const copy = freshCopy();
    try {
      // A hand edit: every document as JSON, the AppProject last, RoleBindings no longer allowed.
      const file = join(copy, 'argocd/tenants/initech.yaml');
      const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, any>);
      const project = docs.find((d) => d.kind === 'AppProject')!;
      project.spec.namespaceResourceWhitelist = project.spec.namespaceResourceWhitelist.filter(
        (k: { kind: string }) => k.kind !== 'RoleBinding',
      );
      const edited = [...docs.filter((d) => d !== project), project];
      writeFileSync(file, edited.map((d) => JSON.stringify(d, null, 2)).join('\n---\n'));
      const report = await validateRepository(copy, { tenants: ['initech'] });
      // Exactly what the edit took away: every other kind is still read from the AppProject.
      expect(report.problems.length).toBeGreaterThan(0);
      for (const problem of report.problems)
        expect(problem.message).toMatch(/^RoleBinding\/tenant-admin .*not in AppProject tenant-initech/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('kubeconform', () => {
  it('rejects unknown fields and wrong types in strict mode', async () => {
    const file = join(root, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: tenant-acme}\nspec: {hard: {pods: "1"}, hardd: {}}\n' +
        '---\napiVersion: hnc.x-k8s.io/v1alpha2\nkind: HierarchyConfiguration\nmetadata: {name: hierarchy, namespace: x}\nspec: {parent: 7}\n',
    );
    const problems = await kubeconformFiles([file]);
    expect(problems.map((p) => p.kind).sort()).toEqual(['HierarchyConfiguration', 'ResourceQuota']);
    expect(problems.find((p) => p.kind === 'ResourceQuota')!.message).toMatch(/hardd/);
  });
});
