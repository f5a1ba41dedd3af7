// What the API returns for a tenant: its record, the Application status and its full history; and
// one page of the tenant list.
import { applicationName } from '../tenant/names.ts';
import type { TenantStore } from './store/index.ts';
import type { TenantState, TenantSummary } from './store/types.ts';

export function tenantView(store: TenantStore, tenant: TenantSummary, withHistory: boolean): Record<string, unknown> {
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
}

export interface TenantListPage {
  tenants: Record<string, unknown>[];
  /** The last name of this page when more tenants follow, else null. */
  nextAfter: string | null;
}

/** One page in name order, without history. Reads one row past the page to know if more follow. */
export function tenantListPage(store: TenantStore, query: TenantListQuery): TenantListPage {
  const rows = store.tenants.listPage({ state: query.state, after: query.after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    tenants: page.map((tenant) => tenantView(store, tenant, false)),
    nextAfter: rows.length > query.limit ? (page.at(-1)?.name ?? null) : null,
  };
}
