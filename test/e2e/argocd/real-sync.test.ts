// Real ArgoCD (application-controller, repo-server, applicationset-controller built from the pinned
// argo-cd module, Redis from Debian) against the control plane and a local git repository holding a
// copy of the platform repo, served over file://. Proves: one Application per overlay, each Synced
// and Healthy with its objects in its namespace; a tenant added on main adds an Application; a commit
// emptying overlays/ deletes no Application, no namespace, no tenant object; a commit emptying
// argocd/tenants/ and argocd/clusters/ deletes no AppProject and no Namespace; and a hand-edited
// overlay reaching into another tenant's namespace fails to sync with a project permission error.
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { commitAll, git } from '../../fixtures/platform-repo.ts';
import { ARGOCD_TENANTS_DIR, argocdTenantPath, tenantNamespacesPath } from '../../../src/tenant/names.ts';
import { addTenant, makeTenantRepo } from '../../fixtures/tenant-repo.ts';
import { controlPlaneKubeConfig, uniqueTenant } from '../../fixtures/argocd-applications.ts';
import {
  argocdUnavailable,
  listTenantApplications,
  pointRepoAtItself,
  refreshApplicationSet,
  refreshApplications,
  removeArgocdState,
  startArgocd,
  waitFor,
  type AppState,
  type ArgocdRun,
} from '../support/argocd-runtime.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';

const unavailable = argocdUnavailable();
if (unavailable) console.warn(`tenant-gitops: real ArgoCD tests skipped: ${unavailable}`);

const SYNC_TIMEOUT_MS = 300_000;
// A refused sync is retried with backoff (the template's retry covers the namespace race); the
// refusal's message shows between attempts, so this wait spans several of them.
const REFUSAL_TIMEOUT_MS = 540_000;
const free = uniqueTenant('af');
const business = uniqueTenant('ab');
const added = uniqueTenant('an');
const ours = (apps: AppState[]) =>
  apps.filter((a) => [free, business, added].includes(a.labels['tenants.gitops.dev/tenant'] ?? ''));

let kc: KubeConfig;
let kubeconfig: string;
let root: string;
let argocd: ArgocdRun | undefined;

async function healthyAndSynced(names: string[]): Promise<AppState[] | undefined> {
  const apps = (await listTenantApplications(kc)).filter((a) => names.includes(a.name));
  return apps.length === names.length && apps.every((a) => a.health === 'Healthy' && a.sync === 'Synced')
    ? apps
    : undefined;
}

async function namespaceExists(name: string): Promise<boolean> {
  try {
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name });
    return ns.metadata?.deletionTimestamp === undefined;
  } catch {
    return false;
  }
}

