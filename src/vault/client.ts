// The few Vault HTTP API calls the platform makes (https://developer.hashicorp.com/vault/api-docs):
// ACL policies, Kubernetes auth roles and a KV version 2 folder. Each answers Vault's errors as a
// TenantGitopsError naming the call and Vault's own words; a LIST of nothing (404) is empty.
import { TenantGitopsError } from '../shared/errors.ts';

export interface VaultClientOptions {
  /** Vault's address, e.g. https://vault.example.com:8200. */
  address: string;
  token: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface VaultClient {
  readonly address: string;
  putPolicy(name: string, rules: unknown): Promise<void>;
  deletePolicy(name: string): Promise<void>;
  listPolicies(): Promise<string[]>;
  putKubernetesRole(authMount: string, name: string, role: Record<string, unknown>): Promise<void>;
  readKubernetesRole(authMount: string, name: string): Promise<Record<string, unknown> | null>;
  deleteKubernetesRole(authMount: string, name: string): Promise<void>;
  listKubernetesRoles(authMount: string): Promise<string[]>;
  /** Every secret below `folder` of a KV v2 mount (paths relative to the mount), depth first. */
  listKvSecrets(kvMount: string, folder: string): Promise<string[]>;
  /** Deletes a KV v2 secret with every version and its metadata. */
  destroyKvSecret(kvMount: string, path: string): Promise<void>;
}

/** A Vault path segment list, each segment percent-encoded ('a/b' stays two segments). */
function apiPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}

export function vaultClient(options: VaultClientOptions): VaultClient {
  const address = options.address.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await doFetch(`${address}/v1/${path}`, {
        method,
        headers: {
          'X-Vault-Token': options.token,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new TenantGitopsError(
        'UPSTREAM_ERROR',
        `Vault at ${address} did not answer ${method} /v1/${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    const json = text === '' ? null : (JSON.parse(text) as unknown);
    return { status: response.status, json };
  }

  async function expectOk(method: string, path: string, body?: unknown, allowNotFound = false): Promise<unknown> {
    const { status, json } = await call(method, path, body);
    if (status >= 200 && status < 300) return json;
    if (status === 404 && allowNotFound) return null;
    const errors = (json as { errors?: unknown[] } | null)?.errors ?? [];
    const hint =
      status === 403
        ? ' (fix: use a Vault token whose policy allows this path, e.g. the platform operator policy in README)'
        : '';
    throw new TenantGitopsError(
      'UPSTREAM_ERROR',
      `Vault answered ${status} to ${method} /v1/${path}: ${errors.map(String).join('; ') || 'no error text'}${hint}`,
    );
  }

  async function list(path: string): Promise<string[]> {
    // GET ?list=true rather than the LIST verb: the same call to Vault, and one every HTTP proxy passes.
    const json = (await expectOk('GET', `${path}?list=true`, undefined, true)) as { data?: { keys?: unknown } } | null;
    const keys = json?.data?.keys;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  }

  return {
    address,
    putPolicy: async (name, rules) => {
      // Vault parses a policy as HCL, and JSON is HCL.
      await expectOk('PUT', apiPath('sys/policies/acl', name), { policy: JSON.stringify(rules) });
    },
    deletePolicy: async (name) => {
      await expectOk('DELETE', apiPath('sys/policies/acl', name), undefined, true);
    },
    listPolicies: () => list(apiPath('sys/policies/acl')),
    putKubernetesRole: async (authMount, name, role) => {
      await expectOk('POST', apiPath('auth', authMount, 'role', name), role);
    },
    readKubernetesRole: async (authMount, name) => {
      const json = (await expectOk('GET', apiPath('auth', authMount, 'role', name), undefined, true)) as {
        data?: Record<string, unknown>;
      } | null;
      return json?.data ?? null;
    },
    deleteKubernetesRole: async (authMount, name) => {
      await expectOk('DELETE', apiPath('auth', authMount, 'role', name), undefined, true);
    },
    listKubernetesRoles: (authMount) => list(apiPath('auth', authMount, 'role')),
    listKvSecrets: async (kvMount, folder) => {
      const out: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        for (const key of await list(apiPath(kvMount, 'metadata', dir))) {
          if (key.endsWith('/')) await walk(`${dir}/${key.slice(0, -1)}`);
          else out.push(`${dir}/${key}`);
        }
      };
      await walk(folder.replace(/\/+$/, ''));
      return out;
    },
    destroyKvSecret: async (kvMount, path) => {
      await expectOk('DELETE', apiPath(kvMount, 'metadata', path), undefined, true);
    },
  };
}
