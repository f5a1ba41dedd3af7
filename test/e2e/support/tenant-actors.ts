// The identities a tenant acts as, for admission tests: its tenant-admin ServiceAccount with a real
// TokenRequest token, and each owner of its spec (a Group or a User bound by the RoleBinding), reached
// by impersonation from the admin kubeconfig. Both go through RBAC and then admission, so a refusal
// proves the rule holds whoever the tenant is.
import { afterAll, beforeAll } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import type { Owner, ResolvedTenant } from '../../../src/tenant/types.ts';
import { impersonatingKubeConfig, requestAsImpersonator, type RawRequest, type RawResponse } from './impersonation.ts';
import { setUpTenants, type TenantEnvironment } from './tenant-environment.ts';
import { kubeConfigForToken, requestServiceAccountToken } from './tokens.ts';

export interface TenantActor {
  tenant: string;
  /** `tenant-admin ServiceAccount` or `owner Group acme-admins`, for test titles. */
  label: string;
  /** For typed clients: the ServiceAccount's token, or the admin impersonating the owner. */
  kc: KubeConfig;
  send(call: RawRequest): Promise<RawResponse>;
}

const TENANT_ADMIN = 'tenant-admin';

function impersonating(admin: KubeConfig, owner: Owner): KubeConfig {
  return owner.kind === 'User'
    ? impersonatingKubeConfig(admin, { user: owner.name })
    : impersonatingKubeConfig(admin, { user: `member-of-${owner.name}`, group: owner.name });
}

function actor(tenant: string, label: string, kc: KubeConfig): TenantActor {
  return { tenant, label, kc, send: (call) => requestAsImpersonator(kc, call, {}) };
}

export function actorLabels(tenant: ResolvedTenant): string[] {
  return [`${TENANT_ADMIN} ServiceAccount`, ...tenant.owners.map((o) => `owner ${o.kind} ${o.name}`)];
}

/** One case per tenant, actor and tenant namespace, known before any token exists (for it.each). */
export function actorCases(tenants: ResolvedTenant[]): { tenant: string; actor: string; namespace: string }[] {
  return tenants.flatMap((t) =>
    actorLabels(t).flatMap((actor) => tenantNamespaces(t).map((namespace) => ({ tenant: t.name, actor, namespace }))),
  );
}

/** The tenant-admin ServiceAccount first, then one actor per owner. */
export async function tenantActors(admin: KubeConfig, tenant: ResolvedTenant): Promise<TenantActor[]> {
  const token = await requestServiceAccountToken(admin, rootNamespace(tenant.name), TENANT_ADMIN);
  const serviceAccount = kubeConfigForToken(admin, token);
  const [serviceAccountLabel, ...ownerLabels] = actorLabels(tenant);
  return [
    actor(tenant.name, serviceAccountLabel!, serviceAccount),
    ...tenant.owners.map((owner, i) => actor(tenant.name, ownerLabels[i]!, impersonating(admin, owner))),
  ];
}

/** All actors of the tenants, by `<tenant>/<label>` (the keys actorCases uses). */
export async function actorsByKey(admin: KubeConfig, tenants: ResolvedTenant[]): Promise<Map<string, TenantActor>> {
  const actors = new Map<string, TenantActor>();
  for (const t of tenants) for (const a of await tenantActors(admin, t)) actors.set(`${a.tenant}/${a.label}`, a);
  return actors;
}

/** The Status message of a refusal (empty for an accepted request). */
export function messageOf(response: RawResponse): string {
  if (response.status < 400) return '';
  const body = response.body as { message?: unknown };
  return typeof body?.message === 'string' ? body.message : String(response.body);
}

/** POST with server-side dry run: full admission, nothing stored. */
export function dryRunCreate(path: string, body: unknown): RawRequest {
  return { method: 'POST', path: `${path}?dryRun=All`, body };
}

export interface TenantIdentity {
  tenant: ResolvedTenant;
  /** e.g. "acme as tenant-admin ServiceAccount", "acme as owner Group acme-admins". */
  label: string;
  /** The actor's KubeConfig, once `connect` has run (in beforeAll). */
  kc(): KubeConfig;
}

/** The actors of `tenants` as lazily connected KubeConfigs, with labels known before the cluster is. */
export function tenantIdentities(tenants: ResolvedTenant[]): {
  identities: TenantIdentity[];
  connect(admin: KubeConfig): Promise<void>;
} {
  let actors: Map<string, TenantActor> | undefined;
  const identities = tenants.flatMap((tenant) =>
    actorLabels(tenant).map((actor) => ({
      tenant,
      label: `${tenant.name} as ${actor}`,
      kc: (): KubeConfig => {
        const found = actors?.get(`${tenant.name}/${actor}`);
        if (!found)
          throw new Error(`tenant-gitops: no actor ${tenant.name}/${actor}: call connect() in beforeAll first`);
        return found.kc;
      },
    })),
  );
  return {
    identities,
    connect: async (admin) => {
      actors = await actorsByKey(admin, tenants);
    },
  };
}

/**
 * For a describe block: puts `tenants` on the control plane and connects their actors before its
 * tests (beforeAll), and removes them after (afterAll). `actor(tenant, label)` works in the tests.
 */
export function useTenantActors(
  admin: () => KubeConfig,
  tenants: ResolvedTenant[],
): { actor(tenant: string, label: string): TenantActor } {
  let env: TenantEnvironment | undefined;
  let actors = new Map<string, TenantActor>();
  beforeAll(async () => {
    env = await setUpTenants(admin(), tenants);
    actors = await actorsByKey(admin(), tenants);
  }, 180_000);
  afterAll(async () => {
    await env?.remove();
  });
  return {
    actor: (tenant, label) => {
      const found = actors.get(`${tenant}/${label}`);
      if (!found) throw new Error(`tenant-gitops: no actor ${tenant}/${label} (is the control plane set up?)`);
      return found;
    },
  };
}
