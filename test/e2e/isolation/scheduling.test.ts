// Scheduling controls enforced by admission, per example tenant: a dedicated-pool tenant's pods get
// the pool's node selector and toleration forced (PodNodeSelector, PodTolerationRestriction), no pod
// may tolerate another tenant's pool, and a pod may use only its own tier's PriorityClass
// (base/platform's ValidatingAdmissionPolicy). Server-side dry run: full admission, nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { LABEL_TENANT, priorityClassName, rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { TIERS } from '../../../src/tenant/types.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod, type PodOptions } from '../support/pods.ts';
import { setUpTenants, type TenantEnvironment } from '../support/tenant-environment.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const dedicated = tenants.filter((t) => t.nodePool === 'dedicated');
const shared = tenants.filter((t) => t.nodePool === 'shared');

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
    let env: TenantEnvironment;
    beforeAll(async () => {
      expect(dedicated.length, 'the examples include a dedicated-pool tenant').toBeGreaterThan(0);
      env = await setUpTenants(probe.kc!, tenants);
    });
    afterAll(async () => {
      await env?.remove();
    });

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
  },
);
