// The identities a tenant acts with: its tenant-admin ServiceAccount (a real token from
// TokenRequest) and each of its owners (the admin impersonating the owner: a User as itself, a
// Group as a probe user in that group), so a test can prove a rule for every one of them.
import type { KubeConfig } from '@kubernetes/client-node';
import { rootNamespace } from '../../../src/tenant/names.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { impersonatingKubeConfig } from './impersonation.ts';
import { requestServiceAccountToken, kubeConfigForToken } from './tokens.ts';

export interface TenantIdentity {
  tenant: ResolvedTenant;
  /** e.g. "acme as ServiceAccount tenant-admin", "acme as Group acme-admins". */
  label: string;
  kc(): KubeConfig;
}

/** Labels are known before the cluster is: `kc()` works once `connect` has run. */
export function tenantIdentities(tenants: ResolvedTenant[]): {
  identities: TenantIdentity[];
  connect(admin: KubeConfig): Promise<void>;
} {
  const configs = new Map<string, KubeConfig>();
  const list: TenantIdentity[] = tenants.flatMap((tenant) => [
    { tenant, label: `${tenant.name} as ServiceAccount tenant-admin`, kc: () => must(configs, `${tenant.name}/sa`) },
    ...tenant.owners.map((o) => ({
      tenant,
      label: `${tenant.name} as ${o.kind} ${o.name}`,
      kc: () => must(configs, `${tenant.name}/${o.kind}/${o.name}`),
    })),
  ]);
  return {
    identities: list,
    connect: async (admin) => {
      for (const tenant of tenants) {
        const token = await requestServiceAccountToken(admin, rootNamespace(tenant.name), 'tenant-admin');
        configs.set(`${tenant.name}/sa`, kubeConfigForToken(admin, token));
        for (const o of tenant.owners)
          configs.set(
            `${tenant.name}/${o.kind}/${o.name}`,
            impersonatingKubeConfig(
              admin,
              o.kind === 'User' ? { user: o.name } : { user: `${tenant.name}-owner-probe`, group: o.name },
            ),
          );
      }
    },
  };
}

function must(configs: Map<string, KubeConfig>, key: string): KubeConfig {
  const kc = configs.get(key);
  if (!kc) throw new Error(`tenant-gitops: no KubeConfig for ${key}: call connect() in beforeAll first`);
  return kc;
}
