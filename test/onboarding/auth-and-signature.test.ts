// Bearer tokens (named, constant-time) and the callback signature the backend verifies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.ts';
import { signCallback, verifyCallbackSignature } from '../../src/onboarding/callback-signature.ts';
import { readApiTokens } from '../../src/onboarding/config.ts';
import { ApiTokenAuthenticator } from '../../src/onboarding/http/auth.ts';
import { allows, FULL_ACCESS, parseScope } from '../../src/onboarding/http/scopes.ts';

const READ_ALL = [{ verb: 'read', tenants: '*' }] as const;

describe('API token authentication', () => {
  const auth = new ApiTokenAuthenticator([
    { name: 'backend', token: 'backend-token-0123456789', scopes: FULL_ACCESS },
    { name: 'ops', token: 'ops-token-0123456789abcd', scopes: READ_ALL },
  ]);

  it('GIVEN a known token WHEN presented THEN the caller is named after it, with its scopes', () => {
    expect(auth.authenticate('Bearer backend-token-0123456789')).toEqual({ name: 'backend', scopes: FULL_ACCESS });
    expect(auth.authenticate('bearer ops-token-0123456789abcd')).toEqual({ name: 'ops', scopes: READ_ALL });
  });

  it('GIVEN no, a wrong, a prefix or a non-bearer token WHEN presented THEN nobody is authenticated', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer wrong',
      'Bearer backend-token-012345678',
      'Basic backend-token-0123456789',
    ]) {
      expect(auth.authenticate(header)).toBeNull();
    }
  });

  it('GIVEN tokens in the environment WHEN read THEN names, plain tokens and scopes are read', () => {
    expect(readApiTokens({ TENANT_GITOPS_API_TOKENS: 'backend=aaa create:* read:*, bbb *:acme-*' })).toEqual([
      {
        name: 'backend',
        token: 'aaa',
        scopes: [
          { verb: 'create', tenants: '*' },
          { verb: 'read', tenants: '*' },
        ],
      },
      { name: 'token-2', token: 'bbb', scopes: [{ verb: '*', tenants: 'acme-*' }] },
    ]);
  });

  it('GIVEN a token file WHEN read THEN a # inside a token is kept, comments are whole lines, and duplicates, unscoped tokens and bad scopes are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    try {
      const file = join(dir, 'tokens');
      writeFileSync(file, '# the product backend\nbackend=abc#def *:*\n\n  ops = 0123  read:* \n');
      expect(readApiTokens({ TENANT_GITOPS_API_TOKENS_FILE: file })).toEqual([
        { name: 'backend', token: 'abc#def', scopes: FULL_ACCESS },
        { name: 'ops', token: '0123', scopes: READ_ALL },
      ]);
      writeFileSync(
        file,
        [
          'backend=aaa read:*',
          'backend=bbb read:*',
          'other=aaa read:*',
          'spaced=ccc # old comment style',
          'bare=ddd',
          'wrong=eee delete:* read:Acme read:acme*x',
          '',
        ].join('\n'),
      );
      let error: unknown;
      try {
        readApiTokens({ TENANT_GITOPS_API_TOKENS_FILE: file, TENANT_GITOPS_API_TOKENS: 'backend=fff read:*' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      const line = (n: number) => `TENANT_GITOPS_API_TOKENS_FILE (${file}) line ${n}`;
      expect((error as InputError).issues.map((i) => [i.path, i.message])).toEqual([
        [line(2), `the name "backend" is already given at ${line(1)}`],
        [line(3), `the same token is already given at ${line(1)}`],
        [
          line(4),
          '"#" is not a scope: write verb:tenants, e.g. read:* or create:acme-*; ' +
            '"old" is not a scope: write verb:tenants, e.g. read:* or create:acme-*; ' +
            '"comment" is not a scope: write verb:tenants, e.g. read:* or create:acme-*; ' +
            '"style" is not a scope: write verb:tenants, e.g. read:* or create:acme-*',
        ],
        [line(5), 'the token "bare" has no scopes, so it could do nothing'],
        [
          line(6),
          '"delete" in "delete:*" is not a verb: use one of read, create, update, offboard, approve, token, audit, or *; ' +
            '"Acme" in "read:Acme" names no tenants: use *, a tenant name, or a name prefix ending in * (acme-*); ' +
            '"acme*x" in "read:acme*x" names no tenants: use *, a tenant name, or a name prefix ending in * (acme-*)',
        ],
        ['TENANT_GITOPS_API_TOKENS entry 1', `the name "backend" is already given at ${line(1)}`],
      ]);
      expect((error as InputError).issues[4]?.fix).toContain('backend=<token> create:* update:* offboard:* read:*');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API token scopes', () => {
  const scopes = ['create:acme-*', 'read:*', 'token:shop'].map((text) => {
    const scope = parseScope(text);
    if (typeof scope === 'string') throw new Error(scope);
    return scope;
  });

  it('GIVEN verb:tenants scopes WHEN asked THEN exactly the named verbs on the named tenants are allowed', () => {
    expect(allows(scopes, 'create', 'acme-eu')).toBe(true);
    expect(allows(scopes, 'create', 'acme')).toBe(false); // the prefix is "acme-"
    expect(allows(scopes, 'create', 'shop')).toBe(false);
    expect(allows(scopes, 'read', 'anything')).toBe(true);
    expect(allows(scopes, 'token', 'shop')).toBe(true);
    expect(allows(scopes, 'token', 'shop-2')).toBe(false);
    expect(allows(scopes, 'offboard', 'acme-eu')).toBe(false);
    expect(allows(scopes, 'audit', null)).toBe(false);
    expect(allows(FULL_ACCESS, 'audit', null)).toBe(true);
    expect(allows([], 'read', 'acme')).toBe(false);
  });
});

describe('callback signature', () => {
  it('GIVEN a signed body WHEN verified THEN only the same secret, body and a recent timestamp pass', () => {
    const now = 1_700_000_000;
    const header = signCallback('s3cret-s3cret-s3cret', '{"a":1}', now);
    expect(verifyCallbackSignature('s3cret-s3cret-s3cret', '{"a":1}', header, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyCallbackSignature('other-secret-other', '{"a":1}', header, { nowSeconds: now })).toBe(false);
    expect(verifyCallbackSignature('s3cret-s3cret-s3cret', '{"a":2}', header, { nowSeconds: now })).toBe(false);
    expect(verifyCallbackSignature('s3cret-s3cret-s3cret', '{"a":1}', header, { nowSeconds: now + 3600 })).toBe(false);
    expect(verifyCallbackSignature('s3cret-s3cret-s3cret', '{"a":1}', 'garbage', { nowSeconds: now })).toBe(false);
  });
});
