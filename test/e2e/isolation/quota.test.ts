// Quota and LimitRange enforced by the API server, per example tenant, from its rendered overlay:
// pods up to the tenant's `pods` quota are created for real (quota usage only moves on real
// creates), the next one is refused with the quota's own error; a container without resources gets
// the tenant's LimitRange defaults; one above the LimitRange max is refused; GPU slices above the
// tenant's share are refused. Object counts (ConfigMaps, Secrets, Services) are filled, as the
// tenant-admin ServiceAccount with its real token, in a test tenant with tiny counts: the last one
// is accepted, the next refused; a pod that names no resources gets ephemeral storage from the
// LimitRange and starts under the ephemeral-storage quota. Sub-namespaces: HNC's controller does not run on this control plane,
// so the test proves the HierarchicalResourceQuota (parent) and HierarchyConfiguration (children)
// are accepted with the tenant's values, and says that aggregation across children is not exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { namespaceQuotaHard, tenantQuotaHard } from '../../../src/generate/render/overlay.ts';
import { compareQuantityText, parseQuantity, parseTenantValue } from '../../../src/tenant/index.ts';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { type ResolvedTenant } from '../../../src/tenant/types.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod } from '../support/pods.ts';
import { setUpTenants, waitFor, waitForQuotaStatus, type TenantEnvironment } from '../support/tenant-environment.ts';
import { kubeConfigForToken, requestServiceAccountToken } from '../support/tokens.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const byNamespace = tenants.flatMap((t) => tenantNamespaces(t).map((namespace) => ({ tenant: t.name, namespace, t })));
const withSubs = tenants.filter((t) => t.subNamespaces.length > 0);
const HNC = { group: 'hnc.x-k8s.io', version: 'v1alpha2' };
/** A free tenant with tiny object counts, so filling its quota takes a handful of creates. */
const counts = parseTenantValue({
  apiVersion: 'tenants.gitops.dev/v1',
  kind: 'Tenant',
  metadata: { name: 'quota-counts' },
  spec: {
    tier: 'free',
    owners: [{ kind: 'User', name: 'counts@example.com' }],
    quota: { configmaps: '3', secrets: '2', services: '2' },
  },
}).tenant;
const COUNTED = ['configmaps', 'secrets', 'services'] as const;

/** Small enough that `pods` is always the first quota line a full namespace crosses. */
const TINY = {
  requests: { cpu: '1m', 'ephemeral-storage': '1Mi', memory: '1Mi' },
  limits: { cpu: '1m', 'ephemeral-storage': '1Mi', memory: '1Mi' },
};

/** Creates one object of `kind` as `kc`; the error's message when refused. */
async function createCounted(kc: KubeConfig, kind: (typeof COUNTED)[number], namespace: string, name: string) {
  const core = kc.makeApiClient(CoreV1Api);
  const metadata = { name, namespace };
  try {
    if (kind === 'configmaps') await core.createNamespacedConfigMap({ namespace, body: { metadata, data: {} } });
    else if (kind === 'secrets') await core.createNamespacedSecret({ namespace, body: { metadata, data: {} } });
    else
      await core.createNamespacedService({
        namespace,
        body: { metadata, spec: { ports: [{ port: 80 }], selector: { app: name } } },
      });
    return { code: undefined, message: undefined };
  } catch (error) {
    return { code: statusCodeOf(error), message: apiMessageOf(error) };
  }
}

