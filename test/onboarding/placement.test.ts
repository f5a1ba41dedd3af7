// GIVEN a platform whose default branch registers a small in-cluster (one shared 8-cpu node) and an
// eu-1 cluster WHEN the backend creates and changes tenants THEN the service applies generate's
// placement and capacity checks before anything is written: an unknown cluster, a change that
// oversubscribes the pool and a move between clusters answer 422 with generate's words and write
// nothing; an accepted PR shows the cluster's headroom after the change.
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { OWNER, REPO, tenantDocument, until, useHarness } from './support/harness.ts';

const harness = useHarness();

const node = { cpu: '8', memory: '32Gi', pods: 110 };
const CLUSTERS = {
  'clusters/in-cluster.yaml': stringify({
    name: 'in-cluster',
    argocdCluster: 'in-cluster',
    nodePools: [{ name: 'general', nodes: 1, ...node, dedicated: false }],
  }),
  'clusters/eu-1.yaml': stringify({
    name: 'eu-1',
    argocdCluster: 'eu-west',
    nodePools: [{ name: 'general', nodes: 4, ...node, dedicated: false }],
  }),
};

beforeAll(async () => {
  await harness().commitOnMain(CLUSTERS, 'clusters: a small in-cluster and eu-1');
});

async function expectRefused(method: string, path: string, document: unknown, issue: Record<string, unknown>) {
  const before = await harness().writes();
  const refused = await harness().api(method, path, document);
  expect(refused.status, JSON.stringify(refused.body)).toBe(422);
  expect(refused.body.issues).toEqual([issue]);
  const after = await harness().writes();
  expect(after.rows).toEqual(before.rows);
  expect(after.branches).toEqual(before.branches);
}

describe('placement and capacity through the API', () => {
  it('GIVEN a cluster not on main WHEN a tenant asks for it THEN 422 names the field and the known clusters', async () => {
    await expectRefused('POST', '/v1/tenants', tenantDocument('nowhere', { cluster: 'us-9' }), {
      file: 'tenants/nowhere.yaml',
      path: 'spec.cluster',
      message: 'cluster "us-9" is not in the clusters registry (known: eu-1, in-cluster)',
      fix: 'name one of the known clusters in spec.cluster, or add clusters/us-9.yaml',
    });
  });

  it('GIVEN a business tenant granted the whole 8-cpu pool WHEN onboarded THEN its PR shows the headroom after it', async () => {
    const created = await harness().api(
      'POST',
      '/v1/tenants',
      tenantDocument('fits', { tier: 'business', quota: { 'requests.cpu': '16' } }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const pr = await harness().gitHub('GET', `/repos/${OWNER}/${REPO}/pulls/${created.body.pullRequest.number}`);
    const body: string = pr.body.body;
    expect(body).toContain(
      '### Cluster headroom\n\nCluster `in-cluster`, shared pools `general` (1 tenants; cpu, memory and pods count ' +
        "1/overcommit of each tier's quota: free 4, business 2, enterprise 1; GPU slices are never overcommitted), " +
        'once this PR is merged:\n\n| Resource | Granted | Capacity | Free |\n|---|---|---|---|\n' +
        '| `requests.cpu` | `8` | `8` | `0` |\n| `requests.memory` | `4Gi` | `32Gi` | `28Gi` |\n' +
        '| `pods` | `25` | `110` | `85` |\n| `nvidia.com/gpu` | `0` | `0` | `0` |\n',
    );
  });

  it('GIVEN that pool full WHEN a free tenant asks for a quarter cpu more THEN 422 names cluster, pool, resource, sums and fix', async () => {
    await expectRefused('POST', '/v1/tenants', tenantDocument('over'), {
      file: 'clusters/in-cluster.yaml',
      path: 'nodePools (shared: general)',
      message:
        'cluster "in-cluster", shared pools "general": requests.cpu oversubscribed: 8.25 granted (quotas divided by ' +
        "the tier's overcommit: free 4, business 2, enterprise 1) exceed the capacity of 8; largest: fits 8, over 0.25",
      fix:
        "raise nodes or cpu of the shared pools in clusters/in-cluster.yaml, lower the tenants' requests.cpu quotas, " +
        'or place tenants on another cluster (spec.cluster)',
    });
    const elsewhere = await harness().api('POST', '/v1/tenants', tenantDocument('over', { cluster: 'eu-1' }));
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(202);
    expect(await harness().showFile('tenants/over', 'overlays/over/tenant.json')).toMatch(/"cluster": "eu-west"/);
  });

  it('GIVEN fits merged on in-cluster WHEN a change moves it to eu-1 THEN 422 says moving is not supported yet', async () => {
    const number = (await harness().tenant('fits')).pullRequest.number as number;
    await harness().merge(number);
    await until(async () => ((await harness().tenant('fits')).state === 'merged' ? true : undefined), 'fits merged');
    await expectRefused(
      'PUT',
      '/v1/tenants/fits',
      tenantDocument('fits', { tier: 'business', quota: { 'requests.cpu': '16' }, cluster: 'eu-1' }),
      {
        file: 'tenants/fits.yaml',
        path: 'spec.cluster',
        message:
          'moving a tenant between clusters is not supported yet: tenant fits runs on ArgoCD cluster "in-cluster" ' +
          '(overlays/fits/tenant.json) and its spec now places it on "eu-1" (ArgoCD cluster "eu-west")',
        fix: expect.stringMatching(
          /^keep spec\.cluster on the cluster it runs on .* onboard it again on the other cluster$/,
        ),
      },
    );
    // Lowering what it is granted is accepted on the full pool.
    const lower = await harness().api(
      'PUT',
      '/v1/tenants/fits',
      tenantDocument('fits', { tier: 'business', quota: { 'requests.cpu': '8' } }),
    );
    expect(lower.status, JSON.stringify(lower.body)).toBe(202);
  });
});
