// GIVEN a default branch whose cluster has a Vault and a service given that Vault WHEN a tenant with a
// secret store is offboarded and the PR merged THEN the service deletes its Vault role and policy and
// destroys every secret below <kvMount>/tenants/<name>/ (nested folders too), and the tenant's
// history records each removal; a tenant without a store costs Vault no call. Vault here is a
// recording HTTP server speaking the few calls of src/vault/client.ts; the secrets e2e test runs the
// same calls against a real Vault.
import { createServer } from 'node:http';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tenantDocument, until, useHarness } from './support/harness.ts';

const TOKEN = 'vault-test-token';
const requests: string[] = [];
/** Folder listings of the KV mount `kv`, by path below /v1/kv/metadata/. */
const LISTINGS: Record<string, string[]> = { 'tenants/vaulted': ['db', 'apps/'], 'tenants/vaulted/apps': ['api'] };
const vault = createServer((req, res) => {
  if (req.headers['x-vault-token'] !== TOKEN) {
    res.writeHead(403).end(JSON.stringify({ errors: ['permission denied'] }));
    return;
  }
  const path = (req.url ?? '').replace(/^\/v1\//, '');
  requests.push(`${req.method} ${path}`);
  const listed = /^kv\/metadata\/(.*)\?list=true$/.exec(path)?.[1];
  const listing = listed === undefined ? undefined : LISTINGS[listed];
  if (listing)
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: { keys: listing } }));
  else if (listed !== undefined) res.writeHead(404).end(JSON.stringify({ errors: [] }));
  else res.writeHead(204).end();
});
await new Promise<void>((r) => vault.listen(0, '127.0.0.1', r));
const address = `http://127.0.0.1:${(vault.address() as { port: number }).port}`;
afterAll(() => new Promise((r) => vault.close(r)));

const harness = useHarness({ service: { vault: { address, token: TOKEN } } });

beforeAll(async () => {
  const cluster = parse(readFileSync(join(ROOT, 'clusters/in-cluster.yaml'), 'utf8')) as Record<string, unknown>;
  await harness().commitOnMain(
    {
      'clusters/in-cluster.yaml': stringify({
        ...cluster,
        vault: { server: 'https://vault.vault.svc:8200', authMount: 'kubernetes/in-cluster', kvMount: 'kv' },
      }),
    },
    'clusters: in-cluster reads tenant secrets from Vault',
  );
});

async function onboardMergeOffboard(name: string, spec: Record<string, unknown>): Promise<any> {
  const created = await harness().api('POST', '/v1/tenants', tenantDocument(name, spec));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await harness().merge(created.body.pullRequest.number);
  await harness().reaches(name, 'merged');
  await harness().merge(await harness().offboardingPullRequest(name));
  return harness().reaches(name, 'deleted');
}

describe('offboarding in Vault', () => {
  it('GIVEN a business tenant with a store WHEN offboarded THEN its role, policy and every secret are removed, in that order, and recorded', async () => {
    requests.length = 0;
    const onMain = await harness().showFile('main', 'clusters/in-cluster.yaml');
    expect(onMain).toContain('kvMount: kv');
    const tenant = await onboardMergeOffboard('vaulted', { tier: 'business' });
    expect(requests).toEqual([
      'DELETE auth/kubernetes/in-cluster/role/tenant-vaulted',
      'DELETE sys/policies/acl/tenant-vaulted',
      'GET kv/metadata/tenants/vaulted?list=true',
      'GET kv/metadata/tenants/vaulted/apps?list=true',
      'DELETE kv/metadata/tenants/vaulted/db',
      'DELETE kv/metadata/tenants/vaulted/apps/api',
    ]);
    const deleted = tenant.history.find((t: any) => t.to === 'deleted');
    expect(deleted.reason).toMatch(
      /; Vault: delete-role tenant-vaulted \(auth\/kubernetes\/in-cluster\), delete-policy tenant-vaulted, destroy-secret kv\/tenants\/vaulted\/db, destroy-secret kv\/tenants\/vaulted\/apps\/api$/,
    );
    await until(
      () => harness().receiver.events.find((e) => e.tenant === 'vaulted' && e.type === 'tenant.deleted'),
      'tenant.deleted',
    );
  });

  it('GIVEN a free tenant (no store) WHEN offboarded THEN Vault hears nothing', async () => {
    requests.length = 0;
    const tenant = await onboardMergeOffboard('plain', { tier: 'free' });
    expect(requests).toEqual([]);
    expect(tenant.history.find((t: any) => t.to === 'deleted').reason).not.toMatch(/Vault/);
  });
});
