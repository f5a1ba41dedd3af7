// The reviewer's diff: every field of the resolved tenant, on main and in this PR, row by row. The
// field list below is the only place that knows the tenant's shape; a new field is one more entry
// here and appears in every PR body without touching the template.
// Fields hand out raw values; the body escapes every one of them (markdown.ts), so no field can
// forget to.
import { isWildcardHost } from '../../tenant/ingress-hosts.ts';
import { subNamespace } from '../../tenant/names.ts';
import { LIMIT_RESOURCES, type EgressAllowance, type ResolvedTenant } from '../../tenant/types.ts';
import type { Part } from '../../shared/markdown.ts';

export interface FieldItem {
  /** Identity across main and this PR: rows with the same id are compared. */
  id: string;
  key: Part[];
  value: Part[];
}

export interface TenantField {
  /** Section heading: our own words (Markdown). */
  title: string;
  /** Header of the key column. */
  key: string;
  items(tenant: ResolvedTenant): FieldItem[];
}

const LIMIT_KINDS = ['default', 'defaultRequest', 'max'] as const;

/** What spec.secrets gives the tenant, as the reviewer reads it. */
const SECRETS_TEXT: Record<ResolvedTenant['secrets'], string> = {
  on: 'Vault store tenant-secrets (asked for in the spec)',
  default: "Vault store tenant-secrets (the tier's default, where the cluster has a Vault)",
  off: 'none',
};

export const TENANT_FIELDS: readonly TenantField[] = [
  {
    title: 'Tenant',
    key: 'Field',
    items: (t) => [
      { id: 'tier', key: ['tier'], value: [t.tier] },
      { id: 'gpu.slices', key: ['gpu.slices'], value: [String(t.gpuSlices)] },
      { id: 'nodePool', key: ['nodePool'], value: [t.nodePool] },
      { id: 'secrets', key: ['secrets'], value: [SECRETS_TEXT[t.secrets]] },
      { id: 'cluster', key: ['cluster'], value: [t.cluster] },
    ],
  },
  {
    title: 'Owners (RoleBinding `tenant-admin` in every tenant namespace)',
    key: 'Owner',
    items: (t) =>
      t.owners.map((o) => ({
        id: JSON.stringify([o.kind, o.name]),
        key: [o.kind, o.name],
        value: [{ text: 'bound' }],
      })),
  },
  {
    title: 'ResourceQuota `tenant-quota`',
    key: 'Resource',
    items: (t) => Object.entries(t.quota).map(([key, value]) => ({ id: key, key: [key], value: [value] })),
  },
  {
    title: 'LimitRange `tenant-limits` (per container)',
    key: 'Limit',
    items: (t) =>
      LIMIT_KINDS.flatMap((kind) =>
        LIMIT_RESOURCES.map((resource) => ({
          id: `${kind}.${resource}`,
          key: [`${kind}.${resource}`],
          value: [t.limits[kind][resource]],
        })),
      ),
  },
  {
    title: 'Sub-namespaces',
    key: 'Name',
    items: (t) => t.subNamespaces.map((sub) => ({ id: sub, key: [sub], value: [subNamespace(t.name, sub)] })),
  },
  {
    title: 'Ingress allowed from namespaces',
    key: 'Namespace',
    items: (t) =>
      t.network.allowIngressFromNamespaces.map((ns) => ({ id: ns, key: [ns], value: [{ text: 'allowed' }] })),
  },
  {
    title: 'Ingress hosts (admission policy `tenant-ingress`)',
    key: 'Host',
    items: (t) => t.ingress.hosts.map((host) => ({ id: host, key: [host], value: [{ text: hostReach(host) }] })),
  },
  {
    title: 'Egress allowed to',
    key: 'CIDR',
    items: (t) => t.network.allowEgressTo.map((e) => ({ id: e.cidr, key: [e.cidr], value: egressPorts(e) })),
  },
];

/** What an ingress host grants, in our words. */
export function hostReach(host: string): string {
  return isWildcardHost(host) ? 'wildcard: every name one label below' : 'exact name';
}

/** What an egress allowance opens: the listed TCP ports, or everything. */
export function egressPorts(allowance: EgressAllowance): Part[] {
  return allowance.ports.length === 0 ? [{ text: 'all ports and protocols' }] : [`TCP ${allowance.ports.join(', ')}`];
}

export type Change = 'added' | 'removed' | 'changed' | 'unchanged';

export interface DiffRow {
  change: Change;
  key: Part[];
  /** Null where the row does not exist on that side. */
  before: Part[] | null;
  after: Part[] | null;
}

export interface DiffSection {
  title: string;
  key: string;
  rows: DiffRow[];
}

/**
 * Every field of `before` (main; null for a new tenant) against `after` (this PR; null when the
 * tenant is removed). Rows keep this PR's order; rows only on main follow, in main's order.
 */
export function diffTenant(before: ResolvedTenant | null, after: ResolvedTenant | null): DiffSection[] {
  return TENANT_FIELDS.map((field) => {
    const old = byId(before ? field.items(before) : []);
    const now = byId(after ? field.items(after) : []);
    const rows: DiffRow[] = [];
    for (const [id, item] of now) {
      const was = old.get(id);
      const change = !was ? 'added' : same(was.value, item.value) ? 'unchanged' : 'changed';
      rows.push({ change, key: item.key, before: was?.value ?? null, after: item.value });
    }
    for (const [id, item] of old) {
      if (!now.has(id)) rows.push({ change: 'removed', key: item.key, before: item.value, after: null });
    }
    return { title: field.title, key: field.key, rows };
  });
}

/** Items by id; a repeated id (never from a valid spec) gets its own row rather than hiding one. */
function byId(items: FieldItem[]): Map<string, FieldItem> {
  const map = new Map<string, FieldItem>();
  for (const item of items) {
    let id = item.id;
    for (let n = 2; map.has(id); n += 1) id = `${item.id}#${n}`;
    map.set(id, item);
  }
  return map;
}

function same(a: Part[], b: Part[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
