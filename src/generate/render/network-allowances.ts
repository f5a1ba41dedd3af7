// The tenant's listed network allowances as NetworkPolicies, on top of base/tenant's default-deny.
// Every blocked range (metadata and link-local, IPv4 translated into IPv6, the cluster's own) is
// carved out of each allowed CIDR that contains it, so no allowance can ever reach one.
import { blockedRangeContaining, egressExcepts, parseCidr, type ResolvedTenant } from '../../tenant/index.ts';

type Manifest = Record<string, unknown>;

/** The `except` list an allowed CIDR needs so no blocked range is reachable through it. */
export function egressExceptsFor(cidr: string): string[] {
  // tenant/ refuses a CIDR inside a blocked range; render refuses it again rather than emit it.
  const parsed = parseCidr(cidr);
  const blocked = parsed.ok ? blockedRangeContaining(parsed.cidr) : undefined;
  if (blocked) throw new Error(`tenant-gitops: ${cidr} lies inside ${blocked.cidr} (${blocked.why}); ${blocked.fix}`);
  return egressExcepts(cidr);
}

export function renderIngressAllowance(t: ResolvedTenant): Manifest | undefined {
  const from = t.network.allowIngressFromNamespaces;
  if (from.length === 0) return undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-listed-ingress' },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...from] }],
              },
            },
          ],
        },
      ],
    },
  };
}

export function renderEgressAllowance(t: ResolvedTenant): Manifest | undefined {
  const to = t.network.allowEgressTo;
  if (to.length === 0) return undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-listed-egress' },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: to.map((allowance) => {
        const except = egressExceptsFor(allowance.cidr);
        const ipBlock = except.length > 0 ? { cidr: allowance.cidr, except } : { cidr: allowance.cidr };
        const rule: Manifest = { to: [{ ipBlock }] };
        if (allowance.ports.length > 0) rule.ports = allowance.ports.map((port) => ({ protocol: 'TCP', port }));
        return rule;
      }),
    },
  };
}
