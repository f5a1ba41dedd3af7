// Velero's part in an offboarding, played against the real API server the way Velero's backup
// controller plays it: it picks up each new Backup (velero.io/v1, CRDs from Velero's Go module) in
// its namespace, writes status.phase InProgress with a start time, then a final phase with the
// completion time, the expiration (ttl) and the items backed up (or a failureReason). What a test
// wants to look at while the backup "runs" goes in `during`, which also decides how it ends.
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

export interface BackupSeen {
  name: string;
  includedNamespaces: string[];
  storageLocation: string;
  ttl: string;
  labels: Record<string, string>;
}

export type BackupOutcome = { phase: 'Completed' } | { phase: 'Failed' | 'PartiallyFailed'; failureReason: string };

export interface VeleroDriver {
  backups: BackupSeen[];
  stop(): void;
}

const VELERO = { group: 'velero.io', version: 'v1' };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function driveVeleroBackups(
  kc: KubeConfig,
  namespace: string,
  during: (backup: BackupSeen) => Promise<BackupOutcome>,
): VeleroDriver {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const backups: BackupSeen[] = [];
  let stopped = false;
  const patch = (name: string, status: object) =>
    custom.patchNamespacedCustomObject({ ...VELERO, namespace, plural: 'backups', name, body: { status } }, MERGE);
  const round = async () => {
    const list = (await custom.listNamespacedCustomObject({ ...VELERO, namespace, plural: 'backups' })) as {
      items: {
        metadata: { name: string; labels?: Record<string, string> };
        spec: any;
        status?: { phase?: string };
      }[];
    };
    for (const item of list.items) {
      // InProgress again: a round that failed half-way is finished by the next.
      if (item.status?.phase && item.status.phase !== 'InProgress') continue;
      const seen: BackupSeen = {
        name: item.metadata.name,
        includedNamespaces: item.spec.includedNamespaces ?? [],
        storageLocation: item.spec.storageLocation,
        ttl: item.spec.ttl,
        labels: item.metadata.labels ?? {},
      };
      if (!backups.some((b) => b.name === seen.name)) backups.push(seen);
      const started = new Date();
      await patch(seen.name, { phase: 'InProgress', startTimestamp: started.toISOString() });
      const outcome = await during(seen);
      let items = 0;
      for (const ns of seen.includedNamespaces)
        items += (await core.listNamespacedConfigMap({ namespace: ns })).items.length;
      const hours = Number(/^(\d+)h$/.exec(seen.ttl)?.[1] ?? 720);
      await patch(seen.name, {
        phase: outcome.phase,
        completionTimestamp: new Date().toISOString(),
        expiration: new Date(started.getTime() + hours * 3600_000).toISOString(),
        progress: { itemsBackedUp: items, totalItems: items },
        ...('failureReason' in outcome ? { failureReason: outcome.failureReason } : {}),
      });
    }
  };
  // Like a controller, a failed round (the API server still starting, a CRD not served yet) is
  // retried, never the end of the loop.
  void (async () => {
    while (!stopped) {
      await round().catch((error: unknown) => {
        if (!stopped) console.warn('tenant-gitops: a Velero driver round failed; retrying', error);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    backups,
    stop: () => {
      stopped = true;
    },
  };
}
