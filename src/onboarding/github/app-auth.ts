// GitHub App authentication: @octokit/auth-app signs a JWT with the App's private key, exchanges it
// for an installation token (POST /app/installations/{id}/access_tokens) on the first request, and
// sends that token on every request after.
//
// When a token is replaced: auth-app 7 keeps a minted token in an LRU cache for a fixed 59 minutes
// after it was minted (cache.js: `1e3 * 60 * 59`), whatever `expires_at` GitHub answered; it never
// reads `expires_at`. That is right only while GitHub's tokens live exactly one hour. The cache
// below is auth-app's `cache` option: it hands a token out only while it has more than
// `refreshBeforeExpiryMs` left before the `expires_at` GitHub gave it (at most half its lifetime),
// so a token is replaced before it expires, whatever lifetime GitHub chooses.
import { createAppAuth } from '@octokit/auth-app';

export interface GitHubAppCredentials {
  /** The App's id, or its client ID (`Iv…`, which GitHub recommends as the JWT's issuer). */
  appId: number | string;
  /** The App's private key, PEM (GitHub hands out PKCS#1 "BEGIN RSA PRIVATE KEY"; PKCS#8 also works). */
  privateKey: string;
  installationId: number;
  /** A token with less than this left is replaced before use. Default 5 minutes. */
  refreshBeforeExpiryMs?: number;
}

export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/** auth-app's cache interface: `token|createdAt|expiresAt|…` strings under a key per installation. */
export interface TokenCache {
  get(key: string): string;
  set(key: string, value: string): void;
}

export function expiryAwareTokenCache(refreshBeforeExpiryMs: number, now: () => number = Date.now): TokenCache {
  const entries = new Map<string, string>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined as unknown as string; // auth-app reads "no entry" as falsy
      const [, createdAt = '', expiresAt = ''] = value.split('|');
      const created = Date.parse(createdAt);
      const expires = Date.parse(expiresAt);
      const margin = Math.min(refreshBeforeExpiryMs, Number.isFinite(created) ? (expires - created) / 2 : 0);
      if (Number.isFinite(expires) && expires - now() > margin) return value;
      entries.delete(key);
      return undefined as unknown as string;
    },
    set(key, value) {
      entries.set(key, value);
    },
  };
}

const MINT = /\/app\/installations\/[^/]+\/access_tokens$/;
const REFUSED = "GitHub refused the GitHub App's installation token";

/**
 * Octokit's `authStrategy` for the App: auth-app with the cache above, and a refused token exchange
 * reported as what it is (the App id, key or installation is wrong) instead of a bare 401 that
 * looks like the request the service was making.
 */
export function appAuthStrategy(options: GitHubAppCredentials & Record<string, unknown>) {
  const { refreshBeforeExpiryMs = DEFAULT_REFRESH_BEFORE_EXPIRY_MS, ...rest } = options;
  const auth = createAppAuth({ ...rest, cache: expiryAwareTokenCache(refreshBeforeExpiryMs) });
  const hook: typeof auth.hook = async (request, route, parameters) => {
    try {
      return await auth.hook(request, route, parameters);
    } catch (error) {
      const url = (error as { request?: { url?: string } }).request?.url ?? '';
      // One refusal can reach several callers (auth-app shares a token request in flight): say it once.
      const said = error instanceof Error && error.message.startsWith(REFUSED);
      if (error instanceof Error && !said && MINT.test(new URL(url, 'http://github.invalid').pathname))
        error.message =
          `${REFUSED} (app ${options.appId}, installation ` +
          `${options.installationId}): ${error.message} (fix: check TENANT_GITOPS_GITHUB_APP_ID, that the private key ` +
          "is this App's, and TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID)";
      throw error;
    }
  };
  return Object.assign(auth.bind(null) as typeof auth, { hook });
}
