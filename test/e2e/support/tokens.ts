// Acting as a ServiceAccount with a real token issued by the API server (TokenRequest), so RBAC is
// exercised exactly as it is for the tenant's own tools.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export async function requestServiceAccountToken(
  admin: KubeConfig,
  namespace: string,
  name: string,
  expirationSeconds = 600,
): Promise<string> {
  const response = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds } },
  });
  const token = response.status?.token;
  if (!token) throw new Error(`tenant-gitops: TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}

/** A KubeConfig for the same API server that authenticates with `token` only (no client cert). */
export function kubeConfigForToken(admin: KubeConfig, token: string): KubeConfig {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('tenant-gitops: the admin kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'token-user', token }],
    contexts: [{ name: 'token', cluster: cluster.name, user: 'token-user' }],
    currentContext: 'token',
  });
  return kc;
}

export async function serviceAccountKubeConfig(
  admin: KubeConfig,
  namespace: string,
  name: string,
): Promise<KubeConfig> {
  return kubeConfigForToken(admin, await requestServiceAccountToken(admin, namespace, name));
}
