// Two tenants must never derive the same namespace: `acme` with sub `dev` and a tenant `acme-dev`
// would both own `tenant-acme-dev`, and whichever synced last would win the other's workloads.
import type { FieldIssue } from '../shared/errors.ts';
import { isWildcardHost } from './ingress-hosts.ts';
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

/**
 * Two tenants must never claim the same ingress name: the same host, or a wildcard over the other's
 * name (see ingressClaimsOverlap), or the shared controller would serve one tenant's traffic to the
 * other. Each overlapping pair is reported once, on the later file, naming both files and hosts.
 * Claims are indexed by host and by every suffix after a dot, so a fleet of tenants costs one
 * lookup per label instead of comparing every pair.
 */
export function checkIngressHostCollisions(
  items: { file: string; tenant: Pick<ResolvedTenant, 'name' | 'ingress'> }[],
): FieldIssue[] {
  const byHost = new Map<string, HostClaim[]>();
  const bySuffix = new Map<string, HostClaim[]>();
  const add = (map: Map<string, HostClaim[]>, key: string, claim: HostClaim) =>
    map.set(key, [...(map.get(key) ?? []), claim]);
  const issues: FieldIssue[] = [];
  for (const { file, tenant } of items) {
    const mine = tenant.ingress.hosts.map((host) => ({ file, tenant: tenant.name, host }));
    for (const claim of mine) {
      const suffixes = dotSuffixes(claim.host);
      const overlapping = new Set([
        ...(byHost.get(claim.host) ?? []),
        ...suffixes.flatMap((suffix) => byHost.get(`*${suffix}`) ?? []),
        ...(isWildcardHost(claim.host) ? (bySuffix.get(claim.host.slice(1)) ?? []) : []),
      ]);
      for (const other of overlapping) {
        if (other.tenant === claim.tenant) continue;
        issues.push(hostCollision(other, claim));
      }
    }
    for (const claim of mine) {
      add(byHost, claim.host, claim);
      for (const suffix of dotSuffixes(claim.host)) add(bySuffix, suffix, claim);
    }
  }
  return issues;
}

interface HostClaim {
  file: string;
  tenant: string;
  host: string;
}

const HOSTS_PATH = 'spec.ingress.hosts';

function hostCollision(first: HostClaim, later: HostClaim): FieldIssue {
  const what =
    first.host === later.host
      ? `ingress host "${later.host}" is claimed`
      : `ingress hosts "${later.host}" and "${first.host}" overlap (a wildcard covers every name below it); they are claimed`;
  return {
    file: later.file,
    path: HOSTS_PATH,
    message: `${what} both by ${first.file} (${HOSTS_PATH}) and by ${later.file} (${HOSTS_PATH}); a hostname belongs to one tenant`,
    fix: `remove "${later.host}" from ${later.file} or "${first.host}" from ${first.file}, or claim a name no other tenant covers`,
  };
}

/** `.apps.acme.example`, `.acme.example`, `.example` for `*.apps.acme.example` or `x.apps.acme.example`. */
function dotSuffixes(host: string): string[] {
  const out: string[] = [];
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) out.push(host.slice(i));
  return out;
}
