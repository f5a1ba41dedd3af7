// Deterministic YAML and JSON text: the same object always gives the same bytes, on any machine.
import { Document } from 'yaml';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

/** Kubernetes' conventional leading keys first, then the rest sorted by code point. */
function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function toDocument(value: unknown): Document {
  return new Document(value, {
    aliasDuplicateObjects: false,
    sortMapEntries: (x, y) => compareKeys(String(x.key), String(y.key)),
  });
}

const STRINGIFY = { lineWidth: 100, minContentWidth: 20, indentSeq: true } as const;

/** One YAML document, trailing newline included. */
export function yamlText(value: unknown): string {
  return toDocument(value).toString(STRINGIFY);
}

/** A multi-document YAML stream (`---` between documents). */
export function yamlStream(values: unknown[]): string {
  return values.map((v) => toDocument(v).toString(STRINGIFY)).join('---\n');
}

/** JSON with keys sorted at every level, two-space indent, trailing newline. */
export function sortedJsonText(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
  }
  return value;
}
