// What each kind of job does. Every handler is safe to run twice: openTenantPullRequest reuses the
// open PR of the tenant's branch, a second comment is harmless, offboarding treats "already gone"
// as done. That is what makes a resumed job after a crash end with exactly one PR.
import { TenantGitopsError } from '../shared/errors.ts';
import { applicationName, finalBackupName } from '../tenant/names.ts';
import type { ResolvedTenant } from '../tenant/types.ts';
import type { FinalBackup } from './cluster/final-backup.ts';
import type { SuspendResult } from './cluster/suspend-tenant.ts';
import type { OffboardingCheck } from './cluster/verify-offboarding.ts';
import { atOrAfterMerge, type ServiceContext } from './context.ts';
import { signDeletionRecord, type DeletionRecord } from './deletion-record.ts';
import type { JobHandler } from './job-runner.ts';
import { clusterOfChange } from './placement.ts';
import type { PlacedTenant, PullRequestAction } from './ports.ts';
import type { Job, JobKind } from './store/types.ts';
import { applyTransition } from './transition.ts';

const openPullRequest: JobHandler = async (context, job) => {
  const tenant = context.store.tenants.get(job.tenant);
  if (!tenant) return;
  const action = job.payload['action'] as PullRequestAction;
  const parsed = context.spec.parse(tenant.document, { expectedName: tenant.name });
  const cluster = action === 'offboard' ? null : await clusterOfChange(context, parsed.tenant);
  const files = cluster
    ? context.change.filesFor(parsed.document, parsed.tenant, cluster.cluster)
    : new Map<string, string>();
  const deletePaths = action === 'offboard' ? context.change.offboardPaths(tenant.name, parsed.tenant.cluster) : [];
  const pr = await context.github.openTenantPullRequest({
    tenant: parsed.tenant,
    action,
    files,
    deletePaths,
    title: pullRequestTitle(action, tenant.name),
    body: await context.change.pullRequestBody(action, parsed.tenant, cluster?.headroom ?? null),
    labels: ['tenant', `tenant-${action}`, `tier:${parsed.tenant.tier}`],
  });
  context.store.transaction(() => {
    applyTransition(context.store, context.log, context.now().toISOString(), {
      tenant: tenant.name,
      to: action === 'offboard' ? 'offboarding' : 'pr_open',
      reason: `${action} PR #${pr.number} ${pr.created ? 'opened' : 'updated'} (head ${pr.headSha.slice(0, 12)})`,
      patch: { pullRequest: { number: pr.number, url: pr.url }, headSha: pr.headSha },
    });
  });
  context.wakeOutbox();
};

const commentProvisioned: JobHandler = async (context, job) => {
  const tenant = context.store.tenants.get(job.tenant);
  if (!tenant?.pullRequest) return;
  const revision = String(job.payload['revision'] ?? '');
  await context.github.commentOnPullRequest(
    tenant.pullRequest.number,
    `Tenant \`${tenant.name}\` is provisioned: Application \`${applicationName(tenant.name)}\` is Healthy and Synced at ` +
      `\`${revision}\` (merge commit \`${tenant.mergeSha ?? 'unknown'}\`).`,
  );
};

// The provable offboarding, after the offboarding PR merged (one module per cluster step in
// cluster/, run and kept by offboardInCluster): suspend, final backup, deletion, verification; then the tenant's Vault role,
// policy and secrets, read back; then the signed deletion record, stored with the `deleted`
// transition and carried by its tenant.deleted callback. A failed backup fails the tenant at once
// (nothing deleted); a failed check is retried like any job (every step is idempotent), so a
// leftover removed by hand lets the next attempt finish, and the last attempt fails the tenant
// naming what is left.
const offboardCluster: JobHandler = async (context, job) => {
  const tenant = context.store.tenants.get(job.tenant);
  if (!tenant || tenant.state !== 'offboarding') return;
  const steps = job.payload as OffboardingSteps;
  const startedAt = steps.startedAt ?? context.now().toISOString();
  const { tenant: resolved } = context.spec.parse(tenant.document, { expectedName: tenant.name });
  const pr = tenant.pullRequest?.number ?? 0;
  const cluster = context.cluster
    ? await offboardInCluster(context, job, {
        tenant: { name: tenant.name, cluster: resolved.cluster },
        namespaces: tenant.namespaces,
        backupName: finalBackupName(tenant.name, pr),
        startedAt,
        current: tenant.mergeSha ? atOrAfterMerge(context, tenant.mergeSha) : async () => false,
      })
    : null;
  // After the namespaces: no store can log in again while its Secrets are still being synced.
  const vault = await offboardVault(context, resolved);
  const checks = [...(cluster?.checks ?? []), ...vault.checks];
  const failed = checks.filter((c) => !c.passed);
  if (failed.length > 0)
    throw new OffboardingNotProvenError(
      `the offboarding of ${tenant.name} could not be proven: ` +
        failed.map((c) => `${c.name}: ${c.detail}`).join('; ') +
        ' (fix: remove what is left, the job retries)',
    );

  const approval = context.store.history
    .list(tenant.name)
    .filter((entry) => entry.to === 'offboarding' && entry.from !== 'offboarding')
    .at(-1);
  const requestedBy = tenant.offboardRequestedBy ?? approval?.actor ?? 'unknown';
  const record: DeletionRecord = {
    version: 1,
    tenant: tenant.name,
    cluster: resolved.cluster,
    namespaces: tenant.namespaces,
    requestedBy,
    requestedAt: tenant.offboardRequestedAt ?? startedAt,
    approvedBy: approval?.actor && approval.actor !== requestedBy ? approval.actor : null,
    pullRequest: {
      number: tenant.pullRequest?.number ?? null,
      url: tenant.pullRequest?.url ?? null,
      mergeCommit: tenant.mergeSha,
      mergedBy: steps.mergedBy ?? null,
    },
    suspension: cluster?.suspension ?? null,
    backup: cluster?.backup ?? null,
    deleted: [...(cluster?.deleted ?? []), ...vault.removed],
    checks,
    startedAt,
    completedAt: context.now().toISOString(),
  };
  const signed = signDeletionRecord(record, context.deletionSigningKey);
  const inCluster = cluster
    ? `suspended, ${cluster.backup ? `backed up (${cluster.backup.name}), ` : ''}deleted and verified`
    : 'no cluster configured, nothing deleted in a cluster';
  const reason =
    `offboarding PR #${pr || '?'} merged; ${inCluster}` +
    vault.note +
    (signed.signature ? '; deletion record signed' : '; deletion record unsigned (no signing key configured)');
  context.store.transaction(() => {
    context.store.deletionRecords.add(tenant.name, signed, record.completedAt);
    applyTransition(context.store, context.log, context.now().toISOString(), {
      tenant: tenant.name,
      to: 'deleted',
      reason,
      event: { deletionRecord: signed },
    });
  });
  context.wakeOutbox();
};

