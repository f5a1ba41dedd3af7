// `npm start` sets up only the main job's tools (scripts/setup.sh main): render-overlays, kubeconform
// and its schemas. validate must need nothing else, kubectl included.
import { mkdtempSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaDir } from '../../src/generate/validate/index.ts';
import { toolPath } from '../../src/shared/tools.ts';
import { makeRepoWithExampleTenants, tenantctl, tenantctlAsyncWithEnv } from './run-cli.ts';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tools directory holding only what `scripts/setup.sh main` installs. */
function mainJobTools(): string {
  const tools = mkdtempSync(join(tmpdir(), 'main-job-tools-'));
  scratch.push(tools);
  mkdirSync(join(tools, 'bin'));
  for (const name of ['render-overlays', 'kubeconform']) symlinkSync(toolPath(name), join(tools, 'bin', name));
  mkdirSync(join(tools, 'schemas'));
  symlinkSync(schemaDir(), join(tools, 'schemas', schemaDir().split('/').pop()!));
  return tools;
}

describe('tenantctl validate with the main job’s tools only', () => {
  it('GIVEN a tools directory with render-overlays, kubeconform and the schemas only, and no kubectl on PATH WHEN validate runs THEN every overlay and base/platform validate', async () => {
    const root = makeRepoWithExampleTenants();
    scratch.push(root);
    expect(tenantctl(root, 'generate').code).toBe(0);
    const env = { TENANT_GITOPS_TOOLS: mainJobTools(), PATH: '/usr/bin:/bin' };
    const result = await tenantctlAsyncWithEnv(root, env, 'validate', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, tenants: 3 });
  });
});
