// GitHub's size limits on the endpoints the local server implements. The expected answers are
// GitHub's own (status, message, errors), written out here rather than derived from the server's
// constants, so that a wrong constant fails this file. Every answer, the 422s included, must also
// validate against GitHub's OpenAPI description (assertNoViolations after each test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, REPO, startHarness, type Harness } from '../fixtures/github-harness.ts';

const BODY_MAX = 65_536;
const TITLE_MAX = 256;
/** Lowered for this file so a refused blob needs no hundred-megabyte request. */
const FILE_MAX = 1024;

let h: Harness;
let branches = 0;

beforeAll(async () => {
  h = await startHarness({ limits: { fileBytes: FILE_MAX } });
});
afterAll(async () => {
  await h.close();
});

async function api(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${h.server.url}/repos/${OWNER}/${REPO}${path}`, {
    method,
    headers: { authorization: 'token t', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const result = { status: response.status, body: await response.json() };
  h.server.assertNoViolations();
  return result;
}

/** A new branch one commit ahead of main, through the git data API. */
async function branchAheadOfMain(): Promise<string> {
  const name = `limits/${++branches}`;
  const main = (await h.repo.git('rev-parse', 'main')).trim();
  const tree = await api('POST', '/git/trees', {
    base_tree: (await h.repo.git('rev-parse', 'main^{tree}')).trim(),
    tree: [{ path: `${name}.txt`, mode: '100644', type: 'blob', content: name }],
  });
  const commit = await api('POST', '/git/commits', { message: name, tree: tree.body.sha, parents: [main] });
  await api('POST', '/git/refs', { ref: `refs/heads/${name}`, sha: commit.body.sha });
  return name;
}

function tooLong(resource: string, field: string, code: string, message: string) {
  return {
    message: 'Validation Failed',
    errors: [{ resource, field, code, message }],
    documentation_url: expect.any(String),
  };
}

describe("local GitHub server: GitHub's size limits", () => {
  it.each([
    { what: 'a body of exactly the limit', title: 't', body: 'b'.repeat(BODY_MAX), status: 201 },
    {
      what: 'a body of the limit in characters that are two UTF-16 units each',
      title: 't',
      body: '😀'.repeat(BODY_MAX),
      status: 201,
    },
    { what: 'a title of exactly the limit', title: 't'.repeat(TITLE_MAX), body: 'b', status: 201 },
    { what: 'a body one character over', title: 't', body: 'b'.repeat(BODY_MAX + 1), status: 422 },
    { what: 'a title one character over', title: 't'.repeat(TITLE_MAX + 1), body: 'b', status: 422 },
  ])('GIVEN $what WHEN a pull request is created THEN GitHub answers $status', async ({ title, body, status }) => {
    const head = await branchAheadOfMain();
    const created = await api('POST', '/pulls', { head, base: 'main', title, body });
    expect(created.status).toBe(status);
    if (status === 201) expect(created.body.body).toBe(body);
    else expect(h.server.pulls().some((pr) => pr.head === head)).toBe(false);
  });

  it('GIVEN a body and a title both over WHEN a pull request is created THEN the 422 lists both as GitHub does', async () => {
    const head = await branchAheadOfMain();
    const refused = await api('POST', '/pulls', {
      head,
      base: 'main',
      title: 't'.repeat(TITLE_MAX + 1),
      body: 'b'.repeat(BODY_MAX + 1),
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      message: 'Validation Failed',
      errors: [
        { resource: 'Issue', field: 'title', code: 'custom', message: 'title is too long (maximum is 256 characters)' },
        { resource: 'Issue', field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' },
      ],
      documentation_url: expect.any(String),
    });
  });

  it('GIVEN an open pull request WHEN its body is edited to one character over THEN 422 and the body is kept; the limit itself passes', async () => {
    const head = await branchAheadOfMain();
    const { body: pr } = await api('POST', '/pulls', { head, base: 'main', title: 't', body: 'first' });
    const refused = await api('PATCH', `/pulls/${pr.number}`, { body: 'b'.repeat(BODY_MAX + 1) });
    expect(refused).toEqual({
      status: 422,
      body: tooLong('Issue', 'body', 'custom', 'body is too long (maximum is 65536 characters)'),
    });
    expect(h.server.pulls().find((p) => p.number === pr.number)?.body).toBe('first');
    expect((await api('PATCH', `/pulls/${pr.number}`, { body: 'b'.repeat(BODY_MAX) })).status).toBe(200);
  });

  it('GIVEN an open pull request WHEN commented with one character over the limit THEN 422 IssueComment; the limit itself passes', async () => {
    const head = await branchAheadOfMain();
    const { body: pr } = await api('POST', '/pulls', { head, base: 'main', title: 't', body: 'b' });
    const refused = await api('POST', `/issues/${pr.number}/comments`, { body: 'c'.repeat(BODY_MAX + 1) });
    expect(refused).toEqual({
      status: 422,
      body: tooLong('IssueComment', 'data', 'unprocessable', 'Body is too long (maximum is 65536 characters)'),
    });
    expect(h.server.pulls().find((p) => p.number === pr.number)?.comments).toBe(0);
    expect((await api('POST', `/issues/${pr.number}/comments`, { body: 'c'.repeat(BODY_MAX) })).status).toBe(201);
  });

  it.each([
    { what: 'a blob of the limit', path: '/git/blobs', bytes: FILE_MAX, encoding: 'utf-8', status: 201 },
    { what: 'a blob one byte over', path: '/git/blobs', bytes: FILE_MAX + 1, encoding: 'utf-8', status: 422 },
    {
      what: 'a base64 blob one decoded byte over',
      path: '/git/blobs',
      bytes: FILE_MAX + 1,
      encoding: 'base64',
      status: 422,
    },
    { what: 'a tree entry of the limit', path: '/git/trees', bytes: FILE_MAX, encoding: 'inline', status: 201 },
    { what: 'a tree entry one byte over', path: '/git/trees', bytes: FILE_MAX + 1, encoding: 'inline', status: 422 },
  ])('GIVEN $what WHEN written THEN GitHub answers $status', async ({ path, bytes, encoding, status }) => {
    const content = 'f'.repeat(bytes);
    const request =
      encoding === 'inline'
        ? { tree: [{ path: 'big.txt', mode: '100644', type: 'blob', content }] }
        : { content: encoding === 'base64' ? Buffer.from(content).toString('base64') : content, encoding };
    const answer = await api('POST', path, request);
    expect(answer.status).toBe(status);
    if (status === 422) {
      expect(answer.body).toMatchObject({
        message: expect.stringMatching(/^Sorry, your input was too large to process/),
        errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }],
      });
    }
  });
});
