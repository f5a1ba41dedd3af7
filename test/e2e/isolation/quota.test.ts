// Quota and LimitRange enforced by the API server, per example tenant, from its rendered overlay:
// pods up to the tenant's `pods` quota are created for real (quota usage only moves on real
// creates), the next one is refused with the quota's own error; a container without resources gets
// the tenant's LimitRange defaults; one above the LimitRange max is refused; GPU slices above the
// tenant's share are refused. Sub-namespaces: HNC's controller does not run on this control plane,
// so the test proves the HierarchicalResourceQuota (parent) and HierarchyConfiguration (children)
// are accepted with the tenant's values, and says that aggregation across children is not exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { compareQuantityText, parseQuantity } from '../../../src/tenant/index.ts';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { type ResolvedTenant } from '../../../src/tenant/types.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod } from '../support/pods.ts';
import { setUpTenants, waitFor, type TenantEnvironment } from '../support/tenant-environment.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const byNamespace = tenants.flatMap((t) => tenantNamespaces(t).map((namespace) => ({ tenant: t.name, namespace, t })));
const withSubs = tenants.filter((t) => t.subNamespaces.length > 0);
const HNC = { group: 'hnc.x-k8s.io', version: 'v1alpha2' };

/** Small enough that `pods` is always the first quota line a full namespace crosses. */
const TINY = { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '1m', memory: '1Mi' } };

type Outcome =
  | { pod: V1Pod; code?: undefined; message?: undefined }
  | { pod?: undefined; code: number | undefined; message: string };

async function createPod(body: V1Pod, dryRun = false): Promise<Outcome> {
  try {
    const pod = await probe
      .kc!.makeApiClient(CoreV1Api)
      .createNamespacedPod({ namespace: body.metadata!.namespace!, body, ...(dryRun ? { dryRun: 'All' } : {}) });
    return { pod };
  } catch (error) {
    return { code: statusCodeOf(error), message: apiMessageOf(error) };
  }
}

/** A quantity comfortably above `max` (ten times it, plus one), for "over the maximum" probes. */
function above(max: string): string {
  const parsed = parseQuantity(max);
  if (!parsed.ok) throw new Error(`tenant-gitops: ${max} is not a quantity`);
  return String((parsed.quantity.nano * 10n) / 1_000_000_000n + 1n);
}

