// `tenantctl serve` configuration: flags over environment, secrets only from the environment, and
// every missing setting named at once.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.ts';
import { loadServeConfig } from '../../src/onboarding/config.ts';

const env = {
  TENANT_GITOPS_API_TOKENS: 'backend=0123456789abcdef0123 *:*',
  TENANT_GITOPS_GITHUB_TOKEN: 'ghp_example',
  TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
  TENANT_GITOPS_WEBHOOK_SECRET: 'webhook-secret-0123456789',
};

describe('serve configuration', () => {
  it('GIVEN the environment and flags WHEN loaded THEN flags win and defaults fill the rest', () => {
    const config = loadServeConfig(['--port', '9090', '--db=/tmp/x.sqlite', '--kubeconfig', 'in-cluster'], {
      ...env,
      TENANT_GITOPS_PORT: '1',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9090,
      databasePath: '/tmp/x.sqlite',
      apiTokens: [{ name: 'backend', token: '0123456789abcdef0123', scopes: [{ verb: '*', tenants: '*' }] }],
      github: { baseUrl: 'https://api.github.com', owner: 'platform', repo: 'tenants', token: 'ghp_example' },
      callback: null,
      cluster: 'in-cluster',
    });
  });

  it('GIVEN nothing configured WHEN loaded THEN one InputError names every missing setting', () => {
    let error: unknown;
    try {
      loadServeConfig([], {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const paths = (error as InputError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'config.apiTokens',
        'config.github.token',
        'config.github.owner',
        'config.github.webhookSecret',
      ]),
    );
  });

  it('GIVEN a callback URL without its secret, or an unknown flag WHEN loaded THEN refused', () => {
    expect(() => loadServeConfig([], { ...env, TENANT_GITOPS_CALLBACK_URL: 'http://backend/events' })).toThrow(
      /callback\.secret/,
    );
    expect(() => loadServeConfig(['--github-token', 'x'], env)).toThrow(/unknown flag/);
  });
});
