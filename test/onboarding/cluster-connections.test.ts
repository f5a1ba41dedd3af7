// Which cluster the service acts on for a tenant: TENANT_GITOPS_CLUSTER_KUBECONFIGS read strictly
// (every mistake named, before anything starts), and clusterConnections choosing ArgoCD's cluster
// only when no list is given, never guessing for a cluster the list does not name. The real
// two-cluster proof is test/e2e/onboarding/multi-cluster.test.ts.
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { clusterConnections } from '../../src/onboarding/cluster-port.ts';
import { loadServeConfig } from '../../src/onboarding/config.ts';
import { ClusterNotConfiguredError, InputError } from '../../src/shared/errors.ts';

const env = {
  TENANT_GITOPS_API_TOKENS: 'backend=0123456789abcdef0123 *:*',
  TENANT_GITOPS_GITHUB_TOKEN: 'ghp_example',
  TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
  TENANT_GITOPS_WEBHOOK_SECRET: 'webhook-secret-0123456789',
  TENANT_GITOPS_KUBECONFIG: '/etc/kube/argocd',
};

function kubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('TENANT_GITOPS_CLUSTER_KUBECONFIGS', () => {
  it('GIVEN none WHEN loaded THEN no cluster has its own kubeconfig', () => {
    expect(loadServeConfig([], env).clusterKubeConfigs).toEqual([]);
  });

  it('GIVEN name=file pairs WHEN loaded THEN each cluster gets its file', () => {
    const config = loadServeConfig([], {
      ...env,
      TENANT_GITOPS_CLUSTER_KUBECONFIGS: 'in-cluster=/etc/kube/argocd, east=/etc/kube/east',
    });
    expect(config.clusterKubeConfigs).toEqual([
      { cluster: 'in-cluster', kubeconfig: '/etc/kube/argocd' },
      { cluster: 'east', kubeconfig: '/etc/kube/east' },
    ]);
  });

  it.each([
    ['/etc/kube/east', 'does not start with a cluster name'],
    ['East=/etc/kube/east', 'does not start with a cluster name'],
    ['east=', 'names no kubeconfig file'],
    ['east=/a,east=/b', 'cluster east is named twice'],
  ])('GIVEN %s WHEN loaded THEN it is refused, naming the setting and the fix', (value, message) => {
    let error: unknown;
    try {
      loadServeConfig([], { ...env, TENANT_GITOPS_CLUSTER_KUBECONFIGS: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const [issue] = (error as InputError).issues;
    expect(issue).toMatchObject({ path: 'TENANT_GITOPS_CLUSTER_KUBECONFIGS' });
    expect(issue!.message).toContain(message);
    expect(issue!.fix).toContain('<cluster>=<kubeconfig file>');
  });
});

describe('clusterConnections', () => {
  const argocd = kubeConfig('https://argocd.example:6443');
  const east = kubeConfig('https://east.example:6443');

  it("GIVEN no list THEN every tenant cluster is ArgoCD's own (one cluster, as before)", () => {
    const connections = clusterConnections(argocd);
    expect(connections.argocd).toBe(argocd);
    expect(connections.tenantCluster('in-cluster')).toBe(argocd);
    expect(connections.tenantCluster('anything')).toBe(argocd);
  });

  it('GIVEN a list THEN a listed cluster gets its own, and an unlisted one is refused, naming it and the setting', () => {
    const connections = clusterConnections(argocd, new Map([['east', east]]));
    expect(connections.tenantCluster('east')).toBe(east);
    expect(() => connections.tenantCluster('west')).toThrow(ClusterNotConfiguredError);
    expect(() => connections.tenantCluster('west')).toThrow(
      /no kubeconfig for cluster west \(fix: add west=<kubeconfig file> to TENANT_GITOPS_CLUSTER_KUBECONFIGS; it names east\)/,
    );
    // Not even ArgoCD's own cluster is assumed once a list is given.
    expect(() => connections.tenantCluster('in-cluster')).toThrow(ClusterNotConfiguredError);
  });
});
