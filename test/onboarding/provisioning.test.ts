// From merged to provisioned (and degraded), through OnboardingService.applicationStatusChanged —
// the entry the cluster watch calls — with the merge/descendant check answered by the local GitHub
// server over the real bare repository; then offboarding to deleted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useHarness, tenantDocument, until } from './support/harness.ts';

const run = promisify(execFile);
const harness = useHarness();

async function onboardAndMerge(name: string): Promise<{ number: number; mergeSha: string; mainBefore: string }> {
  const created = await harness().api('POST', '/v1/tenants', tenantDocument(name));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const mainBefore = (await run('git', ['rev-parse', 'main'], { cwd: harness().bareDir })).stdout.trim();
  const mergeSha = await harness().merge(created.body.pullRequest.number);
  await until(async () => ((await harness().tenant(name)).state === 'merged' ? true : undefined), `${name} merged`);
  return { number: created.body.pullRequest.number, mergeSha, mainBefore };
}

function report(tenant: string, health: string, sync: string, revision: string | null) {
  return harness().service!.service.applicationStatusChanged({
    tenant,
    application: `tenant-${tenant}`,
    health,
    sync,
    revision,
  });
}

describe('provisioning', () => {
  it('GIVEN a merged tenant WHEN its Application is Healthy+Synced before the merge, then at the merge commit THEN only the second provisions it, comments on the PR and calls back', async () => {
    const { number, mergeSha, mainBefore } = await onboardAndMerge('prov');

    await report('prov', 'Healthy', 'Synced', mainBefore);
    expect((await harness().tenant('prov')).state).toBe('merged');
    await report('prov', 'Progressing', 'Synced', mergeSha);
    expect((await harness().tenant('prov')).state).toBe('merged');

    await report('prov', 'Healthy', 'Synced', mergeSha);
    const tenant = await harness().tenant('prov');
    expect(tenant.state).toBe('provisioned');
    expect(tenant.application).toMatchObject({
      name: 'tenant-prov',
      health: 'Healthy',
      sync: 'Synced',
      revision: mergeSha,
    });

    const event = await until(
      () => harness().receiver.events.find((e) => e.tenant === 'prov' && e.type === 'tenant.provisioned'),
      'tenant.provisioned',
    );
    expect(event.signatureValid).toBe(true);
    expect(event.data).toMatchObject({ name: 'prov', state: 'provisioned', mergeCommit: mergeSha });
    await until(
      () =>
        harness().proxy.requests.find(
          (r) =>
            r.method === 'POST' && r.path === `/repos/platform/tenants/issues/${number}/comments` && r.status === 201,
        ),
      'provisioned comment on the PR',
    );
    // The backend heard pr_opened before provisioned, and each event once.
    const events = harness()
      .receiver.events.filter((e) => e.tenant === 'prov')
      .map((e) => e.type);
    expect(events).toEqual(['tenant.pr_opened', 'tenant.provisioned']);
  });

  it('GIVEN a merged tenant WHEN its Application is Healthy+Synced at a LATER commit of main THEN it is provisioned', async () => {
    const { mergeSha } = await onboardAndMerge('later');
    const { mergeSha: laterSha } = await onboardAndMerge('another');
    expect(laterSha).not.toBe(mergeSha);
    await report('later', 'Healthy', 'Synced', laterSha);
    expect((await harness().tenant('later')).state).toBe('provisioned');
  });

  it('GIVEN a provisioned tenant WHEN its Application turns Degraded, then Healthy again THEN degraded then provisioned, each announced', async () => {
    const { mergeSha } = { mergeSha: (await harness().tenant('prov')).mergeCommit as string };
    await report('prov', 'Degraded', 'Synced', mergeSha);
    expect((await harness().tenant('prov')).state).toBe('degraded');
    await until(
      () => harness().receiver.events.find((e) => e.tenant === 'prov' && e.type === 'tenant.degraded'),
      'tenant.degraded',
    );
    await report('prov', 'Healthy', 'Synced', mergeSha);
    expect((await harness().tenant('prov')).state).toBe('provisioned');
  });

  it('GIVEN a provisioned tenant and no cluster configured WHEN a token is asked for THEN 503 and no token', async () => {
    const response = await harness().api('POST', '/v1/tenants/prov/token', { expirationSeconds: 600 });
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('CLUSTER_NOT_CONFIGURED');
    expect((await harness().api('POST', '/v1/tenants/prov/token', { expirationSeconds: 5 })).status).toBe(422);
  });

  it('GIVEN a provisioned tenant WHEN offboarded and the PR merged THEN its files leave main, it is deleted, and who asked is recorded', async () => {
    const asked = await harness().api('DELETE', '/v1/tenants/prov', undefined, { 'idempotency-key': 'offboard-prov' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body.state).toBe('offboarding');
    const branchFiles = await harness().filesOn('tenants/prov');
    expect(
      branchFiles.filter(
        (f) =>
          f === 'tenants/prov.yaml' ||
          f.startsWith('overlays/prov/') ||
          (f.startsWith('argocd/') && f.endsWith('/prov.yaml')),
      ),
    ).toEqual([]);
    expect(branchFiles).toContain('tenants/later.yaml');

    const tenant = await harness().tenant('prov');
    expect(tenant.offboarding).toEqual({ requestedBy: 'backend', requestedAt: expect.any(String) });
    expect(tenant.history.find((t: any) => t.to === 'offboarding')).toMatchObject({ actor: 'backend' });

    await harness().merge(asked.body.pullRequest.number);
    await until(async () => ((await harness().tenant('prov')).state === 'deleted' ? true : undefined), 'deleted');
    expect(
      (await harness().filesOn('main')).filter(
        (f) =>
          f === 'tenants/prov.yaml' ||
          f.startsWith('overlays/prov/') ||
          (f.startsWith('argocd/') && f.endsWith('/prov.yaml')),
      ),
    ).toEqual([]);
    await until(
      () => harness().receiver.events.find((e) => e.tenant === 'prov' && e.type === 'tenant.deleted'),
      'tenant.deleted',
    );
  });
});
