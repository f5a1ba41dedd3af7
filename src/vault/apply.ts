// `tenantctl vault apply`: make Vault hold exactly the reviewed Vault side of every tenant secret
// store (overlays/<name>/vault.json, rendered from the specs): each tenant's policy and its
// Kubernetes auth role. With prune, what the platform made for a tenant that is gone (a policy or a
// role named tenant-<name> with no tenant <name> left in the repository) is deleted, and with
// purgeData its KV folder too: the Vault half of an offboarding.
import { vaultRoleName, vaultTenantPath, type VaultTenantFile } from '../generate/render/secret-store.ts';
import type { VaultClient } from './client.ts';

export interface VaultApplyOptions {
  /** Every tenant of the repository (on any cluster): a policy of one of them is never pruned. */
  allTenants: readonly string[];
  prune: boolean;
  /** With prune: also destroy <kvMount>/tenants/<name>/ of each pruned tenant, every version. */
  purgeData: boolean;
  /** Report what would change, change nothing. */
  dryRun: boolean;
  /** Told of each change once Vault has made it (or, in a dry run, once it is planned). */
  onAction?: (action: VaultAction) => void;
}

export interface VaultAction {
  action: 'put-policy' | 'put-role' | 'delete-role' | 'delete-policy' | 'destroy-secret';
  /** The policy or role name, or the KV path. */
  target: string;
  authMount?: string;
}

const TENANT_PREFIX = 'tenant-';

/** The tenant a platform-made policy or role name belongs to, or undefined for any other name. */
function tenantOfName(name: string): string | undefined {
  return name.startsWith(TENANT_PREFIX) ? name.slice(TENANT_PREFIX.length) : undefined;
}

export async function applyVaultTenants(
  client: VaultClient,
  files: readonly VaultTenantFile[],
  options: VaultApplyOptions,
): Promise<VaultAction[]> {
  const actions: VaultAction[] = [];
  const run = async (action: VaultAction, effect: () => Promise<void>): Promise<void> => {
    if (!options.dryRun) await effect();
    actions.push(action);
    options.onAction?.(action);
  };
  for (const file of files) {
    await run({ action: 'put-policy', target: file.policy.name }, () =>
      client.putPolicy(file.policy.name, file.policy.rules),
    );
    const { name, ...role } = file.role;
    await run({ action: 'put-role', target: name, authMount: file.authMount }, () =>
      client.putKubernetesRole(file.authMount, name, role),
    );
  }
  if (!options.prune) return actions;

  const keep = new Set(options.allTenants);
  /** Each pruned tenant, with the KV mounts its secrets may be in. */
  const gone = new Map<string, Set<string>>();
  const noteGone = (tenant: string, kvMount: string): void => {
    gone.set(tenant, (gone.get(tenant) ?? new Set<string>()).add(kvMount));
  };
  // The auth mounts and KV mounts the applied files use: one pair per cluster.
  const mounts = new Map(files.map((f) => [f.authMount, f.kvMount]));
  for (const [authMount, kvMount] of mounts) {
    for (const role of await client.listKubernetesRoles(authMount)) {
      const tenant = tenantOfName(role);
      if (tenant === undefined || keep.has(tenant)) continue;
      noteGone(tenant, kvMount);
      await run({ action: 'delete-role', target: role, authMount }, () => client.deleteKubernetesRole(authMount, role));
    }
  }
  for (const policy of await client.listPolicies()) {
    const tenant = tenantOfName(policy);
    if (tenant === undefined || keep.has(tenant)) continue;
    await run({ action: 'delete-policy', target: policy }, () => client.deletePolicy(policy));
    if (!gone.has(tenant)) for (const kvMount of new Set(mounts.values())) noteGone(tenant, kvMount);
  }
  if (!options.purgeData) return actions;
  for (const [tenant, kvMounts] of gone)
    for (const kvMount of kvMounts) await destroyTenantSecrets(client, tenant, kvMount, run);
  return actions;
}

type Run = (action: VaultAction, effect: () => Promise<void>) => Promise<void>;

/** Every secret below <kvMount>/tenants/<tenant>/, destroyed with all its versions, one `run` each. */
async function destroyTenantSecrets(client: VaultClient, tenant: string, kvMount: string, run: Run): Promise<void> {
  for (const path of await client.listKvSecrets(kvMount, vaultTenantPath(tenant)))
    await run({ action: 'destroy-secret', target: `${kvMount}/${path}` }, () => client.destroyKvSecret(kvMount, path));
}

/** One line for a person: `delete-role tenant-acme (auth/kubernetes)`. */
export function describeVaultAction(a: VaultAction): string {
  return `${a.action} ${a.target}${a.authMount ? ` (auth/${a.authMount})` : ''}`;
}

/**
 * One offboarded tenant's Vault side, gone: its role (no token can log in as it any more), its
 * policy, and every secret of its KV folder with all versions. Safe to run twice.
 */
export async function removeVaultTenant(
  client: VaultClient,
  tenant: string,
  vault: { authMount: string; kvMount: string },
): Promise<VaultAction[]> {
  const name = vaultRoleName(tenant);
  const actions: VaultAction[] = [];
  const run: Run = async (action, effect) => {
    await effect();
    actions.push(action);
  };
  await run({ action: 'delete-role', target: name, authMount: vault.authMount }, () =>
    client.deleteKubernetesRole(vault.authMount, name),
  );
  await run({ action: 'delete-policy', target: name }, () => client.deletePolicy(name));
  await destroyTenantSecrets(client, tenant, vault.kvMount, run);
  return actions;
}

/**
 * What is left of a tenant in Vault after removeVaultTenant: its role, its policy, any secret of its
 * KV folder; empty when it is all gone. Read back from Vault, for the offboarding's verification.
 */
export async function vaultTenantLeftovers(
  client: VaultClient,
  tenant: string,
  vault: { authMount: string; kvMount: string },
): Promise<string[]> {
  const name = vaultRoleName(tenant);
  const left: string[] = [];
  if (await client.readKubernetesRole(vault.authMount, name)) left.push(`role ${name} (auth/${vault.authMount})`);
  if ((await client.listPolicies()).includes(name)) left.push(`policy ${name}`);
  for (const path of await client.listKvSecrets(vault.kvMount, vaultTenantPath(tenant)))
    left.push(`secret ${vault.kvMount}/${path}`);
  return left;
}
