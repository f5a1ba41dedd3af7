// The whole onboarding path with real ArgoCD (application-controller, repo-server and
// applicationset-controller built from the argo-cd module) against the control plane: the backend
// POSTs a tenant, the service opens a PR on the local GitHub server over a bare platform repository,
// a reviewer merges it, ArgoCD syncs main (the ApplicationSet makes the Application, the platform
// Application makes the AppProject and namespace), and the service marks the tenant provisioned
// once the Application is Healthy and Synced at the merge commit, then calls the backend, signed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryUrl } from '../../../testing/sandbox/platform-repo.ts';
import { makeTenantRepo } from '../../fixtures/tenant-repo.ts';
import { controlPlaneKubeConfig, uniqueTenant } from '../../fixtures/argocd-applications.ts';
import {
  argocdUnavailable,
  listTenantApplications,
  pointRepoAtItself,
  refreshApplicationSet,
  removeArgocdState,
  startArgocd,
  type ArgocdRun,
} from '../support/argocd-runtime.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';
import { until } from '../../fixtures/until.ts';
import { startOnboardingStack, tenantRequest, type OnboardingStack } from '../support/onboarding-stack.ts';

const unavailable = argocdUnavailable();
const tenant = uniqueTenant('ea');
let kc: KubeConfig;
let kubeconfig: string;
let stateDir: string;
let root: string;
let stack: OnboardingStack | undefined;
let argocd: ArgocdRun | undefined;

describe.skipIf(unavailable !== undefined)(
  `end to end onboarding with real ArgoCD${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      kc = controlPlaneKubeConfig();
      kubeconfig = kubeconfigFile(kc);
      stateDir = mkdtempSync(join(tmpdir(), 'e2e-argocd-'));
      const bareDir = join(stateDir, 'tenants.git');
      // GIVEN a platform repository with no tenant yet, naming itself, served by the local GitHub server
      root = makeTenantRepo([]);
      pointRepoAtItself(root, repositoryUrl(bareDir));
      execFileSync('git', ['clone', '--quiet', '--bare', root, bareDir]);
      stack = await startOnboardingStack({ kc, stateDir, bareDir, platformRepoUrl: repositoryUrl(bareDir) });
      // AND ArgoCD bootstrapped from that repository's main
      argocd = startArgocd(kubeconfig, bareDir);
    }, 900_000);

    afterAll(async () => {
      argocd?.stop();
      await stack?.stop();
      if (kubeconfig) removeArgocdState(kubeconfig, [tenant]);
      if (root) rmSync(root, { recursive: true, force: true });
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    }, 120_000);

    it('POST → PR → merge → ArgoCD syncs the tenant Healthy at the merge commit → provisioned → signed callback', async () => {
      const { api, callbacks } = stack!;
      // WHEN the product backend asks for a tenant and a reviewer merges its PR
      const created = await api('/v1/tenants', tenantRequest(tenant));
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      const mergeSha = await stack!.merge((created.body.pullRequest as { number: number }).number);
      await until(
        async () => ((await api(`/v1/tenants/${tenant}`)).body.state === 'merged' ? true : undefined),
        'merged',
        30_000,
      );

      // THEN ArgoCD, with nothing patched by the test, brings the Application to Healthy + Synced at the merge commit
      const mergedAt = performance.now();
      const state = await until(
        async () => {
          await refreshApplicationSet(kc).catch(() => undefined);
          const body = (await api(`/v1/tenants/${tenant}`)).body;
          return body.state === 'provisioned' || body.state === 'failed' || body.state === 'degraded'
            ? body.state
            : undefined;
        },
        'the tenant provisioned by real ArgoCD',
        300_000,
        2_000,
      );
      expect(state).toBe('provisioned');
      const app = (await listTenantApplications(kc)).find((a) => a.name === `tenant-${tenant}`);
      expect(app).toMatchObject({ health: 'Healthy', sync: 'Synced', revision: mergeSha, project: `tenant-${tenant}` });
      // AND the tenant's namespace holds what ArgoCD synced
      const objects = kubectl(kubeconfig, [
        '-n',
        `tenant-${tenant}`,
        'get',
        'resourcequota,limitrange,networkpolicy',
        '-o',
        'name',
      ]);
      expect(objects.stdout).toContain('resourcequota/tenant-quota');
      // AND the backend heard of it, signed
      const provisioned = await until(
        () => callbacks.find((c) => c.event === 'tenant.provisioned' && JSON.stringify(c.body).includes(tenant)),
        'tenant.provisioned',
        30_000,
      );
      expect(provisioned.signatureValid).toBe(true);
      stack!.github.server.assertNoViolations();
      console.log(`e2e (real ArgoCD): merge → provisioned ${((performance.now() - mergedAt) / 1000).toFixed(1)} s`);
    });
  },
);
