// The real cluster behind ClusterPort (cluster/), and the Application watch feeding
// OnboardingService.applicationStatusChanged.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  offboardTenantFromCluster,
  promptArgoCD,
  refuseForeignNamespaces,
  requestTenantToken,
  suspendTenant,
  takeFinalBackup,
  verifyTenantGone,
  watchTenantApplications,
  type TenantApplicationWatch,
} from './cluster/index.ts';
import { applicationName, appProjectName } from '../tenant/names.ts';
import { ARGOCD_NAMESPACE } from '../tenant/platform.ts';
import type { BackupSettings } from './cluster/final-backup.ts';
import { waitForPlatformCaughtUp } from './cluster/platform-caught-up.ts';
import type { Logger } from '../shared/log.ts';
import type { ClusterPort, PlacedTenant } from './ports.ts';
import { ClusterNotConfiguredError } from '../shared/errors.ts';
import type { OnboardingService } from './service.ts';

export interface ClusterOffboardingOptions {
  /** The final Velero backup; null or absent: none is taken. */
  backup?: BackupSettings | null;
  /** For each step that waits (the backup, the deletions, the volumes' release). @default 10 minutes */
  timeoutMs?: number;
}

/** Where the service reaches each cluster. */
export interface ClusterConnections {
  /** ArgoCD's cluster: the Applications, AppProjects and ApplicationSets. */
  argocd: KubeConfig;
  /**
   * A registry cluster (clusters/<name>.yaml) by name: where its tenants' namespaces are. Throws
   * ClusterNotConfiguredError, naming the setting, for a cluster the service cannot reach.
   */
  tenantCluster(cluster: string): KubeConfig;
}

/**
 * `argocd` for ArgoCD's cluster and every tenant cluster `byCluster` does not name; with `byCluster`
 * given (TENANT_GITOPS_CLUSTER_KUBECONFIGS), a cluster it does not name is refused rather than
 * guessed: acting on the wrong cluster would delete or suspend namespaces of the same name there.
 */
export function clusterConnections(
  argocd: KubeConfig,
  byCluster?: ReadonlyMap<string, KubeConfig>,
): ClusterConnections {
  return {
    argocd,
    tenantCluster: (cluster) => {
      if (byCluster === undefined || byCluster.size === 0) return argocd;
      const kubeConfig = byCluster.get(cluster);
      if (kubeConfig) return kubeConfig;
      const named = [...byCluster.keys()].sort().join(', ');
      throw new ClusterNotConfiguredError(
        `no kubeconfig for cluster ${cluster} (fix: add ${cluster}=<kubeconfig file> to TENANT_GITOPS_CLUSTER_KUBECONFIGS; it names ${named})`,
      );
    },
  };
}

export function kubernetesClusterPort(
  clusters: ClusterConnections,
  log: Logger,
  offboarding: ClusterOffboardingOptions = {},
): ClusterPort {
  const timeoutMs = offboarding.timeoutMs ?? 10 * 60_000;
  const on = (tenant: PlacedTenant) => clusters.tenantCluster(tenant.cluster);
  return {
    requestToken: (tenant, expirationSeconds) => requestTenantToken(on(tenant), tenant.name, expirationSeconds),
    suspend: async (tenant, namespaces) => {
      // Before anything is written: a list naming another tenant's namespace is a bug upstream.
      refuseForeignNamespaces(tenant.name, namespaces);
      return {
        at: new Date().toISOString(),
        ...(await suspendTenant(on(tenant), namespaces, { log: log.child({ tenant: tenant.name }) })),
      };
    },
    finalBackup: (tenant, namespaces, name) =>
      offboarding.backup
        ? takeFinalBackup(on(tenant), { tenant: tenant.name, namespaces, name }, offboarding.backup, {
            deadline: Date.now() + timeoutMs,
            log: log.child({ tenant: tenant.name }),
          })
        : Promise.resolve(null),
    remove: async (tenant, namespaces, current) => {
      await waitForPlatformCaughtUp(clusters.argocd, {
        cluster: tenant.cluster,
        current,
        deadline: Date.now() + timeoutMs,
      });
      const removed = await offboardTenantFromCluster(clusters.argocd, tenant.name, namespaces, {
        timeoutMs,
        log,
        tenantCluster: on(tenant),
      });
      const gone = (deleted: boolean) => (deleted ? 'deleted' : 'already gone');
      return [
        `Application ${ARGOCD_NAMESPACE}/${applicationName(tenant.name)} (${gone(removed.applicationDeleted)})`,
        `AppProject ${ARGOCD_NAMESPACE}/${appProjectName(tenant.name)} (${gone(removed.appProjectDeleted)})`,
        ...namespaces.map(
          (ns) => `Namespace ${ns} on ${tenant.cluster} (${gone(removed.namespacesDeleted.includes(ns))})`,
        ),
      ];
    },
    verify: (tenant, namespaces) =>
      verifyTenantGone(on(tenant), tenant.name, namespaces, { deadline: Date.now() + timeoutMs }),
    promptArgoCD: async (tenant, current) => {
      const { actions, waitingFor } = await promptArgoCD(clusters.argocd, tenant.name, {
        cluster: tenant.cluster,
        current,
      });
      return { actions, waitingFor };
    },
  };
}

export function watchApplicationsInto(
  service: OnboardingService,
  kubeConfig: KubeConfig,
  log: Logger,
  relistIntervalMs?: number,
): TenantApplicationWatch {
  return watchTenantApplications({
    kubeConfig,
    log: log.child({ component: 'application-watch' }),
    relistIntervalMs,
    onChange: (status) => service.applicationStatusChanged(status),
  });
}

export { startLeaderElection } from './cluster/leader-lease.ts';
