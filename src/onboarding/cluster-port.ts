// The real cluster behind ClusterPort (cluster/), and the Application watch feeding
// OnboardingService.applicationStatusChanged.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  offboardTenant,
  promptArgoCD,
  requestTenantToken,
  watchTenantApplications,
  type TenantApplicationWatch,
} from './cluster/index.ts';
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
    offboard: ({ tenant, namespaces, backupName }) =>
      offboardTenant(
        kubeConfig,
        { tenant, namespaces, backupName, backup: offboarding.backup ?? null },
        { timeoutMs, log },
      ),
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
