// Bearer-token authentication against several named tokens. Both sides are hashed to a fixed length
// and compared with timingSafeEqual, and every token is compared (no early exit), so neither the
// length nor the position of a match leaks through timing. The caller's name goes into the audit;
// its scopes (scopes.ts) decide what it may do.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Scope } from './scopes.ts';

export interface ApiToken {
  name: string;
  token: string;
  scopes: readonly Scope[];
}

/** Who is calling: the token's name and what it may do. */
export interface Principal {
  name: string;
  scopes: readonly Scope[];
}

export class ApiTokenAuthenticator {
  readonly #tokens: { principal: Principal; digest: Buffer }[];

  constructor(tokens: ApiToken[]) {
    if (tokens.length === 0)
      throw new Error('tenant-gitops: no API tokens configured; set TENANT_GITOPS_API_TOKENS or --api-tokens-file');
    this.#tokens = tokens.map((t) => ({ principal: { name: t.name, scopes: t.scopes }, digest: digest(t.token) }));
  }

  /** The caller, or null when the header carries no known token. */
  authenticate(authorization: string | undefined): Principal | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const presented = digest(match[1]);
    let caller: Principal | null = null;
    for (const token of this.#tokens) {
      if (timingSafeEqual(token.digest, presented) && caller === null) caller = token.principal;
    }
    return caller;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
