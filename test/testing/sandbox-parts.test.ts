// The sandbox's own parts, with real git and real processes: the platform repository copy (only
// committed files, only the platform folders) and the teardown order.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyPlatformRepository } from '../../testing/sandbox/platform-repo.ts';
import { Teardown } from '../../testing/sandbox/teardown.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-parts-'));
  dirs.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

describe('copyPlatformRepository', () => {
  it('GIVEN a checkout with uncommitted edits and unrelated folders THEN the bare copy holds exactly the committed platform folders on main', async () => {
    const root = await scratch();
    const checkout = join(root, 'checkout');
    for (const dir of ['tenants', 'base/tenant', 'overlays/acme', 'argocd', 'src'])
      await mkdir(join(checkout, dir), { recursive: true });
    await writeFile(join(checkout, 'tenants/acme.yaml'), 'metadata: {name: acme}\n');
    await writeFile(join(checkout, 'base/tenant/kustomization.yaml'), 'resources: []\n');
    await writeFile(join(checkout, 'overlays/acme/tenant.json'), '{"tenant":"acme"}\n');
    await writeFile(join(checkout, 'argocd/applicationset.yaml'), 'kind: ApplicationSet\n');
    await writeFile(join(checkout, 'src/cli.ts'), 'export {};\n');
    git(root, 'init', '-q', 'checkout');
    git(checkout, 'add', '.');
    git(checkout, 'commit', '-qm', 'platform');
    // Uncommitted: an edit and a new file must not reach the sandbox.
    await writeFile(join(checkout, 'tenants/acme.yaml'), 'metadata: {name: edited}\n');
    await writeFile(join(checkout, 'tenants/draft.yaml'), 'draft\n');

    const copy = await copyPlatformRepository({ checkout, bareDir: join(root, 'github/platform/tenants.git') });

    expect(copy.folders).toEqual(['tenants', 'base', 'overlays', 'argocd']);
    expect(git(copy.bareDir, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(git(copy.bareDir, 'rev-parse', 'main')).toBe(copy.head);
    expect(git(copy.bareDir, 'ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual([
      'argocd/applicationset.yaml',
      'base/tenant/kustomization.yaml',
      'overlays/acme/tenant.json',
      'tenants/acme.yaml',
    ]);
    expect(git(copy.bareDir, 'show', 'main:tenants/acme.yaml')).toBe('metadata: {name: acme}');
  });

  it('GIVEN a directory that is not a git checkout THEN it says the sandbox copies a committed tree', async () => {
    const root = await scratch();
    await expect(copyPlatformRepository({ checkout: root, bareDir: join(root, 'x.git') })).rejects.toThrow(
      /tenant-gitops: .* is not a git checkout with a commit/,
    );
  });

  it('GIVEN a checkout without any platform folder THEN it refuses and names the folders', async () => {
    const root = await scratch();
    await writeFile(join(root, 'README'), 'x\n');
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'x');
    await expect(copyPlatformRepository({ checkout: root, bareDir: join(root, 'x.git') })).rejects.toThrow(
      /none of tenants, base, overlays, argocd/,
    );
  });
});

describe('Teardown', () => {
  it('GIVEN parts started in order THEN they stop in reverse, past a failing one, and only once', async () => {
    const stopped: string[] = [];
    const teardown = new Teardown();
    teardown.add('control plane', async () => {
      stopped.push('control plane');
    });
    teardown.add('GitHub server', async () => {
      throw new Error('port busy');
    });
    teardown.add('service', async () => {
      stopped.push('service');
    });

    const [first, second] = await Promise.all([teardown.run(), teardown.run()]);

    expect(stopped).toEqual(['service', 'control plane']);
    expect(first).toEqual(['GitHub server: port busy']);
    expect(second).toBe(first);
  });
});
