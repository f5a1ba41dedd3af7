// Impersonation for the cluster tests. `getAsImpersonator`: one raw HTTPS GET with Impersonate-*
// headers, authenticated with a bearer token (to prove a tenant cannot impersonate).
// `impersonatingKubeConfig`: the admin's KubeConfig acting as a tenant owner (a user, optionally in
// one group) for every typed client call; client-node's own `as:` sets Impersonate-User only, so a
// custom authenticator adds the group header as well.
import { request } from 'node:https';
import { KubeConfig, type User } from '@kubernetes/client-node';

export async function getAsImpersonator(
  kc: KubeConfig,
  token: string,
  path: string,
  impersonate: Record<string, string>,
): Promise<number> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.caData) throw new Error('tenant-gitops: the kubeconfig has no certificate-authority-data');
  const url = new URL(path, cluster.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: Buffer.from(cluster.caData!, 'base64'),
        headers: { Authorization: `Bearer ${token}`, ...impersonate },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
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
