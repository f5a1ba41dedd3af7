// CIDRs for egress allowances: parsed exactly (bigint addresses), required in canonical network
// form so the rendered NetworkPolicy says what the reviewer read, and checked against the cloud
// metadata address, which no tenant may reach.
import { isIPv4, isIPv6 } from 'node:net';

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

const METADATA = (parseCidr(METADATA_CIDR) as Extract<CidrResult, { ok: true }>).cidr;

/** The allowed CIDR lies inside the metadata address (i.e. it is that address). */
export function isInsideMetadata(cidr: Cidr): boolean {
  return cidrContains(METADATA, cidr);
}

/** The `except` entries an ipBlock for this CIDR needs so the metadata address stays unreachable. */
export function metadataExcepts(cidr: string): string[] {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) return [];
  return cidrContains(parsed.cidr, METADATA) && !isInsideMetadata(parsed.cidr) ? [METADATA_CIDR] : [];
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
