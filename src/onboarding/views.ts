// What the API returns for a tenant: its record, the Application status and its full history; and
// one page of the tenant list.
import { applicationName } from '../tenant/names.ts';
import type { TenantStore } from './store/index.ts';
import type { TenantState, TenantSummary } from './store/types.ts';

export function tenantView(
  store: TenantStore,
  tenant: TenantSummary,
  withHistory: boolean,
  now: Date,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: tenant.name,
    state: tenant.state,
    action: tenant.action,
    namespaces: tenant.namespaces,
    pullRequest: tenant.pullRequest,
    mergeCommit: tenant.mergeSha,
    application: tenant.application ? { name: applicationName(tenant.name), ...tenant.application } : null,
    requestedBy: tenant.requestedBy,
    offboarding: tenant.offboardRequestedBy
      ? { requestedBy: tenant.offboardRequestedBy, requestedAt: tenant.offboardRequestedAt }
      : null,
    offboardApproval: pendingApproval(store, tenant.name, now),
    deletionRecord: tenant.state === 'deleted' ? store.deletionRecords.latest(tenant.name) : null,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
  if (withHistory) view['history'] = store.history.list(tenant.name);
  return view;
}

export interface TenantListQuery {
  state?: TenantState;
  /** Continue after this tenant name (exclusive). */
  after?: string;
  limit: number;
  /** Only tenants the caller may read are listed; a page may then hold fewer than `limit`. */
  visible?: (name: string) => boolean;
}

export interface TenantListPage {
  tenants: Record<string, unknown>[];
  /** The last name of this page when more tenants follow, else null. */
  nextAfter: string | null;
}

/** One page in name order, without history. Reads one row past the page to know if more follow. */
export function tenantListPage(store: TenantStore, query: TenantListQuery, now: Date): TenantListPage {
  const rows = store.tenants.listPage({ state: query.state, after: query.after, limit: query.limit + 1 });
  const visible = query.visible ?? (() => true);
  const { items, nextAfter } = pageOf(
    rows,
    query.limit,
    (tenant) => tenant.name,
    (tenant) => visible(tenant.name),
  );
  return { tenants: items.map((tenant) => tenantView(store, tenant, false, now)), nextAfter };
}

/**
 * One page from `rows`, read one past `limit` to know whether more follow: the first `limit` rows
 * the caller may see, and the key to continue after (the page's last row, seen or not), or null.
 */
export function pageOf<T, K>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => K,
  visible: (row: T) => boolean,
): { items: T[]; nextAfter: K | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.filter(visible),
    nextAfter: rows.length > limit && last !== undefined ? keyOf(last) : null,
  };
}

/** How long an offboarding request waits for its second approval before it lapses. */
export const OFFBOARD_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

/** The offboarding request waiting for a second token's approval, unless it has lapsed. */
export function pendingApproval(
  store: TenantStore,
  tenant: string,
  now: Date,
): { requestedBy: string; requestedAt: string; expiresAt: string } | null {
  const pending = store.offboardApprovals.get(tenant);
  if (!pending) return null;
  const expiresAt = Date.parse(pending.requestedAt) + OFFBOARD_APPROVAL_TTL_MS;
  if (expiresAt <= now.getTime()) return null;
  return { ...pending, expiresAt: new Date(expiresAt).toISOString() };
}
