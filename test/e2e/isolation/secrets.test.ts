// Per-tenant secrets (spec.secrets, issue 14), for real: Vault's dev server and the external-secrets
// controller, both built from their Go modules, against the control plane. The example tenants go
// on the cluster as the platform puts them there, rendered for a cluster whose Vault is this dev
// server; `tenantctl vault apply` (the platform step) gives Vault their policies and roles from a
// generated platform repository. Then, as each tenant's own identity:
// - acme's ExternalSecret through its SecretStore tenant-secrets gets acme's value (legitimate);
// - acme pointing its own store at globex's path is accepted by admission, refused by Vault, and
//   globex's value never appears in any acme namespace;
// - acme naming a ClusterSecretStore (one that reads every tenant's path exists), another store or a
//   generator is refused by admission, and the same request through its own store is accepted;
// - acme cannot create a store of its own or edit the platform's, and even a token of its own store's
//   ServiceAccount cannot log in as globex's role or read globex's path;
// - `vault apply --prune --purge-data` after globex leaves the repository removes globex's role,
//   policy and secrets, and leaves acme's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import type { RenderOptions } from '../../../src/tenant/platform.ts';
import { kubeconfigPath, probeControlPlane } from '../../fixtures/control-plane.ts';
import { commitAll, git, REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { makeTenantRepo, tenantctl } from '../../fixtures/tenant-repo.ts';
import {
  externalSecretsSkipReason,
  startExternalSecrets,
  type ExternalSecretsController,
} from '../support/external-secrets-controller.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { actorsByKey, dryRunCreate, messageOf, type TenantActor } from '../support/tenant-actors.ts';
import { setUpTenants, waitFor, type TenantEnvironment } from '../support/tenant-environment.ts';
import { requestServiceAccountToken } from '../support/tokens.ts';
import { enableKubernetesAuth, startVaultDev, vaultSkipReason, type VaultDev } from '../support/vault-dev.ts';

const probe = await probeControlPlane();
const skipReason = probe.skipReason ?? vaultSkipReason() ?? externalSecretsSkipReason();
const tenants = await exampleTenants();
const acme = tenants.find((t) => t.name === 'acme')!;
const initech = tenants.find((t) => t.name === 'initech')!;

const ES = 'external-secrets.io/v1';
const externalSecrets = (namespace: string) => `/apis/external-secrets.io/v1/namespaces/${namespace}/externalsecrets`;

function externalSecret(name: string, key: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: ES,
    kind: 'ExternalSecret',
    metadata: { name },
    spec: {
      refreshInterval: '10s',
      secretStoreRef: { kind: 'SecretStore', name: 'tenant-secrets' },
      target: { name },
      data: [{ secretKey: 'password', remoteRef: { key, property: 'password' } }],
      ...spec,
    },
  };
}

