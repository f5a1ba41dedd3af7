// How an impact report names things for people (text and markdown alike): objects, values, the
// headline. The JSON output keeps full values; people get them compact and cut to a readable length.
import type { ImpactReport } from './impact.ts';
import type { ObjectChange } from './object-diff.ts';

/** A value longer than this is cut with an ellipsis. */
export const MAX_VALUE_CHARS = 120;

/** `tenant-acme/tenant-quota` for a namespaced object, `tenant-acme` for a cluster-scoped one. */
export function objectPath(o: Pick<ObjectChange, 'namespace' | 'name'>): string {
  return `${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** `ResourceQuota tenant-acme/tenant-quota`, `Namespace tenant-acme`. */
export function objectLabel(o: Pick<ObjectChange, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${objectPath(o)}`;
}

/** A JSON value on one line; `(absent)` where the path does not exist on that side. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** A ref as people see it: refs are short, but a revision expression can be any length. */
export function showRef(ref: string): string {
  return ref.length > MAX_VALUE_CHARS ? `${ref.slice(0, MAX_VALUE_CHARS - 1)}…` : ref;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

/** "2 of 3 tenants change, 1 unchanged" (+ failures when there are any). */
export function headline(report: ImpactReport): string {
  const { total, changed, unchanged, failed } = report.tenants;
  const failedPart = failed > 0 ? `, ${failed} could not be rendered` : '';
  return `${changed} of ${total} ${total === 1 ? 'tenant changes' : 'tenants change'}, ${unchanged} unchanged${failedPart}`;
}
