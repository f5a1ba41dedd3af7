// One raw HTTPS request with Impersonate-* headers (client-node has no per-request impersonation),
// authenticated as the kubeconfig's user (client certificate or bearer token) and verified against
// the cluster CA from the kubeconfig; and `impersonatingKubeConfig`, the admin's KubeConfig acting
// as a tenant owner (a user, optionally in one group) for every typed client call (client-node's own
// `as:` sets Impersonate-User only, so a custom authenticator adds the group header as well).
import { request } from 'node:https';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { kubeConfigForToken } from './tokens.ts';

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/namespaces/x/services?dryRun=All`. */
  path: string;
  /** Sent as JSON (a PATCH as a merge patch). */
  body?: unknown;
}

export interface RawResponse {
  status: number;
  /** The parsed JSON answer (a Status on refusals), or the text when it is not JSON. */
  body: unknown;
}

export async function requestAsImpersonator(
  kc: KubeConfig,
  call: RawRequest,
  impersonate: Record<string, string>,
): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.caData) throw new Error('tenant-gitops: the kubeconfig has no certificate-authority-data');
  const url = new URL(call.path, cluster.server);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const options: Parameters<typeof request>[1] = {
    method: call.method,
    headers: {
      ...impersonate,
      ...(payload === undefined
        ? {}
        : {
            'Content-Type': call.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
            'Content-Length': Buffer.byteLength(payload),
          }),
    },
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GET with a bearer token and Impersonate-* headers; the HTTP status only. */
export async function getAsImpersonator(
  kc: KubeConfig,
  token: string,
  path: string,
  impersonate: Record<string, string>,
): Promise<number> {
  const response = await requestAsImpersonator(kubeConfigForToken(kc, token), { method: 'GET', path }, impersonate);
  return response.status;
}

export interface ImpersonatedIdentity {
  user: string;
  /** One group the impersonated user is in (the API server adds system:authenticated itself). */
  group?: string;
}

/** A KubeConfig that authenticates as `admin` and acts as `identity` on every request. */
export function impersonatingKubeConfig(admin: KubeConfig, identity: ImpersonatedIdentity): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(admin.exportConfig());
  const name = kc.getCurrentUser()?.name;
  kc.addAuthenticator({
    isAuthProvider: (user: User) => user.name === name,
    applyAuthentication: async (_user, opts) => {
      opts.headers = {
        ...opts.headers,
        'Impersonate-User': identity.user,
        ...(identity.group ? { 'Impersonate-Group': identity.group } : {}),
      };
    },
  });
  return kc;
}
