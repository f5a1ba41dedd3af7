// More tenant clusters for the sandbox and the multi-cluster tests: each one a control plane of its
// own (scripts/control-plane.sh with its own directory, PKI and ports), made known to ArgoCD the way
// `argocd cluster add` does it (a Secret labelled argocd.argoproj.io/secret-type=cluster in argocd,
// holding the API server's address and credentials), and to the platform repository as
// clusters/<name>.yaml with its generated argocd/clusters/<name>/ folder.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { renderClusterNamespacesReadme } from '../../src/generate/render/argocd-tenant.ts';
import { toolPath } from '../../src/shared/tools.ts';
import { clusterFilePath, clusterNamespacesReadmePath, CLUSTER_SCHEMA_COMMENT } from '../../src/tenant/names.ts';
import { ARGOCD_NAMESPACE } from '../../src/tenant/platform.ts';
import { startSandboxControlPlane } from './control-plane.ts';

const run = promisify(execFile);

export interface TenantCluster {
  /** Its name in clusters/ and in ArgoCD. */
  name: string;
  kubeconfig: string;
  /** The API server's address, as ArgoCD reaches it. */
  server: string;
  stop(): Promise<void>;
}

/** Starts the control plane of one more cluster, its state in `dir`. */
export async function startTenantCluster(options: {
  checkout: string;
  dir: string;
  name: string;
}): Promise<TenantCluster> {
  const controlPlane = await startSandboxControlPlane({ checkout: options.checkout, stateDir: options.dir });
  return { name: options.name, ...controlPlane, server: kubeconfigCluster(controlPlane.kubeconfig).server };
}

interface KubeconfigFile {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

function kubeconfigCluster(path: string): { server: string; caData: string; certData: string; keyData: string } {
  const config = parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  const cluster = config.clusters[0]?.cluster;
  const user = config.users[0]?.user;
  if (!cluster || !user) throw new Error(`tenant-gitops: ${path} names no cluster or no user`);
  return {
    server: cluster.server,
    caData: cluster['certificate-authority-data'],
    certData: user['client-certificate-data'],
    keyData: user['client-key-data'],
  };
}

/** The Secret that registers a cluster with ArgoCD (ArgoCD's declarative cluster setup). */
export function argocdClusterSecret(name: string, kubeconfig: string): Record<string, unknown> {
  const { server, caData, certData, keyData } = kubeconfigCluster(kubeconfig);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${name}`,
      namespace: ARGOCD_NAMESPACE,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'app.kubernetes.io/managed-by': 'tenant-gitops' },
    },
    type: 'Opaque',
    stringData: {
      name,
      server,
      config: JSON.stringify({ tlsClientConfig: { caData, certData, keyData } }),
    },
  };
}

/** Applies the cluster Secret to ArgoCD's cluster (`argocdKubeconfig`), creating the argocd namespace if needed. */
export async function registerWithArgoCD(argocdKubeconfig: string, cluster: TenantCluster): Promise<void> {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } };
  const manifests = [namespace, argocdClusterSecret(cluster.name, cluster.kubeconfig)].map((m) => stringify(m));
  const child = run(toolPath('kubectl'), ['apply', '--server-side', '--force-conflicts', '-f', '-'], {
    env: { ...process.env, KUBECONFIG: argocdKubeconfig },
  });
  child.child.stdin?.end(manifests.join('---\n'));
  await child;
}

/**
 * clusters/<name>.yaml for a cluster shaped like `template` (the registry file of an existing
 * cluster, e.g. clusters/in-cluster.yaml): same node pools, its own name, ArgoCD name, address and
 * region; and its generated folder argocd/clusters/<name>/README.md, as `tenantctl generate` writes it.
 */
export function registryFiles(cluster: { name: string; server: string }, template: string): Record<string, string> {
  const spec = parse(template) as Record<string, unknown> & { labels?: Record<string, string> };
  const file = {
    ...spec,
    name: cluster.name,
    argocdCluster: cluster.name,
    server: cluster.server,
    labels: { ...spec.labels, region: cluster.name },
  };
  return {
    [clusterFilePath(cluster.name)]: `#${CLUSTER_SCHEMA_COMMENT}\n${stringify(file)}`,
    [clusterNamespacesReadmePath(cluster.name)]: renderClusterNamespacesReadme(cluster.name),
  };
}

/** The registry file of the cluster ArgoCD runs in, in a checkout. */
export function inClusterRegistryFile(checkout: string): string {
  return readFileSync(join(checkout, clusterFilePath('in-cluster')), 'utf8');
}
