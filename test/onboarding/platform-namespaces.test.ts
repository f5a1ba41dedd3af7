// GIVEN a platform whose default branch lists the onboarding service's namespace as it once was
// (tenant-gitops-system) WHEN the backend asks for tenant gitops-system THEN the service refuses it
// with 422 naming the namespace and where it is declared, writes nothing and opens no PR; the
// legitimate tenant is still accepted. The list is tenants/platform-namespaces.json on main.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_NAMESPACES_PATH } from '../../src/tenant/names.ts';
import { tenantDocument, useHarness } from './support/harness.ts';

const run = promisify(execFile);
const harness = useHarness();

/** Someone merges on main: the platform-namespaces list with `namespace` added, as generate writes it. */
async function mergePlatformNamespace(bareDir: string, namespace: string, declaration: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'platform-namespaces-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=platform', '-c', 'user.email=platform@example.test', ...args], { cwd: work });
  try {
    await git('clone', '--quiet', bareDir, '.');
    const file = join(work, PLATFORM_NAMESPACES_PATH);
    const list = JSON.parse(await readFile(file, 'utf8')) as { namespaces: Record<string, string> };
    list.namespaces[namespace] = declaration;
    await writeFile(file, `${JSON.stringify(list, null, 2)}\n`);
    await git('commit', '--quiet', '-am', `platform: ${namespace}`);
    await git('push', '--quiet', 'origin', 'HEAD:main');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  await mergePlatformNamespace(
    harness().bareDir,
    'tenant-gitops-system',
    'base/platform: Namespace tenant-gitops-system',
  );
});

describe('platform namespaces through the API', () => {
  it.each([
    { method: 'POST', path: '/v1/tenants' },
    { method: 'PUT', path: '/v1/tenants/gitops-system' },
  ])(
    'GIVEN main lists tenant-gitops-system WHEN $method gitops-system THEN 422 names it and nothing is written',
    async ({ method, path }) => {
      const before = await harness().writes();

      const refused = await harness().api(method, path, tenantDocument('gitops-system'));

      expect(refused.status).toBe(422);
      expect(refused.body.issues).toEqual([
        {
          file: 'tenants/gitops-system.yaml',
          path: 'metadata.name',
          message: expect.stringMatching(
            /^namespace "tenant-gitops-system" is a platform namespace \(base\/platform: Namespace tenant-gitops-system\)/,
          ),
          fix: expect.stringMatching(/^rename the tenant/),
        },
      ]);
      const after = await harness().writes();
      expect(after.rows).toEqual(before.rows);
      expect(after.branches).toEqual(before.branches);
    },
  );

  it('GIVEN the same main WHEN a legitimate tenant is POSTed THEN 202 with an open PR', async () => {
    const accepted = await harness().api('POST', '/v1/tenants', tenantDocument('gitops-sys'));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ name: 'gitops-sys', state: 'pr_open' });
  });
});
