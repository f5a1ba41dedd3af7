// The provable offboarding against the real control plane, through the service's API: a tenant put on
// the cluster as the platform puts it (base/platform with its admission policies, its Namespaces, its
// rendered overlay), with a Deployment, a CronJob and a PersistentVolume bound to its claim; then
// DELETE /v1/tenants/{name}, the offboarding PR merged, and the service:
//  1. suspends it (checked while the backup runs: namespaces labelled, workloads at zero, the tenant's
//     own ServiceAccount refused a scale-up it was allowed a moment before),
//  2. takes the final Velero backup (Velero's CRDs; the test drives the Backup as Velero does),
//  3. deletes it, 4. verifies (namespaces, every resource type through discovery, bound volumes),
//  5. stores and sends a deletion record signed with Ed25519, which verifies with the public key.
// A backup Velero fails stops the offboarding with nothing deleted; an object labelled with the tenant
// outside its namespaces is found by the sweep and named when the tenant is marked failed.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionRecordProblem, type SignedDeletionRecord } from '../../../src/onboarding/deletion-record.ts';
import { LABEL_TENANT, rootNamespace } from '../../../src/tenant/names.ts';
import { parseTenantValue } from '../../../src/tenant/parse.ts';
import { copyPlatformRepository } from '../../../testing/sandbox/platform-repo.ts';
import { controlPlaneKubeConfig, ensureNamespace, uniqueTenant } from '../../fixtures/argocd-applications.ts';
import { until } from '../../fixtures/until.ts';
import { outcomeOf } from '../support/kube-objects.ts';
import { startOnboardingStack, tenantRequest, type OnboardingStack } from '../support/onboarding-stack.ts';
import { tenantActors } from '../support/tenant-actors.ts';
import { setUpTenants, type TenantEnvironment } from '../support/tenant-environment.ts';
import {
  driveVeleroBackups,
  type BackupOutcome,
  type BackupSeen,
  type VeleroDriver,
} from '../support/velero-driver.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const keys = generateKeyPairSync('ed25519');

let kc: KubeConfig;
let stateDir: string;
let stack: OnboardingStack;
let velero: VeleroDriver;
const veleroNamespace = `velero-${uniqueTenant('v')}`;
const environments: TenantEnvironment[] = [];
const clusterLeftovers: (() => Promise<unknown>)[] = [];
/** What the test's Velero does with the next backup of each tenant (default: Completed). */
const outcomes = new Map<string, (backup: BackupSeen) => Promise<BackupOutcome>>();

beforeAll(async () => {
  kc = controlPlaneKubeConfig();
  stateDir = await mkdtemp(join(tmpdir(), 'e2e-provable-offboarding-'));
  const platform = await copyPlatformRepository({ checkout: ROOT, bareDir: join(stateDir, 'tenants.git') });
  await ensureNamespace(kc, veleroNamespace);
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: 'velero.io',
    version: 'v1',
    namespace: veleroNamespace,
    plural: 'backupstoragelocations',
    body: {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default' },
      spec: { provider: 'aws', objectStorage: { bucket: 'tenant-archive', prefix: 'offboarded' } },
    },
  });
  velero = driveVeleroBackups(kc, veleroNamespace, async (backup) => {
    const tenant = backup.labels['tenants.gitops.dev/offboarded-tenant'] ?? '';
    return (await outcomes.get(tenant)?.(backup)) ?? { phase: 'Completed' };
  });
  stack = await startOnboardingStack({
    kc,
    stateDir,
    bareDir: platform.bareDir,
    service: {
      offboarding: {
        backup: { namespace: veleroNamespace, storageLocation: 'default', ttl: '720h' },
        timeoutMs: 90_000,
      },
      deletionSigningKey: String(keys.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      jobRetry: { baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 6 },
    },
  });
}, 120_000);

afterAll(async () => {
  velero?.stop();
  await stack?.stop();
  for (const env of environments) await env.remove().catch(() => undefined);
  for (const remove of clusterLeftovers) await remove().catch(() => undefined);
  await kc
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: veleroNamespace })
    .catch(() => undefined);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function tenantState(tenant: string): Promise<Record<string, any>> {
  return (await stack.api(`/v1/tenants/${tenant}`)).body;
}

async function reaches(tenant: string, state: string, timeoutMs = 120_000): Promise<Record<string, any>> {
  return until(
    async () => {
      const body = await tenantState(tenant);
      return body.state === state ? body : undefined;
    },
    `${tenant} ${state}`,
    timeoutMs,
  );
}

/** Onboarded through the API and merged, then put on the cluster as ArgoCD and the platform would. */
async function onboardOntoCluster(tenant: string): Promise<void> {
  const request = tenantRequest(tenant, 'business');
  const created = await stack.api('/v1/tenants', request);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await stack.merge((created.body.pullRequest as { number: number }).number);
  await reaches(tenant, 'merged');
  const resolved = parseTenantValue(JSON.parse(String(request.body))).tenant;
  environments.push(await setUpTenants(kc, [resolved]));
}

