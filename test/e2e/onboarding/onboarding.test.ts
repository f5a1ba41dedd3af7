// The whole onboarding path against the real control plane: POST → PR on the local GitHub server
// (over a bare copy of this checkout's platform repository) → merge → Application Healthy →
// provisioned → signed callback received by a local receiver. Here the test itself creates and
// patches the Application exactly as the ApplicationSet and application controller would; the same
// path with real ArgoCD is test/e2e/onboarding/onboarding-argocd.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { copyPlatformRepository } from '../../../testing/sandbox/platform-repo.ts';
import {
  controlPlaneKubeConfig,
  createApplication,
  forceDeleteApplication,
  setApplicationStatus,
  uniqueTenant,
} from '../../fixtures/argocd-applications.ts';
import { until } from '../../fixtures/until.ts';
import { startOnboardingStack, tenantRequest, type OnboardingStack } from '../support/onboarding-stack.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

let kc: KubeConfig;
let stateDir: string;
let stack: OnboardingStack;
const applications: string[] = [];

beforeAll(async () => {
  kc = controlPlaneKubeConfig();
  stateDir = await mkdtemp(join(tmpdir(), 'e2e-onboarding-'));
  const platform = await copyPlatformRepository({ checkout: ROOT, bareDir: join(stateDir, 'tenants.git') });
  stack = await startOnboardingStack({ kc, stateDir, bareDir: platform.bareDir });
});

afterAll(async () => {
  await stack?.stop();
  for (const name of applications) await forceDeleteApplication(kc, name);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('end to end onboarding', () => {
  it('without ArgoCD (the test patches the Application as ArgoCD would): POST → PR → merge → Healthy+Synced at the merge commit → provisioned → signed callbacks', async () => {
    const tenant = uniqueTenant('e');
    const { api, callbacks, github } = stack;
    // WHEN the product backend asks for a tenant
    const created = await api('/v1/tenants', tenantRequest(tenant));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const pr = created.body.pullRequest as { number: number; url: string };
    await until(
      () => callbacks.find((c) => c.event === 'tenant.pr_opened' && JSON.stringify(c.body).includes(tenant)),
      'tenant.pr_opened',
      15_000,
    );

    // AND a reviewer merges the PR
    const mergeSha = await stack.merge(pr.number);
    await until(
      async () => ((await api(`/v1/tenants/${tenant}`)).body.state === 'merged' ? true : undefined),
      'merged',
      15_000,
    );
    expect((await api(`/v1/tenants/${tenant}`)).body.mergeCommit).toBe(mergeSha);

    // AND the ApplicationSet makes the Application, which syncs (Progressing) then turns Healthy at the merge commit
    const application = `tenant-${tenant}`;
    applications.push(application);
    await createApplication(kc, { name: application, tenant });
    await setApplicationStatus(kc, application, { health: 'Progressing', sync: 'OutOfSync' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api(`/v1/tenants/${tenant}`)).body.state).toBe('merged');
    const healthyAt = performance.now();
    await setApplicationStatus(kc, application, { health: 'Healthy', sync: 'Synced', revision: mergeSha });

    // THEN the tenant is provisioned and the backend hears about it, signed
    await until(
      async () => ((await api(`/v1/tenants/${tenant}`)).body.state === 'provisioned' ? true : undefined),
      'provisioned',
      15_000,
    );
    const provisionedAt = performance.now();
    const callback = await until(
      () => callbacks.find((c) => c.event === 'tenant.provisioned' && JSON.stringify(c.body).includes(tenant)),
      'tenant.provisioned callback',
      15_000,
    );
    expect(callbacks.filter((c) => JSON.stringify(c.body).includes(tenant)).every((c) => c.signatureValid)).toBe(true);
    const history = (await api(`/v1/tenants/${tenant}`)).body.history as { to?: string; state?: string }[];
    expect(history.map((h) => h.to ?? h.state)).toEqual(
      expect.arrayContaining(['requested', 'pr_open', 'merged', 'provisioned']),
    );

    // AND every GitHub call and webhook on the way matched GitHub's OpenAPI description
    await github.server.settled();
    github.server.assertNoViolations();

    console.log(
      `e2e (patched Application): Healthy → provisioned state ${(provisionedAt - healthyAt).toFixed(0)} ms (observed by polling every 10 ms), ` +
        `Healthy → tenant.provisioned callback received ${(callback.receivedAt - healthyAt).toFixed(0)} ms`,
    );
  });
});
