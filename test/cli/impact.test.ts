// GIVEN a platform repo whose generated files are committed WHEN the real `tenantctl impact --base`
// runs against that commit THEN it names exactly the tenants whose rendered objects change, object
// by object and field by field, counts the rest, takes the base side from what is committed there,
// and refuses an unknown ref or a bad flag with exit 2.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git } from '../fixtures/platform-repo.ts';
import { makeRepoWithExampleTenants, tenantctl, tenantctlAsync } from './run-cli.ts';
import { EXAMPLE_NAMESPACES } from '../fixtures/example-tenants.ts';

let template: string;
const roots: string[] = [];
beforeAll(() => {
  template = makeRepoWithExampleTenants();
  const generated = tenantctl(template, 'generate');
  expect(generated.code, generated.stderr).toBe(0);
  commitAll(template, 'base: the example tenants, generated');
});
afterAll(() => {
  for (const r of [template, ...roots]) rmSync(r, { recursive: true, force: true });
});

/** A fresh copy of the committed repo (history included), to change on top of its one commit. */
function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'tenant-gitops-impact-'));
  roots.push(root);
  cpSync(template, root, { recursive: true });
  return root;
}

function edit(root: string, path: string, change: (text: string) => string): void {
  const file = join(root, path);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

async function impact(root: string, ...args: string[]) {
  const result = await tenantctlAsync(root, 'impact', '--base', 'main', '--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** Tenant → "change Kind namespace/name" of each changed object. */
function objectsByTenant(report: any): Record<string, string[]> {
  return Object.fromEntries(
    report.changed.map((t: any) => [
      t.tenant,
      t.objects.map((o: any) => `${o.change} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`).sort(),
    ]),
  );
}

describe('tenantctl impact', () => {
  it('GIVEN a quota default added in base/tenant WHEN impact runs THEN every tenant is listed with each of its ResourceQuotas and the new field', async () => {
    const root = repo();
    edit(root, 'base/tenant/resourcequota.yaml', (t) => t.replace('hard: {}', 'hard:\n    count/configmaps: "100"'));
    const report = await impact(root);
    expect(report.tenants).toEqual({ total: 3, changed: 3, unchanged: 0, failed: 0 });
    const quotas = report.changed.flatMap((t: any) => t.objects);
    expect(quotas.map((o: any) => o.namespace).sort()).toEqual(EXAMPLE_NAMESPACES);
    for (const o of quotas)
      expect(o).toMatchObject({
        change: 'changed',
        kind: 'ResourceQuota',
        name: 'tenant-quota',
        fields: [{ path: 'spec.hard["count/configmaps"]', after: '100' }],
      });
  });

  it('GIVEN one spec changed and not regenerated WHEN impact runs THEN only that tenant is named, with the field before and after, and the others are counted', async () => {
    const root = repo();
    edit(root, 'tenants/globex.yaml', (t) => t.replace('  quota:\n', '  quota:\n    pods: "77"\n'));
    const report = await impact(root);
    expect(report.tenants).toEqual({ total: 3, changed: 1, unchanged: 2, failed: 0 });
    expect(objectsByTenant(report)).toEqual({
      globex: [
        'changed HierarchicalResourceQuota tenant-globex/tenant-quota',
        'changed ResourceQuota tenant-globex-staging/tenant-quota',
        'changed ResourceQuota tenant-globex/tenant-quota',
      ],
    });
    const fields = report.changed[0].objects.map((o: any) => o.fields);
    for (const f of fields) expect(f).toEqual([{ path: 'spec.hard.pods', before: expect.any(String), after: '77' }]);
    const text = await tenantctlAsync(root, 'impact', '--base', 'main');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^tenant-gitops: impact against main \([0-9a-f]{12}\): 1 of 3 tenants change, 2 unchanged\n/,
    );
    expect(text.stdout).toContain('  ~ ResourceQuota tenant-globex/tenant-quota (overlays/globex)\n');
    expect(text.stdout).toMatch(/ {6}spec\.hard\.pods: "\d+" → "77"\n/);
    expect(text.stdout).not.toMatch(/^(acme|initech)/m);
  });

  it("GIVEN an owner added to one spec WHEN impact runs THEN the changed objects of its argocd/ files are listed beside its overlay's, and the unchanged tenants' files are not", async () => {
    const root = repo();
    edit(root, 'tenants/globex.yaml', (t) =>
      t.replace(
        '    - { kind: Group, name: globex-admins }\n',
        '    - { kind: Group, name: globex-admins }\n    - { kind: Group, name: globex-sre }\n',
      ),
    );
    const report = await impact(root);
    expect(report.tenants).toEqual({ total: 3, changed: 1, unchanged: 2, failed: 0 });
    const objects = report.changed[0].objects;
    const namespace = objects.find((o: any) => o.kind === 'Namespace' && o.name === 'tenant-globex');
    expect(namespace).toMatchObject({ change: 'changed', source: 'argocd/clusters/in-cluster/globex.yaml' });
    expect(namespace.fields).toEqual([
      {
        path: 'metadata.annotations["tenants.gitops.dev/owners"]',
        before: 'Group:globex-admins',
        after: 'Group:globex-admins,Group:globex-sre',
      },
    ]);
    expect(objects.some((o: any) => o.source === 'overlays/globex' && o.kind === 'RoleBinding')).toBe(true);
  });

  it('GIVEN a tenant added and one removed in the working tree WHEN impact runs THEN the new tenant lists its objects as added, including its AppProject and Namespaces, and the removed one as removed', async () => {
    const root = repo();
    edit(root, 'tenants/initech.yaml', (t) => t.replaceAll('initech', 'hooli'));
    renameSync(join(root, 'tenants/initech.yaml'), join(root, 'tenants/hooli.yaml'));
    const report = await impact(root);
    expect(report.tenants).toEqual({ total: 4, changed: 2, unchanged: 2, failed: 0 });
    const byTenant = objectsByTenant(report);
    expect(report.changed.map((t: any) => [t.tenant, t.change])).toEqual([
      ['hooli', 'added'],
      ['initech', 'removed'],
    ]);
    expect(byTenant.hooli).toContain('added ResourceQuota tenant-hooli/tenant-quota');
    expect(byTenant.hooli).toContain('added Namespace tenant-hooli');
    expect(byTenant.hooli).toContain('added AppProject argocd/tenant-hooli');
    expect(byTenant.initech).toEqual(
      byTenant.hooli!.map((o) => o.replace('added', 'removed').replaceAll('hooli', 'initech')).sort(),
    );
  });

  it('GIVEN committed overlays at the base that the current generator would render differently WHEN impact runs THEN the difference is reported, because the base side is what ArgoCD syncs from the ref', async () => {
    // As after a change to a tier's defaults in src/tenant/tiers.ts: the committed overlays at the
    // base were made by the old code, the working tree's generator renders the new values.
    const root = repo();
    edit(root, 'overlays/initech/patches.yaml', (t) => t.replace('pods: "10"', 'pods: "12"'));
    commitAll(root, 'initech rendered by an older generator');
    const report = await impact(root);
    expect(objectsByTenant(report)).toEqual({ initech: ['changed ResourceQuota tenant-initech/tenant-quota'] });
    expect(report.changed[0].objects[0].fields).toEqual([{ path: 'spec.hard.pods', before: '12', after: '10' }]);
  });

  it('GIVEN nothing changed WHEN impact runs THEN no tenant is listed, all are counted unchanged, and it exits 0', async () => {
    const report = await impact(repo());
    expect(report).toMatchObject({ ok: true, base: { ref: 'main' }, changed: [], failures: [] });
    expect(report.base.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report.tenants).toEqual({ total: 3, changed: 0, unchanged: 3, failed: 0 });
  });

  it('GIVEN an overlay that kustomize refuses at the base WHEN impact runs THEN that tenant is reported as not comparable and the others are still compared', async () => {
    const root = repo();
    edit(root, 'overlays/globex/kustomization.yaml', (t) => `${t}resources:\n  - does-not-exist\n`);
    commitAll(root, 'a broken overlay');
    edit(root, 'base/tenant/networkpolicy-default-deny.yaml', (t) => t.replace('name: default-deny', 'name: deny-all'));
    const report = await impact(root);
    expect(report.failures).toEqual([
      { tenant: 'globex', side: 'base', message: expect.stringContaining('does-not-exist') },
    ]);
    expect(report.tenants).toEqual({ total: 3, changed: 2, unchanged: 0, failed: 1 });
    expect(Object.keys(objectsByTenant(report))).toEqual(['acme', 'initech']);
    expect(objectsByTenant(report).initech).toEqual([
      'added NetworkPolicy tenant-initech/deny-all',
      'removed NetworkPolicy tenant-initech/default-deny',
    ]);
  });

  it('GIVEN the platform in a subfolder of the git repository WHEN impact runs with --root on it THEN the base side is read from that subfolder', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'tenant-gitops-impact-outer-'));
    roots.push(outer);
    mkdirSync(join(outer, 'platform'));
    cpSync(template, join(outer, 'platform'), { recursive: true, filter: (src) => !src.endsWith('/.git') });
    git(outer, 'init', '-q', '-b', 'main');
    git(outer, 'config', 'user.email', 'test@tenant-gitops.invalid');
    git(outer, 'config', 'user.name', 'tenant-gitops test');
    commitAll(outer, 'a platform in a subfolder');
    unlinkSync(join(outer, 'platform/tenants/acme.yaml'));
    const report = await impact(join(outer, 'platform'));
    expect(report.changed.map((t: any) => [t.tenant, t.change])).toEqual([['acme', 'removed']]);
    expect(report.tenants.unchanged).toBe(2);
  });

  it('GIVEN an unknown ref, no --base, or --json with --markdown WHEN impact runs THEN it exits 2 naming the problem and the fix', async () => {
    const root = repo();
    const unknown = await tenantctlAsync(root, 'impact', '--base', 'origin/no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--base: "origin/no-such-branch": names no commit in this repository');
    expect(unknown.stderr).toContain('(fix: fetch it first');
    const json = await tenantctlAsync(root, 'impact', '--base', 'origin/no-such-branch', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: 'INVALID_INPUT', issues: [{ path: '--base' }] });
    const option = await tenantctlAsync(root, 'impact', '--base=--upload-pack=evil');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('is not a git ref');
    const missing = await tenantctlAsync(root, 'impact');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      '--base: is required (fix: name the git ref to compare with, e.g. --base origin/main)',
    );
    const both = await tenantctlAsync(root, 'impact', '--base', 'main', '--json', '--markdown');
    expect(both.code).toBe(2);
    const notGit = mkdtempSync(join(tmpdir(), 'tenant-gitops-impact-nogit-'));
    roots.push(notGit);
    cpSync(join(template, 'tenants'), join(notGit, 'tenants'), { recursive: true });
    const outside = await tenantctlAsync(notGit, 'impact', '--base', 'main');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is not inside a git work tree');
  });
});
