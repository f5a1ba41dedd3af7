// The service's connections read from the environment: the registry clusters other than ArgoCD's,
// and Vault.
import { readFileSync } from 'node:fs';
import { InputError } from '../shared/errors.ts';
import { DNS_LABEL } from '../tenant/names.ts';

export /**
 * TENANT_GITOPS_CLUSTER_KUBECONFIGS=east=/etc/kube/east,west=/etc/kube/west: the kubeconfig of each
 * registry cluster (clusters/<name>.yaml) the service acts on tenants' namespaces in. Empty: every
 * tenant lives in ArgoCD's cluster (TENANT_GITOPS_KUBECONFIG).
 */
function readClusterKubeConfigs(env: Record<string, string | undefined>): { cluster: string; kubeconfig: string }[] {
  const raw = env['TENANT_GITOPS_CLUSTER_KUBECONFIGS'] ?? '';
  if (raw.trim() === '') return [];
  const entries = raw.split(',').map((entry) => entry.trim());
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    const cluster = at > 0 ? entry.slice(0, at) : '';
    const kubeconfig = at > 0 ? entry.slice(at + 1) : '';
    const problem = !DNS_LABEL.test(cluster)
      ? `"${entry}" does not start with a cluster name (a DNS label)`
      : kubeconfig === ''
        ? `"${entry}" names no kubeconfig file`
        : seen.has(cluster)
          ? `cluster ${cluster} is named twice`
          : null;
    if (problem)
      throw new InputError([
        {
          path: 'TENANT_GITOPS_CLUSTER_KUBECONFIGS',
          message: problem,
          fix: 'list <cluster>=<kubeconfig file> pairs, comma-separated, one per registry cluster (clusters/<cluster>.yaml)',
        },
      ]);
    seen.add(cluster);
    return { cluster, kubeconfig };
  });
}

export /** Vault's address and the token read from its file; null when neither is set. */
function readVault(env: Record<string, string | undefined>): { address: string; token: string } | null {
  const address = env['TENANT_GITOPS_VAULT_ADDR'] ?? '';
  const file = env['TENANT_GITOPS_VAULT_TOKEN_FILE'] ?? '';
  if (address === '' && file === '') return null;
  let token = '';
  if (file !== '') {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new InputError([
        {
          path: 'TENANT_GITOPS_VAULT_TOKEN_FILE',
          message: `cannot read ${file}: ${(error as Error).message}`,
          fix: 'name a readable file holding a Vault token',
        },
      ]);
    }
  }
  return { address, token };
}
