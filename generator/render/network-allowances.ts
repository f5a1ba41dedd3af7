// The tenant's listed network allowances as NetworkPolicies, on top of base/tenant's default-deny.
// The metadata address is carved out of every allowed CIDR that contains it, so no allowance can
// ever reach it.
import type { ResolvedTenant } from '../spec/types.ts';
import { METADATA_CIDR } from './platform-config.ts';

type Manifest = Record<string, unknown>;

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** The `except` list an allowed CIDR needs so the metadata address stays unreachable. */
export function metadataExceptFor(cidr: string): string[] {
  const [ip, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const base = ipv4ToInt(ip ?? '');
  const metadata = ipv4ToInt(METADATA_CIDR.split('/')[0]!)!;
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return [];
  const size = 2 ** (32 - prefix);
  const start = base - (base % size);
  const contains = metadata >= start && metadata < start + size;
  if (!contains) return [];
  if (prefix === 32) {
    throw new Error(`tenant-gitops: ${cidr} is the cloud metadata address and can never be allowed`);
  }
  return [METADATA_CIDR];
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
