// Tenants placed across two clusters, with real ArgoCD at its production polling defaults: the
// control plane the tests share (ArgoCD's own cluster, `in-cluster`) and a second control plane,
// `east`, started here and registered with ArgoCD and in clusters/. Through the service's API: a
// tenant on each cluster is onboarded and provisioned; each tenant's namespaces exist on its own
// cluster only, with the platform layer (base/platform) synced to both; the token the service
// issues works on the tenant's own cluster; and offboarding deletes the east tenant's namespaces on
// east, its Application and AppProject in ArgoCD's cluster.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inClusterRegistryFile,
  registerWithArgoCD,
  registryFiles,
  startTenantCluster,
  type TenantCluster,
} from '../../../testing/sandbox/clusters.ts';
import { repositoryUrl } from '../../../testing/sandbox/platform-repo.ts';
import { makeTenantRepo } from '../../fixtures/tenant-repo.ts';
import { REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { controlPlaneKubeConfig, uniqueTenant } from '../../fixtures/argocd-applications.ts';
import { until } from '../../fixtures/until.ts';
import {
  argocdUnavailable,
  pointRepoAtItself,
  removeArgocdState,
  startArgocd,
  type ArgocdRun,
} from '../support/argocd-runtime.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';
import { onboardAndWait, startOnboardingStack, type OnboardingStack } from '../support/onboarding-stack.ts';

const unavailable = argocdUnavailable();
const home = uniqueTenant('mh');
const away = uniqueTenant('me');
const PROVISION_TIMEOUT_MS = 240_000;
let main: KubeConfig;
let mainKubeconfig: string;
let east: TenantCluster | undefined;
let eastKc: KubeConfig;
let stateDir: string;
let root: string;
let stack: OnboardingStack | undefined;
let argocd: ArgocdRun | undefined;
const figures: string[] = [];

async function namespaceOn(kc: KubeConfig, name: string): Promise<boolean> {
  try {
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name });
    return ns.metadata?.deletionTimestamp === undefined;
  } catch {
    return false;
  }
}

