// One raw HTTPS request with Impersonate-* headers (client-node has no per-request impersonation),
// authenticated with a bearer token and verified against the cluster CA from the kubeconfig.
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

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
