// GitHub App authentication against the local server in App mode: the client's JWT exchanged for an
// installation token, the token used on every call, refused credentials named as such, and a token
// replaced before (or once past) its expiry.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { openTenantPullRequest } from '../../../src/onboarding/github/index.ts';
import type { AppOptions } from '../../../testing/github-server/index.ts';
import { CALL, OWNER, READ_MAIN, REPO, startHarness, type Harness } from '../../fixtures/github-harness.ts';

const APP_ID = 123_456;
const INSTALLATION_ID = 42;
const MINT = 'POST /app/installations/{installation_id}/access_tokens';

function rsaKeys() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, // as GitHub hands an App's key out
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}
const app = rsaKeys();

function change(tenant: string) {
  return {
    tenant,
    action: 'create' as const,
    files: new Map([[`tenants/${tenant}.yaml`, `name: ${tenant}\n`]]),
    deletePaths: [],
    title: `Onboard tenant ${tenant}`,
    body: 'body',
    labels: ['tenant'],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JWT signed with `key`, with the claims given (for the server's own checks). */
function jwt(claims: Record<string, unknown>, key = app.privateKey, alg = 'RS256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

describe('GitHub App authentication (auth-app against the local server in App mode)', () => {
  let h: Harness | undefined;
  const started = async (options: Partial<AppOptions> = {}) => {
    h = await startHarness({
      app: { appId: APP_ID, publicKey: app.publicKey, installationId: INSTALLATION_ID, ...options },
    });
    return h;
  };
  const credentials = (overrides: { appId?: number; privateKey?: string; refreshBeforeExpiryMs?: number } = {}) => ({
    appId: APP_ID,
    privateKey: app.privateKey,
    installationId: INSTALLATION_ID,
    ...overrides,
  });
  afterEach(async () => {
    h?.server.assertNoViolations();
    await h?.close();
    h = undefined;
  });

  it('GIVEN an App installed on the repository WHEN the client opens a tenant PR as the App THEN one token is minted and used for every call', async () => {
    const { server, client } = await started();
    const pr = await openTenantPullRequest(client({ auth: credentials() }), change('acme'));
    expect(pr.created).toBe(true);
    expect(server.takeCalls()).toEqual([
      MINT,
      ...READ_MAIN,
      CALL.createTree,
      CALL.createCommit,
      CALL.createRef,
      CALL.createPull,
      CALL.addLabels,
    ]);
    expect(server.installationTokens()).toHaveLength(1);
    expect(server.pulls().map((p) => p.number)).toEqual([pr.number]);
  });

  it('GIVEN the server in App mode WHEN a plain token is sent THEN it is refused with 401 Bad credentials', async () => {
    const { server, client } = await started();
    await expect(
      openTenantPullRequest(client({ auth: 'ghp_not-an-installation-token' }), change('acme')),
    ).rejects.toThrow(/GitHub answered 401 .*Bad credentials/);
    expect(server.pulls()).toEqual([]);
  });

  it('GIVEN the wrong private key or the wrong App id WHEN the client asks for a token THEN GitHub answers 401 and the error names the App settings', async () => {
    const { server, client } = await started();
    const other = rsaKeys();
    const wrongKey = openTenantPullRequest(
      client({ auth: credentials({ privateKey: other.privateKey }) }),
      change('a'),
    );
    await expect(wrongKey).rejects.toThrow(
      /GitHub answered 401 .*GitHub refused the GitHub App's installation token \(app 123456, installation 42\): A JSON web token could not be decoded.*TENANT_GITOPS_GITHUB_APP_ID/,
    );
    const wrongApp = openTenantPullRequest(client({ auth: credentials({ appId: 999 }) }), change('b'));
    await expect(wrongApp).rejects.toThrow(/GitHub answered 401 .*app 999.*Integration not found/);
    // Nothing past the token request was answered: no repository call, no token.
    expect(server.takeCalls()).toEqual([MINT, MINT]);
    expect(server.installationTokens()).toEqual([]);
  });

  it('GIVEN hand-made JWTs WHEN each asks for a token THEN the server applies GitHub rules (RS256 signed by the App, iss, iat, exp within 10 minutes)', async () => {
    const { server } = await started();
    const now = Math.floor(Date.now() / 1000);
    const ask = async (token: string) => {
      const response = await fetch(`${server.url}/app/installations/${INSTALLATION_ID}/access_tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
      });
      return { status: response.status, message: ((await response.json()) as { message: string }).message };
    };
    const good = { iss: APP_ID, iat: now - 30, exp: now + 570 };
    expect((await ask(jwt(good))).status).toBe(201);
    const unsigned = `${jwt(good).split('.').slice(0, 2).join('.')}.`;
    const refused = [
      await ask(unsigned),
      await ask(jwt(good, app.privateKey, 'HS256')),
      await ask(jwt(good, rsaKeys().privateKey)),
      await ask(jwt({ ...good, iss: APP_ID + 1 })),
      await ask(jwt({ ...good, exp: now + 601, iat: now - 30 })),
      await ask(jwt({ ...good, iat: now - 700, exp: now - 100 })),
      await ask(jwt({ ...good, iat: now + 300 })),
      await ask(jwt({ ...good, iat: String(now) })),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 401));
    expect(refused.map((r) => r.message)).toEqual([
      'A JSON web token could not be decoded',
      'A JSON web token could not be decoded',
      'A JSON web token could not be decoded',
      'Integration not found',
      "'Expiration time' claim ('exp') is too far in the future",
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    ]);
    expect(server.installationTokens()).toHaveLength(1);
  });

  it('GIVEN tokens that live 2 s WHEN a request comes after the first token expired THEN it succeeds on a second token', async () => {
    const { server, client } = await started({ tokenLifetimeSeconds: 2 });
    const gh = client({ auth: credentials({ refreshBeforeExpiryMs: 0 }) }); // kept until it expires
    await openTenantPullRequest(gh, change('first'));
    const [first] = server.installationTokens();
    await sleep(first!.expiresAt - Date.now() + 50);
    const second = await openTenantPullRequest(gh, change('second'));
    expect(second.created).toBe(true);
    expect(server.calls.filter((c) => c === MINT)).toHaveLength(2);
    expect(server.installationTokens()).toHaveLength(2);
  });

  it('GIVEN tokens that live 4 s WHEN a request comes with less than the margin left THEN the token is replaced before it expires', async () => {
    const { server, client } = await started({ tokenLifetimeSeconds: 4 });
    const gh = client({ auth: credentials() }); // default margin: 5 minutes, at most half the lifetime
    await openTenantPullRequest(gh, change('first'));
    const [first] = server.installationTokens();
    await sleep(first!.expiresAt - Date.now() - 1500); // inside the last half of its life, not expired
    const replacedAt = Date.now();
    await openTenantPullRequest(gh, change('second'));
    expect(server.installationTokens()).toHaveLength(2);
    expect(replacedAt).toBeLessThan(first!.expiresAt);
  });

  it('GIVEN auth-app with its own cache (59 minutes from minting) WHEN a short-lived token has expired THEN its next request is refused: the reason for the expiry-aware cache', async () => {
    const { server } = await started({ tokenLifetimeSeconds: 2 });
    const octokit = new Octokit({ baseUrl: server.url, authStrategy: createAppAuth, auth: credentials(), log: quiet });
    await octokit.request('GET /repos/{owner}/{repo}', { owner: OWNER, repo: REPO });
    const [first] = server.installationTokens();
    await sleep(first!.expiresAt - Date.now() + 50);
    await expect(octokit.request('GET /repos/{owner}/{repo}', { owner: OWNER, repo: REPO })).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    });
    expect(server.installationTokens()).toHaveLength(1);
  }, 15_000);
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