describe.skipIf(unavailable !== undefined)(
  `tenants across two clusters with real ArgoCD${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      main = controlPlaneKubeConfig();
      mainKubeconfig = kubeconfigFile(main);
      stateDir = mkdtempSync(join(tmpdir(), 'e2e-multi-cluster-'));
      // GIVEN a second control plane, registered with ArgoCD as `east`
      east = await startTenantCluster({ checkout: REPO_ROOT, dir: join(stateDir, 'east'), name: 'east' });
      eastKc = new KubeConfig();
      eastKc.loadFromFile(east.kubeconfig);
      await registerWithArgoCD(mainKubeconfig, east);
      // AND a platform repository whose registry holds both clusters
      const bareDir = join(stateDir, 'tenants.git');
      root = makeTenantRepo([], { files: registryFiles(east, inClusterRegistryFile(REPO_ROOT)) });
      pointRepoAtItself(root, repositoryUrl(bareDir));
      execFileSync('git', ['clone', '--quiet', '--bare', root, bareDir]);
      // AND the service reaching each cluster through its own kubeconfig
      stack = await startOnboardingStack({
        kc: main,
        stateDir,
        bareDir,
        platformRepoUrl: repositoryUrl(bareDir),
        service: {
          clusterKubeConfigs: new Map([
            ['in-cluster', main],
            ['east', eastKc],
          ]),
        },
      });
      argocd = startArgocd(mainKubeconfig, bareDir);
    }, 900_000);

    afterAll(async () => {
      if (figures.length > 0)
        console.log(`e2e (two clusters, real ArgoCD, default polling):\n  ${figures.join('\n  ')}`);
      argocd?.stop();
      await stack?.stop();
      if (mainKubeconfig) {
        removeArgocdState(mainKubeconfig, [home, away]);
        kubectl(mainKubeconfig, ['-n', 'argocd', 'delete', 'secret', 'cluster-east', '--ignore-not-found']);
      }
      await east?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    }, 300_000);

    it("provisions a tenant on each cluster, each tenant's namespaces on its own cluster only, the platform layer on both", async () => {
      // WHEN a tenant is onboarded on the default cluster and another on east
      for (const [tenant, cluster] of [
        [home, undefined],
        [away, 'east'],
      ] as const) {
        const { state, seconds } = await onboardAndWait(stack!, tenant, 'business', PROVISION_TIMEOUT_MS, cluster);
        expect(state, tenant).toBe('provisioned');
        figures.push(`${tenant} on ${cluster ?? 'in-cluster'}: merge → provisioned ${seconds.toFixed(1)} s`);
      }
      // THEN each tenant's namespace exists on its own cluster and not on the other
      expect(await namespaceOn(main, `tenant-${home}`)).toBe(true);
      expect(await namespaceOn(eastKc, `tenant-${home}`)).toBe(false);
      expect(await namespaceOn(eastKc, `tenant-${away}`)).toBe(true);
      expect(await namespaceOn(main, `tenant-${away}`)).toBe(false);
      // AND what the east tenant's Application synced is on east
      const quota = kubectl(east!.kubeconfig, ['-n', `tenant-${away}`, 'get', 'resourcequota', '-o', 'name']);
      expect(quota.stdout).toContain('resourcequota/tenant-quota');
      // AND the platform layer reached east: the guard rails every tenant namespace relies on
      for (const kind of ['priorityclass', 'clusterrole/tenant-admin', 'validatingadmissionpolicy']) {
        const found = kubectl(east!.kubeconfig, ['get', kind, '-o', 'name']);
        expect(found.stdout.trim(), `${kind} on east`).not.toBe('');
      }
      // AND the Application of the east tenant deploys to east, by ArgoCD's name for it
      const app = JSON.parse(
        kubectl(mainKubeconfig, ['-n', 'argocd', 'get', 'application', `tenant-${away}`, '-o', 'json']).stdout,
      ) as { spec: { destination: { name?: string } } };
      expect(app.spec.destination.name).toBe('east');
      stack!.github.server.assertNoViolations();
    });

    it("issues a token that works on the tenant's own cluster", async () => {
      const issued = await stack!.api(`/v1/tenants/${away}/token`, {
        method: 'POST',
        body: JSON.stringify({ expirationSeconds: 600 }),
      });
      expect(issued.status, JSON.stringify(issued.body)).toBe(200);
      const asTenant = (kubeconfig: string) =>
        kubectl(kubeconfig, [
          `--token=${String(issued.body.token)}`,
          '--kubeconfig=/dev/null',
          `--server=${kubeconfigServer(kubeconfig)}`,
          '--insecure-skip-tls-verify',
          '-n',
          `tenant-${away}`,
          'get',
          'resourcequota',
          '-o',
          'name',
        ]);
      // The tenant's identity lives on east: it reads its own quota there, and is nobody on ArgoCD's cluster.
      expect(asTenant(east!.kubeconfig).stdout).toContain('resourcequota/tenant-quota');
      expect(asTenant(mainKubeconfig).status).not.toBe(0);
    });

    it("offboards the east tenant: its namespaces are deleted on east, its Application and AppProject in ArgoCD's cluster", async () => {
      const asked = await stack!.api(`/v1/tenants/${away}`, { method: 'DELETE' });
      expect(asked.status, JSON.stringify(asked.body)).toBe(202);
      const pr = await until(
        async () => {
          const body = (await stack!.api(`/v1/tenants/${away}`)).body;
          const number = (body.pullRequest as { number?: number } | null)?.number;
          return body.state === 'offboarding' && number ? number : undefined;
        },
        `${away}'s offboarding PR`,
        30_000,
      );
      await stack!.merge(pr);
      let last: Record<string, unknown> = {};
      const deleted = await until(
        async () => {
          last = (await stack!.api(`/v1/tenants/${away}`)).body;
          if (last.state === 'failed') throw new Error(`offboarding failed: ${JSON.stringify(last)}`);
          return last.state === 'deleted' ? last : undefined;
        },
        `${away} deleted`,
        PROVISION_TIMEOUT_MS,
        1_000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; the tenant: ${JSON.stringify(last)}`);
      });
      expect(JSON.stringify(deleted)).toContain(`Namespace tenant-${away} on east (deleted)`);
      expect(await namespaceOn(eastKc, `tenant-${away}`)).toBe(false);
      for (const kind of ['application', 'appproject'])
        expect(kubectl(mainKubeconfig, ['-n', 'argocd', 'get', kind, `tenant-${away}`]).status).not.toBe(0);
      // The other cluster's tenant is untouched.
      expect(await namespaceOn(main, `tenant-${home}`)).toBe(true);
    });
  },
);

function kubeconfigServer(kubeconfig: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.getCurrentCluster()!.server;
}
