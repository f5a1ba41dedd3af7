// The fleet view of an impact report: one row per kind of change (an object added or removed, or
// one field of an object changed), with how many tenants and objects it reaches. A base/ change
// usually does the same thing to every tenant, so a reviewer reads one row instead of a thousand.
import { rootNamespace } from '../../tenant/names.ts';
import type { ImpactReport } from './impact.ts';
import type { ChangeKind } from './object-diff.ts';

/** Stands for the tenant's name in names derived from it (`tenant-<tenant>-dev`). */
export const TENANT_PLACEHOLDER = '<tenant>';

export interface FleetRow {
  change: ChangeKind;
  kind: string;
  /** The object's name with the tenant's own namespace prefix replaced by the placeholder. */
  name: string;
  /** For changed objects: the field. */
  field?: string;
  /** Tenants it reaches, by name. */
  tenants: string[];
  objects: number;
}

/** Object names derived from the tenant read the same for every tenant. */
function genericName(tenant: string, name: string): string {
  const own = rootNamespace(tenant);
  return name === own || name.startsWith(`${own}-`) ? rootNamespace(TENANT_PLACEHOLDER) + name.slice(own.length) : name;
}

export function fleetSummary(report: ImpactReport): FleetRow[] {
  const rows = new Map<string, FleetRow>();
  const count = (tenant: string, row: Omit<FleetRow, 'tenants' | 'objects'>) => {
    const key = [row.change, row.kind, row.name, row.field ?? ''].join('\0');
    const found = rows.get(key) ?? { ...row, tenants: [], objects: 0 };
    if (found.tenants.at(-1) !== tenant) found.tenants.push(tenant);
    found.objects++;
    rows.set(key, found);
  };
  for (const { tenant, objects } of report.changed) {
    for (const o of objects) {
      const base = { change: o.change, kind: o.kind, name: genericName(tenant, o.name) };
      if (o.change !== 'changed') count(tenant, base);
      else for (const f of o.fields ?? []) count(tenant, { ...base, field: f.path });
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.tenants.length - a.tenants.length ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name) ||
      (a.field ?? '').localeCompare(b.field ?? ''),
  );
}
