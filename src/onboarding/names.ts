// Names the service derives from a tenant name (the cluster module owns the same conventions for
// the watch; they are repeated here so the service core needs no cluster client to run).
export function tenantApplicationNameOf(tenant: string): string {
  return `tenant-${tenant}`;
}

export const TENANT_BRANCH_PREFIX = 'tenants/';

/** The tenant a PR belongs to, from its head branch `tenants/<name>`. */
export function tenantOfBranch(ref: string): string | null {
  if (!ref.startsWith(TENANT_BRANCH_PREFIX)) return null;
  const name = ref.slice(TENANT_BRANCH_PREFIX.length);
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) ? name : null;
}
