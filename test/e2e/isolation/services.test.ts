// Services a tenant may create (base/platform/admission-tenant-services.yaml), as each example
// tenant's tenant-admin ServiceAccount (real token) and as each of its owners (impersonation), in
// every tenant namespace: no spec.externalIPs (issue 10 row 2, CVE-2020-8554) and no type
// ExternalName (row 3), while the same Service as ClusterIP is accepted. Server-side dry run, except
// the update case, which needs a stored Service.
import { describe, expect, it } from 'vitest';
import { rootNamespace } from '../../../src/tenant/names.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { actorCases, dryRunCreate, messageOf, useTenantActors } from '../support/tenant-actors.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const cases = actorCases(tenants);

function service(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
  };
}

const servicesPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/services`;

describe.skipIf(probe.kc === undefined)(
  `service admission${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    const { actor } = useTenantActors(() => probe.kc!, tenants);

    describe('row 2: spec.externalIPs (CVE-2020-8554)', () => {
      it.each(cases)(
        'GIVEN $actor of $tenant WHEN it creates a Service with externalIPs in $namespace THEN it is refused, and the same Service without them is accepted',
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const attack = await as.send(
            dryRunCreate(servicesPath(namespace), service('intercept', { externalIPs: ['10.96.0.10', '8.8.8.8'] })),
          );
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(/tenant-gitops: Services in \S+ may not set spec\.externalIPs/);
          const legitimate = await as.send(dryRunCreate(servicesPath(namespace), service('intercept', {})));
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
        },
      );
    });

    describe("row 3: type ExternalName (a shared proxy would follow it into another tenant's service)", () => {
      it.each(cases)(
        "GIVEN $actor of $tenant WHEN it creates an ExternalName Service in $namespace pointing at another tenant's service THEN it is refused, and a ClusterIP Service is accepted",
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const victim = tenants.find((t) => t.name !== tenant)!;
          const attack = await as.send(
            dryRunCreate(servicesPath(namespace), {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'alias' },
              spec: { type: 'ExternalName', externalName: `web.${rootNamespace(victim.name)}.svc.cluster.local` },
            }),
          );
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(/tenant-gitops: Services in \S+ may not be of type ExternalName/);
          const legitimate = await as.send(
            dryRunCreate(servicesPath(namespace), service('alias', { type: 'ClusterIP' })),
          );
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
        },
      );
    });

    describe('rows 2 and 3 on UPDATE', () => {
      it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
        'GIVEN a stored ClusterIP Service of $tenant WHEN its tenant-admin adds externalIPs or turns it into ExternalName THEN both are refused, and a label change is accepted',
        async ({ tenant, namespace }) => {
          const as = actor(tenant, 'tenant-admin ServiceAccount');
          const created = await as.send({
            method: 'POST',
            path: servicesPath(namespace),
            body: service('update-probe', {}),
          });
          expect(messageOf(created)).toBe('');
          const path = `${servicesPath(namespace)}/update-probe?dryRun=All`;
          const addIPs = await as.send({ method: 'PATCH', path, body: { spec: { externalIPs: ['10.96.0.10'] } } });
          expect(addIPs.status).toBe(403);
          expect(messageOf(addIPs)).toMatch(/may not set spec\.externalIPs/);
          const toExternalName = await as.send({
            method: 'PATCH',
            path,
            body: {
              spec: {
                type: 'ExternalName',
                externalName: 'kubernetes.default.svc.cluster.local',
                clusterIP: null,
                clusterIPs: null,
                selector: null,
                ports: null,
                ipFamilies: null,
                ipFamilyPolicy: null,
                internalTrafficPolicy: null,
                sessionAffinity: null,
              },
            },
          });
          expect(toExternalName.status).toBe(403);
          expect(messageOf(toExternalName)).toMatch(/may not be of type ExternalName/);
          const relabel = await as.send({ method: 'PATCH', path, body: { metadata: { labels: { team: 'web' } } } });
          expect(messageOf(relabel)).toBe('');
          expect(relabel.status).toBe(200);
          await as.send({ method: 'DELETE', path: `${servicesPath(namespace)}/update-probe` });
        },
      );
    });
  },
);
