import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../testing/github-server/openapi-validator.ts';
import { OWNER, REPO, startHarness, type Harness } from '../fixtures/github-harness.ts';

describe('local GitHub server: OpenAPI checks and authentication', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${h.server.url}/repos/${OWNER}/${REPO}${path}`, {
      ...init,
      headers: {
        authorization: 'token t',
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  it('refuses requests without a token (401) and with a token outside the accepted list', async () => {
    const response = await fetch(`${h.server.url}/repos/${OWNER}/${REPO}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Requires authentication' });
    expect(h.server.calls).toEqual([]);
  });

  it('records a malformed request body as a violation', async () => {
    // WHEN a blob is created with a misspelt field
    h.server.violations.length = 0;
    await api('/git/blobs', { method: 'POST', body: JSON.stringify({ contents: 'hello' }) });
    // THEN the violation names the operation and the missing property
    expect(h.server.violations).toEqual([
      {
        operation: 'POST /repos/{owner}/{repo}/git/blobs',
        where: 'request',
        message: "body: / must have required property 'content'",
      },
    ]);
    expect(() => h.server.assertNoViolations()).toThrow(
      /tenant-gitops: the local GitHub server saw 1 OpenAPI mismatch/,
    );
  });

  it('records a bad path parameter, an undocumented query parameter and an unimplemented endpoint', async () => {
    h.server.violations.length = 0;
    await api('/pulls/not-a-number');
    await api('/pulls?colour=blue');
    const missing = await api('/deployments');
    expect(missing.status).toBe(404);
    expect(h.server.violations.map((v) => `${v.operation} [${v.where}] ${v.message}`)).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number} [request] path parameter pull_number=not-a-number: /value must be integer',
      'GET /repos/{owner}/{repo}/pulls [request] query parameter colour is not documented',
      `GET /repos/${OWNER}/${REPO}/deployments [route] the local server does not implement this endpoint`,
    ]);
  });

  it('well-formed calls leave no violation, including documented error answers', async () => {
    h.server.violations.length = 0;
    expect((await api('')).status).toBe(200);
    expect((await api('/git/ref/heads/nope')).status).toBe(404);
    expect(
      (await api('/git/refs', { method: 'POST', body: JSON.stringify({ ref: 'refs/heads/x', sha: '0'.repeat(40) }) }))
        .status,
    ).toBe(422);
    expect((await api('/compare/main...main')).status).toBe(200);
    expect(h.server.violations).toEqual([]);
  });

  it('checks responses and webhook payloads too (validator used directly)', () => {
    const validator = new OpenApiValidator();
    validator.checkResponse('/repos/{owner}/{repo}/git/blobs', 'POST', 201, { sha: 'abc' });
    validator.checkResponse('/repos/{owner}/{repo}/git/blobs', 'POST', 299, { sha: 'abc' });
    validator.checkWebhook('pull_request', 'closed', { action: 'closed', number: 1 });
    expect(validator.violations.map((v) => `${v.where}: ${v.message}`)).toEqual([
      "response: status 201: / must have required property 'url'",
      'response: status 299 is not documented',
      "webhook: / must have required property 'pull_request'; / must have required property 'repository'; / must have required property 'sender'",
    ]);
  });
});
