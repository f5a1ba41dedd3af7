// GIVEN API tokens with scopes (verbs on tenants by name or prefix) WHEN each calls the service over
// HTTP THEN it may do exactly what its scopes allow (403 and nothing written otherwise), every write
// and token issuance is an audit record readable through GET /v1/audit within the reader's own
// scopes, and with two approvals an offboarding waits for a second, different token.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScope, type Scope } from '../../src/onboarding/http/scopes.ts';
import { createConformanceChecker } from './support/openapi-conformance.ts';
import { tenantDocument, until, useHarness } from './support/harness.ts';
import { failStoreMethod } from './support/store-fault.ts';

const harness = useHarness();
let conforms: ReturnType<typeof createConformanceChecker>;

const TOKENS: Record<string, string[]> = {
  shop: ['create:shop-*', 'update:shop-*', 'read:shop-*'],
  support: ['read:*', 'token:shop-a'],
  auditor: ['audit:shop-*'],
  leaver: ['offboard:*', 'read:*'],
  approver: ['approve:*'],
};

function scopes(texts: string[]): Scope[] {
  return texts.map((text) => {
    const scope = parseScope(text);
    if (typeof scope === 'string') throw new Error(scope);
    return scope;
  });
}

beforeAll(async () => {
  await harness().stopService();
  await harness().startService({
    apiTokens: [
      { name: 'backend', token: harness().apiToken },
      ...Object.entries(TOKENS).map(([name, texts]) => ({
        name,
        token: `${name}-token-0123456789`,
        scopes: scopes(texts),
      })),
    ],
    offboardApprovals: 2,
  });
  conforms = createConformanceChecker((await harness().api('GET', '/openapi.json')).body);
});

/** A call as the named token (backend: every scope), checked against the OpenAPI document. */
async function as(token: string, method: string, template: string, path: string, body?: unknown) {
  const headers: Record<string, string> =
    token === 'backend' ? {} : { authorization: `Bearer ${token}-token-0123456789` };
  const response = await harness().api(method, path, body, headers);
  expect(conforms(method, template, response.status, response.body)).toEqual([]);
  return response;
}

async function onboardAndMerge(name: string): Promise<void> {
  const created = await as('backend', 'POST', '/v1/tenants', '/v1/tenants', tenantDocument(name));
  expect(created.status).toBe(202);
  await harness().merge(created.body.pullRequest.number);
  await until(async () => {
    const t = (await as('backend', 'GET', '/v1/tenants/{name}', `/v1/tenants/${name}`)).body;
    return t.state === 'merged' ? t : undefined;
  }, `${name} merged`);
}

/** The second approval of `name`'s offboarding, asked for by `token`. */
function approve(token: string, name: string) {
  return as(token, 'POST', '/v1/tenants/{name}/offboard-approval', `/v1/tenants/${name}/offboard-approval`);
}

async function audit(token: string, query = ''): Promise<any[]> {
  const records: any[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page = await as(token, 'GET', '/v1/audit', `/v1/audit?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    records.push(...page.body.records);
    cursor = page.body.nextCursor;
  }
  return records;
}

describe('API token scopes', () => {
  it('GIVEN a token scoped to shop-* WHEN it creates another tenant THEN 403 and nothing is written; its own prefix works', async () => {
    const before = await harness().writes();
    const refused = await as('shop', 'POST', '/v1/tenants', '/v1/tenants', tenantDocument('acme'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.body.message).toContain('the token "shop" may not create tenant acme');
    expect(refused.body.message).toContain('create:acme');
    expect(await harness().writes()).toEqual(before);

    const created = await as('shop', 'POST', '/v1/tenants', '/v1/tenants', tenantDocument('shop-a'));
    expect(created.status).toBe(202);
    expect(created.body.state).toBe('pr_open');
  });

  it('GIVEN scoped tokens WHEN they read, change, offboard or mint tokens beyond their scopes THEN each is refused', async () => {
    await onboardAndMerge('acme');
    expect((await as('shop', 'GET', '/v1/tenants/{name}', '/v1/tenants/acme')).status).toBe(403);
    expect((await as('shop', 'GET', '/v1/tenants/{name}', '/v1/tenants/shop-a')).status).toBe(200);
    expect((await as('shop', 'PUT', '/v1/tenants/{name}', '/v1/tenants/acme', tenantDocument('acme'))).status).toBe(
      403,
    );
    expect((await as('shop', 'DELETE', '/v1/tenants/{name}', '/v1/tenants/acme')).status).toBe(403);
    expect((await as('auditor', 'GET', '/v1/tenants/{name}', '/v1/tenants/shop-a')).status).toBe(403);
    // A token for shop-a only: acme's is refused before anything else is looked at.
    expect((await as('support', 'POST', '/v1/tenants/{name}/token', '/v1/tenants/acme/token')).status).toBe(403);
    expect((await as('shop', 'POST', '/v1/tenants/{name}/token', '/v1/tenants/shop-a/token')).status).toBe(403);
    // Allowed, so it gets as far as the tenant's state (pr_open, no token yet).
    const early = await as('support', 'POST', '/v1/tenants/{name}/token', '/v1/tenants/shop-a/token');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NOT_PROVISIONED');
  });

  it('GIVEN a token scoped to shop-* WHEN it lists tenants THEN it sees only those', async () => {
    const names: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await as('shop', 'GET', '/v1/tenants', `/v1/tenants?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      names.push(...page.body.tenants.map((t: { name: string }) => t.name));
      cursor = page.body.nextCursor;
    }
    expect(names).toEqual(['shop-a']);
    // A token that may read no tenant at all is refused the listing rather than shown an empty one.
    expect((await as('auditor', 'GET', '/v1/tenants', '/v1/tenants')).status).toBe(403);
    const all = (await as('leaver', 'GET', '/v1/tenants', '/v1/tenants')).body.tenants.map((t: any) => t.name);
    expect(all).toEqual(expect.arrayContaining(['acme', 'shop-a']));
  });
});

