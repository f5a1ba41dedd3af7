// Scheduling controls enforced by admission, per example tenant: a dedicated-pool tenant's pods get
// the pool's node selector and toleration forced (PodNodeSelector, PodTolerationRestriction), a pod
// may tolerate only its own pool, what Kubernetes itself adds, and GPU nodes if its tenant has GPU
// slices (issue 10 row 6), may not name its node (row 5), and may use only its own tier's
// PriorityClass (base/platform's ValidatingAdmissionPolicies). Rows 5 and 6 run as each tenant's
// tenant-admin ServiceAccount (real token) and each owner (impersonation). Server-side dry run:
// full admission, nothing stored (except where a stored pod is bound or updated).
import { beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod, type V1Toleration } from '@kubernetes/client-node';
import { LABEL_TENANT, priorityClassName, rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { GPU_TAINT_KEY } from '../../../src/tenant/platform.ts';
import { TIERS, type ResolvedTenant } from '../../../src/tenant/types.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod, type PodOptions } from '../support/pods.ts';
import { actorCases, dryRunCreate, messageOf, useTenantActors } from '../support/tenant-actors.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const dedicated = tenants.filter((t) => t.nodePool === 'dedicated');
const shared = tenants.filter((t) => t.nodePool === 'shared');

const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;

function poolToleration(tenant: string): V1Toleration {
  return { key: LABEL_TENANT, operator: 'Equal', value: tenant, effect: 'NoSchedule' };
}

/**
 * What Kubernetes adds to every pod: DefaultTolerationSeconds (not-ready and unreachable, NoExecute,
 * 300 s) and PodTolerationRestriction (memory-pressure, NoSchedule, for pods that are not
 * BestEffort, which LimitRange defaults rule out in tenant namespaces).
 */
const KUBERNETES_DEFAULTS: V1Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
];

type Admission =
  | { admitted: V1Pod; code?: undefined; message?: undefined }
  | { admitted?: undefined; code: number | undefined; message: string };

async function admit(o: PodOptions): Promise<Admission> {
  try {
    const admitted = await probe
      .kc!.makeApiClient(CoreV1Api)
      .createNamespacedPod({ namespace: o.namespace, body: restrictedPod(o), dryRun: 'All' });
    return { admitted };
  } catch (error) {
    return { code: statusCodeOf(error), message: apiMessageOf(error) };
  }
}

