// The service's Vault edge: one Vault (TENANT_GITOPS_VAULT_ADDR) and a token whose policy may delete
// tenant roles, policies and KV folders (README, "Vault set-up"). Clusters whose tenants read
// another Vault are cleaned by `tenantctl vault apply --prune --purge-data` against it.
import { describeVaultAction, removeVaultTenant, vaultTenantLeftovers } from '../vault/apply.ts';
import { vaultClient } from '../vault/client.ts';
import type { VaultPort } from './ports.ts';

export function vaultPort(options: { address: string; token: string }): VaultPort {
  const client = vaultClient(options);
  return {
    removeTenant: async (tenant, vault) => (await removeVaultTenant(client, tenant, vault)).map(describeVaultAction),
    leftovers: (tenant, vault) => vaultTenantLeftovers(client, tenant, vault),
  };
}
