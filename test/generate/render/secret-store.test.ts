// GIVEN a tenant with spec.secrets on a cluster with a Vault WHEN rendered THEN each namespace gets
// the ServiceAccount and SecretStore tenant-secrets logging in as the tenant's own role, the AppProject
// allows the SecretStore kind, and overlays/<name>/vault.json grants that role only the tenant's path;
// without a Vault, or with secrets off, nothing of it is rendered.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderTenant } from '../../../src/generate/render/index.ts';
import type { RenderOptions } from '../../../src/tenant/platform.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { businessTenant, enterpriseTenant } from './fixtures.ts';
import { platformDocs } from '../../fixtures/platform-files.ts';

type Obj = Record<string, any>;

const VAULT = { server: 'https://vault.vault.svc:8200', authMount: 'kubernetes/eu-1', kvMount: 'tenant-kv' };
const withVault: RenderOptions = { clusters: new Map([['in-cluster', { argocdCluster: 'in-cluster', vault: VAULT }]]) };

function docs(text: string | undefined): Obj[] {
  return parseAllDocuments(text!).map((d) => d.toJS() as Obj);
}

function appProject(files: Map<string, string>, name: string): Obj {
  return platformDocs(files, name).find((d) => d.kind === 'AppProject')!;
}

describe('the tenant secret store', () => {
  it.each([
    ['on', 'a flat overlay', businessTenant, 'overlays/globex/secret-store.yaml', 'overlays/globex/kustomization.yaml'],
    [
      'default',
      'the values component',
      enterpriseTenant,
      'overlays/acme/values/secret-store.yaml',
      'overlays/acme/values/kustomization.yaml',
    ],
  ] as const)(
    'GIVEN secrets %s WHEN rendered on a cluster with a Vault THEN %s lists the ServiceAccount and SecretStore tenant-secrets',
    (secrets, _where, base, storeFile, listing) => {
      const t: ResolvedTenant = { ...base, secrets };
      const files = renderTenant(t, withVault);
      const [account, store] = docs(files.get(storeFile));
      expect(account).toEqual({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'tenant-secrets' },
        automountServiceAccountToken: false,
      });
      expect(store).toEqual({
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: 'tenant-secrets' },
        spec: {
          provider: {
            vault: {
              server: VAULT.server,
              path: 'tenant-kv',
              version: 'v2',
              auth: {
                kubernetes: {
                  mountPath: 'kubernetes/eu-1',
                  role: `tenant-${t.name}`,
                  serviceAccountRef: { name: 'tenant-secrets', audiences: ['vault'] },
                },
              },
            },
          },
        },
      });
      expect(parse(files.get(listing)!).resources).toContain('secret-store.yaml');
      expect(appProject(files, t.name).spec.namespaceResourceWhitelist).toContainEqual({
        group: 'external-secrets.io',
        kind: 'SecretStore',
      });
    },
  );

  it("GIVEN a tenant with sub-namespaces WHEN rendered THEN vault.json grants its role only the tenant's own path, from each of its namespaces", () => {
    const files = renderTenant({ ...enterpriseTenant, secrets: 'default' }, withVault);
    expect(JSON.parse(files.get('overlays/acme/vault.json')!)).toEqual({
      tenant: 'acme',
      cluster: 'in-cluster',
      server: VAULT.server,
      authMount: 'kubernetes/eu-1',
      kvMount: 'tenant-kv',
      policy: {
        name: 'tenant-acme',
        rules: {
          path: {
            'tenant-kv/data/tenants/acme/*': { capabilities: ['read'] },
            'tenant-kv/metadata/tenants/acme/*': { capabilities: ['read', 'list'] },
          },
        },
      },
      role: {
        name: 'tenant-acme',
        bound_service_account_names: ['tenant-secrets'],
        bound_service_account_namespaces: ['tenant-acme', 'tenant-acme-dev', 'tenant-acme-prod'],
        audience: 'vault',
        token_policies: ['tenant-acme'],
        token_ttl: 600,
        token_max_ttl: 600,
      },
    });
  });

  it.each([
    ['secrets off on a cluster with a Vault', { ...businessTenant, secrets: 'off' as const }, withVault],
    ['the tier default on a cluster without a Vault', { ...businessTenant, secrets: 'default' as const }, {}],
  ])('GIVEN %s WHEN rendered THEN no store, no vault.json and no SecretStore kind', (_case, t, options) => {
    const files = renderTenant(t, options);
    expect([...files.keys()].filter((p) => /secret-store|vault\.json/.test(p))).toEqual([]);
    expect(appProject(files, t.name).spec.namespaceResourceWhitelist.map((k: Obj) => k.kind)).not.toContain(
      'SecretStore',
    );
  });
});
