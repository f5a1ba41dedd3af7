// StorageClasses and image registries per tier, enforced by base/platform's admission policies
// (tenant-storage-classes, tenant-images), exercised as each example tenant's tenant-admin
// ServiceAccount with its real token: a claim on a class the tier does not pay for is refused, one
// on an allowed class is accepted; a pod from a foreign registry, or one that would run a node's
// cached copy (imagePullPolicy other than Always), is refused, the allowed image with Always is
// accepted. Ephemeral containers come in through pods/ephemeralcontainers, which tenant-admin may
// not call at all; the policy is proven there as the cluster admin (a policy binds every user).
// Server-side dry run except where a real pod must exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
  type V1PersistentVolumeClaim,
  type V1Pod,
} from '@kubernetes/client-node';
import { rootNamespace, tenantImageRegistry, tenantNamespaces } from '../../../src/tenant/names.ts';
import { imageRegistries, STORAGE_CLASSES, TIER_POLICIES } from '../../../src/tenant/tiers.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod, TEST_IMAGE, type PodOptions } from '../support/pods.ts';
import { setUpTenants, waitFor, waitForQuotaStatus, type TenantEnvironment } from '../support/tenant-environment.ts';
import { kubeConfigForToken, requestServiceAccountToken } from '../support/tokens.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const FOREIGN_IMAGE = 'docker.io/library/nginx:1.27';
const TINY = { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '1m', memory: '1Mi' } };

type Outcome<T> =
  { ok: T; code?: undefined; message?: undefined } | { ok?: undefined; code: number | undefined; message: string };

async function outcome<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await call() };
  } catch (error) {
    return { code: statusCodeOf(error), message: apiMessageOf(error) };
  }
}

function claim(namespace: string, storageClassName: string | undefined): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'storage-probe', namespace },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      ...(storageClassName === undefined ? {} : { storageClassName }),
    },
  };
}

const cases = tenants.flatMap((t) =>
  tenantNamespaces(t).map((namespace) => ({
    tenant: t.name,
    tier: t.tier,
    namespace,
    allowed: [...TIER_POLICIES[t.tier].storageClasses],
    refused: STORAGE_CLASSES.filter((c) => !TIER_POLICIES[t.tier].storageClasses.includes(c)),
    registries: imageRegistries(t),
  })),
);

