// Kubernetes resource quantities, parsed and printed exactly as the API server does, with bigint
// arithmetic (a float would turn 0.1 + 0.2 into a quota nobody asked for).
//
// Grammar (k8s.io/apimachinery/pkg/api/resource):
//   quantity := sign? number suffix
//   number   := digits | digits "." digits? | "." digits
//   suffix   := binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E) | ("e"|"E") sign? digits
// Values are kept in nano-units; finer precision rounds up to 1n like Kubernetes does.

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9. */
  nano: bigint;
  /** The suffix family the value was written in; printing keeps it (as Kubernetes does). */
  format: QuantityFormat;
}

export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; reason: string };

const NANO_PER_UNIT = 1_000_000_000n;
/** Kubernetes stores quantities so that the milli-value fits an int64; larger is refused as absurd. */
const MAX_MILLI = 9_223_372_036_854_775_807n;
const MAX_NANO = MAX_MILLI * 1_000_000n;
/** Bigger exponents cannot give a value inside the int64 milli range (or above 1n). */
const MAX_EXPONENT_MAGNITUDE = 40n;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const QUANTITY_PATTERN = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/;
const EXPONENT_PATTERN = /^[eE]([+-]?\d+)$/;

export const QUANTITY_EXAMPLES = '"500m", "2", "1.5", "512Mi", "4Gi", "1e3"';

/**
 * Results by text: thousands of tenant files repeat the same few quantities (their tiers'
 * defaults and ceilings), and parsing one is BigInt arithmetic. Frozen, so no caller can change a
 * shared result; cleared when full.
 */
const PARSED = new Map<string, QuantityResult>();
const PARSED_LIMIT = 10_000;

/** Parses a quantity written as a YAML string or number. */
export function parseQuantity(input: string | number): QuantityResult {
  const text = typeof input === 'number' ? numberText(input) : input;
  if (text === undefined) return { ok: false, reason: `${String(input)} is not a finite number` };
  const hit = PARSED.get(text);
  if (hit !== undefined) return hit;
  const result = parseQuantityText(text);
  if (result.ok) Object.freeze(result.quantity);
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(text, Object.freeze(result));
  return result;
}

function parseQuantityText(text: string): QuantityResult {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a Kubernetes quantity` };
  const [, sign, number = '', suffix = ''] = match;
  const scaled = parseSuffix(suffix);
  if (!scaled) return { ok: false, reason: `"${text}" has an unknown suffix "${suffix}"` };
  if (scaled.exponent !== undefined && abs(scaled.exponent) > MAX_EXPONENT_MAGNITUDE) {
    return { ok: false, reason: `"${text}" is out of range (at most ${MAX_MILLI}m)` };
  }
  const [whole = '', fraction = ''] = number.split('.');
  // value = digits * 10^-fraction.length * multiplier; computed as an exact fraction over 10^k.
  let numerator = BigInt(`${whole}${fraction}` || '0') * scaled.binaryMultiplier * NANO_PER_UNIT;
  let denominatorPower = BigInt(fraction.length);
  const decimalExponent = scaled.exponent ?? 0n;
  if (decimalExponent >= 0n) numerator *= 10n ** decimalExponent;
  else denominatorPower -= decimalExponent;
  const denominator = 10n ** denominatorPower;
  // Round up to whole nano-units, as Kubernetes rounds sub-nano precision up.
  const nano = numerator / denominator + (numerator % denominator === 0n ? 0n : 1n);
  if (sign === '-' && nano !== 0n) return { ok: false, reason: `"${text}" is negative` };
  if (nano > MAX_NANO) return { ok: false, reason: `"${text}" is out of range (at most ${MAX_MILLI}m)` };
  return { ok: true, quantity: { nano, format: scaled.format } };
}

/** Kubernetes' canonical text for a quantity (what `kubectl get -o yaml` prints back). */
export function formatQuantity(q: Quantity): string {
  if (q.format === 'BinarySI' && q.nano >= 1024n * NANO_PER_UNIT && q.nano % NANO_PER_UNIT === 0n) {
    let value = q.nano / NANO_PER_UNIT;
    let power = 0;
    while (power < BINARY_BY_POWER.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      power += 1;
    }
    return `${value}${BINARY_BY_POWER[power]}`;
  }
  // Decimal: mantissa * 10^exponent with the exponent a multiple of 3, the mantissa as small as
  // stays whole. Binary values below 1024 or with a fraction print as DecimalSI, like Kubernetes.
  if (q.nano === 0n) return '0';
  let mantissa = q.nano;
  let exponent = -9;
  while (mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (q.format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = DECIMAL_BY_EXPONENT.get(exponent);
  return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
}

/** Parses and prints back in canonical form; throws on input that is not a quantity. */
export function normalizeQuantity(input: string | number): string {
  const result = parseQuantity(input);
  if (!result.ok) throw new Error(`tenant-gitops: ${result.reason}`);
  return formatQuantity(result.quantity);
}

/** -1, 0 or 1, comparing values only (2Gi and 2147483648 are equal). */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nano === b.nano ? 0 : a.nano < b.nano ? -1 : 1;
}

/** Both must already be valid quantities (tier tables, normalised spec values). */
export function compareQuantityText(a: string, b: string): number {
  return compareQuantities(mustParse(a), mustParse(b));
}

/** A whole number of units (object counts, GPU slices). */
export function isWholeNumber(q: Quantity): boolean {
  return q.nano % NANO_PER_UNIT === 0n;
}

function mustParse(text: string): Quantity {
  const result = parseQuantity(text);
  if (!result.ok) throw new Error(`tenant-gitops: ${result.reason}`);
  return result.quantity;
}

interface ScaledSuffix {
  format: QuantityFormat;
  binaryMultiplier: bigint;
  exponent?: bigint;
}

function parseSuffix(suffix: string): ScaledSuffix | undefined {
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined && Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    return { format: 'BinarySI', binaryMultiplier: 1n << BigInt(binary) };
  }
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) {
    return { format: 'DecimalSI', binaryMultiplier: 1n, exponent: BigInt(DECIMAL_SUFFIXES[suffix] ?? 0) };
  }
  const exponent = EXPONENT_PATTERN.exec(suffix)?.[1];
  if (exponent === undefined) return undefined;
  // Cap the digits before BigInt so "1e99999999999" cannot cost anything.
  if (exponent.replace(/^[+-]?0*/, '').length > 4) {
    return { format: 'DecimalExponent', binaryMultiplier: 1n, exponent: exponent.startsWith('-') ? -10_000n : 10_000n };
  }
  return { format: 'DecimalExponent', binaryMultiplier: 1n, exponent: BigInt(exponent) };
}

/** YAML numbers arrive as JS numbers; print them the way the author wrote them. */
function numberText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  return String(value);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
