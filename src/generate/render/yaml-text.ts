// Deterministic YAML and JSON text: the same object always gives the same bytes, on any machine.
// Keys are sorted (Kubernetes' apiVersion/kind/metadata first), lines are never folded (a fixed,
// unlimited line width), every file ends with a newline. The `yaml` package's layout is produced
// through blockYaml (scalars by the package, memoised) because a full stringify per file dominated
// the cost of `generate` at 10,000 tenants; documents outside its shape go to the package whole.
import { stringify } from 'yaml';
import { blockYaml, STRINGIFY_OPTIONS } from './yaml-block.ts';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeysDeep(value: unknown, compare: (a: string, b: string) => number): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v, compare));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compare);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = sortKeysDeep((value as Record<string, unknown>)[k], compare);
    return out;
  }
  return value;
}

/** One YAML document, trailing newline included. */
export function yamlText(value: unknown): string {
  return blockYaml(value, compareKeys) ?? stringify(sortKeysDeep(value, compareKeys), STRINGIFY_OPTIONS);
}

/** A multi-document YAML stream (`---` between documents). */
export function yamlStream(values: unknown[]): string {
  return values.map((v) => yamlText(v)).join('---\n');
}

/** JSON with keys sorted at every level, two-space indent, trailing newline. */
export function sortedJsonText(value: unknown): string {
  return `${JSON.stringify(
    sortKeysDeep(value, (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    null,
    2,
  )}\n`;
}