describe.skipIf(unavailable !== undefined)('real ArgoCD over the platform repo', () => {
  beforeAll(async () => {
    kc = controlPlaneKubeConfig();
    kubeconfig = kubeconfigFile(kc);
    root = makeTenantRepo([
      { name: free, tier: 'free' },
      { name: business, tier: 'business' },
    ]);
    pointRepoAtItself(root, `file://${root}`);
    // Fast polling: these tests commit to main directly and wait for ArgoCD to notice on its own.
    argocd = startArgocd(kubeconfig, root, { fast: true });
  }, 900_000);

  afterAll(async () => {
    argocd?.stop();
    // Leave no tenant behind for other tests: delete the Applications, then the namespaces.
    removeArgocdState(kubeconfig, [free, business, added]);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('yields one Application per overlay, each Synced and Healthy with its objects in its namespace', async () => {
    // GIVEN the platform repo on main with a free and a business tenant, argocd/ bootstrapped
    // WHEN ArgoCD has reconciled (RollingSync: free first, then business)
    const apps = await waitFor(
      'both tenant Applications Healthy and Synced',
      SYNC_TIMEOUT_MS,
      () => healthyAndSynced([`tenant-${free}`, `tenant-${business}`]),
      () => listTenantApplications(kc),
    );
    // THEN each is named, labelled and projected after its tenant
    for (const app of apps) {
      const tenant = app.name.replace(/^tenant-/, '');
      expect(app.labels['tenants.gitops.dev/tenant']).toBe(tenant);
      expect(app.project).toBe(`tenant-${tenant}`);
      expect(app.revision).toBe(git(root, 'rev-parse', 'HEAD').trim());
    }
    expect(apps.find((a) => a.name === `tenant-${free}`)?.labels['tenants.gitops.dev/tier']).toBe('free');
    // AND the tenant's objects exist, made by ArgoCD, in the namespace the platform app created
    for (const t of [free, business]) {
      expect(await namespaceExists(`tenant-${t}`)).toBe(true);
      const quota = kubectl(kubeconfig, [
        '-n',
        `tenant-${t}`,
        'get',
        'resourcequota,limitrange,networkpolicy,rolebinding',
        '-o',
        'name',
      ]);
      expect(quota.status).toBe(0);
      expect(quota.stdout).toContain('resourcequota/');
      expect(quota.stdout).toContain('networkpolicy.networking.k8s.io/');
    }
  });

  it('adds an Application when a tenant is added on main', async () => {
    // GIVEN a new tenant committed on main
    addTenant(root, added, 'enterprise');
    pointRepoAtItself(root, `file://${root}`);
    // WHEN the ApplicationSet re-reads git
    await refreshApplicationSet(kc);
    // THEN a third Application appears and syncs
    const apps = await waitFor(
      'the added tenant Healthy and Synced',
      SYNC_TIMEOUT_MS,
      async () => {
        await refreshApplicationSet(kc);
        return healthyAndSynced([`tenant-${added}`]);
      },
      () => listTenantApplications(kc),
    );
    expect(apps[0]?.labels['tenants.gitops.dev/tier']).toBe('enterprise');
    expect(ours(await listTenantApplications(kc))).toHaveLength(3);
  });

  it(
    "refuses to sync a hand-edited overlay into another tenant's namespace (project permission)",
    async () => {
      // GIVEN a commit on main that points the free tenant's overlay at the business tenant's namespace
      const file = join(root, `overlays/${free}/kustomization.yaml`);
      const original = readFileSync(file, 'utf8');
      const doc = parseDocument(original);
      doc.set('namespace', `tenant-${business}`);
      writeFileSync(file, doc.toString());
      commitAll(root, 'hand edit: free tenant into the business namespace');
      try {
        // WHEN ArgoCD compares and tries to sync it
        const app = await waitFor(
          'a project permission error on the edited Application',
          REFUSAL_TIMEOUT_MS,
          async () => {
            const found = (await listTenantApplications(kc)).find((a) => a.name === `tenant-${free}`);
            const messages = [...(found?.conditions.map((c) => c.message) ?? []), found?.operationMessage ?? ''].join(
              '\n',
            );
            return /not permitted|is not permitted in project/i.test(messages) ? { found, messages } : undefined;
          },
          () => listTenantApplications(kc),
        );
        // THEN the error names the forbidden namespace, and nothing landed in the business namespace
        expect(app.messages).toContain(`tenant-${business}`);
        const leaked = kubectl(kubeconfig, [
          '-n',
          `tenant-${business}`,
          'get',
          'resourcequota',
          '-o',
          'jsonpath={.items[*].metadata.labels}',
        ]);
        expect(leaked.stdout).not.toContain(`"tenants.gitops.dev/tenant":"${free}"`);
      } finally {
        writeFileSync(file, original);
        commitAll(root, 'revert the hand edit');
      }
    },
    REFUSAL_TIMEOUT_MS + 60_000,
  );

  it('keeps every Application, namespace and tenant object when a commit empties overlays/', async () => {
    // GIVEN the three tenants synced
    const before = ours(await listTenantApplications(kc))
      .map((a) => a.name)
      .sort();
    expect(before).toHaveLength(3);
    // WHEN one commit removes overlays/ entirely and the ApplicationSet re-reads git
    git(root, 'rm', '-r', '-q', 'overlays');
    commitAll(root, 'empty overlays/');
    // The controller drops the refresh annotation at the end of a reconcile that re-read git
    // (bypassing the revision cache), so its absence means the emptied commit was processed.
    await refreshApplicationSet(kc);
    await waitFor('the ApplicationSet to reconcile the emptied commit', 120_000, async () => {
      const out = kubectl(kubeconfig, ['-n', 'argocd', 'get', 'applicationset', 'tenants', '-o', 'json']);
      const appset = JSON.parse(out.stdout) as { metadata: { annotations?: Record<string, string> } };
      return appset.metadata.annotations?.['argocd.argoproj.io/application-set-refresh'] === undefined
        ? true
        : undefined;
    });
    // A second round, so a reconcile that was already under way when the commit landed cannot pass for it.
    await refreshApplicationSet(kc);
    await waitFor('a second reconcile', 120_000, async () => {
      const out = kubectl(kubeconfig, [
        '-n',
        'argocd',
        'get',
        'applicationset',
        'tenants',
        '-o',
        'jsonpath={.metadata.annotations}',
      ]);
      return out.stdout.includes('application-set-refresh') ? undefined : true;
    });
    // THEN no Application was deleted, no namespace, no tenant object
    const after = ours(await listTenantApplications(kc))
      .map((a) => a.name)
      .sort();
    expect(after).toEqual(before);
    for (const t of [free, business, added]) {
      expect(await namespaceExists(`tenant-${t}`)).toBe(true);
      expect(kubectl(kubeconfig, ['-n', `tenant-${t}`, 'get', 'resourcequota', '-o', 'name']).stdout).toContain(
        'resourcequota/',
      );
    }
  });

  it("keeps every AppProject and Namespace when a commit empties argocd/tenants/ and the cluster's argocd/clusters/ folder", async () => {
    // GIVEN the platform Application and the cluster's synced at HEAD, with the tenants' AppProjects and Namespaces
    const tenants = [free, business, added].filter((t) => existsSync(join(root, argocdTenantPath(t))));
    expect(tenants.length).toBeGreaterThanOrEqual(2);
    const head = git(root, 'rev-parse', 'HEAD').trim();
    for (const app of PLATFORM_APPS) {
      refreshApplications(kubeconfig, [app]);
      await waitFor(`the Application ${app} Synced at HEAD`, SYNC_TIMEOUT_MS, () => platformComparedAt(head, app));
    }
    for (const t of tenants) expect(await appProjectExists(`tenant-${t}`)).toBe(true);
    // WHEN one commit removes every file of argocd/tenants/ (a .gitkeep stays: without any file the
    // folder is gone and ArgoCD stops at "app path does not exist", which prunes nothing) and every
    // tenant's Namespaces file of the cluster (its generated README.md keeps the folder)
    git(root, 'rm', '-q', ...tenants.flatMap((t) => [argocdTenantPath(t), tenantNamespacesPath('in-cluster', t)]));
    git(root, 'rm', '-q', '--ignore-unmatch', `${ARGOCD_TENANTS_DIR}/*.yaml`, 'argocd/clusters/in-cluster/*.yaml');
    mkdirSync(join(root, ARGOCD_TENANTS_DIR), { recursive: true });
    writeFileSync(join(root, ARGOCD_TENANTS_DIR, '.gitkeep'), '');
    commitAll(root, 'empty argocd/tenants/ and argocd/clusters/in-cluster/');
    const emptied = git(root, 'rev-parse', 'HEAD').trim();
    // THEN once both platform Applications have synced that commit (automated, prune on)
    for (const app of PLATFORM_APPS) {
      kubectl(kubeconfig, ['-n', 'argocd', 'annotate', 'application', app, 'argocd.argoproj.io/refresh=hard']);
      await waitFor(
        `the Application ${app} to sync the emptied commit`,
        SYNC_TIMEOUT_MS,
        () => platformSyncedAt(emptied, app),
        () => Promise.resolve(kubectl(kubeconfig, ['-n', 'argocd', 'get', 'application', app, '-o', 'json']).stdout),
      );
    }
    // no AppProject and no Namespace of a tenant was deleted
    for (const t of tenants) {
      expect(await appProjectExists(`tenant-${t}`), `AppProject tenant-${t}`).toBe(true);
      expect(await namespaceExists(`tenant-${t}`), `Namespace tenant-${t}`).toBe(true);
    }
  }, 900_000);
});

/** The platform Application (ArgoCD's cluster) and the one of the tenants' cluster. */
const PLATFORM_APPS = ['platform', 'cluster-in-cluster'];

/** A platform Application synced `revision`, or compared it and is Synced (nothing to sync), no operation running. */
async function platformComparedAt(revision: string, name: string): Promise<true | undefined> {
  if (await platformSyncedAt(revision, name)) return true;
  const out = kubectl(kubeconfig, ['-n', 'argocd', 'get', 'application', name, '-o', 'json']);
  const app = JSON.parse(out.stdout) as {
    status?: { sync?: { status?: string; revisions?: string[] }; operationState?: { phase?: string } };
  };
  const sync = app.status?.sync;
  return sync?.status === 'Synced' &&
    sync.revisions?.includes(revision) &&
    app.status?.operationState?.phase !== 'Running'
    ? true
    : undefined;
}

/** A platform Application's last sync operation finished at `revision` (every source). */
async function platformSyncedAt(revision: string, name = 'platform'): Promise<true | undefined> {
  const out = kubectl(kubeconfig, ['-n', 'argocd', 'get', 'application', name, '-o', 'json']);
  const app = JSON.parse(out.stdout) as {
    status?: { operationState?: { phase?: string; syncResult?: { revisions?: string[] } } };
  };
  const operation = app.status?.operationState;
  return operation?.phase === 'Succeeded' && operation.syncResult?.revisions?.includes(revision) ? true : undefined;
}

async function appProjectExists(name: string): Promise<boolean> {
  const out = kubectl(kubeconfig, [
    '-n',
    'argocd',
    'get',
    'appproject',
    name,
    '-o',
    'jsonpath={.metadata.deletionTimestamp}',
  ]);
  return out.status === 0 && out.stdout.trim() === '';
}
