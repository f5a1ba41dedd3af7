// CIDRs for egress allowances: parsed exactly (bigint addresses), required in canonical network
// form so the rendered NetworkPolicy says what the reviewer read, and checked against the ranges no
// tenant may reach (metadata and link-local, IPv4 translated into IPv6, the cluster's own).
import { isIPv4, isIPv6 } from 'node:net';
import { CLUSTER_NETWORKS } from './platform.ts';

/** The cloud metadata address: inside 169.254.0.0/16, which BLOCKED_RANGES covers. */
export const METADATA_CIDR = '169.254.169.254/32';

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

export type CidrResult = { ok: true; cidr: Cidr; canonical: string } | { ok: false; message: string; fix: string };

export function parseCidr(text: string): CidrResult {
  const [address = '', prefixText, ...rest] = text.split('/');
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined || rest.length > 0) {
    return {
      ok: false,
      message: `"${text}" is not an IPv4 or IPv6 CIDR`,
      fix: 'write it like "10.20.0.0/16" or "2001:db8::/32"',
    };
  }
  const bits = family === 4 ? 32 : 128;
  if (prefixText === undefined) {
    return {
      ok: false,
      message: `"${text}" has no prefix length`,
      fix: `use "${formatAddress(family, addressValue(family, address))}/${bits}" for a single address`,
    };
  }
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return {
      ok: false,
      message: `"${text}" has an invalid prefix length (0..${bits})`,
      fix: `use a prefix between 0 and ${bits}`,
    };
  }
  const prefix = Number(prefixText);
  const value = addressValue(family, address);
  const network = value & mask(bits, prefix);
  const canonical = `${formatAddress(family, network)}/${prefix}`;
  if (network !== value) {
    return {
      ok: false,
      message: `"${text}" has host bits set; a NetworkPolicy ipBlock needs the network address`,
      fix: `use "${canonical}"`,
    };
  }
  if (canonical !== text) {
    return { ok: false, message: `"${text}" is not written in canonical form`, fix: `use "${canonical}"` };
  }
  return { ok: true, cidr: { family, network, prefix }, canonical };
}

/** True when every address of `inner` is inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const bits = outer.family === 4 ? 32 : 128;
  return (inner.network & mask(bits, outer.prefix)) === outer.network;
}

/** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d). */
export const IPV4_MAPPED_CIDR = '::ffff:0:0/96';

/** An address range no egress allowance may reach, and why. */
export interface BlockedRange {
  cidr: string;
  why: string;
  fix: string;
}

const NO_METADATA = 'remove it; no tenant may reach the metadata or credential services';
const NO_TRANSLATION = 'write the IPv4 CIDR itself; a translated address is judged as the IPv4 network it reaches';
const NO_CLUSTER = 'remove it; pods and Services are reached by namespace (same tenant, DNS), never by address range';

/**
 * Link-local and cloud metadata ranges (the IPv4 and IPv6 metadata service, ECS/EKS credential
 * endpoints at 169.254.170.2 and 169.254.170.23), the IPv6 forms that translate to IPv4 (an
 * IPv4-mapped or NAT64 address reaches 169.254.169.254 as surely as the IPv4 one), and the
 * cluster's own ranges from platform.ts.
 */
export const BLOCKED_RANGES: readonly BlockedRange[] = [
  {
    cidr: '169.254.0.0/16',
    why: 'IPv4 link-local, home of the cloud metadata and credential services',
    fix: NO_METADATA,
  },
  { cidr: 'fe80::/10', why: 'IPv6 link-local', fix: NO_METADATA },
  { cidr: 'fd00:ec2::/64', why: 'the IPv6 cloud metadata service (fd00:ec2::254)', fix: NO_METADATA },
  { cidr: IPV4_MAPPED_CIDR, why: 'IPv4-mapped IPv6 addresses', fix: NO_TRANSLATION },
  { cidr: '64:ff9b::/96', why: 'the NAT64 well-known prefix', fix: NO_TRANSLATION },
  { cidr: '64:ff9b:1::/48', why: 'the NAT64 local-use prefix', fix: NO_TRANSLATION },
  ...CLUSTER_NETWORKS.pods.map((cidr) => ({ cidr, why: "the cluster's pod range", fix: NO_CLUSTER })),
  ...CLUSTER_NETWORKS.services.map((cidr) => ({ cidr, why: "the cluster's Service range", fix: NO_CLUSTER })),
  ...CLUSTER_NETWORKS.nodes.map((cidr) => ({ cidr, why: "the cluster's node range", fix: NO_CLUSTER })),
];

const BLOCKED = BLOCKED_RANGES.map((range) => {
  const parsed = parseCidr(range.cidr);
  if (!parsed.ok) throw new Error(`tenant-gitops: blocked range ${range.cidr} is not canonical: ${parsed.fix}`);
  return { ...range, parsed: parsed.cidr };
});

/** The blocked range an allowed CIDR lies wholly inside (so no `except` can save it), if any. */
export function blockedRangeContaining(cidr: Cidr): BlockedRange | undefined {
  const hit = BLOCKED.find((range) => cidrContains(range.parsed, cidr));
  return hit && { cidr: hit.cidr, why: hit.why, fix: hit.fix };
}

/**
 * The `except` entries an ipBlock for this CIDR needs so no blocked range is reachable through it:
 * every blocked range it contains, except those inside another listed one, in the order of
 * BLOCKED_RANGES.
 */
export function egressExcepts(cidr: string): string[] {
  const parsed = parseCidr(cidr);
  if (!parsed.ok || blockedRangeContaining(parsed.cidr)) return [];
  const inside = BLOCKED.filter((range) => cidrContains(parsed.cidr, range.parsed));
  return inside
    .filter((range) => !inside.some((other) => other !== range && cidrContains(other.parsed, range.parsed)))
    .map((range) => range.cidr);
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

function addressValue(family: 4 | 6, address: string): bigint {
  if (family === 4) return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const n = addressValue(4, v4);
    text = `${text.slice(0, -v4.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...zeros, ...tailParts].reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (≥ 2) of zero hextets as "::". */
function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  const hextets = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (hextets[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j += 1;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
