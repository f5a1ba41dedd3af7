// What a reviewer must not miss, listed at the top of the PR body: access to the internet or a wide
// network, who gains or loses admin rights, expensive or isolating resources (GPU slices, a
// dedicated node pool), a tier change, and offboarding. Each warning is one Markdown line; the
// values in it go through markdown.ts like every other value.
import { cidrContains, IPV4_MAPPED_CIDR, parseCidr, type Cidr } from '../../tenant/cidr.ts';
import { isWildcardHost } from '../../tenant/ingress-hosts.ts';
import { applicationName, tenantNamespaces, tenantSpecPath } from '../../tenant/names.ts';
import type { EgressAllowance, Owner, ResolvedTenant } from '../../tenant/types.ts';
import { code, parts, shortCode } from '../../shared/markdown.ts';
import { egressPorts } from './tenant-diff.ts';

/**
 * Egress to a network with a shorter prefix than this is "wide": for IPv4, more addresses than a
 * large private network; for IPv6, more than one site's whole allocation.
 */
export const WIDE_EGRESS_PREFIX: Readonly<Record<4 | 6, number>> = { 4: 16, 6: 48 };

/**
 * IPv4-mapped IPv6 addresses: a CIDR inside reaches the IPv4 network it maps, and is judged as one
 * (tenant/ refuses such allowances; a spec on main from before that rule is still judged right).
 */
const IPV4_MAPPED = (parseCidr(IPV4_MAPPED_CIDR) as Extract<ReturnType<typeof parseCidr>, { ok: true }>).cidr;

/** A warning names at most this many values; the table below lists every one. */
const LISTED = 10;
/** And shows at most this many characters of each, so the warnings stay short enough to read. */
const SHOWN_CHARACTERS = 100;

export interface WarningInput {
  action: 'create' | 'update' | 'offboard';
  tenant: ResolvedTenant;
  /** The tenant on main; null when there is none or it could not be read. */
  previous: ResolvedTenant | null;
}

export function reviewWarnings({ action, tenant, previous }: WarningInput): string[] {
  if (action === 'offboard') {
    const namespaces = tenantNamespaces(tenant);
    return [
      `**Offboarding:** merging deletes Application ${code(applicationName(tenant.name))} with cascade, then ` +
        `${count(namespaces.length, 'namespace')} and everything in them: ${listed(namespaces.map((ns) => code(ns)))}.`,
    ];
  }
  const warnings: string[] = [];
  if (action === 'update' && previous === null) {
    warnings.push(
      `**No comparison with main:** ${code(tenantSpecPath(tenant.name))} on the default branch is missing or ` +
        'unreadable, so every row below is shown as added.',
    );
  }
  if (previous && previous.tier !== tenant.tier)
    warnings.push(`**Tier change:** ${code(previous.tier)} → ${code(tenant.tier)}.`);
  warnings.push(...ownerWarnings(tenant, previous));
  warnings.push(...egressWarnings(tenant, previous));
  warnings.push(...ingressHostWarnings(tenant, previous));
  if (tenant.gpuSlices > 0 || (previous !== null && previous.gpuSlices !== tenant.gpuSlices))
    warnings.push(`**GPU slices:** ${change(previous?.gpuSlices, tenant.gpuSlices)}.`);
  if (tenant.nodePool === 'dedicated' || (previous !== null && previous.nodePool !== tenant.nodePool)) {
    warnings.push(
      `**Node pool:** ${change(previous?.nodePool, tenant.nodePool)}; a dedicated pool runs the tenant's pods ` +
        'only on nodes reserved for it.',
    );
  }
  return warnings;
}

