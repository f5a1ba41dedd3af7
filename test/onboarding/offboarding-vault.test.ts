// GIVEN a default branch whose cluster has a Vault and a service given that Vault WHEN a tenant with a
// secret store is offboarded and the PR merged THEN the service deletes its Vault role and policy and
// destroys every secret below <kvMount>/tenants/<name>/ (nested folders too), and the tenant's
// history records each removal, then reads Vault back (role, policy, folder) and records the check in
// the deletion record; a tenant without a store costs Vault no call. Vault here is a recording HTTP
// server holding the few things src/vault/client.ts reads and deletes; the secrets e2e test runs the
// same calls against a real Vault.
import { createServer } from 'node:http';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tenantDocument, until, useHarness } from './support/harness.ts';

const TOKEN = 'vault-test-token';
const requests: string[] = [];
/** What Vault holds: secrets of the KV mount `kv` (paths below kv/metadata/), the role and the policy. */
const SECRETS = new Set(['tenants/vaulted/db', 'tenants/vaulted/apps/api']);
const ROLES = new Set(['tenant-vaulted']);
const POLICIES = new Set(['default', 'tenant-vaulted']);
/** With this set, deleting the policy answers 204 but keeps it: a Vault that does not do what it says. */
let keepPolicy = false;
/** The keys directly below a folder, sub-folders ending in '/', as Vault lists them. */
function listing(folder: string): string[] {
  const keys = new Set<string>();
  for (const secret of SECRETS)
    if (secret.startsWith(`${folder}/`)) {
      const [head, ...rest] = secret.slice(folder.length + 1).split('/');
      keys.add(rest.length ? `${head}/` : head!);
    }
  return [...keys];
}
const vault = createServer((req, res) => {
  if (req.headers['x-vault-token'] !== TOKEN) {
    res.writeHead(403).end(JSON.stringify({ errors: ['permission denied'] }));
    return;
  }
  const path = (req.url ?? '').replace(/^\/v1\//, '');
  requests.push(`${req.method} ${path}`);
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const listed = /^kv\/metadata\/(.*)\?list=true$/.exec(path)?.[1];
  const role = /^auth\/kubernetes\/in-cluster\/role\/(.+)$/.exec(path)?.[1];
  const policy = /^sys\/policies\/acl\/(.+)$/.exec(path)?.[1];
  if (listed !== undefined) {
    const keys = listing(listed);
    return keys.length ? json(200, { data: { keys } }) : json(404, { errors: [] });
  }
  if (path === 'sys/policies/acl?list=true') return json(200, { data: { keys: [...POLICIES] } });
  if (req.method === 'GET' && role)
    return ROLES.has(role)
      ? json(200, { data: { bound_service_account_names: ['tenant-secrets'] } })
      : json(404, { errors: [] });
  if (req.method === 'DELETE') {
    if (role) ROLES.delete(role);
    if (policy && !keepPolicy) POLICIES.delete(policy);
    if (path.startsWith('kv/metadata/')) SECRETS.delete(path.slice('kv/metadata/'.length));
  }
  res.writeHead(204).end();
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
      // read back for the deletion record
      'GET auth/kubernetes/in-cluster/role/tenant-vaulted',
      'GET sys/policies/acl?list=true',
      'GET kv/metadata/tenants/vaulted?list=true',
    ]);
    const deleted = tenant.history.find((t: any) => t.to === 'deleted');
    expect(deleted.reason).toContain(
      '; Vault: delete-role tenant-vaulted (auth/kubernetes/in-cluster), delete-policy tenant-vaulted, ' +
        'destroy-secret kv/tenants/vaulted/db, destroy-secret kv/tenants/vaulted/apps/api;',
    );
    expect(tenant.deletionRecord.record.checks).toEqual([
      {
        name: 'vault-gone',
        passed: true,
        detail: 'no role, policy or secret of vaulted left in https://vault.vault.svc:8200',
      },
    ]);
    expect(tenant.deletionRecord.record.deleted).toEqual([
      'delete-role tenant-vaulted (auth/kubernetes/in-cluster)',
      'delete-policy tenant-vaulted',
      'destroy-secret kv/tenants/vaulted/db',
      'destroy-secret kv/tenants/vaulted/apps/api',
    ]);
    await until(
      () => harness().receiver.events.find((e) => e.tenant === 'vaulted' && e.type === 'tenant.deleted'),
      'tenant.deleted',
    );
  });

  it('GIVEN a Vault that answers a policy delete but keeps the policy WHEN offboarded THEN the read-back check fails and the job retries, AND once the policy is really gone the next attempt finishes with the check passed', async () => {
    POLICIES.add('tenant-keeper');
    keepPolicy = true;
    requests.length = 0;
    const created = await harness().api('POST', '/v1/tenants', tenantDocument('keeper', { tier: 'business' }));
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    await harness().merge(created.body.pullRequest.number);
    await harness().reaches('keeper', 'merged');
    await harness().merge(await harness().offboardingPullRequest('keeper'));
    await until(
      () => requests.filter((r) => r === 'DELETE sys/policies/acl/tenant-keeper').length >= 2 || undefined,
      'a second attempt',
    );
    const waiting = await harness().api('GET', '/v1/tenants/keeper');
    expect(waiting.body.state).toBe('offboarding');
    expect(waiting.body.deletionRecord).toBeNull();
    keepPolicy = false;
    const tenant = await harness().reaches('keeper', 'deleted');
    expect(tenant.deletionRecord.record.checks).toEqual([
      {
        name: 'vault-gone',
        passed: true,
        detail: 'no role, policy or secret of keeper left in https://vault.vault.svc:8200',
      },
    ]);
  });

  it('GIVEN a free tenant (no store) WHEN offboarded THEN Vault hears nothing', async () => {
    requests.length = 0;
    const tenant = await onboardMergeOffboard('plain', { tier: 'free' });
    expect(requests).toEqual([]);
    expect(tenant.history.find((t: any) => t.to === 'deleted').reason).not.toMatch(/Vault/);
  });
});
