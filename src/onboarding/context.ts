// Everything the service's parts share, built once by createOnboardingService and passed around
// instead of imported, so tests hand in real-but-local edges.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../shared/log.ts';
import type { KeyedQueue } from '../shared/keyed-queue.ts';
import type { ChangePort, ClusterPort, GitHubPort, PlacedTenant, SpecPort, VaultPort } from './ports.ts';
import type { TenantStore } from './store/index.ts';

export interface RetryPolicy {
  /** First delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Jobs only: attempts before a job (and its tenant) is marked failed. */
  maxAttempts: number;
}

export interface ServiceContext {
  store: TenantStore;
  log: Logger;
  now: () => Date;
  /** One tenant at a time: requests, jobs, webhook events and Application changes of a tenant. */
  queue: KeyedQueue;
  spec: SpecPort;
  change: ChangePort;
  github: GitHubPort;
  cluster: ClusterPort | null;
  vault: VaultPort | null;
  /** Signs deletion records (Ed25519); null: records are kept unsigned. */
  deletionSigningKey: KeyObject | null;
  jobRetry: RetryPolicy;
  /** Tells the outbox dispatcher that an event was written. */
  wakeOutbox: () => void;
  /** Runs the pending jobs of a tenant now (queued behind that tenant's current work). */
  scheduleJobs: (tenant: string) => void;
}

export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Whether a revision ArgoCD compared is `mergeSha` or after it: the merge commit itself at once, any
 * other through GitHub's compare, asked once per revision for the life of the returned function.
 */
export function atOrAfterMerge(
  context: Pick<ServiceContext, 'github'>,
  mergeSha: string,
): (revision: string) => Promise<boolean> {
  const known = new Map<string, boolean>();
  return async (revision) => {
    if (revision === mergeSha) return true;
    const cached = known.get(revision);
    if (cached !== undefined) return cached;
    const answer = await context.github.isSameOrDescendant(mergeSha, revision);
    known.set(revision, answer);
    return answer;
  };
}

/** The tenant of a record with the cluster its spec places it on (the spec's, or its tier's default). */
export function placedTenant(
  context: Pick<ServiceContext, 'spec'>,
  record: { name: string; document: unknown },
): PlacedTenant {
  return {
    name: record.name,
    cluster: context.spec.parse(record.document, { expectedName: record.name }).tenant.cluster,
  };
}
