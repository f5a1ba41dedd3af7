// GIVEN a platform repo with the example specs WHEN the real `tenantctl generate` runs THEN it
// writes only changed bytes, prunes deleted tenants, --check reports drift with exit 1, and bad
// input exits 2 leaving every byte on disk as it was.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitAll, git, snapshotTree } from '../fixtures/platform-repo.ts';
import { makeRepoWithExampleTenants, tenantctl } from './run-cli.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function generatedRepo(): string {
  const root = makeRepoWithExampleTenants();
  roots.push(root);
  const first = tenantctl(root, 'generate', '--json');
  expect(first.code, first.stderr).toBe(0);
  commitAll(root, 'generated');
  return root;
}

describe('tenantctl generate', () => {
  it('writes nothing on a second run and matches the committed example output', () => {
    const root = generatedRepo();
    const second = tenantctl(root, 'generate', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, written: [], removed: [] });
    expect(git(root, 'status', '--porcelain')).toBe('');
    const check = tenantctl(root, 'generate', '--check');
    expect(check.code).toBe(0);
  });

  it('rewrites only the tenant whose spec changed', () => {
    const root = generatedRepo();
    const spec = join(root, 'tenants/initech.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(/kind: User, name: [^ }]+/, 'kind: User, name: milton@initech.example'),
    );
    const result = tenantctl(root, 'generate', '--json');
    expect(result.code, result.stderr).toBe(0);
    const written: string[] = JSON.parse(result.stdout).written;
    // The owners reach the RoleBinding (patches.yaml) and the Namespace's owners annotation.
    expect(written).toEqual(['argocd/clusters/in-cluster/initech.yaml', 'overlays/initech/patches.yaml']);
  });

  it('fails --check with exit 1 and names a hand-edited overlay and a hand-added file', () => {
    const root = generatedRepo();
    const quota = join(root, 'overlays/globex/values/patches.yaml');
    writeFileSync(quota, readFileSync(quota, 'utf8').replace(/pods: "\d+"/, 'pods: "9999"'));
    writeFileSync(join(root, 'overlays/globex/values/clusterrolebinding.yaml'), 'kind: ClusterRoleBinding\n');
    const before = snapshotTree(root);
    const check = tenantctl(root, 'generate', '--check', '--json');
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toEqual({
      ok: false,
      differing: ['overlays/globex/values/patches.yaml'],
      extra: ['overlays/globex/values/clusterrolebinding.yaml'],
      missing: [],
    });
    const text = tenantctl(root, 'generate', '--check');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('differs  overlays/globex/values/patches.yaml');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('removes the overlay, AppProject and Namespaces of a deleted spec', () => {
    const root = generatedRepo();
    unlinkSync(join(root, 'tenants/globex.yaml'));
    const result = tenantctl(root, 'generate');
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(root, 'overlays/globex'))).toBe(false);
    expect(existsSync(join(root, 'argocd/tenants/globex.yaml'))).toBe(false);
    expect(existsSync(join(root, 'argocd/clusters/in-cluster/globex.yaml'))).toBe(false);
    expect(existsSync(join(root, 'overlays/acme/tenant.json'))).toBe(true);
  });

  it('refuses to write through a symbolic link in its territory, naming it, and writes nowhere', () => {
    // Each case: the path made a link to a folder (or file) outside the repository.
    for (const linked of [
      'overlays/acme',
      'argocd/tenants',
      'argocd/clusters/in-cluster',
      'overlays/globex/kustomization.yaml',
    ]) {
      const root = generatedRepo();
      const outside = mkdtempSync(join(tmpdir(), 'generate-outside-'));
      roots.push(outside);
      const target = linked.endsWith('.yaml') ? join(outside, 'kustomization.yaml') : join(outside, 'dir');
      renameSync(join(root, linked), target);
      symlinkSync(target, join(root, linked));
      // Every tenant changes, so every generated file would be written.
      for (const t of ['acme', 'globex', 'initech']) {
        const spec = join(root, `tenants/${t}.yaml`);
        const added = '  owners:\n    - { kind: User, name: new-owner@example.com }\n';
        writeFileSync(spec, readFileSync(spec, 'utf8').replace('  owners:\n', added));
      }
      const before = snapshotTree(outside);
      for (const args of [['generate'], ['generate', '--check']]) {
        const result = tenantctl(root, ...args);
        expect(result.code, `${linked}: ${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(`${linked}: `);
        expect(result.stderr).toMatch(/symbolic link/);
      }
      expect(snapshotTree(outside)).toEqual(before);
      expect(readdirSync(outside)).toHaveLength(1);
    }
  });

  it('exits 2 on a bad spec, naming file, field and fix, and changes no byte on disk', () => {
    const root = generatedRepo();
    const spec = join(root, 'tenants/globex.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('tier: business', 'tier: platinum'));
    unlinkSync(join(root, 'tenants/initech.yaml'));
    const before = snapshotTree(root);
    const result = tenantctl(root, 'generate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tenants\/globex\.yaml: spec\.tier: .*fix/);
    expect(snapshotTree(root)).toEqual(before);
    const json = tenantctl(root, 'generate', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).issues[0]).toMatchObject({ file: 'tenants/globex.yaml', path: 'spec.tier' });
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN a quota raise that oversubscribes the shared pools WHEN generate runs THEN it exits 2 naming cluster, pool, resource, sums and fix, and writes nothing', () => {
    const root = generatedRepo();
    const spec = join(root, 'tenants/globex.yaml');
    // 200 pods on the business tier count 100 against the shared pools (overcommit 2).
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('requests.cpu: "8"', 'requests.cpu: "8"\n    pods: "200"'));
    const cluster = join(root, 'clusters/in-cluster.yaml');
    // Only the one-node gpu pool stays shared, with 100 pods.
    const sized = readFileSync(cluster, 'utf8').replace('nodes: 12', 'nodes: 0');
    writeFileSync(cluster, sized.replace(/(name: gpu\n(?: {4}.*\n)*? {4}pods: )110/, '$1100'));
    const before = snapshotTree(root);
    const result = tenantctl(root, 'generate', '--json');
    expect(result.code, result.stderr).toBe(2);
    const issues: { file: string; path: string; message: string; fix: string }[] = JSON.parse(result.stdout).issues;
    expect(issues).toEqual([
      {
        file: 'clusters/in-cluster.yaml',
        path: 'nodePools (shared: general, gpu)',
        message: expect.stringMatching(
          /^cluster "in-cluster", shared pools "general", "gpu": pods oversubscribed: 102\.5 granted .* exceed the capacity of 100; largest: globex 100, initech 2\.5$/,
        ),
        fix: expect.stringMatching(/raise nodes or pods of the shared pools in clusters\/in-cluster\.yaml/),
      },
    ]);
    expect(snapshotTree(root)).toEqual(before);
    const validate = tenantctl(root, 'validate');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(
      /platform \(clusters\/in-cluster\.yaml\): nodePools \(shared: general, gpu\): .*pods oversubscribed/,
    );
  });
});
