// What each kind of job does. Every handler is safe to run twice: openTenantPullRequest reuses the
// open PR of the tenant's branch, a second comment is harmless, offboarding treats "already gone"
// as done. That is what makes a resumed job after a crash end with exactly one PR.
import { applicationName } from '../tenant/names.ts';
import type { ServiceContext } from './context.ts';
import type { JobHandler } from './job-runner.ts';
import { clusterOfChange } from './placement.ts';
import type { PullRequestAction } from './ports.ts';
import type { JobKind } from './store/types.ts';
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
  const deletePaths = action === 'offboard' ? context.change.offboardPaths(tenant.name) : [];
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

const offboardCluster: JobHandler = async (context, job) => {
  const tenant = context.store.tenants.get(job.tenant);
  if (!tenant || tenant.state !== 'offboarding') return;
  let reason = `offboarding PR #${tenant.pullRequest?.number ?? '?'} merged; Application and namespaces deleted`;
  if (context.cluster) {
    await context.cluster.offboard(tenant.name, tenant.namespaces);
  } else {
    reason = `offboarding PR #${tenant.pullRequest?.number ?? '?'} merged; no cluster configured, nothing deleted in a cluster`;
  }
  // After the namespaces: no store can log in again while its Secrets are still being synced.
  reason += await offboardVault(context, tenant.name, tenant.document);
  context.store.transaction(() => {
    applyTransition(context.store, context.log, context.now().toISOString(), {
      tenant: tenant.name,
      to: 'deleted',
      reason,
    });
  });
  context.wakeOutbox();
};

/** The tenant's Vault role, policy and secrets, removed; the words the tenant's history records. */
async function offboardVault(context: ServiceContext, name: string, document: unknown): Promise<string> {
  const { tenant } = context.spec.parse(document, { expectedName: name });
  if (tenant.secrets === 'off') return '';
  const read = await context.spec.readCluster(tenant.cluster);
  const vault = 'cluster' in read ? read.cluster.vault : undefined;
  if (!vault) return '';
  if (!context.vault)
    return (
      `; Vault not configured in the service: role, policy and secrets of ${name} remain ` +
      '(run tenantctl vault apply --prune --purge-data)'
    );
  const removed = await context.vault.removeTenant(name, vault);
  return `; Vault: ${removed.join(', ')}`;
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