async function countExisting(kind: (typeof COUNTED)[number], namespace: string): Promise<number> {
  const core = probe.kc!.makeApiClient(CoreV1Api);
  if (kind === 'configmaps') return (await core.listNamespacedConfigMap({ namespace })).items.length;
  if (kind === 'secrets') return (await core.listNamespacedSecret({ namespace })).items.length;
  return (await core.listNamespacedService({ namespace })).items.length;
}

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
    const tokens = new Map<string, string>();
    const asTenant = (name: string): KubeConfig => kubeConfigForToken(probe.kc!, tokens.get(name)!);
    beforeAll(async () => {
      env = await setUpTenants(probe.kc!, [...tenants, counts]);
      for (const t of [...tenants, counts])
        tokens.set(t.name, await requestServiceAccountToken(probe.kc!, rootNamespace(t.name), 'tenant-admin'));
      await waitForQuotaStatus(probe.kc!, [...byNamespace.map((n) => n.namespace), rootNamespace(counts.name)]);
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
        expect(hrq.spec.hard).toEqual(tenantQuotaHard(t));
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

    it.each(byNamespace)(
      'GIVEN $namespace THEN its ResourceQuota caps every object count, ephemeral storage and StorageClass of $tenant',
      async ({ namespace, t }) => {
        const quota = await probe
          .kc!.makeApiClient(CoreV1Api)
          .readNamespacedResourceQuota({ name: 'tenant-quota', namespace });
        const expected = namespaceQuotaHard(t);
        for (const key of [
          ...COUNTED,
          'resourcequotas',
          'replicationcontrollers',
          'requests.ephemeral-storage',
          'limits.ephemeral-storage',
        ])
          expect(compareQuantityText(quota.status!.hard![key]!, expected[key]!), key).toBe(0);
        expect(Object.keys(quota.spec!.hard!).sort()).toEqual(Object.keys(expected).sort());
      },
    );

    it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name), t })))(
      'GIVEN $tenant WHEN its tenant-admin starts a pod that names no resources THEN the LimitRange gives it ephemeral storage AND the quota admits it',
      async ({ tenant, namespace, t }) => {
        const core = asTenant(tenant).makeApiClient(CoreV1Api);
        const pod = await core.createNamespacedPod({
          namespace,
          body: restrictedPod({ name: 'ephemeral-probe', namespace }),
        });
        try {
          const resources = pod.spec!.containers[0]!.resources!;
          expect(
            compareQuantityText(
              resources.requests!['ephemeral-storage']!,
              t.limits.defaultRequest['ephemeral-storage'],
            ),
          ).toBe(0);
          expect(
            compareQuantityText(resources.limits!['ephemeral-storage']!, t.limits.default['ephemeral-storage']),
          ).toBe(0);
        } finally {
          await probe
            .kc!.makeApiClient(CoreV1Api)
            .deleteNamespacedPod({ name: 'ephemeral-probe', namespace, gracePeriodSeconds: 0 });
        }
        // Above the per-container maximum: refused, whoever asks.
        const over = above(t.limits.max['ephemeral-storage']);
        const refused = await createPod(
          restrictedPod({
            name: 'ephemeral-probe',
            namespace,
            resources: { requests: { 'ephemeral-storage': '1Mi' }, limits: { 'ephemeral-storage': over } },
          }),
          true,
        );
        expect(refused.code).toBe(403);
        expect(refused.message).toContain(
          `maximum ephemeral-storage usage per Container is ${t.limits.max['ephemeral-storage']}`,
        );
      },
    );

    it.each(COUNTED.map((kind) => ({ kind, hard: counts.quota[kind]! })))(
      'GIVEN a tenant with a quota of $hard $kind WHEN its tenant-admin creates them up to the quota THEN the last is accepted AND the next one is refused',
      async ({ kind, hard }) => {
        const namespace = rootNamespace(counts.name);
        const core = probe.kc!.makeApiClient(CoreV1Api);
        // Count from what the namespace already holds (kube-root-ca.crt is a ConfigMap of every namespace).
        const used = await waitFor(`quota usage of ${kind} in ${namespace}`, async () => {
          const [quota, existing] = await Promise.all([
            core.readNamespacedResourceQuota({ name: 'tenant-quota', namespace }),
            countExisting(kind, namespace),
          ]);
          return quota.status?.used?.[kind] === String(existing) ? existing : undefined;
        });
        const limit = Number(hard);
        expect(used).toBeLessThan(limit);
        for (let i = used; i < limit; i++) {
          const result = await createCounted(asTenant(counts.name), kind, namespace, `count-${i}`);
          expect(result.message, `${kind} ${i + 1} of ${limit}`).toBeUndefined();
        }
        const next = await createCounted(asTenant(counts.name), kind, namespace, `count-${limit}`);
        expect(next.code).toBe(403);
        expect(next.message).toContain(
          `exceeded quota: tenant-quota, requested: ${kind}=1, used: ${kind}=${limit}, limited: ${kind}=${limit}`,
        );
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
  expect(compareQuantityText(actual!['ephemeral-storage']!, expected['ephemeral-storage'])).toBe(0);
}
