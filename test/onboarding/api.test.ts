// The HTTP API against real parts: local GitHub server over a bare git repo, SQLite in a temp dir.
// Every response is checked against the service's own OpenAPI document.
import { beforeAll, describe, expect, it } from 'vitest';
import { createConformanceChecker } from './support/openapi-conformance.ts';
import { tenantDocument, useHarness } from './support/harness.ts';

const harness = useHarness();
let conforms: ReturnType<typeof createConformanceChecker>;

// After useHarness's own beforeAll, which registered first and so runs first.
beforeAll(async () => {
  conforms = createConformanceChecker((await harness().api('GET', '/openapi.json')).body);
});

/** A call whose response must conform to the OpenAPI document. */
async function call(method: string, template: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const response = await harness().api(method, path, body, headers);
  expect(conforms(method, template, response.status, response.body)).toEqual([]);
  return response;
}

describe('onboarding API', () => {
  it('GIVEN a valid spec WHEN POSTed THEN 202 with an open PR whose branch holds the spec, overlay and AppProject', async () => {
    const created = await call('POST', '/v1/tenants', '/v1/tenants', tenantDocument('alpha'), {
      'idempotency-key': 'alpha-1',
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      name: 'alpha',
      state: 'pr_open',
      pullRequest: { number: expect.any(Number) },
    });

    const files = await harness().filesOn('tenants/alpha');
    expect(files).toEqual(
      expect.arrayContaining([
        'tenants/alpha.yaml',
        'overlays/alpha/kustomization.yaml',
        'overlays/alpha/tenant.json',
        'argocd/tenants/alpha.yaml',
        'argocd/clusters/in-cluster/alpha.yaml',
      ]),
    );
    const spec = await harness().showFile('tenants/alpha', 'tenants/alpha.yaml');
    expect(spec.split('\n')[0]).toBe('# yaml-language-server: $schema=./tenant.schema.json');
    expect(spec).toContain('name: alpha');
    expect(await harness().filesOn('main')).not.toContain('tenants/alpha.yaml');

    const open = (await harness().pulls('open')).filter((p) => p.head.ref === 'tenants/alpha');
    expect(open.map((p) => p.number)).toEqual([created.body.pullRequest.number]);
  });

  it('GIVEN a created tenant WHEN read and listed THEN state, PR and the timed history of transitions are returned', async () => {
    const got = await call('GET', '/v1/tenants/{name}', '/v1/tenants/alpha');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      name: 'alpha',
      state: 'pr_open',
      requestedBy: 'backend',
      namespaces: ['tenant-alpha'],
      mergeCommit: null,
    });
    expect(got.body.history.map((t: { to: string }) => t.to)).toEqual(['requested', 'pr_open']);
    expect(got.body.history[0]).toMatchObject({
      from: null,
      actor: 'backend',
      reason: expect.stringContaining('requested by backend'),
    });

    const listed = await call('GET', '/v1/tenants', '/v1/tenants?state=pr_open');
    expect(listed.body.tenants.map((t: { name: string }) => t.name)).toContain('alpha');
    expect((await call('GET', '/v1/tenants', '/v1/tenants?state=provisioned')).body.tenants).toEqual([]);
    expect((await call('GET', '/v1/tenants', '/v1/tenants?state=bogus')).status).toBe(422);
    expect((await call('GET', '/v1/tenants/{name}', '/v1/tenants/nobody')).status).toBe(404);
  });

  it('GIVEN a bad spec WHEN POSTed THEN 422 lists every field path, and nothing is written: no row, no branch, no GitHub call', async () => {
    const before = await harness().writes();

    const bad = tenantDocument('Bad_Name', { tier: 'platinum', owners: 'nobody' });
    const response = await call('POST', '/v1/tenants', '/v1/tenants', bad, { 'idempotency-key': 'bad-1' });

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('INVALID_INPUT');
    const paths = response.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['metadata.name', 'spec.tier', 'spec.owners']));
    expect(await harness().writes()).toEqual(before);
  });

  it('GIVEN no or a wrong token WHEN calling the API THEN 401 with a stable code, and nothing is created', async () => {
    const none = await fetch(`${harness().service!.url}/v1/tenants`, {
      method: 'POST',
      body: JSON.stringify(tenantDocument('intruder')),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const wrong = await call('GET', '/v1/tenants', '/v1/tenants', undefined, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect((await call('GET', '/v1/tenants/{name}', '/v1/tenants/intruder')).status).toBe(404);
  });

  it('GIVEN a body over the limit, or not JSON WHEN POSTed THEN 413 / 400 with stable codes', async () => {
    const huge = JSON.stringify({ ...tenantDocument('huge'), padding: 'x'.repeat(2 * 1024 * 1024) });
    const tooLarge = await call('POST', '/v1/tenants', '/v1/tenants', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
    // A tenant document is refused before it is parsed once it could never fit the 64 KiB spec file.
    const overDocumentLimit = JSON.stringify({ ...tenantDocument('big'), padding: 'x'.repeat(300 * 1024) });
    const refused = await call('POST', '/v1/tenants', '/v1/tenants', overDocumentLimit);
    expect(refused.status).toBe(413);
    expect(refused.body.message).toContain('larger than 262144 bytes');
    const underIt = JSON.stringify({ ...tenantDocument('big'), padding: 'x'.repeat(200 * 1024) });
    expect((await call('POST', '/v1/tenants', '/v1/tenants', underIt)).status).toBe(422);
    const notJson = await call('POST', '/v1/tenants', '/v1/tenants', '{"apiVersion":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('INVALID_JSON');
  });

  it('GIVEN a tenant name with malformed percent-encoding in the path WHEN called THEN 400 INVALID_PATH, not a 500', async () => {
    for (const [method, template, path] of [
      ['GET', '/v1/tenants/{name}', '/v1/tenants/%E0%A4%A'],
      ['DELETE', '/v1/tenants/{name}', '/v1/tenants/%ZZ'],
      ['POST', '/v1/tenants/{name}/token', '/v1/tenants/%E0%A4%A/token'],
    ] as const) {
      const response = await call(method, template, path);
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.code).toBe('INVALID_PATH');
    }
  });

  it('GIVEN the same Idempotency-Key twice WHEN POSTed THEN the same response and no new GitHub work', async () => {
    const first = await call('POST', '/v1/tenants', '/v1/tenants', tenantDocument('bravo'), {
      'idempotency-key': 'bravo-1',
    });
    const callsAfterFirst = harness().proxy.requests.length;
    const second = await call('POST', '/v1/tenants', '/v1/tenants', tenantDocument('bravo'), {
      'idempotency-key': 'bravo-1',
    });
    expect(second).toEqual(first);
    expect(harness().proxy.requests.length).toBe(callsAfterFirst);
    expect((await harness().pulls('all')).filter((p) => p.head.ref === 'tenants/bravo')).toHaveLength(1);

    // AND the key used for a different body is refused rather than silently replayed
    const reused = await call('POST', '/v1/tenants', '/v1/tenants', tenantDocument('bravo', { tier: 'business' }), {
      'idempotency-key': 'bravo-1',
    });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('CONFLICT');
  });

  it('GIVEN an open PR WHEN the same tenant is changed by PUT THEN the same PR is updated with the new spec', async () => {
    const before = (await call('GET', '/v1/tenants/{name}', '/v1/tenants/bravo')).body.pullRequest;
    const changed = await call(
      'PUT',
      '/v1/tenants/{name}',
      '/v1/tenants/bravo',
      tenantDocument('bravo', { tier: 'business' }),
    );
    expect(changed.status).toBe(202);
    expect(changed.body.pullRequest).toEqual(before);
    expect(await harness().showFile('tenants/bravo', 'tenants/bravo.yaml')).toContain('tier: business');
    expect((await harness().pulls('all')).filter((p) => p.head.ref === 'tenants/bravo')).toHaveLength(1);
    // A PUT whose body names another tenant is refused.
    const mismatch = await call('PUT', '/v1/tenants/{name}', '/v1/tenants/bravo', tenantDocument('charlie'));
    expect(mismatch.status).toBe(422);
    expect((await call('PUT', '/v1/tenants/{name}', '/v1/tenants/nobody', tenantDocument('nobody'))).status).toBe(404);
  });

  it('GIVEN a tenant that is not provisioned WHEN a token is asked for THEN 409 NOT_PROVISIONED and no token', async () => {
    const response = await call('POST', '/v1/tenants/{name}/token', '/v1/tenants/alpha/token', {});
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('NOT_PROVISIONED');
    expect(JSON.stringify(response.body)).not.toContain('token"');
    expect((await call('POST', '/v1/tenants/{name}/token', '/v1/tenants/nobody/token', {})).status).toBe(404);
  });

  it('GIVEN a tenant with an open PR WHEN offboarding is asked THEN 409: only a merged tenant can be offboarded', async () => {
    const response = await call('DELETE', '/v1/tenants/{name}', '/v1/tenants/alpha');
    expect(response.status).toBe(409);
  });

  it('GIVEN the service WHEN probed THEN healthz, readyz, metrics and the OpenAPI document answer', async () => {
    expect((await call('GET', '/healthz', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz', '/readyz')).status).toBe(200);
    const metrics = await harness().api('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# HELP tenant_gitops_http_requests_total /m);
    expect(metrics.body).toMatch(/^tenant_gitops_tenants\{state="pr_open"\} 2$/m);
    expect(metrics.body).toMatch(
      /^tenant_gitops_http_requests_total\{method="POST",route="\/v1\/tenants",status="422"\} 2$/m,
    );
    expect(metrics.body).toMatch(
      /^tenant_gitops_http_request_duration_seconds_bucket\{route="\/v1\/tenants",le="\+Inf"\} \d+$/m,
    );
    const openapi = (await harness().api('GET', '/openapi.json')).body;
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/v1/tenants', '/v1/tenants/{name}', '/v1/tenants/{name}/token', '/github/webhook']),
    );
    expect((await harness().api('PATCH', '/v1/tenants/alpha')).status).toBe(405);
  });
});
