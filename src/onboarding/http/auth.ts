// Bearer-token authentication against several named tokens. Both sides are hashed to a fixed length
// and compared with timingSafeEqual, and every token is compared (no early exit), so neither the
// length nor the position of a match leaks through timing. The caller's name goes into the audit.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiToken {
  name: string;
  token: string;
}

export class ApiTokenAuthenticator {
  readonly #tokens: { name: string; digest: Buffer }[];

  constructor(tokens: ApiToken[]) {
    if (tokens.length === 0)
      throw new Error('tenant-gitops: no API tokens configured; set TENANT_GITOPS_API_TOKENS or --api-tokens-file');
    this.#tokens = tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));
  }

  /** The caller's name, or null when the header carries no known token. */
  authenticate(authorization: string | undefined): string | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const presented = digest(match[1]);
    let caller: string | null = null;
    for (const token of this.#tokens) {
      if (timingSafeEqual(token.digest, presented) && caller === null) caller = token.name;
    }
    return caller;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
