import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTenants } from '../../src/tenant/index.ts';
import { expectIssue, inputIssuesAsync, platformRoot, tenantText, validDocument } from './support.ts';

const roots: string[] = [];
async function root(files: Record<string, string>): Promise<string> {
  const dir = await platformRoot(files);
  roots.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(roots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('loadTenants', () => {
  it('GIVEN valid files WHEN loaded THEN they come back sorted by name with relative file paths', async () => {
    const dir = await root({
      'zeta.yaml': tenantText(validDocument('zeta', { tier: 'free' })),
      'acme.yaml': tenantText(validDocument('acme')),
      'tenant.schema.json': '{}',
      'README.md': '# tenants\n',
    });
    const loaded = await loadTenants(dir);
    expect(loaded.map((l) => l.file)).toEqual(['tenants/acme.yaml', 'tenants/zeta.yaml']);
    expect(loaded.map((l) => l.tenant.name)).toEqual(['acme', 'zeta']);
    expect(loaded[1]?.document.spec.tier).toBe('free');
  });

  it('GIVEN one bad file among good ones WHEN loaded THEN the whole load fails naming that file', async () => {
    const dir = await root({
      'acme.yaml': tenantText(validDocument('acme')),
      'bad.yaml': tenantText(validDocument('bad', { tier: 'gold' })),
      'globex.yaml': tenantText(validDocument('globex')),
    });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expect(issues).toHaveLength(1);
    expectIssue(issues, { file: 'tenants/bad.yaml', path: 'spec.tier', message: /"gold"/, fix: /"business"/ });
  });

  it('GIVEN problems in several files WHEN loaded THEN all of them are reported at once', async () => {
    const dir = await root({
      'one.yaml': tenantText(validDocument('one', { quota: { pods: 'many' } })),
      'two.yaml': tenantText(validDocument('three')),
    });
    const { issues, message } = await inputIssuesAsync(() => loadTenants(dir));
    expect(issues.map((i) => `${i.file}:${i.path}`).sort()).toEqual([
      'tenants/one.yaml:spec.quota.pods',
      'tenants/two.yaml:metadata.name',
    ]);
    expect(message).toMatch(/^tenant-gitops: /);
  });

  it('GIVEN acme with sub dev and a tenant acme-dev WHEN loaded THEN the collision names both files', async () => {
    const dir = await root({
      'acme.yaml': tenantText(validDocument('acme', { subNamespaces: [{ name: 'dev' }] })),
      'acme-dev.yaml': tenantText(validDocument('acme-dev')),
    });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue?.message).toContain('"tenant-acme-dev"');
    expect(issue?.message).toContain('tenants/acme.yaml');
    expect(issue?.message).toContain('tenants/acme-dev.yaml');
    expect(issue?.fix).toMatch(/rename/);
  });

  it('GIVEN a file whose name differs from metadata.name WHEN loaded THEN it is refused', async () => {
    const dir = await root({ 'acme.yaml': tenantText(validDocument('acme-corp')) });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: 'metadata.name',
      message: /does not match the file name "acme"/,
      fix: /tenants\/acme-corp\.yaml/,
    });
  });

  it('GIVEN a .yml file and an unknown file WHEN loaded THEN both are refused with a fix', async () => {
    const dir = await root({
      'acme.yml': tenantText(validDocument('acme')),
      'notes.txt': 'x',
      'ok.yaml': tenantText(validDocument('ok')),
    });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expectIssue(issues, {
      file: 'tenants/acme.yml',
      path: '(file)',
      message: /\.yaml extension/,
      fix: /tenants\/acme\.yaml/,
    });
    expectIssue(issues, { file: 'tenants/notes.txt', path: '(file)', message: /unexpected file/, fix: /move it out/ });
  });

  it('GIVEN a huge file WHEN loaded THEN it is refused from its size alone', async () => {
    const dir = await root({ 'acme.yaml': `${tenantText(validDocument('acme'))}${'#'.repeat(70_000)}\n` });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: '(file)',
      message: /at most 65536 bytes/,
      fix: /one tenant per file/,
    });
  });

  it('GIVEN a symlink in tenants/ WHEN loaded THEN it is refused instead of followed', async () => {
    const dir = await root({});
    await writeFile(join(dir, 'outside.yaml'), tenantText(validDocument('acme')));
    await symlink(join(dir, 'outside.yaml'), join(dir, 'tenants', 'acme.yaml'));
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: '(file)',
      message: /not a regular file/,
      fix: /regular tenant file/,
    });
  });

  it('GIVEN no tenants/ directory WHEN loaded THEN --root is the fix', async () => {
    const dir = await root({});
    await rm(join(dir, 'tenants'), { recursive: true });
    const { issues } = await inputIssuesAsync(() => loadTenants(dir));
    expectIssue(issues, { file: 'tenants', path: '(directory)', message: /cannot read/, fix: /--root/ });
  });

  it('GIVEN a bad file WHEN loading fails THEN the good files are left as they were', async () => {
    const good = tenantText(validDocument('acme'));
    const dir = await root({ 'acme.yaml': good, 'bad.yaml': 'kind: [\n' });
    await inputIssuesAsync(() => loadTenants(dir));
    expect(await readFile(join(dir, 'tenants', 'acme.yaml'), 'utf8')).toBe(good);
  });
});
