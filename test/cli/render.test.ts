// GIVEN a platform whose cluster has its own ArgoCD name and a Vault WHEN `tenantctl render` prints a
// tenant THEN it prints exactly what `generate` wrote for it (its AppProject, its Namespaces and its
// kustomized overlay), so a person previewing a tenant sees what ArgoCD will sync.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustomizeDirectory, parseManifests } from '../../src/generate/validate/index.ts';
import { argocdTenantPath, overlayDir, tenantNamespacesPath } from '../../src/tenant/names.ts';
import { editInClusterFile, makeRepoWithExampleTenants, tenantctl, tenantctlAsync } from './run-cli.ts';

const ARGOCD_NAME = 'local-prod';
const VAULT_SERVER = 'https://vault.vault.svc:8200';
let root: string;

beforeAll(() => {
  root = makeRepoWithExampleTenants();
  editInClusterFile(root, {
    argocdCluster: ARGOCD_NAME,
    vault: { server: VAULT_SERVER, authMount: 'kubernetes', kvMount: 'secret' },
  });
  const generated = tenantctl(root, 'generate');
  expect(generated.code, generated.stderr).toBe(0);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tenantctl render', () => {
  it('GIVEN a cluster whose ArgoCD name differs from its registry name and which has a Vault WHEN a tenant is rendered THEN the output is what generate wrote, object for object', async () => {
    const rendered = await tenantctlAsync(root, 'render', 'acme', '--json');
    expect(rendered.code, rendered.stderr).toBe(0);
    const objects = JSON.parse(rendered.stdout) as Record<string, unknown>[];
    const generated = [
      ...parseManifests(readFileSync(join(root, argocdTenantPath('acme')), 'utf8')),
      ...parseManifests(readFileSync(join(root, tenantNamespacesPath('in-cluster', 'acme')), 'utf8')),
      ...(await kustomizeDirectory(join(root, overlayDir('acme')))),
    ];
    expect(objects).toEqual(generated);
    // The two facts the registry brings, so the comparison above cannot pass on two wrong sides.
    const project = objects.find((o) => o.kind === 'AppProject') as { spec: { destinations: { name: string }[] } };
    expect(project.spec.destinations.map((d) => d.name)).toContain(ARGOCD_NAME);
    expect(JSON.stringify(objects.filter((o) => o.kind === 'SecretStore'))).toContain(VAULT_SERVER);
  });
});
