// From a structurally valid document to the ResolvedTenant: the tier's defaults merged with the
// spec's overrides, every quantity normalised, and the checks that need the tier or the whole
// document (ceilings, derived namespace lengths, duplicates, other tenants' namespaces).
import type { FieldIssue } from '../shared/errors.ts';
import { blockedRangeContaining, parseCidr } from './cidr.ts';
import { longestDerivedNamespace } from './name-rules.ts';
import { MAX_NAMESPACE_LENGTH, NAMESPACE_PREFIX, rootNamespace, tenantNamespaces } from './names.ts';
import { compareQuantityText, normalizeQuantity } from './quantity.ts';
import type { TenantDocument } from './schema.ts';
import { QUOTA_KEYS, TIER_POLICIES, type Limits } from './tiers.ts';
import { LIMIT_RESOURCES, TIERS, type ContainerResources, type ResolvedTenant, type Tier } from './types.ts';

type Report = (path: string, message: string, fix?: string) => void;

export function resolveTenant(
  document: TenantDocument,
  opts: { file?: string; expectedName?: string } = {},
): { tenant: ResolvedTenant; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const report: Report = (path, message, fix) =>
    issues.push({ ...(opts.file ? { file: opts.file } : {}), path, message, ...(fix ? { fix } : {}) });
  const { spec } = document;
  const name = document.metadata.name;
  const policy = TIER_POLICIES[spec.tier];

  if (opts.expectedName !== undefined && opts.expectedName !== name) {
    report(
      'metadata.name',
      `"${name}" does not match the file name "${opts.expectedName}"`,
      `rename the file to tenants/${name}.yaml or set metadata.name to "${opts.expectedName}"`,
    );
  }

  const quota: Record<string, string> = {};
  for (const key of QUOTA_KEYS) {
    const override = spec.quota?.[key];
    const value = override === undefined ? policy.quotaDefaults[key] : normalizeQuantity(override);
    const ceiling = policy.quotaCeilings[key];
    if (override !== undefined && compareQuantityText(value, ceiling) > 0) {
      report(
        `spec.quota.${key}`,
        `${value} exceeds the ${spec.tier} tier's ceiling of ${ceiling}`,
        ceilingFix(spec.tier, ceiling, (t) => TIER_POLICIES[t].quotaCeilings[key], value),
      );
    }
    quota[key] = value;
  }

  const limits = resolveLimits(spec.tier, spec.limits, report);
  const gpuSlices = spec.gpu?.slices ?? 0;
  if (gpuSlices > policy.maxGpuSlices) {
    report(
      'spec.gpu.slices',
      `${gpuSlices} GPU slices exceed the ${spec.tier} tier's ceiling of ${policy.maxGpuSlices}`,
      ceilingFix(
        spec.tier,
        String(policy.maxGpuSlices),
        (t) => String(TIER_POLICIES[t].maxGpuSlices),
        String(gpuSlices),
      ),
    );
  }

  const subNamespaces = (spec.subNamespaces ?? []).map((s) => s.name);
  checkSubNamespaces(name, spec.tier, subNamespaces, report);

  const nodePool = spec.nodePool ?? 'shared';
  if (nodePool === 'dedicated' && !policy.dedicatedNodePool) {
    report(
      'spec.nodePool',
      `a dedicated node pool is not available on the ${spec.tier} tier`,
      `use nodePool: shared, or tier: ${tierAllowing((t) => TIER_POLICIES[t].dedicatedNodePool)}`,
    );
  }

  const ownerKeys = new Set<string>();
  spec.owners.forEach((owner, i) => {
    const key = `${owner.kind}/${owner.name}`;
    if (ownerKeys.has(key)) report(`spec.owners[${i}]`, `owner ${key} is listed twice`, 'remove the duplicate');
    ownerKeys.add(key);
  });

  const network = resolveNetwork(name, subNamespaces, spec.network, report);
  const hosts = spec.ingress?.hosts ?? [];
  const firstHost = new Map<string, number>();
  hosts.forEach((host, i) => {
    const first = firstHost.get(host);
    if (first !== undefined)
      report(
        `spec.ingress.hosts[${i}]`,
        `ingress host "${host}" is listed twice (also spec.ingress.hosts[${first}])`,
        'remove the duplicate',
      );
    else firstHost.set(host, i);
  });
  const tenant: ResolvedTenant = {
    name,
    tier: spec.tier,
    owners: spec.owners.map((o) => ({ kind: o.kind, name: o.name })),
    quota,
    limits,
    gpuSlices,
    subNamespaces,
    network,
    ingress: { hosts: [...firstHost.keys()].sort() },
    nodePool,
    secrets: spec.secrets ? (spec.secrets.enabled ? 'on' : 'off') : policy.secretsByDefault ? 'default' : 'off',
    cluster: spec.cluster ?? policy.defaultCluster,
  };
  return { tenant, issues };
}

