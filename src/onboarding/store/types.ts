// What the store holds, in the service's own words (the SQL shape stays inside store/*.ts).
import type { PullRequestAction } from '../ports.ts';

export const TENANT_STATES = [
  'requested',
  'pr_open',
  'merged',
  'provisioned',
  'rejected',
  'degraded',
  'failed',
  'offboarding',
  'deleted',
] as const;
export type TenantState = (typeof TENANT_STATES)[number];

export interface ApplicationSnapshot {
  health: string;
  sync: string;
  revision: string | null;
  observedAt: string;
}

export interface TenantRecord {
  name: string;
  state: TenantState;
  /** The change the current (or last) PR carries. */
  action: PullRequestAction;
  /** The tenant document as the backend sent it (validated). */
  document: unknown;
  namespaces: string[];
  pullRequest: { number: number; url: string } | null;
  headSha: string | null;
  mergeSha: string | null;
  application: ApplicationSnapshot | null;
  requestedBy: string;
  offboardRequestedBy: string | null;
  offboardRequestedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A tenant as a listing shows it: everything but the document. */
export type TenantSummary = Omit<TenantRecord, 'document'>;

export interface TransitionRecord {
  from: TenantState | null;
  to: TenantState;
  reason: string;
  actor: string | null;
  at: string;
}

export interface IdempotencyRecord {
  caller: string;
  key: string;
  tenant: string;
  requestHash: string;
  response: { status: number; body: unknown } | null;
}

export const EVENT_TYPES = [
  'tenant.pr_opened',
  'tenant.provisioned',
  'tenant.rejected',
  'tenant.degraded',
  'tenant.failed',
  'tenant.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface OutboxEvent {
  seq: number;
  eventId: string;
  tenant: string;
  type: EventType;
  payload: unknown;
  createdAt: string;
  attempts: number;
}

export const JOB_KINDS = ['open_pull_request', 'comment_provisioned', 'offboard_cluster'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface Job {
  id: number;
  tenant: string;
  kind: JobKind;
  payload: Record<string, unknown>;
  attempts: number;
  nextAttemptAt: number;
}

export interface StoredDelivery {
  id: string;
  event: string;
  payload: unknown;
}

export interface AuditRecord {
  id: number;
  at: string;
  /** The API token's name. */
  caller: string;
  /** Null when the request named no tenant the service could read. */
  tenant: string | null;
  /** tenant.create, tenant.update, tenant.offboard, tenant.offboard_approve or tenant.token. */
  action: string;
  /** done (2xx), refused (4xx: nothing was changed) or failed (5xx). */
  result: 'done' | 'refused' | 'failed';
  status: number;
  detail: string | null;
}