describe.skipIf(skipReason !== undefined)(
  `tenant secrets with Vault and external-secrets${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const kc = (): KubeConfig => probe.kc!;
    const values = {
      acme: `acme-${randomBytes(8).toString('hex')}`,
      globex: `globex-${randomBytes(8).toString('hex')}`,
    };
    let vault: VaultDev | undefined;
    let removeAuth: (() => Promise<void>) | undefined;
    let env: TenantEnvironment | undefined;
    let eso: ExternalSecretsController | undefined;
    let repo: string | undefined;
    let tokenDir: string | undefined;
    let tokenFile = '';
    let applied: { actions: { action: string; target: string }[] } = { actions: [] };
    let acmeAdmin: TenantActor;

    const vaultApply = (...flags: string[]) =>
      tenantctl(repo!, ['vault', 'apply', '--addr', vault!.address, '--token-file', tokenFile, '--json', ...flags]);

    beforeAll(async () => {
      vault = await startVaultDev();
      removeAuth = await enableKubernetesAuth(vault, kc());
      tokenDir = mkdtempSync(join(tmpdir(), 'tenant-gitops-vault-token-'));
      tokenFile = join(tokenDir, 'token');
      writeFileSync(tokenFile, `${vault.rootToken}\n`, { mode: 0o600 });
      const vaultConfig = { server: vault.address, authMount: 'kubernetes', kvMount: 'secret' };
      // The platform repository: the example specs, on a cluster whose Vault is the dev server.
      const cluster = parse(readFileSync(join(REPO_ROOT, 'clusters/in-cluster.yaml'), 'utf8')) as Record<
        string,
        unknown
      >;
      repo = makeTenantRepo([], {
        specsFrom: join(REPO_ROOT, 'tenants'),
        files: { 'clusters/in-cluster.yaml': stringify({ ...cluster, vault: vaultConfig }) },
      });
      const result = vaultApply();
      if (result.status !== 0) throw new Error(`tenantctl vault apply failed: ${result.stderr}${result.stdout}`);
      applied = JSON.parse(result.stdout);
      const options: RenderOptions = {
        clusters: new Map([['in-cluster', { argocdCluster: 'in-cluster', vault: vaultConfig }]]),
      };
      env = await setUpTenants(kc(), tenants, options);
      acmeAdmin = (await actorsByKey(kc(), [acme])).get('acme/tenant-admin ServiceAccount')!;
      for (const [tenant, password] of Object.entries(values)) {
        const put = await vault.call('POST', `secret/data/tenants/${tenant}/db`, { data: { password } });
        expect(put.status).toBe(200);
      }
      // A cluster-wide store that reads every tenant's path (the platform's, with Vault's root token):
      // what a tenant must never reach.
      const core = kc().makeApiClient(CoreV1Api);
      await core.createNamespacedSecret({
        namespace: 'vault',
        body: { metadata: { name: 'platform-vault-token' }, stringData: { token: vault.rootToken } },
      });
      await kc()
        .makeApiClient(CustomObjectsApi)
        .createClusterCustomObject({
          group: 'external-secrets.io',
          version: 'v1',
          plural: 'clustersecretstores',
          body: {
            apiVersion: ES,
            kind: 'ClusterSecretStore',
            metadata: { name: 'platform-vault' },
            spec: {
              provider: {
                vault: {
                  server: vault.address,
                  path: 'secret',
                  version: 'v2',
                  auth: { tokenSecretRef: { name: 'platform-vault-token', namespace: 'vault', key: 'token' } },
                },
              },
            },
          },
        });
      eso = startExternalSecrets(kubeconfigPath());
    }, 240_000);

    afterAll(async () => {
      await eso?.stop();
      await kc()
        .makeApiClient(CustomObjectsApi)
        .deleteClusterCustomObject({
          group: 'external-secrets.io',
          version: 'v1',
          plural: 'clustersecretstores',
          name: 'platform-vault',
        })
        .catch(() => {});
      await env?.remove();
      await removeAuth?.();
      await vault?.stop();
      if (repo) rmSync(repo, { recursive: true, force: true });
      if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
    }, 120_000);

    /** acme's tenant-admin creates an ExternalSecret (for real: admission, then the controller). */
    const createAsAcme = (namespace: string, body: Record<string, unknown>) =>
      acmeAdmin.send({ method: 'POST', path: externalSecrets(namespace), body });
    const custom = () => kc().makeApiClient(CustomObjectsApi);
    const condition = async (plural: string, namespace: string, name: string) => {
      const object = (await custom()
        .getNamespacedCustomObject({ group: 'external-secrets.io', version: 'v1', plural, namespace, name })
        .catch(() => undefined)) as
        { status?: { conditions?: { type: string; status: string; message?: string }[] } } | undefined;
      return object?.status?.conditions?.find((c) => c.type === 'Ready');
    };
    const secretValue = async (namespace: string, name: string): Promise<string | undefined> => {
      const secret = await kc()
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ name, namespace })
        .catch(() => undefined);
      const data = secret?.data?.password;
      return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
    };
    /** Every value of every Secret in the tenant's namespaces, decoded. */
    const valuesIn = async (namespaces: string[]): Promise<string[]> => {
      const core = kc().makeApiClient(CoreV1Api);
      const out: string[] = [];
      for (const namespace of namespaces)
        for (const s of (await core.listNamespacedSecret({ namespace })).items)
          for (const v of Object.values(s.data ?? {})) out.push(Buffer.from(v, 'base64').toString('utf8'));
      return out;
    };

    it('GIVEN the repository WHEN vault apply runs THEN Vault holds the policy and role of each tenant with a store, bound to its own namespaces only', async () => {
      expect(applied.actions.map((a) => `${a.action} ${a.target}`).sort()).toEqual(
        ['put-policy tenant-acme', 'put-policy tenant-globex', 'put-role tenant-acme', 'put-role tenant-globex'].sort(),
      );
      const role = await vault!.call('GET', 'auth/kubernetes/role/tenant-acme');
      expect(role.body.data.bound_service_account_names).toEqual(['tenant-secrets']);
      expect(role.body.data.bound_service_account_namespaces).toEqual(tenantNamespaces(acme));
      expect(role.body.data.token_policies).toEqual(['tenant-acme']);
      // The free tier has no store by default: no role.
      expect(initech.secrets).toBe('off');
      expect((await vault!.call('GET', 'auth/kubernetes/role/tenant-initech')).status).toBe(404);
    });

    it("GIVEN acme's store WHEN external-secrets checks it THEN it is Ready in every acme namespace (it logged in as tenant-acme)", async () => {
      for (const namespace of tenantNamespaces(acme))
        await waitFor(
          `SecretStore tenant-secrets Ready in ${namespace}`,
          async () =>
            (await condition('secretstores', namespace, 'tenant-secrets'))?.status === 'True' ? true : undefined,
          90_000,
        ).catch((error: Error) => {
          throw new Error(`${error.message}\nexternal-secrets:\n${eso!.output()}`);
        });
    }, 120_000);

    it("GIVEN acme's tenant-admin WHEN its ExternalSecret reads tenants/acme/db through tenant-secrets THEN the Secret holds acme's value", async () => {
      const namespace = rootNamespace(acme.name);
      const created = await createAsAcme(namespace, externalSecret('db', 'tenants/acme/db'));
      expect(messageOf(created)).toBe('');
      expect(created.status).toBe(201);
      const value = await waitFor(`Secret db in ${namespace}`, () => secretValue(namespace, 'db'), 60_000);
      expect(value).toBe(values.acme);
    }, 90_000);

    it("GIVEN acme's tenant-admin WHEN its own store is pointed at tenants/globex/db THEN Vault refuses it and globex's value never reaches acme", async () => {
      const namespace = rootNamespace(acme.name);
      const created = await createAsAcme(namespace, externalSecret('steal', 'tenants/globex/db'));
      expect(created.status).toBe(201);
      const failed = await waitFor(
        `ExternalSecret steal to fail`,
        async () => {
          const ready = await condition('externalsecrets', namespace, 'steal');
          return ready?.status === 'False' ? ready : undefined;
        },
        60_000,
      );
      expect(failed.message ?? '').toMatch(/could not get secret data from provider|permission denied|403/i);
      expect(await secretValue(namespace, 'steal')).toBeUndefined();
      expect(await valuesIn(tenantNamespaces(acme))).not.toContain(values.globex);
      // The legitimate read beside it still works.
      expect(await valuesIn(tenantNamespaces(acme))).toContain(values.acme);
    }, 90_000);

    describe('admission', () => {
      const namespace = rootNamespace(acme.name);
      it.each([
        [
          'a ClusterSecretStore',
          { secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-vault' } },
          /may read only through SecretStore tenant-secrets/,
        ],
        [
          'another SecretStore',
          { secretStoreRef: { kind: 'SecretStore', name: 'mine' } },
          /may read only through SecretStore tenant-secrets/,
        ],
        [
          'a ClusterSecretStore in data[].sourceRef',
          {
            data: [
              {
                secretKey: 'password',
                remoteRef: { key: 'tenants/globex/db', property: 'password' },
                sourceRef: { storeRef: { kind: 'ClusterSecretStore', name: 'platform-vault' } },
              },
            ],
          },
          /every sourceRef\.storeRef of .* must be SecretStore tenant-secrets/,
        ],
        [
          'a generator in dataFrom[].sourceRef',
          {
            dataFrom: [
              {
                sourceRef: {
                  generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'x' },
                },
              },
            ],
          },
          /may not use a generatorRef/,
        ],
      ])(
        'GIVEN acme WHEN its ExternalSecret names %s THEN it is refused, and through its own store it is accepted',
        async (_case, spec, message) => {
          const attack = await createAsAcme(namespace, externalSecret('cross', 'tenants/globex/db', spec));
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(/^admission webhook|ValidatingAdmissionPolicy|tenant-gitops: /);
          expect(messageOf(attack)).toMatch(message);
          const legitimate = await acmeAdmin.send(
            dryRunCreate(externalSecrets(namespace), externalSecret('cross', 'tenants/acme/db')),
          );
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
        },
      );

      it("GIVEN the refused ClusterSecretStore read WHEN time passes THEN globex's value is still nowhere in acme's namespaces", async () => {
        // The store itself works: the same read by the platform lands in the platform's namespace.
        await custom().createNamespacedCustomObject({
          group: 'external-secrets.io',
          version: 'v1',
          plural: 'externalsecrets',
          namespace: 'vault',
          body: externalSecret('through-cluster-store', 'tenants/globex/db', {
            secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-vault' },
          }),
        });
        expect(
          await waitFor(
            'the platform read through platform-vault',
            () => secretValue('vault', 'through-cluster-store'),
            60_000,
          ),
        ).toBe(values.globex);
        expect(await valuesIn(tenantNamespaces(acme))).not.toContain(values.globex);
      }, 90_000);

      it('GIVEN acme WHEN it creates a SecretStore of its own with globex role, or edits the platform store THEN both are refused', async () => {
        const store = {
          apiVersion: ES,
          kind: 'SecretStore',
          metadata: { name: 'mine' },
          spec: {
            provider: {
              vault: {
                server: vault!.address,
                path: 'secret',
                version: 'v2',
                auth: {
                  kubernetes: {
                    mountPath: 'kubernetes',
                    role: 'tenant-globex',
                    serviceAccountRef: { name: 'tenant-secrets', audiences: ['vault'] },
                  },
                },
              },
            },
          },
        };
        const own = await acmeAdmin.send(
          dryRunCreate(`/apis/external-secrets.io/v1/namespaces/${namespace}/secretstores`, store),
        );
        expect(own.status).toBe(403);
        const edit = await acmeAdmin.send({
          method: 'PATCH',
          path: `/apis/external-secrets.io/v1/namespaces/${namespace}/secretstores/tenant-secrets?dryRun=All`,
          body: { spec: { provider: { vault: { auth: { kubernetes: { role: 'tenant-globex' } } } } } },
        });
        expect(edit.status).toBe(403);
        // Reading the store is allowed (the legitimate request beside the refused ones).
        const read = await acmeAdmin.send({
          method: 'GET',
          path: `/apis/external-secrets.io/v1/namespaces/${namespace}/secretstores/tenant-secrets`,
        });
        expect(read.status).toBe(200);
      });
    });

    it("GIVEN a token of acme's tenant-secrets ServiceAccount WHEN it logs in to Vault as tenant-globex THEN Vault refuses; as tenant-acme it reads acme's path only", async () => {
      const namespace = rootNamespace(acme.name);
      // The tenant's own identity asks for the token (tenant-admin may mint tokens in its namespaces).
      const minted = await acmeAdmin.send({
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/serviceaccounts/tenant-secrets/token`,
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { audiences: ['vault'], expirationSeconds: 600 },
        },
      });
      expect(minted.status).toBe(201);
      const jwt = (minted.body as { status: { token: string } }).status.token;
      const asGlobex = await vault!.call('POST', 'auth/kubernetes/login', { role: 'tenant-globex', jwt });
      expect(asGlobex.status).toBe(403);
      const asAcme = await vault!.call('POST', 'auth/kubernetes/login', { role: 'tenant-acme', jwt });
      expect(asAcme.status).toBe(200);
      const token = asAcme.body.auth.client_token as string;
      expect((await vault!.call('GET', 'secret/data/tenants/globex/db', undefined, token)).status).toBe(403);
      const own = await vault!.call('GET', 'secret/data/tenants/acme/db', undefined, token);
      expect(own.status).toBe(200);
      expect(own.body.data.data.password).toBe(values.acme);
      // A token for another audience (the API server's) is not accepted as the store's.
      const apiToken = await requestServiceAccountToken(kc(), namespace, 'tenant-secrets');
      expect((await vault!.call('POST', 'auth/kubernetes/login', { role: 'tenant-acme', jwt: apiToken })).status).toBe(
        403,
      );
    });

    it("GIVEN globex leaves the repository WHEN vault apply --prune --purge-data runs THEN globex's role, policy and secrets are gone and acme's stay", async () => {
      rmSync(join(repo!, 'tenants/globex.yaml'));
      const generated = tenantctl(repo!, ['generate']);
      expect(generated.status, generated.stderr).toBe(0);
      commitAll(repo!, 'offboard globex');
      expect(git(repo!, 'status', '--porcelain')).toBe('');
      const dryRun = vaultApply('--prune', '--purge-data', '--dry-run');
      expect(dryRun.status, dryRun.stderr).toBe(0);
      expect((await vault!.call('GET', 'auth/kubernetes/role/tenant-globex')).status).toBe(200);
      const pruned = vaultApply('--prune', '--purge-data');
      expect(pruned.status, pruned.stderr).toBe(0);
      const actions = (JSON.parse(pruned.stdout) as typeof applied).actions.map((a) => `${a.action} ${a.target}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'delete-role tenant-globex',
          'delete-policy tenant-globex',
          'destroy-secret secret/tenants/globex/db',
        ]),
      );
      expect(actions.filter((a) => a.includes('acme') && a.startsWith('delete'))).toEqual([]);
      expect((await vault!.call('GET', 'auth/kubernetes/role/tenant-globex')).status).toBe(404);
      expect((await vault!.call('GET', 'sys/policies/acl/tenant-globex')).status).toBe(404);
      expect((await vault!.call('GET', 'secret/metadata/tenants/globex/db')).status).toBe(404);
      expect((await vault!.call('GET', 'auth/kubernetes/role/tenant-acme')).status).toBe(200);
      expect((await vault!.call('GET', 'secret/data/tenants/acme/db')).status).toBe(200);
    });
  },
);
