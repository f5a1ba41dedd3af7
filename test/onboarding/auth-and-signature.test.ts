// Bearer tokens (named, constant-time) and the callback signature the backend verifies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.ts';
import { signCallback, verifyCallbackSignature } from '../../src/onboarding/callback-signature.ts';
import { readApiTokens } from '../../src/onboarding/config.ts';
import { ApiTokenAuthenticator } from '../../src/onboarding/http/auth.ts';

describe('API token authentication', () => {
  const auth = new ApiTokenAuthenticator([
    { name: 'backend', token: 'backend-token-0123456789' },
    { name: 'ops', token: 'ops-token-0123456789abcd' },
  ]);

  it('GIVEN a known token WHEN presented THEN the caller is named after it', () => {
    expect(auth.authenticate('Bearer backend-token-0123456789')).toBe('backend');
    expect(auth.authenticate('bearer ops-token-0123456789abcd')).toBe('ops');
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

  it('GIVEN tokens in the environment WHEN read THEN names and plain tokens are both accepted', () => {
    expect(readApiTokens({ TENANT_GITOPS_API_TOKENS: 'backend=aaa, bbb' })).toEqual([
      { name: 'backend', token: 'aaa' },
      { name: 'token-2', token: 'bbb' },
    ]);
  });

  it('GIVEN a token file WHEN read THEN a # inside a token is kept, comments are whole lines, and duplicates are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    try {
      const file = join(dir, 'tokens');
      writeFileSync(file, '# the product backend\nbackend=abc#def\n\n  ops = 0123  \n');
      expect(readApiTokens({ TENANT_GITOPS_API_TOKENS_FILE: file })).toEqual([
        { name: 'backend', token: 'abc#def' },
        { name: 'ops', token: '0123' },
      ]);
      writeFileSync(file, 'backend=aaa\nbackend=bbb\nother=aaa\nspaced=aaa # old comment style\n');
      let error: unknown;
      try {
        readApiTokens({ TENANT_GITOPS_API_TOKENS_FILE: file, TENANT_GITOPS_API_TOKENS: 'backend=ccc' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => [i.path, i.message])).toEqual([
        [
          `TENANT_GITOPS_API_TOKENS_FILE (${file}) line 2`,
          `the name "backend" is already given at TENANT_GITOPS_API_TOKENS_FILE (${file}) line 1`,
        ],
        [
          `TENANT_GITOPS_API_TOKENS_FILE (${file}) line 3`,
          `the same token is already given at TENANT_GITOPS_API_TOKENS_FILE (${file}) line 1`,
        ],
        [`TENANT_GITOPS_API_TOKENS_FILE (${file}) line 4`, 'a token is one word, without spaces'],
        [
          'TENANT_GITOPS_API_TOKENS entry 1',
          `the name "backend" is already given at TENANT_GITOPS_API_TOKENS_FILE (${file}) line 1`,
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
