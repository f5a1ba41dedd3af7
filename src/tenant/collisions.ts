// Two tenants must never derive the same namespace: `acme` with sub `dev` and a tenant `acme-dev`
// would both own `tenant-acme-dev`, and whichever synced last would win the other's workloads.
import type { FieldIssue } from '../shared/errors.ts';
import { rootNamespace, subNamespace } from './names.ts';
import { type ResolvedTenant } from './types.ts';

export function checkNamespaceCollisions(items: { file: string; tenant: ResolvedTenant }[]): FieldIssue[] {
  const claims = new Map<string, { file: string; path: string }>();
  const issues: FieldIssue[] = [];
  for (const { file, tenant } of items) {
    const derived = [
      { namespace: rootNamespace(tenant.name), path: 'metadata.name' },
      ...tenant.subNamespaces.map((sub, i) => ({
        namespace: subNamespace(tenant.name, sub),
        path: `spec.subNamespaces[${i}].name`,
      })),
    ];
    for (const { namespace, path } of derived) {
      const first = claims.get(namespace);
      if (!first) {
        claims.set(namespace, { file, path });
        continue;
      }
      issues.push({
        file,
        path,
        message: `namespace "${namespace}" is derived both by ${first.file} (${first.path}) and by ${file} (${path}); two tenants cannot share a namespace`,
        fix: `rename the tenant or the sub-namespace in ${file} or in ${first.file}`,
      });
    }
  }
  return issues;
}
