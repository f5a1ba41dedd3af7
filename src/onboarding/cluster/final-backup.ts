// The optional final backup of an offboarding, taken after the tenant is suspended and before
// anything is deleted: a Velero Backup (velero.io/v1) of the tenant's namespaces to a configured
// BackupStorageLocation, created by the service and driven by Velero, awaited to a final phase.
//  - Completed: the deletion goes on; the deletion record names the backup and where it is stored.
//  - Failed, PartiallyFailed, FailedValidation: the deletion stops for good (BackupFailedError, the
//    tenant is marked failed with Velero's reason); nothing has been deleted.
//  - still running at the deadline: ClusterTimeoutError; the job is retried and awaits the same
//    Backup (its name is fixed per offboarding PR, so a retry or a restarted service never makes a
//    second one).
// The Backup carries tenants.gitops.dev/offboarded-tenant, not the tenant label: it outlives the
// tenant on purpose, and the verification sweep must not count it as a leftover.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { TenantGitopsError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { httpStatusOf, isNotFound } from './api-errors.ts';
import { ClusterTimeoutError } from './wait-until-gone.ts';

export const LABEL_OFFBOARDED_TENANT = 'tenants.gitops.dev/offboarded-tenant';
const VELERO = { group: 'velero.io', version: 'v1' } as const;

export interface BackupSettings {
  /** Where Velero runs (its Backups and BackupStorageLocations live there). */
  namespace: string;
  /** The BackupStorageLocation the final backups go to. */
  storageLocation: string;
  /** How long Velero keeps the backup, a Go duration (Velero's spec.ttl). */
  ttl: string;
}

export interface FinalBackup {
  name: string;
  namespace: string;
  storageLocation: string;
  /** Where Velero writes it: `<provider> <bucket>/<prefix>/backups/<name>`. */
  location: string;
  phase: string;
  includedNamespaces: string[];
  expiration: string | null;
  startTimestamp: string | null;
  completionTimestamp: string | null;
  itemsBackedUp: number | null;
}

/** A backup Velero finished without success: retrying the same backup cannot change it. */
export class BackupFailedError extends TenantGitopsError {
  readonly permanent = true;
  constructor(message: string) {
    super('UPSTREAM_ERROR', message);
  }
}

const FAILED_PHASES = new Set(['Failed', 'PartiallyFailed', 'FailedValidation']);

interface VeleroBackup {
  metadata?: { name?: string };
  spec?: { includedNamespaces?: string[] };
  status?: {
    phase?: string;
    failureReason?: string;
    validationErrors?: string[];
    errors?: number;
    warnings?: number;
    expiration?: string;
    startTimestamp?: string;
    completionTimestamp?: string;
    progress?: { itemsBackedUp?: number };
  };
}

interface StorageLocation {
  spec?: { provider?: string; objectStorage?: { bucket?: string; prefix?: string } };
  status?: { phase?: string };
}

export async function takeFinalBackup(
  kubeConfig: KubeConfig,
  request: { tenant: string; namespaces: string[]; name: string },
  settings: BackupSettings,
  options: { deadline: number; log: Logger; pollMs?: number },
): Promise<FinalBackup> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { ...VELERO, namespace: settings.namespace };
  let bsl: StorageLocation;
  try {
    bsl = (await custom.getNamespacedCustomObject({
      ...where,
      plural: 'backupstoragelocations',
      name: settings.storageLocation,
    })) as StorageLocation;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new BackupFailedError(
      `the final backup cannot be taken: BackupStorageLocation ${settings.namespace}/${settings.storageLocation} ` +
        'does not exist (fix: create it, or set TENANT_GITOPS_BACKUP_STORAGE_LOCATION to one that does, then offboard again)',
    );
  }
  const body = {
    apiVersion: `${VELERO.group}/${VELERO.version}`,
    kind: 'Backup',
    metadata: {
      name: request.name,
      namespace: settings.namespace,
      labels: { [LABEL_OFFBOARDED_TENANT]: request.tenant, 'app.kubernetes.io/managed-by': 'tenant-gitops' },
    },
    spec: {
      includedNamespaces: request.namespaces,
      storageLocation: settings.storageLocation,
      ttl: settings.ttl,
    },
  };
  try {
    await custom.createNamespacedCustomObject({ ...where, plural: 'backups', body });
    options.log.info({ backup: request.name, namespaces: request.namespaces }, 'final backup requested');
  } catch (error) {
    if (httpStatusOf(error) !== 409) throw error;
    options.log.info({ backup: request.name }, 'final backup already requested; awaiting it');
  }

  for (;;) {
    const backup = (await custom.getNamespacedCustomObject({
      ...where,
      plural: 'backups',
      name: request.name,
    })) as VeleroBackup;
    const phase = backup.status?.phase ?? 'New';
    if (phase === 'Completed') return describe(backup, request, settings, bsl);
    if (FAILED_PHASES.has(phase)) {
      const status = backup.status ?? {};
      const why = [
        status.failureReason,
        ...(status.validationErrors ?? []),
        status.errors ? `${status.errors} error(s)` : undefined,
      ].filter(Boolean);
      throw new BackupFailedError(
        `final backup ${settings.namespace}/${request.name} ended ${phase}` +
          (why.length ? `: ${why.join('; ')}` : '') +
          '; nothing was deleted (fix: see `velero backup describe ' +
          `${request.name} --details\`, repair the cause, then offboard again)`,
      );
    }
    if (Date.now() >= options.deadline)
      throw new ClusterTimeoutError(
        `final backup ${settings.namespace}/${request.name} is still ${phase} after the timeout; ` +
          'the offboarding retries and awaits the same backup (check that Velero is running)',
      );
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}

function describe(
  backup: VeleroBackup,
  request: { name: string },
  settings: BackupSettings,
  bsl: StorageLocation,
): FinalBackup {
  const storage = bsl.spec?.objectStorage ?? {};
  const prefix = storage.prefix ? `${storage.prefix.replace(/\/+$/, '')}/` : '';
  return {
    name: request.name,
    namespace: settings.namespace,
    storageLocation: settings.storageLocation,
    location: `${bsl.spec?.provider ?? 'unknown-provider'} ${storage.bucket ?? 'unknown-bucket'}/${prefix}backups/${request.name}`,
    phase: backup.status?.phase ?? 'Completed',
    includedNamespaces: backup.spec?.includedNamespaces ?? [],
    expiration: backup.status?.expiration ?? null,
    startTimestamp: backup.status?.startTimestamp ?? null,
    completionTimestamp: backup.status?.completionTimestamp ?? null,
    itemsBackedUp: backup.status?.progress?.itemsBackedUp ?? null,
  };
}
