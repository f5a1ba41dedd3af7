// Object-by-object comparison of one tenant's rendered objects on two sides. Objects are matched by
// where they come from (the overlay or the argocd/tenants file), API group, kind, namespace and
// name; a matched pair that differs reports each JSON path whose value differs.
import type { Manifest } from '../validate/kustomize-overlays.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  /** e.g. `spec.hard.pods`, `metadata.labels["tenants.gitops.dev/tier"]`, `spec.egress[1]`. */
  path: string;
  /** Absent when the path does not exist on the base side. */
  before?: unknown;
  /** Absent when the path does not exist on the head side. */
  after?: unknown;
}

export interface ObjectChange {
  change: ChangeKind;
  /** The folder or file it is rendered from: overlays/<t> (tenant Application) or argocd/tenants/<t>.yaml. */
  source: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** For `changed`: every differing path, in document order. */
  fields?: FieldChange[];
}

/** Objects rendered from one source (an overlay or an argocd/tenants file). */
export interface SourcedObjects {
  source: string;
  objects: Manifest[];
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every path at which `after` differs from `before`; empty when they are equal. */
export function fieldChanges(before: unknown, after: unknown, path = '', out: FieldChange[] = []): FieldChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      if (i >= after.length) out.push({ path: child(path, i), before: before[i] });
      else if (i >= before.length) out.push({ path: child(path, i), after: after[i] });
      else fieldChanges(before[i], after[i], child(path, i), out);
    }
  } else if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(before)) {
      if (!(key in after)) out.push({ path: child(path, key), before: before[key] });
      else fieldChanges(before[key], after[key], child(path, key), out);
    }
    for (const key of Object.keys(after)) if (!(key in before)) out.push({ path: child(path, key), after: after[key] });
  } else if (before !== after) {
    out.push({ path: path || '(whole object)', before, after });
  }
  return out;
}

interface Identified {
  ref: Omit<ObjectChange, 'change' | 'fields'>;
  object: Manifest;
}

function identify(sourced: SourcedObjects[]): Map<string, Identified> {
  const byKey = new Map<string, Identified>();
  for (const { source, objects } of sourced) {
    for (const object of objects) {
      const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
      const kind = object.kind ?? '';
      const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : undefined;
      const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
      // The group, not the version: a move from v1beta1 to v1 is a change of one object.
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const key = [source, group, kind, namespace ?? '', name].join('\0');
      byKey.set(key, { ref: { source, apiVersion, kind, ...(namespace ? { namespace } : {}), name }, object });
    }
  }
  return byKey;
}

/** Objects added, removed and changed from `before` to `after`, in the order they render. */
export function diffObjects(before: SourcedObjects[], after: SourcedObjects[]): ObjectChange[] {
  const was = identify(before);
  const now = identify(after);
  const changes: ObjectChange[] = [];
  for (const [key, { ref, object }] of was) {
    const next = now.get(key);
    if (next === undefined) changes.push({ change: 'removed', ...ref });
    else {
      const fields = fieldChanges(object, next.object);
      if (fields.length > 0) changes.push({ change: 'changed', ...next.ref, fields });
    }
  }
  for (const [key, { ref }] of now) if (!was.has(key)) changes.push({ change: 'added', ...ref });
  return changes;
}