describe.skipIf(probe.kc === undefined)(
  `StorageClasses and image registries per tier${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    let env: TenantEnvironment;
    const tokens = new Map<string, string>();
    const asTenant = (name: string): KubeConfig => kubeConfigForToken(probe.kc!, tokens.get(name)!);
    const createClaim = (tenant: string, body: V1PersistentVolumeClaim) =>
      outcome(() =>
        asTenant(tenant)
          .makeApiClient(CoreV1Api)
          .createNamespacedPersistentVolumeClaim({ namespace: body.metadata!.namespace!, body, dryRun: 'All' }),
      );
    const createPod = (tenant: string, body: V1Pod) =>
      outcome(() =>
        asTenant(tenant)
          .makeApiClient(CoreV1Api)
          .createNamespacedPod({ namespace: body.metadata!.namespace!, body, dryRun: 'All' }),
      );
    const pod = (o: Omit<PodOptions, 'name'>) => restrictedPod({ name: 'image-probe', resources: TINY, ...o });

    beforeAll(async () => {
      env = await setUpTenants(probe.kc!, tenants);
      for (const t of tenants)
        tokens.set(t.name, await requestServiceAccountToken(probe.kc!, rootNamespace(t.name), 'tenant-admin'));
      await waitForQuotaStatus(
        probe.kc!,
        cases.map((c) => c.namespace),
      );
    });
    afterAll(async () => {
      await env?.remove();
    });

    describe('StorageClasses', () => {
      it.each(cases.flatMap((c) => c.refused.map((storageClass) => ({ ...c, storageClass }))))(
        'GIVEN $tier tenant $tenant WHEN a claim in $namespace names StorageClass $storageClass THEN it is refused naming the allowed classes',
        async ({ tenant, namespace, storageClass, allowed }) => {
          const result = await createClaim(tenant, claim(namespace, storageClass));
          expect(result.code).toBe(403);
          expect(result.message).toContain('tenant-gitops: tenant-storage-classes:');
          expect(result.message).toContain(`one of the tier's StorageClasses: ${[...allowed].sort().join(', ')}`);
        },
      );

      it.each(cases.flatMap((c) => c.allowed.map((storageClass) => ({ ...c, storageClass }))))(
        'GIVEN $tier tenant $tenant WHEN a claim in $namespace names its StorageClass $storageClass THEN it is accepted',
        async ({ tenant, namespace, storageClass }) => {
          const result = await createClaim(tenant, claim(namespace, storageClass));
          expect(result.message).toBeUndefined();
          expect(result.ok?.spec?.storageClassName).toBe(storageClass);
        },
      );

      it.each(
        cases.flatMap((c) => [
          { ...c, label: 'no storageClassName', value: undefined as string | undefined },
          { ...c, label: 'storageClassName ""', value: '' },
        ]),
      )(
        'GIVEN no default StorageClass WHEN a claim in $namespace has $label THEN it is refused',
        async ({ tenant, namespace, value }) => {
          const result = await createClaim(tenant, claim(namespace, value));
          expect(result.code).toBe(403);
          expect(result.message).toContain('tenant-gitops: tenant-storage-classes:');
        },
      );

      it('GIVEN a default StorageClass every tier allows WHEN a claim names no class THEN DefaultStorageClass fills it in AND it is accepted', async () => {
        const storage = probe.kc!.makeApiClient(StorageV1Api);
        const name = STORAGE_CLASSES.find((c) => cases.every((x) => x.allowed.includes(c)))!;
        await storage.createStorageClass({
          body: {
            metadata: { name, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
            provisioner: 'kubernetes.io/no-provisioner',
          },
        });
        try {
          for (const { tenant, namespace } of cases) {
            // The admission plugin reads StorageClasses from an informer: wait until it has seen this one.
            const accepted = await waitFor(`default StorageClass in ${namespace}`, () =>
              createClaim(tenant, claim(namespace, undefined)).then((r) => r.ok),
            );
            expect(accepted.spec?.storageClassName).toBe(name);
          }
        } finally {
          await storage.deleteStorageClass({ name });
        }
      });
    });

    describe('image registries', () => {
      it.each(cases)(
        'GIVEN $tenant WHEN a pod in $namespace runs an image from a foreign registry THEN it is refused naming the allowed registries',
        async ({ tenant, namespace, registries }) => {
          const result = await createPod(tenant, pod({ namespace, image: FOREIGN_IMAGE }));
          expect(result.code).toBe(403);
          expect(result.message).toContain('tenant-gitops: tenant-images:');
          expect(result.message).toContain(registries.map((r) => `${r}/`).join(', '));
          expect(result.message).toContain(`app=${FOREIGN_IMAGE}`);
        },
      );

      it.each(cases.map((c) => ({ ...c, other: tenants.find((o) => o.name !== c.tenant)!.name })))(
        "GIVEN $tenant WHEN a pod in $namespace runs $other's private image, or one behind a look-alike prefix THEN it is refused",
        async ({ tenant, namespace, other }) => {
          for (const image of [
            `${tenantImageRegistry(other)}/app:1`,
            `${TEST_IMAGE.split('/').slice(0, 2).join('/')}-evil/app:1`,
            TEST_IMAGE.replace('/', ''),
          ]) {
            const result = await createPod(tenant, pod({ namespace, image }));
            expect(result.code, image).toBe(403);
            expect(result.message).toContain('tenant-gitops: tenant-images:');
          }
        },
      );

      it.each(cases)(
        'GIVEN $tenant WHEN a pod in $namespace has an initContainer from a foreign registry THEN it is refused',
        async ({ tenant, namespace }) => {
          const body = pod({ namespace });
          body.spec!.initContainers = [{ ...body.spec!.containers[0]!, name: 'init', image: FOREIGN_IMAGE }];
          const result = await createPod(tenant, body);
          expect(result.code).toBe(403);
          expect(result.message).toContain(`init=${FOREIGN_IMAGE}`);
        },
      );

      it.each(
        cases.flatMap((c) => [
          { ...c, policy: 'IfNotPresent' as string | null, shown: 'IfNotPresent' },
          { ...c, policy: 'Never' as string | null, shown: 'Never' },
          // A tagged image without a policy is defaulted to IfNotPresent before validation runs.
          { ...c, policy: null, shown: 'IfNotPresent' },
        ]),
      )(
        'GIVEN $tenant WHEN a pod in $namespace pulls an allowed image with policy $policy THEN it is refused with the fix',
        async ({ tenant, namespace, policy, shown }) => {
          const result = await createPod(tenant, pod({ namespace, imagePullPolicy: policy }));
          expect(result.code).toBe(403);
          expect(result.message).toContain('must set imagePullPolicy: Always');
          expect(result.message).toContain(`app (${shown})`);
        },
      );

      it.each(cases)(
        'GIVEN $tenant WHEN a pod in $namespace runs an allowed image, or its own private one, with imagePullPolicy Always THEN it is accepted',
        async ({ tenant, namespace }) => {
          for (const image of [TEST_IMAGE, `${tenantImageRegistry(tenant)}/app@sha256:${'0'.repeat(64)}`]) {
            const result = await createPod(tenant, pod({ namespace, image }));
            expect(result.message, image).toBeUndefined();
            expect(result.ok?.spec?.containers[0]?.imagePullPolicy).toBe('Always');
          }
        },
      );

      it.each(tenants.map((t) => ({ tenant: t.name, namespace: rootNamespace(t.name) })))(
        'GIVEN a running pod of $tenant WHEN an ephemeral container is added THEN tenant-admin may not AND the policy refuses a foreign image for anyone AND accepts the allowed one',
        async ({ tenant, namespace }) => {
          const admin = probe.kc!.makeApiClient(CoreV1Api);
          const created = await asTenant(tenant)
            .makeApiClient(CoreV1Api)
            .createNamespacedPod({
              namespace,
              body: restrictedPod({ name: 'debug-target', namespace, resources: TINY }),
            });
          try {
            const withDebug = (image: string): V1Pod => ({
              ...created,
              spec: {
                ...created.spec!,
                ephemeralContainers: [
                  {
                    name: 'debug',
                    image,
                    imagePullPolicy: 'Always',
                    securityContext: created.spec!.containers[0]!.securityContext!,
                  },
                ],
              },
            });
            const replace = (api: CoreV1Api, body: V1Pod) =>
              outcome(() =>
                api.replaceNamespacedPodEphemeralcontainers({ name: 'debug-target', namespace, body, dryRun: 'All' }),
              );
            const asTenantAdmin = await replace(asTenant(tenant).makeApiClient(CoreV1Api), withDebug(TEST_IMAGE));
            expect(asTenantAdmin.code).toBe(403);
            const foreign = await replace(admin, withDebug(FOREIGN_IMAGE));
            expect(foreign.code).toBe(403);
            expect(foreign.message).toContain('tenant-gitops: tenant-images:');
            expect(foreign.message).toContain(`debug=${FOREIGN_IMAGE}`);
            const allowed = await replace(admin, withDebug(TEST_IMAGE));
            expect(allowed.message).toBeUndefined();
          } finally {
            await admin.deleteNamespacedPod({ name: 'debug-target', namespace, gracePeriodSeconds: 0 });
          }
        },
      );
    });
  },
);
