// The tenant's listed network allowances as NetworkPolicies, on top of base/tenant's default-deny.
// The metadata address is carved out of every allowed CIDR that contains it, so no allowance can
// ever reach it.
import { METADATA_CIDR, metadataExcepts, parseCidr, type ResolvedTenant } from '../../tenant/index.ts';

type Manifest = Record<string, unknown>;

/** The `except` list an allowed CIDR needs so the metadata address stays unreachable. */
export function metadataExceptFor(cidr: string): string[] {
  // tenant/ refuses the metadata address itself; render refuses it again rather than emit it.
  const parsed = parseCidr(cidr);
  if (parsed.ok && parsed.canonical === METADATA_CIDR) {
    throw new Error(`tenant-gitops: ${cidr} is the cloud metadata address and can never be allowed`);
  }
  return metadataExcepts(cidr);
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
        const except = metadataExceptFor(allowance.cidr);
        const ipBlock = except.length > 0 ? { cidr: allowance.cidr, except } : { cidr: allowance.cidr };
        const rule: Manifest = { to: [{ ipBlock }] };
        if (allowance.ports.length > 0) rule.ports = allowance.ports.map((port) => ({ protocol: 'TCP', port }));
        return rule;
      }),
    },
  };
}
