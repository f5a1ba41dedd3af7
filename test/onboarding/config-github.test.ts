// `tenantctl serve` GitHub configuration: a token or a GitHub App, exactly one; the App's key read
// and checked at start, naming the file; the pacing of content-creating requests.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.ts';
import { loadServeConfig } from '../../src/onboarding/config.ts';

const base = {
  TENANT_GITOPS_API_TOKENS: 'backend=0123456789abcdef0123 *:*',
  TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
  TENANT_GITOPS_WEBHOOK_SECRET: 'webhook-secret-0123456789',
};
const dir = mkdtempSync(join(tmpdir(), 'config-github-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const keyFile = join(dir, 'app.pem');
writeFileSync(keyFile, rsa);
const app = {
  TENANT_GITOPS_GITHUB_APP_ID: '123456',
  TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE: keyFile,
  TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID: '42',
};

function issuesOf(env: Record<string, string>): { path: string; message: string; fix?: string }[] {
  try {
    loadServeConfig([], env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error('the configuration was accepted');
}

describe('serve configuration: GitHub authentication and pacing', () => {
  it('GIVEN a GitHub App with its key file WHEN loaded THEN the App is configured, no token, and pacing has GitHub figures in real time', () => {
    const { github } = loadServeConfig([], { ...base, ...app });
    expect(github.token).toBeUndefined();
    expect(github.app).toEqual({ appId: 123456, privateKey: rsa, installationId: 42 });
    expect(github.contentPacing).toEqual({ perMinute: 80, perHour: 500, windowScale: 1 });
  });

  it('GIVEN the key inline in the environment with escaped line breaks WHEN loaded THEN it is the same key', () => {
    const { TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE: _file, ...inline } = app;
    const { github } = loadServeConfig([], {
      ...base,
      ...inline,
      TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY: rsa.replace(/\n/g, '\\n'),
    });
    expect(github.app?.privateKey).toBe(rsa);
  });

  it('GIVEN a token and an App both WHEN loaded THEN refused, naming both', () => {
    const issues = issuesOf({ ...base, ...app, GITHUB_TOKEN: 'ghp_example' });
    expect(issues).toEqual([
      {
        path: 'config.github',
        message:
          'both a token (GITHUB_TOKEN) and a GitHub App (TENANT_GITOPS_GITHUB_APP_ID, TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE, ' +
          'TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID) are set; exactly one is used',
        fix: "unset GITHUB_TOKEN to run as the App, or the App's variables to use the token",
      },
    ]);
  });

  it('GIVEN neither WHEN loaded THEN refused, naming the token and the App variables', () => {
    const [issue] = issuesOf(base);
    expect(issue).toMatchObject({ path: 'config.github.token' });
    expect(`${issue!.message} ${issue!.fix}`).toMatch(
      /TENANT_GITOPS_GITHUB_TOKEN.*TENANT_GITOPS_GITHUB_APP_ID.*TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE.*TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID/,
    );
  });

  it('GIVEN an App half configured WHEN loaded THEN each missing variable is named once', () => {
    const issues = issuesOf({ ...base, TENANT_GITOPS_GITHUB_APP_ID: '123456' });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['config.github.app.installationId', 'TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID is not set'],
      [
        'config.github.app.privateKey',
        'TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE (or TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY) is not set',
      ],
    ]);
  });

  it('GIVEN a key file that is missing, not a key, or not RSA WHEN loaded THEN refused at start, naming the file', () => {
    const notKey = join(dir, 'not-a-key.pem');
    writeFileSync(notKey, '-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all\n-----END RSA PRIVATE KEY-----\n');
    const ec = join(dir, 'ec.pem');
    writeFileSync(
      ec,
      generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
    );
    const refusal = (file: string) =>
      issuesOf({ ...base, ...app, TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE: file }).map((i) => i.message);
    expect(refusal(join(dir, 'missing.pem'))).toEqual([
      `TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE (${join(dir, 'missing.pem')}) cannot be read (ENOENT)`,
    ]);
    expect(refusal(notKey)).toEqual([
      `TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE (${notKey}) is not an RSA private key in PEM`,
    ]);
    expect(refusal(ec)).toEqual([
      `TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE (${ec}) is not an RSA private key in PEM (it is ec)`,
    ]);
  });

  it('GIVEN a bad App id or installation id WHEN loaded THEN refused, naming the variable', () => {
    const issues = issuesOf({
      ...base,
      ...app,
      TENANT_GITOPS_GITHUB_APP_ID: 'my-app',
      TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID: '-1',
    });
    const text = issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/config\.github\.app\.appId: .*TENANT_GITOPS_GITHUB_APP_ID/);
    expect(text).toMatch(/config\.github\.app\.installationId: set TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID/);
  });

  it('GIVEN pacing settings WHEN loaded THEN they are used, and a bad one is named', () => {
    const env = { ...base, GITHUB_TOKEN: 'ghp_example' };
    const { github } = loadServeConfig([], {
      ...env,
      TENANT_GITOPS_GITHUB_CONTENT_PER_MINUTE: '40',
      TENANT_GITOPS_GITHUB_CONTENT_PER_HOUR: '250',
      TENANT_GITOPS_GITHUB_CONTENT_WINDOW_SCALE: '0.01',
    });
    expect(github.contentPacing).toEqual({ perMinute: 40, perHour: 250, windowScale: 0.01 });
    expect(issuesOf({ ...env, TENANT_GITOPS_GITHUB_CONTENT_PER_HOUR: 'lots' })).toEqual([
      expect.objectContaining({
        path: 'config.github.contentPacing.perHour',
        message: 'set TENANT_GITOPS_GITHUB_CONTENT_PER_HOUR to a positive number',
      }),
    ]);
  });
});