describe.skipIf(probe.kc === undefined)(
  `scheduling admission${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    beforeAll(() => {
      expect(dedicated.length, 'the examples include a dedicated-pool tenant').toBeGreaterThan(0);
      expect(
        tenants.some((t) => t.gpuSlices > 0) && tenants.some((t) => t.gpuSlices === 0),
        'the examples include tenants with and without GPU slices',
      ).toBe(true);
    });
    const { actor } = useTenantActors(() => probe.kc!, tenants);

    const dedicatedCases = dedicated.flatMap((t) =>
      tenantNamespaces(t).map((namespace) => ({ tenant: t.name, namespace })),
    );
    it.each(dedicatedCases)(
      'GIVEN dedicated tenant $tenant WHEN a pod without selector or toleration is created in $namespace THEN the pool selector and toleration are forced onto it',
      async ({ tenant, namespace }) => {
        const result = await admit({ name: 'pool-probe', namespace });
        expect(result.message).toBeUndefined();
        expect(result.admitted?.spec?.nodeSelector).toEqual({ [LABEL_TENANT]: tenant });
        expect(result.admitted?.spec?.tolerations).toContainEqual({
          key: LABEL_TENANT,
          operator: 'Equal',
          value: tenant,
          effect: 'NoSchedule',
        });
      },
    );

    it.each(dedicated.map((t) => ({ tenant: t.name, other: tenants.find((o) => o.name !== t.name)!.name })))(
      "GIVEN dedicated tenant $tenant WHEN a pod asks for $other's pool by node selector THEN PodNodeSelector refuses the conflict",
      async ({ tenant, other }) => {
        const result = await admit({
          name: 'pool-probe',
          namespace: rootNamespace(tenant),
          nodeSelector: { [LABEL_TENANT]: other },
        });
        expect(result.code).toBe(403);
        expect(result.message).toMatch(/pod node label selector conflicts with its namespace node label selector/);
      },
    );

    it.each(shared.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
      'GIVEN shared-pool tenant $tenant WHEN a pod is created THEN no node selector is forced on it',
      async ({ namespace }) => {
        const result = await admit({ name: 'pool-probe', namespace });
        expect(result.message).toBeUndefined();
        expect(result.admitted?.spec?.nodeSelector ?? {}).toEqual({});
        expect((result.admitted?.spec?.tolerations ?? []).filter((t) => t.key === LABEL_TENANT)).toEqual([]);
      },
    );

    const tolerationCases = tenants.map((t) => ({
      tenant: t.name,
      victim: (dedicated.find((d) => d.name !== t.name) ?? tenants.find((o) => o.name !== t.name)!).name,
    }));
    it.each(tolerationCases)(
      "GIVEN tenant $tenant WHEN a pod tolerates $victim's pool taint or every taint THEN it is refused",
      async ({ tenant, victim }) => {
        const namespace = rootNamespace(tenant);
        const foreign = await admit({
          name: 'pool-probe',
          namespace,
          tolerations: [{ key: LABEL_TENANT, operator: 'Equal', value: victim, effect: 'NoSchedule' }],
        });
        expect(foreign.code).toBe(403);
        const wildcard = await admit({ name: 'pool-probe', namespace, tolerations: [{ operator: 'Exists' }] });
        expect(wildcard.code).toBe(403);
        expect(`${foreign.message} ${wildcard.message}`).toMatch(/may only tolerate their own tenant pool/);
      },
    );

    const priorityCases = tenants.flatMap((t) =>
      TIERS.map((tier) => ({ tenant: t.name, tier: t.tier, asked: priorityClassName(tier), own: tier === t.tier })),
    );
    it.each(priorityCases)(
      'GIVEN $tenant ($tier) WHEN a pod asks for PriorityClass $asked THEN it is admitted only if that is its own tier (own: $own)',
      async ({ tenant, asked, own }) => {
        const result = await admit({
          name: 'priority-probe',
          namespace: rootNamespace(tenant),
          priorityClassName: asked,
        });
        if (own) {
          expect(result.message).toBeUndefined();
          expect(result.admitted?.spec?.priorityClassName).toBe(asked);
        } else {
          expect(result.code).toBe(403);
          expect(result.message).toMatch(/may only use PriorityClass/);
        }
      },
    );

    it.each(tenants.map((t) => ({ tenant: t.name })))(
      'GIVEN $tenant WHEN a pod asks for system-cluster-critical THEN it is refused',
      async ({ tenant }) => {
        const result = await admit({
          name: 'priority-probe',
          namespace: rootNamespace(tenant),
          priorityClassName: 'system-cluster-critical',
        });
        expect(result.code).toBe(403);
      },
    );
    describe('row 5: spec.nodeName (skips the scheduler and every node selector)', () => {
      it.each(actorCases(tenants))(
        'GIVEN $actor of $tenant WHEN it creates a pod with spec.nodeName in $namespace THEN it is refused, and the same pod without it is accepted',
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const pod = restrictedPod({ name: 'node-probe', namespace });
          const attack = await as.send(
            dryRunCreate(podsPath(namespace), { ...pod, spec: { ...pod.spec, nodeName: 'control-plane-1' } }),
          );
          expect(attack.status).toBe(403);
          expect(messageOf(attack)).toMatch(/tenant-gitops: pods in \S+ may not set spec\.nodeName/);
          const legitimate = await as.send(dryRunCreate(podsPath(namespace), pod));
          expect(messageOf(legitimate)).toBe('');
          expect(legitimate.status).toBe(201);
        },
      );

      it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
        "GIVEN a stored pod of $tenant WHEN it is bound to a node through pods/binding (the scheduler's way) THEN the binding and later updates are accepted",
        async ({ tenant, namespace }) => {
          const as = actor(tenant, 'tenant-admin ServiceAccount');
          const created = await as.send({
            method: 'POST',
            path: podsPath(namespace),
            body: restrictedPod({ name: 'bind-probe', namespace }),
          });
          expect(messageOf(created)).toBe('');
          const core = probe.kc!.makeApiClient(CoreV1Api);
          try {
            await core.createNamespacedBinding({
              namespace,
              body: {
                metadata: { name: 'bind-probe' },
                target: { apiVersion: 'v1', kind: 'Node', name: 'worker-1' },
              },
            });
            expect((await core.readNamespacedPod({ name: 'bind-probe', namespace })).spec?.nodeName).toBe('worker-1');
            const relabel = await as.send({
              method: 'PATCH',
              path: `${podsPath(namespace)}/bind-probe`,
              body: { metadata: { labels: { bound: 'yes' } } },
            });
            expect(messageOf(relabel)).toBe('');
          } finally {
            await core.deleteNamespacedPod({ name: 'bind-probe', namespace, gracePeriodSeconds: 0 });
          }
        },
      );
    });

    describe("row 6: tolerations beyond the tenant's own pool, Kubernetes' own and (GPU tenants) GPU nodes", () => {
      const tolerationTable = (
        tenant: ResolvedTenant,
      ): { what: string; toleration: V1Toleration; allowed: boolean }[] => {
        const other = tenants.find((o) => o.name !== tenant.name)!.name;
        return [
          { what: 'own pool', toleration: poolToleration(tenant.name), allowed: true },
          { what: 'other pool', toleration: poolToleration(other), allowed: false },
          {
            what: 'control plane',
            toleration: { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            allowed: false,
          },
          { what: 'every taint', toleration: { operator: 'Exists' }, allowed: false },
          {
            what: 'any other key',
            toleration: { key: 'example.com/reserved', operator: 'Exists', effect: 'NoSchedule' },
            allowed: false,
          },
          {
            what: 'GPU nodes',
            toleration: { key: GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
            allowed: tenant.gpuSlices > 0,
          },
          ...KUBERNETES_DEFAULTS.map((t) => ({ what: `Kubernetes' ${t.key}`, toleration: t, allowed: true })),
          {
            what: 'not-ready, every effect',
            toleration: { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
            allowed: false,
          },
        ];
      };

      it.each(actorCases(tenants))(
        'GIVEN $actor of $tenant WHEN it creates pods in $namespace with each toleration THEN only its own pool, Kubernetes’ defaults and (with GPU slices) GPU nodes are accepted',
        async ({ tenant, actor: label, namespace }) => {
          const as = actor(tenant, label);
          const table = tolerationTable(tenants.find((t) => t.name === tenant)!);
          const outcome: Record<string, string> = {};
          for (const { what, toleration } of table) {
            const response = await as.send(
              dryRunCreate(
                podsPath(namespace),
                restrictedPod({ name: 'toleration-probe', namespace, tolerations: [toleration] }),
              ),
            );
            const message = messageOf(response);
            outcome[what] =
              response.status === 201
                ? 'accepted'
                : /tenant-gitops: pods in \S+ may only tolerate/.test(message)
                  ? 'refused'
                  : message;
          }
          expect(outcome).toEqual(Object.fromEntries(table.map((c) => [c.what, c.allowed ? 'accepted' : 'refused'])));
        },
      );

      it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
        "GIVEN $tenant WHEN a pod without tolerations is admitted THEN it carries exactly Kubernetes' own additions (plus its pool's), which the policy accepts",
        async ({ tenant, namespace }) => {
          const as = actor(tenant, 'tenant-admin ServiceAccount');
          const response = await as.send(
            dryRunCreate(podsPath(namespace), restrictedPod({ name: 'plain', namespace })),
          );
          expect(messageOf(response)).toBe('');
          const keys = ((response.body as V1Pod).spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`).sort();
          const pool =
            tenants.find((t) => t.name === tenant)!.nodePool === 'dedicated' ? [`${LABEL_TENANT}:NoSchedule`] : [];
          expect(keys).toEqual([...KUBERNETES_DEFAULTS.map((t) => `${t.key}:${t.effect}`), ...pool].sort());
        },
      );

      it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
        'GIVEN a stored pod of $tenant WHEN an update adds a control-plane toleration THEN it is refused, and adding its own pool toleration is accepted',
        async ({ tenant, namespace }) => {
          const as = actor(tenant, 'tenant-admin ServiceAccount');
          const path = `${podsPath(namespace)}/update-probe`;
          const created = await as.send({
            method: 'POST',
            path: podsPath(namespace),
            body: restrictedPod({ name: 'update-probe', namespace }),
          });
          expect(messageOf(created)).toBe('');
          try {
            const stored = created.body as V1Pod;
            const withToleration = (t: V1Toleration): V1Pod => ({
              ...stored,
              spec: { ...stored.spec!, tolerations: [...(stored.spec?.tolerations ?? []), t] },
            });
            const attack = await as.send({
              method: 'PUT',
              path: `${path}?dryRun=All`,
              body: withToleration({
                key: 'node-role.kubernetes.io/control-plane',
                operator: 'Exists',
                effect: 'NoSchedule',
              }),
            });
            expect(attack.status).toBe(403);
            expect(messageOf(attack)).toMatch(/may only tolerate/);
            const legitimate = await as.send({
              method: 'PUT',
              path: `${path}?dryRun=All`,
              body: withToleration({ ...poolToleration(tenant), effect: 'NoExecute' }),
            });
            expect(messageOf(legitimate)).toBe('');
          } finally {
            await as.send({ method: 'DELETE', path: `${path}?gracePeriodSeconds=0` });
          }
        },
      );
    });
  },
);
