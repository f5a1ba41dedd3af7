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
import type { Logger } from '../shared/log.ts';
import type { ClusterPort } from './ports.ts';
import type { OnboardingService } from './service.ts';

export interface ClusterOffboardingOptions {
  /** The final Velero backup; null or absent: none is taken. */
  backup?: BackupSettings | null;
  /** For each step that waits (the backup, the deletions, the volumes' release). @default 10 minutes */
  timeoutMs?: number;
}

export function kubernetesClusterPort(
  kubeConfig: KubeConfig,
  log: Logger,
  offboarding: ClusterOffboardingOptions = {},
): ClusterPort {
  const timeoutMs = offboarding.timeoutMs ?? 10 * 60_000;
  return {
    requestToken: (tenant, expirationSeconds) => requestTenantToken(kubeConfig, tenant, expirationSeconds),
    suspend: async (tenant, namespaces) => {
      // Before anything is written: a list naming another tenant's namespace is a bug upstream.
      refuseForeignNamespaces(tenant, namespaces);
      return {
        at: new Date().toISOString(),
        ...(await suspendTenant(kubeConfig, namespaces, { log: log.child({ tenant }) })),
      };
    },
    finalBackup: (tenant, namespaces, name) =>
      offboarding.backup
        ? takeFinalBackup(kubeConfig, { tenant, namespaces, name }, offboarding.backup, {
            deadline: Date.now() + timeoutMs,
            log: log.child({ tenant }),
          })
        : Promise.resolve(null),
    remove: async (tenant, namespaces) => {
      const removed = await offboardTenantFromCluster(kubeConfig, tenant, namespaces, { timeoutMs, log });
      const gone = (deleted: boolean) => (deleted ? 'deleted' : 'already gone');
      return [
        `Application ${ARGOCD_NAMESPACE}/${applicationName(tenant)} (${gone(removed.applicationDeleted)})`,
        `AppProject ${ARGOCD_NAMESPACE}/${appProjectName(tenant)} (${gone(removed.appProjectDeleted)})`,
        ...namespaces.map((ns) => `Namespace ${ns} (${gone(removed.namespacesDeleted.includes(ns))})`),
      ];
    },
    verify: (tenant, namespaces) =>
      verifyTenantGone(kubeConfig, tenant, namespaces, { deadline: Date.now() + timeoutMs }),
    promptArgoCD: async (tenant, current) => {
      const { actions, waitingFor } = await promptArgoCD(kubeConfig, tenant, { current });
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
