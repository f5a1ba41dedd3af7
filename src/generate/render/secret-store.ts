// A tenant's secrets (spec.secrets): in each of its namespaces a ServiceAccount tenant-secrets and a
// namespaced external-secrets SecretStore tenant-secrets that logs in to its cluster's Vault with
// that ServiceAccount's token (Kubernetes auth, audience vault) as role tenant-<name>; and the Vault
// side of it, overlays/<name>/vault.json: the policy that reads only <kvMount>/tenants/<name>/ and
// the role only that ServiceAccount of the tenant's namespaces can use. The JSON is reviewed in the
// tenant's PR with the rest and applied by `tenantctl vault apply` (a platform step, README); kustomize
// never reads it, as it never reads tenant.json.
import { overlayDir, tenantNamespaces } from '../../tenant/names.ts';
import type { ClusterVault, RenderOptions } from '../../tenant/platform.ts';
import type { ResolvedTenant } from '../../tenant/types.ts';
import { sortedJsonText } from './yaml-text.ts';

type Manifest = Record<string, unknown>;

/** The ServiceAccount, the SecretStore and the Vault role: one name in every namespace of the tenant. */
export const SECRET_STORE_NAME = 'tenant-secrets';
/** The audience of the ServiceAccount tokens the store presents; the Vault role accepts no other. */
export const VAULT_AUDIENCE = 'vault';
/** Lifetime of a Vault token the store logs in for (seconds): the controller logs in per sync. */
export const VAULT_TOKEN_TTL_SECONDS = 600;

/** The Vault policy and the Kubernetes auth role of tenant `name`. */
export function vaultRoleName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** The tenant's own folder of the KV mount: it reads below it, nothing else. */
export function vaultTenantPath(tenant: string): string {
  return `tenants/${tenant}`;
}

export function vaultFilePath(tenant: string): string {
  return `${overlayDir(tenant)}/vault.json`;
}

/** The cluster's Vault when the tenant gets a secret store on it, otherwise undefined. */
export function secretStoreVault(t: ResolvedTenant, options: RenderOptions = {}): ClusterVault | undefined {
  if (t.secrets === 'off') return undefined;
  return options.clusters?.get(t.cluster)?.vault;
}

/** The ServiceAccount and SecretStore of one namespace (kustomize sets the namespace). */
export function renderSecretStore(t: ResolvedTenant, vault: ClusterVault): Manifest[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: SECRET_STORE_NAME },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: SECRET_STORE_NAME },
      spec: {
        provider: {
          vault: {
            server: vault.server,
            path: vault.kvMount,
            version: 'v2',
            auth: {
              kubernetes: {
                mountPath: vault.authMount,
                role: vaultRoleName(t.name),
                serviceAccountRef: { name: SECRET_STORE_NAME, audiences: [VAULT_AUDIENCE] },
              },
            },
          },
        },
      },
    },
  ];
}

/** What `tenantctl vault apply` writes to Vault for the tenant (overlays/<name>/vault.json). */
export interface VaultTenantFile {
  tenant: string;
  /** The registry cluster whose Vault and auth mount these are. */
  cluster: string;
  server: string;
  authMount: string;
  kvMount: string;
  policy: { name: string; rules: { path: Record<string, { capabilities: string[] }> } };
  role: {
    name: string;
    bound_service_account_names: string[];
    bound_service_account_namespaces: string[];
    audience: string;
    token_policies: string[];
    token_ttl: number;
    token_max_ttl: number;
  };
}

export function vaultTenantFile(t: ResolvedTenant, vault: ClusterVault): VaultTenantFile {
  const name = vaultRoleName(t.name);
  const own = vaultTenantPath(t.name);
  return {
    tenant: t.name,
    cluster: t.cluster,
    server: vault.server,
    authMount: vault.authMount,
    kvMount: vault.kvMount,
    policy: {
      name,
      rules: {
        path: {
          [`${vault.kvMount}/data/${own}/*`]: { capabilities: ['read'] },
          [`${vault.kvMount}/metadata/${own}/*`]: { capabilities: ['read', 'list'] },
        },
      },
    },
    role: {
      name,
      bound_service_account_names: [SECRET_STORE_NAME],
      bound_service_account_namespaces: tenantNamespaces(t),
      audience: VAULT_AUDIENCE,
      token_policies: [name],
      token_ttl: VAULT_TOKEN_TTL_SECONDS,
      token_max_ttl: VAULT_TOKEN_TTL_SECONDS,
    },
  };
}

export function renderVaultFile(t: ResolvedTenant, vault: ClusterVault): string {
  return sortedJsonText(vaultTenantFile(t, vault));
}