describe.skipIf(probe.kc === undefined)(
  `quota and limits in tenant namespaces${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    let env: TenantEnvironment;
    beforeAll(async () => {
      env = await setUpTenants(probe.kc!, tenants);
      // Quota admission refuses every pod until the quota controller has filled in status.hard.
      const core = probe.kc!.makeApiClient(CoreV1Api);
      for (const { namespace } of byNamespace) {
        await waitFor(`ResourceQuota status in ${namespace}`, () =>
          core
            .readNamespacedResourceQuota({ name: 'tenant-quota', namespace })
            .then((q) => (q.status?.hard?.pods ? true : undefined)),
        );
      }
    });
    afterAll(async () => {
      await env?.remove();
    });

    it.each(byNamespace)(
      'GIVEN $namespace WHEN a container declares no resources THEN it gets the LimitRange defaults of $tenant',
      async ({ namespace, t }) => {
        const result = await createPod(restrictedPod({ name: 'limits-probe', namespace }), true);
        expect(result.message).toBeUndefined();
        const resources = result.pod!.spec!.containers[0]!.resources!;
        expectSameQuantities(resources.requests, t.limits.defaultRequest);
        expectSameQuantities(resources.limits, t.limits.default);
      },
    );

    it.each(byNamespace)(
      'GIVEN $namespace WHEN a container asks for more cpu than the LimitRange max THEN it is refused',
      async ({ namespace, t }) => {
        const cpu = above(t.limits.max.cpu);
        const result = await createPod(
          restrictedPod({ name: 'limits-probe', namespace, resources: { requests: { cpu: '1m' }, limits: { cpu } } }),
          true,
        );
        expect(result.code).toBe(403);
        expect(result.message).toContain(`maximum cpu usage per Container is ${t.limits.max.cpu}, but limit is ${cpu}`);
      },
    );

    it.each(byNamespace)(
      'GIVEN $namespace WHEN a container asks for more memory than the LimitRange max THEN it is refused',
      async ({ namespace, t }) => {
        const result = await createPod(
          restrictedPod({
            name: 'limits-probe',
            namespace,
            resources: { requests: { memory: '1Mi' }, limits: { memory: '100Ti' } },
          }),
          true,
        );
        expect(compareQuantityText('100Ti', t.limits.max.memory)).toBeGreaterThan(0);
        expect(result.code).toBe(403);
        expect(result.message).toContain(
          `maximum memory usage per Container is ${t.limits.max.memory}, but limit is 100Ti`,
        );
      },
    );

    it.each(tenants.map((t) => ({ tenant: t.name, slices: t.gpuSlices, t })))(
      'GIVEN tenant $tenant with $slices GPU slices WHEN a pod asks for one slice more THEN the quota refuses it',
      async ({ t, slices }) => {
        const gpu = { 'nvidia.com/gpu': String(slices + 1) };
        const result = await createPod(
          restrictedPod({
            name: 'gpu-probe',
            namespace: rootNamespace(t.name),
            resources: { requests: { ...TINY.requests, ...gpu }, limits: { ...TINY.limits, ...gpu } },
          }),
          true,
        );
        // A tenant without GPU has a quota of 0 slices, so even one is refused.
        expect(result.code).toBe(403);
        expect(result.message).toContain(
          `exceeded quota: tenant-quota, requested: requests.nvidia.com/gpu=${slices + 1}`,
        );
      },
    );

    // HNC's controller is not part of this control plane: the sum across a tenant's namespaces is
    // enforced by HNC at runtime and is not exercised here. What is proven: the objects HNC reads are
    // accepted by the API server (with HNC's CRDs) carrying the tenant's whole quota and the parent.
    it.each(withSubs.map((t) => ({ tenant: t.name, t })))(
      'GIVEN tenant $tenant with sub-namespaces THEN the parent holds a HierarchicalResourceQuota of the whole quota AND each child names the parent',
      async ({ t }) => {
        const custom = probe.kc!.makeApiClient(CustomObjectsApi);
        const hrq = (await custom.getNamespacedCustomObject({
          ...HNC,
          namespace: rootNamespace(t.name),
          plural: 'hierarchicalresourcequotas',
          name: 'tenant-quota',
        })) as { spec: { hard: Record<string, string> } };
        expect(hrq.spec.hard).toEqual({ ...t.quota, 'requests.nvidia.com/gpu': String(t.gpuSlices) });
        for (const child of tenantNamespaces(t).slice(1)) {
          const config = (await custom.getNamespacedCustomObject({
            ...HNC,
            namespace: child,
            plural: 'hierarchyconfigurations',
            name: 'hierarchy',
          })) as { spec: { parent: string } };
          expect(config.spec.parent).toBe(rootNamespace(t.name));
        }
      },
    );

    // Last: it fills each root namespace to its pod quota (and empties it again).
    it.each(tenants.map((t) => ({ tenant: t.name, pods: Number(t.quota.pods), t })))(
      'GIVEN tenant $tenant with a quota of $pods pods WHEN $pods pods are created THEN all are accepted AND the next one is refused by the quota',
      async ({ t, pods }) => {
        const namespace = rootNamespace(t.name);
        expect(Number.isInteger(pods) && pods > 0, `pods quota of ${t.name}`).toBe(true);
        for (let i = 0; i < pods; i++) {
          const result = await createPod(restrictedPod({ name: `quota-${i}`, namespace, resources: TINY }));
          expect(result.message, `pod ${i + 1} of ${pods}`).toBeUndefined();
        }
        const next = await createPod(restrictedPod({ name: `quota-${pods}`, namespace, resources: TINY }));
        expect(next.code).toBe(403);
        expect(next.message).toContain(
          `exceeded quota: tenant-quota, requested: pods=1, used: pods=${pods}, limited: pods=${pods}`,
        );
        // Pods bound to no node go at once; the namespace is free again for anything run after this.
        await probe.kc!.makeApiClient(CoreV1Api).deleteCollectionNamespacedPod({
          namespace,
          labelSelector: 'app.kubernetes.io/name=enforcement-test',
          gracePeriodSeconds: 0,
        });
      },
    );
  },
);

function expectSameQuantities(
  actual: Record<string, string> | undefined,
  expected: ResolvedTenant['limits']['default'],
): void {
  expect(actual).toBeDefined();
  expect(compareQuantityText(actual!.cpu!, expected.cpu), `cpu ${actual!.cpu} vs ${expected.cpu}`).toBe(0);
  expect(compareQuantityText(actual!.memory!, expected.memory), `memory ${actual!.memory} vs ${expected.memory}`).toBe(
    0,
  );
}
