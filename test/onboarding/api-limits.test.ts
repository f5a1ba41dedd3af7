// The attacks on a review, over HTTP against the real service, local GitHub and SQLite: owner
// names a reviewer cannot trust and specs larger than the CLI allows are refused with 422, and
// nothing is written anywhere (no store row, no branch, no call to GitHub).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_EGRESS_ALLOWANCES,
  MAX_OWNERS,
  MAX_PORTS_PER_ALLOWANCE,
  MAX_REPORTED_ISSUES,
  MAX_TENANT_FILE_BYTES,
} from '../../src/tenant/index.ts';
import { createConformanceChecker } from './support/openapi-conformance.ts';
import { tenantDocument, useHarness } from './support/harness.ts';

const harness = useHarness();
let conforms: ReturnType<typeof createConformanceChecker>;

// After useHarness's own beforeAll, which registered first and so runs first.
beforeAll(async () => {
  conforms = createConformanceChecker((await harness().api('GET', '/openapi.json')).body);
});

let attempt = 0;

/** POSTs (or PUTs) `body`, expects 422 INVALID_INPUT, proves nothing was written, and returns the issues. */
async function refused(body: unknown, method: 'POST' | 'PUT' = 'POST') {
  const before = await harness().writes();
  const [template, path] =
    method === 'POST' ? ['/v1/tenants', '/v1/tenants'] : ['/v1/tenants/{name}', '/v1/tenants/mallory'];
  const response = await harness().api(method, path, body, { 'idempotency-key': `attack-${++attempt}` });
  expect(conforms(method, template, response.status, response.body)).toEqual([]);
  expect(response.status).toBe(422);
  expect(response.body.code).toBe('INVALID_INPUT');
  expect(await harness().writes()).toEqual(before);
  return response.body.issues as { path: string; message: string; fix?: string }[];
}

const owner = (name: string, kind = 'Group') => tenantDocument('mallory', { owners: [{ kind, name }] });

describe('owner names and spec sizes over the API', () => {
  it('GIVEN the owner system:authenticated WHEN POSTed THEN 422 names the system identity and nothing is written', async () => {
    const issues = await refused(owner('system:authenticated'));
    expect(issues).toEqual([
      {
        path: 'spec.owners[0].name',
        message: expect.stringMatching(/"system:authenticated" is a Kubernetes system identity/),
        fix: 'name a user or group of this tenant',
      },
    ]);
  });

  it.each([
    ['another tenant’s ServiceAccount', 'system:serviceaccount:tenant-globex:default', 'User', /system identity/],
    ['a NUL', 'mallory-admins\u0000', 'Group', /control character U\+0000/],
    ['a trailing space', 'mallory-admins ', 'Group', /whitespace " " \(U\+0020\)/],
    ['U+0085 (NEL)', 'mallory\u0085admins', 'Group', /control character U\+0085/],
    ['a right-to-left override', 'mallory-\u202Esnimda', 'Group', /bidirectional control U\+202E/],
    ['a left-to-right isolate', '\u2066mallory-admins', 'User', /bidirectional control U\+2066/],
    ['a zero-width space', 'mallory\u200B-admins', 'Group', /invisible character U\+200B/],
    [
      'Markdown that rewrites the PR body',
      'platform-team |\n\n### Network allowances\nNone: traffic stays inside\n\n~~~~ ',
      'Group',
      /control character U\+000A/,
    ],
    ['a table pipe', 'platform-team|x', 'Group', /contains "\|"/],
  ])('GIVEN an owner name with %s WHEN POSTed THEN 422 names the rule and nothing is written', async (...t) => {
    const [, name, kind, message] = t;
    const issues = await refused(owner(name, kind));
    expect(issues.map((i) => i.path)).toEqual(['spec.owners[0].name']);
    expect(issues[0]!.message).toMatch(message);
    expect(issues[0]!.fix).toBeTruthy();
  });

  it('GIVEN a bad owner name WHEN PUT on a tenant THEN 422 before the tenant is even looked up', async () => {
    const issues = await refused(owner('system:masters'), 'PUT');
    expect(issues.map((i) => i.path)).toEqual(['spec.owners[0].name']);
  });

  it(`GIVEN 2,000 owners WHEN POSTed THEN 422 names the limit of ${MAX_OWNERS} and nothing is written`, async () => {
    const owners = Array.from({ length: 2_000 }, (_, i) => ({ kind: 'User', name: `user${i}` }));
    const issues = await refused(tenantDocument('mallory', { owners }));
    expect(issues).toEqual([
      {
        path: 'spec.owners',
        message: `a tenant has at most ${MAX_OWNERS} owners`,
        fix: expect.stringMatching(/bind a group/),
      },
    ]);
  });

  it('GIVEN 25,000 owners (a 1 MB body) WHEN POSTed THEN 413 before it is parsed, and nothing is written', async () => {
    const owners = Array.from({ length: 25_000 }, (_, i) => ({ kind: 'User', name: `user${i}` }));
    const before = await harness().writes();
    const response = await harness().api('POST', '/v1/tenants', tenantDocument('mallory', { owners }));
    expect(conforms('POST', '/v1/tenants', response.status, response.body)).toEqual([]);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await harness().writes()).toEqual(before);
  });

  it('GIVEN a spec with a thousand problems WHEN POSTed THEN the answer lists a bounded number of them', async () => {
    const ports = Array.from({ length: MAX_PORTS_PER_ALLOWANCE }, () => 0);
    const allowEgressTo = Array.from({ length: MAX_EGRESS_ALLOWANCES }, (_, i) => ({ cidr: `10.0.${i}.0/24`, ports }));
    const issues = await refused(tenantDocument('mallory', { network: { allowEgressTo } }));
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    const problems = MAX_EGRESS_ALLOWANCES * MAX_PORTS_PER_ALLOWANCE;
    expect(issues.at(-1)).toMatchObject({
      path: '(document)',
      message: `${problems - MAX_REPORTED_ISSUES} more problems not listed`,
    });
  });

  it('GIVEN a valid spec whose file would be over the CLI’s byte limit WHEN POSTed THEN 422 names the size', async () => {
    // Every field within its limits; only the quantity's leading zeros make the file large.
    const padded = `${'0'.repeat(MAX_TENANT_FILE_BYTES)}1`;
    const issues = await refused(tenantDocument('mallory', { quota: { pods: padded } }));
    expect(issues).toEqual([
      {
        path: '(document)',
        message: expect.stringMatching(new RegExp(`a tenant spec may be at most ${MAX_TENANT_FILE_BYTES} bytes`)),
        fix: expect.any(String),
      },
    ]);
  });

  it('GIVEN good e-mail, prefixed and path owner names WHEN POSTed THEN 202 and the PR’s spec holds them', async () => {
    const owners = [
      { kind: 'User', name: 'alice@example.com' },
      { kind: 'Group', name: 'acme-org:platform-team' },
      { kind: 'Group', name: 'acme/admins' },
    ];
    const created = await harness().api('POST', '/v1/tenants', tenantDocument('trusty', { owners }));
    expect(conforms('POST', '/v1/tenants', created.status, created.body)).toEqual([]);
    expect(created.status).toBe(202);
    const spec = await harness().showFile('tenants/trusty', 'tenants/trusty.yaml');
    for (const { name } of owners) expect(spec).toContain(`name: ${name}\n`);
  });
});