function ownerWarnings(tenant: ResolvedTenant, previous: ResolvedTenant | null): string[] {
  const key = (o: Owner) => JSON.stringify([o.kind, o.name]);
  const before = new Set((previous?.owners ?? []).map(key));
  const after = new Set(tenant.owners.map(key));
  const added = tenant.owners.filter((o) => !before.has(key(o)));
  const removed = (previous?.owners ?? []).filter((o) => !after.has(key(o)));
  const show = (o: Owner) => `${code(o.kind)} ${shortCode(o.name, SHOWN_CHARACTERS)}`;
  return [
    ...(added.length === 0
      ? []
      : [`**${count(added.length, 'owner')} added**, bound to \`tenant-admin\`: ${listed(added.map(show))}.`]),
    ...(removed.length === 0 ? [] : [`**${count(removed.length, 'owner')} removed:** ${listed(removed.map(show))}.`]),
  ];
}

function egressWarnings(tenant: ResolvedTenant, previous: ResolvedTenant | null): string[] {
  const before = new Map((previous?.network.allowEgressTo ?? []).map((e) => [e.cidr, e]));
  const internet: string[] = [];
  const wide: string[] = [];
  for (const allowance of tenant.network.allowEgressTo) {
    const parsed = parseCidr(allowance.cidr);
    if (!parsed.ok) continue;
    const { family, prefix } = reach(parsed.cidr);
    if (prefix >= WIDE_EGRESS_PREFIX[family]) continue;
    const shown = `${code(allowance.cidr)} on ${parts(egressPorts(allowance))}${previous ? status(allowance, before) : ''}`;
    (prefix === 0 ? internet : wide).push(shown);
  }
  return [
    ...(internet.length === 0 ? [] : [`**Egress to the whole internet:** ${listed(internet)}.`]),
    ...(wide.length === 0
      ? []
      : [
          `**Egress to a wide range** (IPv4 shorter than /${WIDE_EGRESS_PREFIX[4]}, IPv6 shorter than ` +
            `/${WIDE_EGRESS_PREFIX[6]}): ${listed(wide)}.`,
        ]),
  ];
}

/** Hostnames granted or taken away: the reviewer checks the tenant really owns each new name. */
function ingressHostWarnings(tenant: ResolvedTenant, previous: ResolvedTenant | null): string[] {
  const before = new Set(previous?.ingress.hosts ?? []);
  const after = new Set(tenant.ingress.hosts);
  const added = tenant.ingress.hosts.filter((h) => !before.has(h));
  const removed = (previous?.ingress.hosts ?? []).filter((h) => !after.has(h));
  const show = (host: string) => `${shortCode(host, SHOWN_CHARACTERS)}${isWildcardHost(host) ? ' (wildcard)' : ''}`;
  return [
    ...(added.length === 0
      ? []
      : [
          `**${count(added.length, 'ingress host')} granted** (check that the tenant owns each domain): ` +
            `${listed(added.map(show))}.`,
        ]),
    ...(removed.length === 0
      ? []
      : [
          `**${count(removed.length, 'ingress host')} removed** (existing Ingresses keep serving until changed): ` +
            `${listed(removed.map(show))}.`,
        ]),
  ];
}

function reach(cidr: Cidr): { family: 4 | 6; prefix: number } {
  return cidrContains(IPV4_MAPPED, cidr) ? { family: 4, prefix: cidr.prefix - IPV4_MAPPED.prefix } : cidr;
}

/** How an allowance compares with main's. */
function status(allowance: EgressAllowance, before: Map<string, EgressAllowance>): string {
  const was = before.get(allowance.cidr);
  if (!was) return ' (added)';
  return JSON.stringify(was.ports) === JSON.stringify(allowance.ports) ? ' (unchanged)' : ' (ports changed)';
}

function change(before: string | number | undefined, after: string | number): string {
  if (before === undefined) return code(String(after));
  return before === after ? `${code(String(after))} (unchanged)` : `${code(String(before))} → ${code(String(after))}`;
}

function listed(items: string[]): string {
  const more = items.length - LISTED;
  return more > 0
    ? `${items.slice(0, LISTED).join(', ')} and ${more} more (all in the tables below)`
    : items.join(', ');
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
