import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlatform } from '../../src/tenant/index.ts';
import { expectIssue, inputIssuesAsync, platformRootWith, tenantText, validDocument } from './support.ts';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const pool = { name: 'general', nodes: 10, cpu: '64', memory: '256Gi', pods: 500, dedicated: false };
const clusterFile = (name: string, argocdCluster = name) => stringify({ name, argocdCluster, nodePools: [pool] });

async function root(files: Record<string, string>): Promise<string> {
  const dir = await platformRootWith({
    'clusters/in-cluster.yaml': clusterFile('in-cluster'),
    'clusters/eu-1.yaml': clusterFile('eu-1', 'eu-west-prod'),
    ...files,
  });
  roots.push(dir);
  return dir;
}

describe('spec.cluster', () => {
  it('GIVEN no spec.cluster WHEN loaded THEN the tier default applies and the ArgoCD name is known', async () => {
    const dir = await root({ 'tenants/acme.yaml': tenantText(validDocument('acme', { tier: 'free' })) });
    const { tenants, clusters } = await loadPlatform(dir);
    expect(tenants[0]?.tenant.cluster).toBe('in-cluster');
    expect(clusters.get('eu-1')?.argocdCluster).toBe('eu-west-prod');
  });

  it('GIVEN a cluster not in the registry WHEN loaded THEN the field, the known clusters and the fix are named', async () => {
    const dir = await root({ 'tenants/acme.yaml': tenantText(validDocument('acme', { cluster: 'us-9' })) });
    const { issues } = await inputIssuesAsync(() => loadPlatform(dir));
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: 'spec.cluster',
      message: /cluster "us-9" is not in the clusters registry \(known: eu-1, in-cluster\)/,
      fix: /name one of the known clusters in spec\.cluster, or add clusters\/us-9\.yaml/,
    });
  });

  it('GIVEN a tenant generated for in-cluster WHEN its spec moves it to eu-1 THEN the move is refused', async () => {
    const dir = await root({
      'tenants/acme.yaml': tenantText(validDocument('acme', { cluster: 'eu-1' })),
      'overlays/acme/tenant.json': JSON.stringify({ cluster: 'in-cluster', tenant: 'acme' }),
    });
    const { issues } = await inputIssuesAsync(() => loadPlatform(dir));
    expect(issues).toHaveLength(1);
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: 'spec.cluster',
      message:
        /^moving a tenant between clusters is not supported yet: tenant acme runs on ArgoCD cluster "in-cluster"/,
      fix: /keep spec\.cluster .* offboard the tenant and onboard it again/,
    });
  });

  it('GIVEN a tenant generated for eu-1 WHEN its spec still names eu-1 THEN it loads (the record holds the ArgoCD name)', async () => {
    const dir = await root({
      'tenants/acme.yaml': tenantText(validDocument('acme', { cluster: 'eu-1' })),
      'overlays/acme/tenant.json': JSON.stringify({ cluster: 'eu-west-prod', tenant: 'acme' }),
    });
    expect((await loadPlatform(dir)).tenants).toHaveLength(1);
  });

  it("GIVEN a bad registry WHEN loaded THEN its issues come with the tenants' and no tenant is blamed for it", async () => {
    const dir = await root({
      'clusters/in-cluster.yaml': 'name: in-cluster\n',
      'tenants/acme.yaml': tenantText(validDocument('acme', { quota: { pods: 'many' } })),
    });
    const { issues } = await inputIssuesAsync(() => loadPlatform(dir));
    expect(issues.map((i) => `${i.file}:${i.path}`).sort()).toEqual([
      'clusters/in-cluster.yaml:argocdCluster',
      'clusters/in-cluster.yaml:nodePools',
      'tenants/acme.yaml:spec.quota.pods',
    ]);
  });

  it('GIVEN spec.secrets.enabled true on a cluster without a Vault WHEN loaded THEN the field and both fixes are named', async () => {
    const dir = await root({ 'tenants/acme.yaml': tenantText(validDocument('acme', { secrets: { enabled: true } })) });
    const { issues } = await inputIssuesAsync(() => loadPlatform(dir));
    expect(issues).toHaveLength(1);
    expectIssue(issues, {
      file: 'tenants/acme.yaml',
      path: 'spec.secrets.enabled',
      message: /^tenant acme asks for a Vault secret store, and cluster "in-cluster" has no Vault$/,
      fix: /add vault \(server, authMount, kvMount\) to clusters\/in-cluster\.yaml, or set spec\.secrets\.enabled: false/,
    });
  });

  it("GIVEN the tier's default secrets on a cluster without a Vault WHEN loaded THEN it loads (no store is rendered there)", async () => {
    const dir = await root({ 'tenants/acme.yaml': tenantText(validDocument('acme', { tier: 'business' })) });
    const [loaded] = (await loadPlatform(dir)).tenants;
    expect(loaded?.tenant.secrets).toBe('default');
  });

  it('GIVEN a cluster Vault on plain http to another host WHEN loaded THEN it is refused; on loopback it is accepted', async () => {
    const vault = (server: string) =>
      stringify({
        name: 'eu-1',
        argocdCluster: 'eu-west-prod',
        vault: { server, authMount: 'kubernetes', kvMount: 'secret' },
        nodePools: [pool],
      });
    const refused = await root({
      'clusters/eu-1.yaml': vault('http://vault.vault.svc:8200'),
      'tenants/acme.yaml': tenantText(validDocument('acme')),
    });
    const { issues } = await inputIssuesAsync(() => loadPlatform(refused));
    expectIssue(issues, {
      file: 'clusters/eu-1.yaml',
      path: 'vault.server',
      message: /is plain http/,
      fix: /https:\/\//,
    });
    const loopback = await root({
      'clusters/eu-1.yaml': vault('http://127.0.0.1:8200'),
      'tenants/acme.yaml': tenantText(validDocument('acme', { cluster: 'eu-1', secrets: { enabled: true } })),
    });
    expect((await loadPlatform(loopback)).clusters.get('eu-1')?.vault?.server).toBe('http://127.0.0.1:8200');
  });
});
