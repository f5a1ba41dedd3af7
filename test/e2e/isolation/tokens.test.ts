// ServiceAccount tokens a tenant may mint (base/platform/admission-tenant-tokens.yaml), as each
// example tenant's tenant-admin ServiceAccount (real token) and each owner (impersonation): no
// Secret of type kubernetes.io/service-account-token, a token that never expires (issue 10 row 7),
// and no TokenRequest longer than MAX_TOKEN_SECONDS, the onboarding token endpoint's limit (row 8);
// an Opaque Secret and a TokenRequest within the cap are accepted. Outside tenant namespaces the
// API server's --service-account-max-token-expiration (scripts/control-plane.sh) shortens longer
// requests to the same cap. Secrets use server-side dry run; a TokenRequest ignores dryRun (it
// always mints), so the accepted ones are real tokens of at most a day, never used.
import { describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { MAX_TOKEN_SECONDS } from '../../../src/tenant/platform.ts';
import { rootNamespace } from '../../../src/tenant/names.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { actorCases, dryRunCreate, messageOf, useTenantActors } from '../support/tenant-actors.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const TEN_YEARS = 10 * 365 * 86_400;

/** The tenant-admin ServiceAccount in the root namespace, the `default` one elsewhere. */
function serviceAccountIn(namespace: string, tenant: string): string {
  return namespace === rootNamespace(tenant) ? 'tenant-admin' : 'default';
}

function tokenRequest(expirationSeconds: number): Record<string, unknown> {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds } };
}

/** Seconds from now until a TokenRequest's status.expirationTimestamp. */
function lifetimeOf(status: { expirationTimestamp?: string | Date } | undefined): number {
  return (new Date(status!.expirationTimestamp!).getTime() - Date.now()) / 1000;
}

describe.skipIf(probe.kc === undefined)(
  `token admission${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    const { actor } = useTenantActors(() => probe.kc!, tenants);

    describe('row 7: Secrets of type kubernetes.io/service-account-token (never expire)', () => {
      it.each(actorCases(tenants))(
        'GIVEN $actor of $tenant WHEN it creates a service-account-token Secret in $namespace THEN it is refused, and an Opaque Secret is accepted',
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const secret = (type: string): Record<string, unknown> => ({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {
              name: 'forever',
              annotations: { 'kubernetes.io/service-account.name': serviceAccountIn(namespace, tenant) },
            },
            type,
          });
          const path = `/api/v1/namespaces/${namespace}/secrets`;
          const attack = await as.send(dryRunCreate(path, secret('kubernetes.io/service-account-token')));
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(
            /tenant-gitops: Secrets in \S+ may not be of type kubernetes\.io\/service-account-token/,
          );
          const legitimate = await as.send(dryRunCreate(path, secret('Opaque')));
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
        },
      );
    });

    describe(`row 8: TokenRequests longer than ${MAX_TOKEN_SECONDS} s`, () => {
      it.each(actorCases(tenants))(
        'GIVEN $actor of $tenant WHEN it asks for a 10-year token in $namespace THEN it is refused, and a token of the cap is issued',
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccountIn(namespace, tenant)}/token`;
          const attack = await as.send({ method: 'POST', path, body: tokenRequest(TEN_YEARS) });
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(
            new RegExp(`tenant-gitops: tokens in \\S+ may be requested for at most ${MAX_TOKEN_SECONDS} seconds`),
          );
          const legitimate = await as.send({ method: 'POST', path, body: tokenRequest(MAX_TOKEN_SECONDS) });
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
          const lifetime = lifetimeOf((legitimate.body as { status?: { expirationTimestamp?: string } }).status);
          expect(lifetime).toBeGreaterThan(MAX_TOKEN_SECONDS - 60);
          expect(lifetime).toBeLessThanOrEqual(MAX_TOKEN_SECONDS + 5);
        },
      );
    });

    it(`GIVEN the API server's --service-account-max-token-expiration WHEN a 10-year token is asked outside tenant namespaces THEN it is shortened to ${MAX_TOKEN_SECONDS} s`, async () => {
      const core = probe.kc!.makeApiClient(CoreV1Api);
      const response = await core.createNamespacedServiceAccountToken({
        name: 'default',
        namespace: 'default',
        body: { spec: { audiences: [], expirationSeconds: TEN_YEARS } },
      });
      expect(lifetimeOf(response.status)).toBeLessThanOrEqual(MAX_TOKEN_SECONDS + 5);
      expect(lifetimeOf(response.status)).toBeGreaterThan(MAX_TOKEN_SECONDS - 60);
    });
  },
);
