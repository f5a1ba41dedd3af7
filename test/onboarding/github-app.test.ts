// The service authenticated as a GitHub App, against the local GitHub server in App mode (plain
// tokens refused, except the reviewer's): tenants onboarded on installation tokens, a token that
// expired between two requests replaced without a failure, and a wrong key reported as such.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGitHubEdges } from '../../src/onboarding/github-port.ts';
import { silentLogger } from '../../src/shared/log.ts';
import type { GitHubServer } from '../../testing/github-server/index.ts';
import { OWNER, REPO, startHarness, tenantDocument, type Harness } from './support/harness.ts';

const APP_ID = 31_337;
const INSTALLATION_ID = 7;
const MINT = /^\/app\/installations\/7\/access_tokens$/;

function rsaKeys() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}
const app = rsaKeys();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the service as a GitHub App', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.github.violations).toEqual([]);
    await h?.stop();
    h = undefined;
  });

  async function harness(privateKey: string, tokenLifetimeSeconds: number): Promise<Harness> {
    h = await startHarness({
      service: false,
      github: {
        app: { appId: APP_ID, publicKey: app.publicKey, installationId: INSTALLATION_ID, tokenLifetimeSeconds },
        tokens: ['reviewer'], // the test's own merges and reads
      },
    });
    await h.startService({
      github: {
        baseUrl: h.proxy.url,
        app: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID, refreshBeforeExpiryMs: 0 },
        owner: OWNER,
        repo: REPO,
        webhookSecret: h.webhookSecret,
        throttle: false,
      },
      log: silentLogger,
    });
    return h;
  }

  it('GIVEN the App configured WHEN tenants are onboarded before and after its token expired THEN each gets its PR, on a second token, with no 401', async () => {
    // 6 s: long enough that the first onboarding (several GitHub reads and writes) finishes on its token
    // on a loaded machine, short enough to wait out.
    const { api, proxy, github } = await harness(app.privateKey, 6);
    const first = await api('POST', '/v1/tenants', tenantDocument('app-one'));
    expect(first.body).toMatchObject({ state: 'pr_open', pullRequest: { number: expect.any(Number) } });
    const [token] = (github as unknown as GitHubServer).installationTokens();
    await sleep(token!.expiresAt - Date.now() + 50);
    const second = await api('POST', '/v1/tenants', tenantDocument('app-two'));
    expect(second.body).toMatchObject({ state: 'pr_open', pullRequest: { number: expect.any(Number) } });

    expect(proxy.requests.filter((r) => MINT.test(r.path)).map((r) => r.status)).toEqual([201, 201]);
    expect(proxy.requests.filter((r) => r.status === 401)).toEqual([]);
    const prs = (await h!.pulls('open')).map((p) => p.head.ref).sort();
    expect(prs).toEqual(['tenants/app-one', 'tenants/app-two']);
  });

  it('GIVEN the wrong private key WHEN a tenant is requested THEN GitHub refuses the token with 401 and the answer names the App settings', async () => {
    const { api, proxy } = await harness(rsaKeys().privateKey, 3600);
    const asked = await api('POST', '/v1/tenants', tenantDocument('wrong-key'));
    // The request reads the platform namespaces from GitHub first: that read is what fails.
    expect(asked.status).toBe(502);
    expect(asked.body.message.match(/GitHub refused/g)).toHaveLength(1);
    expect(asked.body.message).toMatch(
      /GitHub answered 401 .*GitHub refused the GitHub App's installation token \(app 31337, installation 7\): A JSON web token could not be decoded.*TENANT_GITOPS_GITHUB_APP_ID/,
    );
    // Only token requests reached GitHub: nothing was read or written with the repository.
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => MINT.test(r.path) && r.status === 401)).toBe(true);
    expect(await h!.pulls('all')).toEqual([]);
  });
});

describe('the GitHub port', () => {
  it('GIVEN both a token and an App, or neither WHEN the edges are loaded THEN refused, saying which', async () => {
    const common = { owner: OWNER, repo: REPO, webhookSecret: 'webhook-secret-0123456789', log: silentLogger };
    const appCredentials = { appId: APP_ID, privateKey: app.privateKey, installationId: INSTALLATION_ID };
    await expect(loadGitHubEdges({ ...common, token: 't', app: appCredentials })).rejects.toThrow(
      'GitHub authentication needs exactly one of a token and a GitHub App (both are given)',
    );
    await expect(loadGitHubEdges(common)).rejects.toThrow('(neither is given)');
  });
});
