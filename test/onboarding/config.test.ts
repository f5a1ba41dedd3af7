// `tenantctl serve` configuration: flags over environment, secrets only from the environment, and
// every missing setting named at once.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('GIVEN the offboarding settings WHEN loaded THEN the backup is off by default, on with a storage location, and a bad TTL, timeout or key is refused naming the setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-config-'));
    try {
      expect(loadServeConfig([], env)).toMatchObject({
        offboarding: { backup: null, timeoutMs: 600_000 },
        deletionSigningKey: null,
      });
      const ed25519 = join(dir, 'ed25519.pem');
      writeFileSync(ed25519, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const on = loadServeConfig([], {
        ...env,
        TENANT_GITOPS_BACKUP_STORAGE_LOCATION: 'archive',
        TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS: '120',
        TENANT_GITOPS_DELETION_SIGNING_KEY_FILE: ed25519,
      });
      expect(on.offboarding).toEqual({
        backup: { namespace: 'velero', storageLocation: 'archive', ttl: '720h' },
        timeoutMs: 120_000,
      });
      expect(on.deletionSigningKey).toContain('BEGIN PRIVATE KEY');

      const refused = (extra: Record<string, string>) => {
        try {
          loadServeConfig([], { ...env, ...extra });
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          return (error as InputError).issues.map((i) => `${i.path}: ${i.message}${i.fix ? ` (${i.fix})` : ''}`);
        }
        throw new Error('not refused');
      };
      expect(
        refused({ TENANT_GITOPS_BACKUP_STORAGE_LOCATION: 'archive', TENANT_GITOPS_BACKUP_TTL: '30 days' }),
      ).toEqual(['config.offboarding.backup.ttl: set TENANT_GITOPS_BACKUP_TTL to a Go duration, e.g. 720h']);
      expect(refused({ TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS: '0' })).toEqual([
        'config.offboarding.timeoutMs: set TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS to at least 1',
      ]);
      const rsa = join(dir, 'rsa.pem');
      writeFileSync(
        rsa,
        generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      expect(refused({ TENANT_GITOPS_DELETION_SIGNING_KEY_FILE: rsa })).toEqual([
        expect.stringMatching(
          /^TENANT_GITOPS_DELETION_SIGNING_KEY_FILE: .*rsa\.pem is not an Ed25519 private key.*\(name a file holding an Ed25519 private key/,
        ),
      ]);
      expect(refused({ TENANT_GITOPS_DELETION_SIGNING_KEY_FILE: join(dir, 'missing.pem') })).toEqual([
        expect.stringMatching(/^TENANT_GITOPS_DELETION_SIGNING_KEY_FILE: cannot read .*missing\.pem/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