function resolveLimits(tier: Tier, spec: TenantDocument['spec']['limits'], report: Report): Limits {
  const defaults = TIER_POLICIES[tier].limits;
  const merged = {} as Limits;
  for (const field of ['default', 'defaultRequest', 'max'] as const) {
    const values = {} as ContainerResources;
    for (const resource of LIMIT_RESOURCES) {
      const override = spec?.[field]?.[resource];
      const value = override === undefined ? defaults[field][resource] : normalizeQuantity(override);
      const ceiling = defaults.max[resource];
      if (override !== undefined && compareQuantityText(value, ceiling) > 0) {
        report(
          `spec.limits.${field}.${resource}`,
          `${value} exceeds the ${tier} tier's per-container ceiling of ${ceiling}`,
          ceilingFix(tier, ceiling, (t) => TIER_POLICIES[t].limits.max[resource], value),
        );
      }
      values[resource] = value;
    }
    merged[field] = values;
  }
  // The API server rejects a LimitRange whose defaultRequest > default or default > max.
  for (const resource of LIMIT_RESOURCES) {
    if (compareQuantityText(merged.defaultRequest[resource], merged.default[resource]) > 0) {
      report(
        `spec.limits.defaultRequest.${resource}`,
        `defaultRequest ${merged.defaultRequest[resource]} is above default ${merged.default[resource]}`,
        `lower defaultRequest.${resource} or raise default.${resource}`,
      );
    }
    if (compareQuantityText(merged.default[resource], merged.max[resource]) > 0) {
      report(
        `spec.limits.default.${resource}`,
        `default ${merged.default[resource]} is above max ${merged.max[resource]}`,
        `lower default.${resource} or raise max.${resource}`,
      );
    }
  }
  return merged;
}

function checkSubNamespaces(name: string, tier: Tier, subs: string[], report: Report): void {
  const max = TIER_POLICIES[tier].maxSubNamespaces;
  if (subs.length > max) {
    report(
      'spec.subNamespaces',
      `${subs.length} sub-namespaces exceed the ${tier} tier's ceiling of ${max}`,
      ceilingFix(tier, String(max), (t) => String(TIER_POLICIES[t].maxSubNamespaces), String(subs.length)),
    );
  }
  const seen = new Map<string, number>();
  subs.forEach((sub, i) => {
    const first = seen.get(sub);
    if (first !== undefined)
      report(
        `spec.subNamespaces[${i}].name`,
        `sub-namespace "${sub}" is listed twice (also spec.subNamespaces[${first}])`,
        'remove the duplicate',
      );
    else seen.set(sub, i);
  });
  const longest = longestDerivedNamespace(name, subs);
  if (longest.length > MAX_NAMESPACE_LENGTH) {
    const over = longest.length - MAX_NAMESPACE_LENGTH;
    const index = subs.findIndex((s) => `${rootNamespace(name)}-${s}` === longest);
    report(
      index >= 0 ? `spec.subNamespaces[${index}].name` : 'metadata.name',
      `derived namespace "${longest}" is ${longest.length} characters; Kubernetes allows ${MAX_NAMESPACE_LENGTH}`,
      `shorten the ${index >= 0 ? 'tenant or sub-namespace' : 'tenant'} name by at least ${over} characters`,
    );
  }
}

function resolveNetwork(
  name: string,
  subs: string[],
  spec: TenantDocument['spec']['network'],
  report: Report,
): ResolvedTenant['network'] {
  const own = new Set(tenantNamespaces({ name, subNamespaces: subs }));
  const ingress = spec?.allowIngressFromNamespaces ?? [];
  const seenIngress = new Set<string>();
  ingress.forEach((ns, i) => {
    const path = `spec.network.allowIngressFromNamespaces[${i}]`;
    if (seenIngress.has(ns)) report(path, `namespace "${ns}" is listed twice`, 'remove the duplicate');
    seenIngress.add(ns);
    if (ns.startsWith(NAMESPACE_PREFIX) && !own.has(ns)) {
      report(
        path,
        `"${ns}" is another tenant's namespace; tenants are isolated from each other and one tenant cannot open itself to another`,
        'remove it; traffic between tenants goes through a platform ingress',
      );
    }
  });
  const egress = spec?.allowEgressTo ?? [];
  const seenCidrs = new Map<string, number>();
  const allowEgressTo = egress.map((rule, i) => {
    const path = `spec.network.allowEgressTo[${i}]`;
    const parsed = parseCidr(rule.cidr);
    const blocked = parsed.ok ? blockedRangeContaining(parsed.cidr) : undefined;
    if (blocked) {
      report(
        `${path}.cidr`,
        `${rule.cidr} lies inside ${blocked.cidr} (${blocked.why}), which no tenant may reach`,
        blocked.fix,
      );
    }
    const first = seenCidrs.get(rule.cidr);
    if (first !== undefined)
      report(
        `${path}.cidr`,
        `${rule.cidr} is listed twice (also spec.network.allowEgressTo[${first}])`,
        'merge the two entries',
      );
    else seenCidrs.set(rule.cidr, i);
    const ports = rule.ports ?? [];
    ports.forEach((port, j) => {
      if (ports.indexOf(port) !== j)
        report(`${path}.ports[${j}]`, `port ${port} is listed twice`, 'remove the duplicate');
    });
    return { cidr: rule.cidr, ports: [...new Set(ports)] };
  });
  return { allowIngressFromNamespaces: [...ingress], allowEgressTo };
}

/** "use at most X, or tier: Y" naming the cheapest tier whose ceiling allows the value. */
function ceilingFix(tier: Tier, ceiling: string, ceilingOf: (t: Tier) => string, wanted: string): string {
  const higher = TIERS.slice(TIERS.indexOf(tier) + 1).find((t) => compareQuantityText(wanted, ceilingOf(t)) <= 0);
  return `use at most ${ceiling}${higher ? `, or move the tenant to tier: ${higher}` : ''}`;
}

function tierAllowing(allowed: (t: Tier) => boolean): string {
  return TIERS.filter(allowed).join(' or ');
}
