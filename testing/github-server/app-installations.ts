// A GitHub App installed on the repository: POST /app/installations/{installation_id}/access_tokens
// checks the App's JWT as GitHub does (RS256, signed by the App's private key, verified with the
// public key a test registers; `iss` the App's id; `iat` and `exp` integers, `exp` in the future and
// at most 10 minutes after `iat`) and answers an installation token with its `expires_at`. Tokens
// it minted are accepted on the other endpoints until they expire, then answered 401 Bad credentials.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { Route } from './routes.ts';
import { HttpFailure } from './state.ts';

export interface AppOptions {
  appId: number;
  /** The App's public key (PEM or KeyObject); JWTs must verify against it. */
  publicKey: string | KeyObject;
  installationId: number;
  /** How long a minted token lives. Default 3600 (GitHub's hour); a test lowers it to see one expire. */
  tokenLifetimeSeconds?: number;
}

/** GitHub lets an App's JWT live at most 10 minutes. */
const MAX_JWT_SECONDS = 600;
/** Clock drift tolerated for `iat` in the future. */
const IAT_DRIFT_SECONDS = 60;

export class AppInstallations {
  readonly appId: number;
  readonly installationId: number;
  readonly #publicKey: KeyObject;
  readonly #lifetimeMs: number;
  readonly #tokens = new Map<string, number>();
  /** Every token minted, in order, with its expiry (ms since the epoch). */
  readonly minted: { token: string; expiresAt: number }[] = [];

  constructor(options: AppOptions) {
    this.appId = options.appId;
    this.installationId = options.installationId;
    this.#publicKey = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
    this.#lifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000;
  }

  /** 'valid' for a minted token not yet expired, 'expired' past its expiry, 'unknown' otherwise. */
  check(token: string, now = Date.now()): 'valid' | 'expired' | 'unknown' {
    const expiresAt = this.#tokens.get(token);
    if (expiresAt === undefined) return 'unknown';
    return now < expiresAt ? 'valid' : 'expired';
  }

  /** Throws the 401 GitHub answers for a JWT it does not accept. */
  verifyJwt(jwt: string | undefined, now = Math.floor(Date.now() / 1000)): void {
    const refuse = (message: string) => new HttpFailure(401, message);
    if (!jwt) throw refuse('A JSON web token could not be decoded');
    const [head = '', body = '', signature = '', ...extra] = jwt.split('.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw refuse('A JSON web token could not be decoded');
    }
    if (extra.length > 0 || header.alg !== 'RS256' || typeof claims !== 'object' || claims === null)
      throw refuse('A JSON web token could not be decoded');
    if (String(claims.iss) !== String(this.appId)) throw refuse('Integration not found');
    const signed = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      this.#publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) throw refuse('A JSON web token could not be decoded');
    const { iat, exp } = claims;
    if (!Number.isInteger(iat) || (iat as number) > now + IAT_DRIFT_SECONDS)
      throw refuse("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
    if (!Number.isInteger(exp) || (exp as number) <= now)
      throw refuse(
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    if ((exp as number) - (iat as number) > MAX_JWT_SECONDS)
      throw refuse("'Expiration time' claim ('exp') is too far in the future");
  }

  mint(now = Date.now()): { token: string; expiresAt: number } {
    // Whole seconds, as `expires_at` says it: the client and the server agree on the instant.
    const expiresAt = Math.floor((now + this.#lifetimeMs) / 1000) * 1000;
    const minted = { token: `ghs_${randomBytes(18).toString('base64url')}`, expiresAt };
    this.#tokens.set(minted.token, minted.expiresAt);
    this.minted.push(minted);
    return minted;
  }

  /** The token route, authenticated by the App's JWT instead of a token. */
  route(): Route {
    return {
      method: 'POST',
      template: '/app/installations/{installation_id}/access_tokens',
      auth: 'app-jwt',
      handle: async ({ params, credentials }) => {
        this.verifyJwt(credentials);
        if (Number(params.installation_id) !== this.installationId) throw new HttpFailure(404, 'Not Found');
        const { token, expiresAt } = this.mint();
        return {
          status: 201,
          body: {
            token,
            expires_at: new Date(expiresAt).toISOString().replace('.000Z', 'Z'),
            permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
            repository_selection: 'selected',
          },
        };
      },
    };
  }
}
