// A minimal stored tenant row for store-level tests: no PR, no Application, created by `backend`.
import type { TenantRecord, TenantState } from '../../../src/onboarding/store/types.ts';

export function storedTenant(name: string, state: TenantState = 'requested'): TenantRecord {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    name,
    state,
    action: 'create',
    document: { metadata: { name } },
    namespaces: [`tenant-${name}`],
    pullRequest: null,
    headSha: null,
    mergeSha: null,
    application: null,
    requestedBy: 'backend',
    offboardRequestedBy: null,
    offboardRequestedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}
