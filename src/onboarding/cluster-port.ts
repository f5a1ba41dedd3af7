// The real cluster behind ClusterPort (cluster/), and the Application watch feeding
// OnboardingService.applicationStatusChanged.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  offboardTenantFromCluster,
  promptArgoCD,
  requestTenantToken,
  watchTenantApplications,
  type TenantApplicationWatch,
} from './cluster/index.ts';
import type { Logger } from '../shared/log.ts';
import type { ClusterPort } from './ports.ts';
import type { OnboardingService } from './service.ts';

export function kubernetesClusterPort(
  kubeConfig: KubeConfig,
  log: Logger,
  offboardTimeoutMs = 10 * 60_000,
): ClusterPort {
  return {
    requestToken: (tenant, expirationSeconds) => requestTenantToken(kubeConfig, tenant, expirationSeconds),
    offboard: async (tenant, namespaces) => {
      await offboardTenantFromCluster(kubeConfig, tenant, namespaces, { timeoutMs: offboardTimeoutMs, log });
    },
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