/** What the offboarding job keeps between attempts: the result of each cluster step it finished. */
interface OffboardingSteps {
  mergedBy?: string | null;
  startedAt?: string;
  suspension?: SuspendResult & { at: string };
  /** null: no backup is configured (kept, so a retry does not ask again). */
  backup?: FinalBackup | null;
  deleted?: string[];
}

/**
 * Suspend, back up, delete, verify; each finished step's result is written into the job's payload
 * before the next one starts, so a retry (a check that failed, a timeout, a restart) skips what is
 * done and the record says what the first attempt did (the workloads it stopped, the objects it
 * deleted), not what a retry found already gone. The verification always runs again.
 */
async function offboardInCluster(
  context: ServiceContext,
  job: Job,
  request: {
    tenant: PlacedTenant;
    namespaces: string[];
    backupName: string;
    startedAt: string;
    /** Whether a revision ArgoCD compared is the offboarding's merge commit or after it. */
    current: (revision: string) => Promise<boolean>;
  },
): Promise<{
  suspension: SuspendResult & { at: string };
  backup: FinalBackup | null;
  deleted: string[];
  checks: OffboardingCheck[];
}> {
  const cluster = context.cluster!;
  const { tenant, namespaces } = request;
  const steps: OffboardingSteps = { ...(job.payload as OffboardingSteps), startedAt: request.startedAt };
  const save = () => context.store.jobs.setPayload(job.id, { ...steps }, context.now().toISOString());
  if (!steps.suspension) {
    steps.suspension = await cluster.suspend(tenant, namespaces);
    save();
  }
  if (steps.backup === undefined) {
    steps.backup = await cluster.finalBackup(tenant, namespaces, request.backupName);
    save();
  }
  if (!steps.deleted) {
    steps.deleted = await cluster.remove(tenant, namespaces, request.current);
    save();
  }
  const checks = await cluster.verify(tenant, namespaces);
  return { suspension: steps.suspension, backup: steps.backup, deleted: steps.deleted, checks };
}

/** The tenant's Vault side removed and read back; what the record and the history say of it. */
async function offboardVault(
  context: ServiceContext,
  tenant: ResolvedTenant,
): Promise<{ removed: string[]; checks: OffboardingCheck[]; note: string }> {
  const none = { removed: [], checks: [], note: '' };
  if (tenant.secrets === 'off') return none;
  const read = await context.spec.readCluster(tenant.cluster);
  const vault = 'cluster' in read ? read.cluster.vault : undefined;
  if (!vault) return none;
  if (!context.vault)
    return {
      removed: [],
      checks: [
        {
          name: 'vault-gone',
          passed: false,
          detail:
            `Vault is not configured in the service: role, policy and secrets of ${tenant.name} were neither removed nor ` +
            'read back, so their deletion cannot be proven (set TENANT_GITOPS_VAULT_ADDR and TENANT_GITOPS_VAULT_TOKEN_FILE ' +
            'and restart the service; the job retries)',
        },
      ],
      note: '',
    };
  const removed = await context.vault.removeTenant(tenant.name, vault);
  const left = await context.vault.leftovers(tenant.name, vault);
  return {
    removed,
    checks: [
      {
        name: 'vault-gone',
        passed: left.length === 0,
        detail: left.length
          ? `left in Vault: ${left.join(', ')}`
          : `no role, policy or secret of ${tenant.name} left in ${vault.server}`,
      },
    ],
    note: `; Vault: ${removed.join(', ')}`,
  };
}

/** Verification found something left: retried like any job, since every step can run again. */
class OffboardingNotProvenError extends TenantGitopsError {
  constructor(message: string) {
    super('UPSTREAM_ERROR', message);
  }
}

export const JOB_HANDLERS: Record<JobKind, JobHandler> = {
  open_pull_request: openPullRequest,
  comment_provisioned: commentProvisioned,
  offboard_cluster: offboardCluster,
};

function pullRequestTitle(action: PullRequestAction, name: string): string {
  if (action === 'create') return `Onboard tenant ${name}`;
  if (action === 'update') return `Change tenant ${name}`;
  return `Offboard tenant ${name}`;
}
