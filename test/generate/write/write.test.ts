// GIVEN a real platform repo on disk WHEN the rendered tree is planned and applied THEN only the
// bytes that change are written, deleted tenants are pruned and nothing else is touched.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAll } from '../../../src/generate/render/index.ts';
import { planIsClean, planWrite, writeTree } from '../../../src/generate/write/index.ts';
import { businessTenant, enterpriseTenant, exampleTenants, freeTenant } from '../render/fixtures.ts';
import { commitAll, git, makePlatformRepo, snapshotTree } from '../../fixtures/platform-repo.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

async function generate(root: string, files: Map<string, string>) {
  return { result: await writeTree(root, files) };
}

function freshRepo(): string {
  const root = makePlatformRepo();
  roots.push(root);
  return root;
}

describe('writing the generated tree', () => {
  it('writes every file once, then nothing on a second run', async () => {
    const root = freshRepo();
    const files = renderAll(exampleTenants);
    const first = await generate(root, files);
    expect(first.result.written).toEqual([...files.keys()].sort());
    commitAll(root, 'generated');

    const second = await generate(root, renderAll(exampleTenants));
    expect(second.result.written).toEqual([]);
    expect(second.result.removed).toEqual([]);
    expect(second.result.unchanged).toBe(files.size);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('rewrites only the files of the one tenant whose spec changed', async () => {
    const root = freshRepo();
    await generate(root, renderAll(exampleTenants));
    commitAll(root, 'generated');

    const changed = { ...businessTenant, quota: { ...businessTenant.quota, pods: '60' } };
    const { result } = await generate(root, renderAll([enterpriseTenant, changed, freeTenant]));
    expect(result.written).toEqual(['overlays/globex/patches.yaml']);
    const status = git(root, 'status', '--porcelain').trimEnd().split('\n');
    expect(status).toEqual([' M overlays/globex/patches.yaml']);
  });

  it('lists a hand-edited overlay and a hand-added file without changing them', async () => {
    const root = freshRepo();
    const files = renderAll(exampleTenants);
    await generate(root, files);
    const edited = join(root, 'overlays/initech/patches.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('pods: "20"', 'pods: "2000"'));
    writeFileSync(join(root, 'overlays/initech/extra-clusterrolebinding.yaml'), 'kind: ClusterRoleBinding\n');
    const before = snapshotTree(root);

    const plan = planWrite(root, files);

    expect(planIsClean(plan)).toBe(false);
    expect(plan.differing).toEqual(['overlays/initech/patches.yaml']);
    expect(plan.extra).toEqual(['overlays/initech/extra-clusterrolebinding.yaml']);
    expect(plan.missing).toEqual([]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('removes the overlay, AppProject and Namespaces of a deleted tenant and nothing else', async () => {
    const root = freshRepo();
    await generate(root, renderAll(exampleTenants));
    mkdirSync(join(root, 'argocd'), { recursive: true });
    writeFileSync(join(root, 'argocd/applicationset.yaml'), 'kept: true\n');
    writeFileSync(join(root, 'notes.txt'), 'kept\n');

    const { result } = await generate(root, renderAll([enterpriseTenant, freeTenant]));

    expect(result.written).toEqual([]);
    const platformFiles = ['argocd/clusters/in-cluster/globex.yaml', 'argocd/tenants/globex.yaml'];
    expect(result.removed.filter((p) => !p.startsWith('overlays/globex/'))).toEqual(platformFiles);
    expect(existsSync(join(root, 'overlays/globex'))).toBe(false);
    for (const file of platformFiles) expect(existsSync(join(root, file))).toBe(false);
    // The cluster's folder stays: its other tenants' Namespaces are still in it.
    expect(existsSync(join(root, 'argocd/clusters/in-cluster/acme.yaml'))).toBe(true);
    expect(existsSync(join(root, 'argocd/applicationset.yaml'))).toBe(true);
    expect(existsSync(join(root, 'notes.txt'))).toBe(true);
    expect(existsSync(join(root, 'overlays/acme/tenant.json'))).toBe(true);
  });

  it('replaces files atomically, leaving no temp files behind', async () => {
    const root = freshRepo();
    await generate(root, renderAll(exampleTenants));
    const changed = { ...freeTenant, owners: [{ kind: 'User' as const, name: 'milton@initech.example' }] };
    await generate(root, renderAll([enterpriseTenant, businessTenant, changed]));
    const leftovers = [...snapshotTree(root).keys()].filter((p) => p.includes('.tenantctl-'));
    expect(leftovers).toEqual([]);
  });

  it('stops at a write that fails and reports it, leaving no temp file and removing nothing', async () => {
    const root = freshRepo();
    await generate(root, renderAll([enterpriseTenant, freeTenant]));
    commitAll(root, 'generated');
    // A directory where the generator must write a file: the rename onto it fails.
    mkdirSync(join(root, 'overlays/globex/kustomization.yaml'), { recursive: true });

    await expect(generate(root, renderAll([enterpriseTenant, businessTenant]))).rejects.toThrow(/kustomization\.yaml/);

    const leftovers = [...snapshotTree(root).keys()].filter((p) => p.includes('.tenantctl-'));
    expect(leftovers).toEqual([]);
    // Pruning comes after every write succeeded: the dropped tenant is still there.
    expect(existsSync(join(root, 'overlays/initech/tenant.json'))).toBe(true);
  });

  it('writes a tree many times larger than the writer thread may queue, each file once', async () => {
    const root = freshRepo();
    const files = new Map(
      Array.from({ length: 5000 }, (_, i) => [`overlays/t${i}/kustomization.yaml`, `i: ${i}\n`] as const),
    );
    const { result } = await generate(root, files);
    expect(result.written).toHaveLength(5000);
    expect(readFileSync(join(root, 'overlays/t4321/kustomization.yaml'), 'utf8')).toBe('i: 4321\n');
    expect((await generate(root, files)).result).toEqual({ written: [], removed: [], unchanged: 5000 });
  });

  it('stops the renderer at a failure deep in a large tree and removes nothing', async () => {
    const root = freshRepo();
    await generate(root, renderAll([freeTenant]));
    mkdirSync(join(root, 'overlays/t100/kustomization.yaml'), { recursive: true });
    let rendered = 0;
    function* many(): Generator<[string, string]> {
      for (let i = 0; i < 5000; i++) {
        rendered++;
        yield [`overlays/t${i}/kustomization.yaml`, `i: ${i}\n`];
      }
    }
    await expect(writeTree(root, many())).rejects.toThrow(/overlays\/t100\/kustomization\.yaml/);
    // The writer answered the failure while the renderer waited for room: it did not render on.
    expect(rendered).toBeLessThan(5000);
    expect(existsSync(join(root, 'overlays/initech/tenant.json'))).toBe(true);
    expect(existsSync(join(root, 'overlays/t4999'))).toBe(false);
  });
});
