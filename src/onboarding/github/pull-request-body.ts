// The reviewer's summary of a tenant PR. The view model is computed here (pure); the handlebars
// template next to this file holds only the human text.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { parseTenantYaml } from '../../tenant/parse.ts';
import { applicationName, appProjectName, tenantNamespaces, tenantSpecPath } from '../../tenant/names.ts';
import type { ResolvedTenant } from '../../tenant/types.ts';

export interface PullRequestBodyInput {
  action: 'create' | 'update' | 'offboard';
  tenant: ResolvedTenant;
  /** The tenant as it is on the default branch, for "change from main"; absent on create. */
  previous?: ResolvedTenant | null;
  /** Or the tenant's YAML as it is on the default branch (readDefaultBranchFile); parsed here. */
  previousSpec?: string | null;
}

const template = Handlebars.compile(readFileSync(new URL('./pull-request-body.hbs', import.meta.url), 'utf8'), {
  strict: true,
});

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  return `${template(pullRequestView(input)).trim()}\n`;
}

export function pullRequestView(input: PullRequestBodyInput) {
  const { tenant } = input;
  const previous = input.previous ?? previousFromYaml(input.previousSpec, tenant.name);
  const keys = [...new Set([...Object.keys(tenant.quota), ...Object.keys(previous?.quota ?? {})])].sort();
  const quota = keys.map((key) => {
    const after = tenant.quota[key] ?? 'none';
    const before = previous ? (previous.quota[key] ?? 'none') : after;
    return { key, before, after, changed: previous !== null && before !== after };
  });
  const tier = previous && previous.tier !== tenant.tier ? `${previous.tier} → ${tenant.tier}` : tenant.tier;
  return {
    offboard: input.action === 'offboard',
    create: input.action === 'create',
    name: tenant.name,
    tier,
    nodePool: tenant.nodePool,
    gpuSlices: tenant.gpuSlices,
    owners: tenant.owners.map((o) => `${o.kind} ${o.name}`),
    hasPrevious: previous !== null,
    quota,
    subNamespaces: tenant.subNamespaces,
    ingress: tenant.network.allowIngressFromNamespaces,
    egress: tenant.network.allowEgressTo.map((e) => ({
      cidr: e.cidr,
      ports: e.ports.length === 0 ? 'every port' : `TCP ${e.ports.join(', ')}`,
    })),
    hasNetwork: tenant.network.allowIngressFromNamespaces.length + tenant.network.allowEgressTo.length > 0,
    application: applicationName(tenant.name),
    project: appProjectName(tenant.name),
    namespaces: tenantNamespaces(tenant),
  };
}

/**
 * Main's copy of the spec, resolved the same way as the new one. A copy that no longer parses
 * (older schema) gives no comparison rather than a failed PR: the body then shows values only.
 */
function previousFromYaml(text: string | null | undefined, name: string): ResolvedTenant | null {
  if (!text) return null;
  try {
    return parseTenantYaml(text, { file: tenantSpecPath(name), expectedName: name }).tenant;
  } catch {
    return null;
  }
}
