// Offboarding and TokenRequest against the real control plane (kube-apiserver + kube-controller-
// manager: the garbage collector finishes foreground deletions, the namespace controller empties
// and removes namespaces).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  ClusterTimeoutError,
  offboardTenantFromCluster,
  requestTenantToken,
} from '../../../../src/onboarding/cluster/index.ts';
import { InputError, NotFoundError } from '../../../../src/shared/errors.ts';
import {
  controlPlaneKubeConfig,
  createApplication,
  ensureNamespace,
  forceDeleteApplication,
  uniqueTenant,
} from '../../../fixtures/argocd-applications.ts';
import { recordingLogger } from '../../support/recorder.ts';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd' };
let kc: KubeConfig;
const leftovers: string[] = [];

beforeAll(() => {
  kc = controlPlaneKubeConfig();
});
afterAll(async () => {
  for (const name of leftovers) await forceDeleteApplication(kc, name);
});

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

describe('offboardTenantFromCluster', () => {
  it('GIVEN a tenant Application, AppProject and namespaces with objects in them WHEN offboarded THEN the Application, the AppProject and every namespace are gone when it returns', async () => {
    const tenant = uniqueTenant('o');
    const namespaces = [`tenant-${tenant}`, `tenant-${tenant}-dev`];
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    for (const ns of namespaces) {
      await ensureNamespace(kc, ns, { 'tenants.gitops.dev/tenant': tenant });
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'settings' }, data: { a: 'b' } },
      });
    }
    await createApplication(kc, { name: `tenant-${tenant}`, tenant });
    // The AppProject carries Prune=false (argocd/tenants/<t>.yaml): only offboarding removes it.
    const project = { ...ARGO, plural: 'appprojects', name: `tenant-${tenant}` };
    await custom.createNamespacedCustomObject({
      ...project,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: project.name, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } },
        spec: {
          destinations: namespaces.map((namespace) => ({ namespace, server: 'https://kubernetes.default.svc' })),
        },
      },
    });
    const { log, records } = recordingLogger();

    // WHEN
    const result = await offboardTenantFromCluster(kc, tenant, namespaces, { timeoutMs: 120_000, log });

    // THEN
    expect(result).toEqual({ applicationDeleted: true, appProjectDeleted: true, namespacesDeleted: namespaces });
    const app = { ...ARGO, plural: 'applications', name: `tenant-${tenant}` };
    expect(await exists(() => custom.getNamespacedCustomObject(app))).toBe(false);
    expect(await exists(() => custom.getNamespacedCustomObject(project))).toBe(false);
    for (const ns of namespaces) expect(await exists(() => core.readNamespace({ name: ns }))).toBe(false);
    expect(records.some((r) => r.msg === 'tenant removed from the cluster' && r.tenant === tenant)).toBe(true);

    // AND running it again (a retried offboarding) finds nothing to do and succeeds
    const again = await offboardTenantFromCluster(kc, tenant, namespaces, { timeoutMs: 10_000, log });
    expect(again).toEqual({ applicationDeleted: false, appProjectDeleted: false, namespacesDeleted: [] });
  });

  it("GIVEN an Application held by ArgoCD's resources-finalizer and no ArgoCD running THEN it times out with an error that names the finalizer and the fix", async () => {
    const tenant = uniqueTenant('h');
    const name = `tenant-${tenant}`;
    leftovers.push(name);
    await createApplication(kc, { name, tenant, finalizers: ['resources-finalizer.argocd.argoproj.io'] });
    const started = Date.now();
    const error = await offboardTenantFromCluster(kc, tenant, [`tenant-${tenant}`], {
      timeoutMs: 1500,
      log: recordingLogger().log,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterTimeoutError);
    expect((error as Error).message).toMatch(
      /^tenant-gitops: Application argocd\/tenant-\w+ still exists after the timeout: .*resources-finalizer\.argocd\.argoproj\.io.*ArgoCD is running/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("GIVEN a namespace list naming another tenant's namespace THEN it refuses before deleting anything", async () => {
    const tenant = uniqueTenant('n');
    const victim = uniqueTenant('v');
    await ensureNamespace(kc, `tenant-${victim}`);
    const error = await offboardTenantFromCluster(kc, tenant, [`tenant-${tenant}`, `tenant-${victim}`], {
      timeoutMs: 5000,
      log: recordingLogger().log,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.message).toContain(
      `tenant-${victim} is not a namespace of tenant ${tenant}`,
    );
    expect(await exists(() => kc.makeApiClient(CoreV1Api).readNamespace({ name: `tenant-${victim}` }))).toBe(true);
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: `tenant-${victim}` });
  });
});

describe('requestTenantToken', () => {
  it('GIVEN a provisioned tenant with its tenant-admin ServiceAccount THEN the token authenticates as that ServiceAccount and expires when it says', async () => {
    const tenant = uniqueTenant('t');
    const namespace = `tenant-${tenant}`;
    await ensureNamespace(kc, namespace);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'tenant-admin' } } });
    try {
      const before = Date.now();
      const { token, expiresAt } = await requestTenantToken(kc, tenant, 900);

      // THEN a real request made with the token is authenticated as the ServiceAccount
      const asTenant = new KubeConfig();
      const cluster = kc.getCurrentCluster()!;
      asTenant.loadFromOptions({
        clusters: [cluster],
        users: [{ name: 'tenant', token }],
        contexts: [{ name: 'tenant', cluster: cluster.name, user: 'tenant' }],
        currentContext: 'tenant',
      });
      const review = await asTenant.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
      expect(review.status?.userInfo?.username).toBe(`system:serviceaccount:${namespace}:tenant-admin`);
      const lifetime = Date.parse(expiresAt) - before;
      expect(lifetime).toBeGreaterThan(890_000);
      expect(lifetime).toBeLessThan(910_000);
    } finally {
      await core.deleteNamespace({ name: namespace });
    }
  });

  it('GIVEN a tenant that is not provisioned THEN it says so instead of returning a token', async () => {
    const error = await requestTenantToken(kc, uniqueTenant('missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(
      /ServiceAccount tenant-admin in namespace tenant-\w+ does not exist.*not provisioned yet/,
    );
  });

  it('GIVEN an expiration below the API server minimum THEN it is refused as bad input', async () => {
    await expect(requestTenantToken(kc, 'acme', 60)).rejects.toBeInstanceOf(InputError);
  });
});
