// What the API returns for a tenant: its record, the Application status and its full history.
import { tenantApplicationNameOf } from './names.ts';
import type { TenantStore } from './store/index.ts';
import type { TenantRecord } from './store/types.ts';

export function tenantView(store: TenantStore, tenant: TenantRecord, withHistory: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: tenant.name,
    state: tenant.state,
    action: tenant.action,
    namespaces: tenant.namespaces,
    pullRequest: tenant.pullRequest,
    mergeCommit: tenant.mergeSha,
    application: tenant.application
      ? { name: tenantApplicationNameOf(tenant.name), ...tenant.application }
      : null,
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