describe('audit log', () => {
  it('GIVEN writes and token requests, allowed and refused WHEN the audit is read THEN each is a record naming caller, tenant, action and result', async () => {
    const records = await audit('backend');
    const brief = records.map((r) => [r.caller, r.tenant, r.action, r.result, r.status]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['shop', 'acme', 'tenant.create', 'refused', 403],
        ['shop', 'shop-a', 'tenant.create', 'done', 202],
        ['backend', 'acme', 'tenant.create', 'done', 202],
        ['shop', 'acme', 'tenant.update', 'refused', 403],
        ['shop', 'acme', 'tenant.offboard', 'refused', 403],
        ['support', 'acme', 'tenant.token', 'refused', 403],
        ['support', 'shop-a', 'tenant.token', 'refused', 409],
      ]),
    );
    // Reads are not writes: no record for them.
    expect(records.some((r) => r.caller === 'auditor')).toBe(false);
    const created = records.find((r) => r.caller === 'shop' && r.result === 'done')!;
    expect(created.detail).toMatch(/^state pr_open, PR #\d+$/);
    expect(Date.parse(created.at)).toBeGreaterThan(Date.now() - 120_000);
    // Ids only grow, so a cursor never skips or repeats a record.
    expect(records.map((r) => r.id)).toEqual([...records.map((r) => r.id)].sort((a, b) => a - b));
  });

  it('GIVEN an auditor scoped to shop-* WHEN it reads the audit THEN it sees only shop-* records, and asking for acme is refused', async () => {
    const records = await audit('auditor');
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.tenant))).toEqual(new Set(['shop-a']));
    expect((await as('auditor', 'GET', '/v1/audit', '/v1/audit?tenant=acme')).status).toBe(403);
    expect((await as('shop', 'GET', '/v1/audit', '/v1/audit')).status).toBe(403);
    const own = await audit('auditor', '&tenant=shop-a');
    expect(own.map((r) => r.id)).toEqual(records.map((r) => r.id));
  });

  it('GIVEN the audit record cannot be written WHEN a write is asked for THEN the answer is withheld (500) and says to repeat it', async () => {
    const restore = failStoreMethod(harness().service!.service.store.audit, 'append');
    try {
      const answer = await as('backend', 'POST', '/v1/tenants', '/v1/tenants', tenantDocument('unaudited'));
      expect(answer.status).toBe(500);
      expect(answer.body.message).toContain('audit record of this request could not be written');
    } finally {
      restore();
    }
  });
});

describe('offboarding with a second approval', () => {
  it('GIVEN two approvals required WHEN one token offboards THEN nothing happens until another token approves', async () => {
    await onboardAndMerge('leaving');
    const branches = await harness().branches();
    const asked = await as('leaver', 'DELETE', '/v1/tenants/{name}', '/v1/tenants/leaving');
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ state: 'merged', offboardApproval: { requestedBy: 'leaver' } });
    await harness().service!.service.idle();
    expect(await harness().branches()).toEqual(branches);
    const waiting = (await as('leaver', 'GET', '/v1/tenants/{name}', '/v1/tenants/leaving')).body;
    expect(waiting.state).toBe('merged');
    expect(Date.parse(waiting.offboardApproval.expiresAt) - Date.parse(waiting.offboardApproval.requestedAt)).toBe(
      24 * 3600 * 1000,
    );

    // Not by a token without the approve scope, and not by the requester itself.
    expect((await approve('leaver', 'leaving')).status).toBe(403);
    expect((await approve('approver', 'acme')).status).toBe(409);

    const approved = await approve('approver', 'leaving');
    expect(approved.status).toBe(202);
    expect(approved.body.state).toBe('offboarding');
    const tenant = await until(async () => {
      const t = (await as('backend', 'GET', '/v1/tenants/{name}', '/v1/tenants/leaving')).body;
      return t.pullRequest && t.action === 'offboard' ? t : undefined;
    }, 'offboarding PR');
    expect(tenant.offboarding).toMatchObject({ requestedBy: 'leaver' });
    expect(tenant.offboardApproval).toBeNull();
    expect(tenant.history.at(-2)).toMatchObject({
      to: 'offboarding',
      actor: 'approver',
      reason: 'offboarding requested by leaver, approved by approver',
    });
    const trail = (await audit('backend', '&tenant=leaving')).map((r) => [r.caller, r.action, r.result]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ['leaver', 'tenant.offboard', 'done'],
        ['leaver', 'tenant.offboard_approve', 'refused'],
        ['approver', 'tenant.offboard_approve', 'done'],
      ]),
    );
  });

  it('GIVEN a token with every scope WHEN it requests and then approves its own offboarding THEN the approval is refused', async () => {
    await onboardAndMerge('selfish');
    expect((await as('backend', 'DELETE', '/v1/tenants/{name}', '/v1/tenants/selfish')).status).toBe(202);
    const self = await approve('backend', 'selfish');
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('cannot approve it too');
    expect((await as('backend', 'GET', '/v1/tenants/{name}', '/v1/tenants/selfish')).body.state).toBe('merged');
  });
});
