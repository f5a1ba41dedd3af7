// RBAC with a real token of each tenant's tenant-admin ServiceAccount (TokenRequest): it manages its
// workloads in its own namespaces and nothing else: no other tenant, no namespaces list, no quota or
// LimitRange edits, no edits of the platform's NetworkPolicies, no cluster-wide bindings, no
// escalation, no impersonation. What it may write itself (its own NetworkPolicies, Roles and
// RoleBindings) and the rules on them are proven in self-service.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppsV1Api,
  CoreV1Api,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { getAsImpersonator } from '../support/impersonation.ts';
import { canI, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod } from '../support/pods.ts';
import { setUpTenants, type TenantEnvironment } from '../support/tenant-environment.ts';
import { requestServiceAccountToken, kubeConfigForToken } from '../support/tokens.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const pairs = tenants.flatMap((a) => tenants.filter((b) => b.name !== a.name).map((b) => ({ tenant: a, other: b })));

/** The HTTP status of a call: 2xx as the number, refusals as their code. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (error) {
    const code = statusCodeOf(error);
    if (code === undefined) throw error;
    return code;
  }
}

describe.skipIf(probe.kc === undefined)(
  `tenant-admin RBAC with a real token${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    let env: TenantEnvironment;
    const tokens = new Map<string, string>();
    const asTenant = (name: string): KubeConfig => kubeConfigForToken(probe.kc!, tokens.get(name)!);

    beforeAll(async () => {
      env = await setUpTenants(probe.kc!, tenants);
      for (const t of tenants)
        tokens.set(t.name, await requestServiceAccountToken(probe.kc!, rootNamespace(t.name), 'tenant-admin'));
    });
    afterAll(async () => {
      await env?.remove();
    });

    describe.each(tenants.map((t) => ({ tenant: t, name: t.name })))('$name', ({ tenant }) => {
      it.each(tenantNamespaces(tenant))(
        'GIVEN its own namespace %s WHEN it creates, reads and deletes pods, deployments, services, configmaps and secrets THEN every call succeeds',
        async (namespace) => {
          const kc = asTenant(tenant.name);
          const core = kc.makeApiClient(CoreV1Api);
          const apps = kc.makeApiClient(AppsV1Api);
          const labels = { app: 'rbac-probe' };
          await core.createNamespacedConfigMap({
            namespace,
            body: { metadata: { name: 'rbac-probe' }, data: { k: 'v' } },
          });
          await core.createNamespacedSecret({
            namespace,
            body: { metadata: { name: 'rbac-probe' }, stringData: { k: 'v' } },
          });
          await core.createNamespacedService({
            namespace,
            body: { metadata: { name: 'rbac-probe' }, spec: { selector: labels, ports: [{ port: 80 }] } },
          });
          await core.createNamespacedPod({ namespace, body: restrictedPod({ name: 'rbac-probe', namespace }) });
          await apps.createNamespacedDeployment({
            namespace,
            body: {
              metadata: { name: 'rbac-probe' },
              spec: {
                selector: { matchLabels: labels },
                template: { ...restrictedPod({ name: 'x', namespace }), metadata: { labels } },
              },
            },
          });
          expect((await core.readNamespacedSecret({ name: 'rbac-probe', namespace })).data?.k).toBe(
            Buffer.from('v').toString('base64'),
          );
          expect((await core.listNamespacedPod({ namespace })).items.map((p) => p.metadata?.name)).toContain(
            'rbac-probe',
          );
          await core.patchNamespacedConfigMap({
            name: 'rbac-probe',
            namespace,
            body: [{ op: 'replace', path: '/data/k', value: 'w' }],
          });
          await apps.deleteNamespacedDeployment({ name: 'rbac-probe', namespace });
          await core.deleteNamespacedPod({ name: 'rbac-probe', namespace, gracePeriodSeconds: 0 });
          await core.deleteNamespacedService({ name: 'rbac-probe', namespace });
          await core.deleteNamespacedSecret({ name: 'rbac-probe', namespace });
          await core.deleteNamespacedConfigMap({ name: 'rbac-probe', namespace });
        },
      );

      it('GIVEN its token WHEN it lists namespaces THEN it is forbidden', async () => {
        const core = asTenant(tenant.name).makeApiClient(CoreV1Api);
        expect(await statusOf(() => core.listNamespace())).toBe(403);
      });

      it('GIVEN its own ResourceQuota, LimitRange and the platform NetworkPolicies WHEN it reads them THEN it may, WHEN it edits or deletes them, or opens an allow-all policy, THEN it is forbidden', async () => {
        const kc = asTenant(tenant.name);
        const core = kc.makeApiClient(CoreV1Api);
        const net = kc.makeApiClient(NetworkingV1Api);
        const namespace = rootNamespace(tenant.name);
        const lift = [{ op: 'replace', path: '/spec/hard/pods', value: '100000' }];
        expect(await statusOf(() => core.readNamespacedResourceQuota({ name: 'tenant-quota', namespace }))).toBe(200);
        expect(
          await statusOf(() => core.patchNamespacedResourceQuota({ name: 'tenant-quota', namespace, body: lift })),
        ).toBe(403);
        expect(await statusOf(() => core.deleteNamespacedResourceQuota({ name: 'tenant-quota', namespace }))).toBe(403);
        expect(await statusOf(() => core.deleteNamespacedLimitRange({ name: 'tenant-limits', namespace }))).toBe(403);
        expect(
          await statusOf(() =>
            core.patchNamespacedLimitRange({
              name: 'tenant-limits',
              namespace,
              body: [{ op: 'remove', path: '/spec/limits' }],
            }),
          ),
        ).toBe(403);
        const policies = (await net.listNamespacedNetworkPolicy({ namespace })).items;
        expect(policies.map((p) => p.metadata?.name)).toContain('default-deny');
        expect(await statusOf(() => net.deleteNamespacedNetworkPolicy({ name: 'default-deny', namespace }))).toBe(403);
        expect(
          await statusOf(() =>
            net.createNamespacedNetworkPolicy({
              namespace,
              body: {
                metadata: { name: 'allow-all' },
                spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Ingress', 'Egress'] },
              },
            }),
          ),
        ).toBe(403);
      });

      it('GIVEN its token WHEN it creates a ClusterRoleBinding to cluster-admin THEN it is forbidden', async () => {
        const rbac = asTenant(tenant.name).makeApiClient(RbacAuthorizationV1Api);
        const body = {
          metadata: { name: `escalate-${tenant.name}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'tenant-admin', namespace: rootNamespace(tenant.name) }],
        };
        expect(await statusOf(() => rbac.createClusterRoleBinding({ body }))).toBe(403);
      });

      it.each(['cluster-admin', 'admin', 'edit'])(
        'GIVEN its own namespace WHEN it binds ClusterRole %s (or writes a Role with every right) THEN it is forbidden (no bind/escalate; self-service RBAC stays within the tenant)',
        async (role) => {
          const kc = asTenant(tenant.name);
          const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
          const namespace = rootNamespace(tenant.name);
          const binding = {
            metadata: { name: `escalate-${role}` },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
            subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
          };
          expect(await statusOf(() => rbac.createNamespacedRoleBinding({ namespace, body: binding }))).toBe(403);
          const role_ = {
            metadata: { name: 'everything' },
            rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
          };
          expect(await statusOf(() => rbac.createNamespacedRole({ namespace, body: role_ }))).toBe(403);
          expect(
            await canI(kc, {
              namespace,
              group: 'rbac.authorization.k8s.io',
              resource: 'clusterroles',
              verb: 'bind',
              name: role,
            }),
          ).toBe(false);
        },
      );

      it('GIVEN its token WHEN it impersonates a cluster admin, a group or another ServiceAccount THEN the API server refuses', async () => {
        const token = tokens.get(tenant.name)!;
        expect(await getAsImpersonator(probe.kc!, token, '/api/v1/namespaces', { 'Impersonate-User': 'admin' })).toBe(
          403,
        );
        expect(
          await getAsImpersonator(probe.kc!, token, '/api/v1/namespaces', {
            'Impersonate-User': 'x',
            'Impersonate-Group': 'system:masters',
          }),
        ).toBe(403);
        expect(
          await getAsImpersonator(probe.kc!, token, '/api/v1/namespaces/kube-system/secrets', {
            'Impersonate-User': 'system:serviceaccount:kube-system:default',
          }),
        ).toBe(403);
        // Control: the same raw request without impersonation reaches RBAC as the tenant (and is refused
        // for namespaces, allowed for its own pods), so the 403s above are about impersonation.
        expect(
          await getAsImpersonator(probe.kc!, token, `/api/v1/namespaces/${rootNamespace(tenant.name)}/pods`, {}),
        ).toBe(200);
      });
    });

    describe.each(pairs.map((p) => ({ ...p, label: `${p.tenant.name} → ${p.other.name}` })))(
      '$label',
      ({ tenant, other }) => {
        it.each(tenantNamespaces(other))(
          'GIVEN the other tenant namespace %s WHEN the tenant reads, lists or creates anything THEN every call is forbidden',
          async (namespace) => {
            const kc = asTenant(tenant.name);
            const core = kc.makeApiClient(CoreV1Api);
            const apps = kc.makeApiClient(AppsV1Api);
            const calls: Record<string, () => Promise<unknown>> = {
              'list secrets': () => core.listNamespacedSecret({ namespace }),
              'get secret': () => core.readNamespacedSecret({ name: 'any', namespace }),
              'list pods': () => core.listNamespacedPod({ namespace }),
              'list configmaps': () => core.listNamespacedConfigMap({ namespace }),
              'list services': () => core.listNamespacedService({ namespace }),
              'list deployments': () => apps.listNamespacedDeployment({ namespace }),
              'get resourcequota': () => core.readNamespacedResourceQuota({ name: 'tenant-quota', namespace }),
              'create configmap': () =>
                core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'intruder' } } }),
              'create token': () =>
                core.createNamespacedServiceAccountToken({
                  name: 'tenant-admin',
                  namespace: rootNamespace(other.name),
                  body: { spec: { audiences: [] } },
                }),
            };
            const results: Record<string, number> = {};
            for (const [what, call] of Object.entries(calls)) results[what] = await statusOf(call);
            expect(results).toEqual(Object.fromEntries(Object.keys(calls).map((k) => [k, 403])));
          },
        );
      },
    );
  },
);