/** DELETE, then the reviewer merges the offboarding PR. */
async function offboard(tenant: string): Promise<number> {
  const asked = await stack.api(`/v1/tenants/${tenant}`, { method: 'DELETE' });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  const pr = await until(
    async () => {
      const body = await tenantState(tenant);
      return body.state === 'offboarding' && body.pullRequest?.number ? (body.pullRequest.number as number) : undefined;
    },
    `${tenant}'s offboarding PR`,
    30_000,
  );
  await stack.merge(pr);
  return pr;
}

async function namespaceExists(name: string): Promise<boolean> {
  return (await outcomeOf(() => kc.makeApiClient(CoreV1Api).readNamespace({ name }))).code !== 404;
}

describe('provable offboarding', () => {
  it('GIVEN a tenant with workloads and a bound volume WHEN offboarded THEN it is suspended, backed up, deleted and verified, AND the signed deletion record reaches the backend and GET', async () => {
    const tenant = uniqueTenant('po');
    await onboardOntoCluster(tenant);
    const ns = rootNamespace(tenant);
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const container = {
      name: 'web',
      image: 'registry.example/web:1',
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    };
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
        },
      },
    });
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: {
        metadata: { name: 'report' },
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } },
        },
      },
    });
    const pv = `pv-${tenant}`;
    clusterLeftovers.push(() => core.deletePersistentVolume({ name: pv }));
    await core.createPersistentVolume({
      body: {
        metadata: { name: pv },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: `/tmp/${pv}` },
          claimRef: { namespace: ns, name: 'data' },
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'data' },
        spec: {
          storageClassName: 'standard',
          volumeName: pv,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    await until(
      async () => ((await core.readPersistentVolume({ name: pv })).status?.phase === 'Bound' ? true : undefined),
      `${pv} Bound`,
      60_000,
    );

    // The legitimate request first: before the offboarding, the tenant's own ServiceAccount scales its Deployment.
    const [admin] = await tenantActors(
      kc,
      parseTenantValue(JSON.parse(String(tenantRequest(tenant, 'business').body))).tenant,
    );
    const tenantApps = admin!.kc.makeApiClient(AppsV1Api);
    const scale = () =>
      outcomeOf(() =>
        tenantApps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { spec: { replicas: 3 } } }, MERGE),
      );
    expect((await scale()).code).toBe(200);

    // While Velero runs the backup: suspended, nothing deleted yet.
    const duringBackup: Record<string, unknown> = {};
    outcomes.set(tenant, async () => {
      const namespace = await core.readNamespace({ name: ns });
      const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const refused = await scale();
      Object.assign(duringBackup, {
        suspendedLabel: namespace.metadata?.labels?.['tenants.gitops.dev/suspended'],
        replicas: deployment.spec?.replicas,
        replicasBefore: deployment.metadata?.annotations?.['tenants.gitops.dev/replicas-before-suspend'],
        cronJobSuspended: (await batch.readNamespacedCronJob({ name: 'report', namespace: ns })).spec?.suspend,
        scaleUpStatus: refused.code,
        scaleUpMessage: refused.message,
        pvcStillThere: (
          await outcomeOf(() => core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns }))
        ).code,
      });
      return { phase: 'Completed' };
    });

    // WHEN
    const pr = await offboard(tenant);
    const deleted = await reaches(tenant, 'deleted');

    // THEN suspended before the backup
    expect(duringBackup).toEqual({
      suspendedLabel: 'true',
      replicas: 0,
      replicasBefore: '3',
      cronJobSuspended: true,
      scaleUpStatus: 403,
      scaleUpMessage: expect.stringContaining(`namespace ${ns} is suspended`),
      pvcStillThere: 200,
    });
    // AND gone from the cluster; the volume released, not bound
    for (const namespace of deleted.namespaces as string[]) expect(await namespaceExists(namespace)).toBe(false);
    expect((await core.readPersistentVolume({ name: pv })).status?.phase).not.toBe('Bound');

    // AND the record: signed, complete, the same in GET and in the tenant.deleted callback
    const signed = deleted.deletionRecord as SignedDeletionRecord;
    expect(deletionRecordProblem(signed, keys.publicKey)).toBeNull();
    const { record } = signed;
    const backupName = `tenant-${tenant}-offboard-pr-${pr}`;
    expect(record).toMatchObject({
      tenant,
      cluster: 'in-cluster',
      namespaces: deleted.namespaces,
      requestedBy: 'token-1',
      approvedBy: null,
      pullRequest: { number: pr, mergeCommit: deleted.mergeCommit, mergedBy: expect.any(String) },
      backup: {
        name: backupName,
        namespace: veleroNamespace,
        storageLocation: 'default',
        location: `aws tenant-archive/offboarded/backups/${backupName}`,
        phase: 'Completed',
        includedNamespaces: deleted.namespaces,
      },
    });
    expect(record.suspension?.stopped).toEqual([`Deployment ${ns}/web (3 → 0)`, `CronJob ${ns}/report (suspended)`]);
    expect(record.deleted).toEqual([
      `Application argocd/tenant-${tenant} (already gone)`,
      `AppProject argocd/tenant-${tenant} (deleted)`,
      ...(deleted.namespaces as string[]).map((n) => `Namespace ${n} on in-cluster (deleted)`),
    ]);
    expect(record.checks.map((c) => [c.name, c.passed])).toEqual([
      ['namespaces-gone', true],
      ['no-tenant-objects', true],
      ['no-bound-volumes', true],
    ]);
    expect(record.checks[1]!.detail).toMatch(/^\d+ resource types listed across all namespaces; none labelled/);
    expect(record.checks[2]!.detail).toContain(
      `released, not bound: ${pv} (claim ${ns}/data, Released, reclaimPolicy Retain)`,
    );
    expect(Date.parse(record.completedAt)).toBeGreaterThanOrEqual(Date.parse(record.suspension!.at));
    expect(velero.backups.filter((b) => b.name === backupName)).toHaveLength(1);
    const callback = await until(
      () => stack.callbacks.find((c) => c.event === 'tenant.deleted' && c.body['tenant'] === tenant),
      'tenant.deleted callback',
      15_000,
    );
    expect(callback.signatureValid).toBe(true);
    expect((callback.body['data'] as Record<string, unknown>)['deletionRecord']).toEqual(signed);
  });

  it("GIVEN Velero fails the final backup WHEN offboarded THEN the tenant is failed with Velero's reason and nothing is deleted", async () => {
    const tenant = uniqueTenant('pf');
    await onboardOntoCluster(tenant);
    outcomes.set(tenant, async () => ({
      phase: 'Failed',
      failureReason: 'rpc error: bucket tenant-archive is not reachable',
    }));

    await offboard(tenant);
    const failed = await reaches(tenant, 'failed');

    const reason = (failed.history as { to: string; reason: string }[]).at(-1)!.reason;
    expect(reason).toMatch(/ended Failed: rpc error: bucket tenant-archive is not reachable; nothing was deleted/);
    expect(failed.deletionRecord).toBeNull();
    for (const namespace of failed.namespaces as string[]) expect(await namespaceExists(namespace)).toBe(true);
    await until(
      () => stack.callbacks.find((c) => c.event === 'tenant.failed' && c.body['tenant'] === tenant),
      'tenant.failed callback',
      15_000,
    );
  });

  it('GIVEN an object labelled with the tenant outside its namespaces WHEN offboarded THEN the sweep finds it and the tenant is failed naming it', async () => {
    const tenant = uniqueTenant('pl');
    await onboardOntoCluster(tenant);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const name = `leftover-${tenant}`;
    await rbac.createClusterRole({ body: { metadata: { name, labels: { [LABEL_TENANT]: tenant } }, rules: [] } });
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name, labels: { [LABEL_TENANT]: tenant } } },
    });
    clusterLeftovers.push(
      () => rbac.deleteClusterRole({ name }),
      () => core.deleteNamespacedConfigMap({ name, namespace: 'default' }),
    );

    await offboard(tenant);
    const failed = await reaches(tenant, 'failed');

    const reason = (failed.history as { to: string; reason: string }[]).at(-1)!.reason;
    expect(reason).toContain('offboard_cluster failed after 6 attempt(s)');
    expect(reason).toContain(`no-tenant-objects: labelled ${LABEL_TENANT}=${tenant}:`);
    expect(reason).toContain(`ClusterRole ${name}`);
    expect(reason).toContain(`ConfigMap default/${name}`);
    expect(reason).not.toContain('namespaces-gone');
    expect(failed.deletionRecord).toBeNull();
  });

  it('GIVEN a leftover removed by hand after a failed verification WHEN the job retries THEN the tenant is deleted, and the record says what the first attempt stopped and deleted', async () => {
    const tenant = uniqueTenant('pr');
    await onboardOntoCluster(tenant);
    const ns = rootNamespace(tenant);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'api' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: { containers: [{ name: 'api', image: 'registry.example/api:1' }] },
          },
        },
      },
    });
    const name = `leftover-${tenant}`;
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name, labels: { [LABEL_TENANT]: tenant } } },
    });

    await offboard(tenant);
    // The first attempt suspended, backed up and deleted, then its verification found the ConfigMap.
    await until(
      () =>
        stack.service.service.store.jobs
          .pendingFor(tenant)
          .some((job) => job.kind === 'offboard_cluster' && job.attempts >= 1) || undefined,
      'a failed first attempt',
      60_000,
    );
    expect(await namespaceExists(ns)).toBe(false);
    expect((await tenantState(tenant)).state).toBe('offboarding');
    await core.deleteNamespacedConfigMap({ name, namespace: 'default' });
    const deleted = await reaches(tenant, 'deleted');

    const { record } = deleted.deletionRecord as SignedDeletionRecord;
    expect(record.suspension?.stopped).toEqual([`Deployment ${ns}/api (1 → 0)`]);
    expect(record.deleted).toContain(`Namespace ${ns} on in-cluster (deleted)`);
    expect(record.checks.every((c) => c.passed)).toBe(true);
    expect(Date.parse(record.startedAt)).toBeLessThanOrEqual(Date.parse(record.suspension!.at));
  });
});
