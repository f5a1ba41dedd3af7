// GIVEN any plain document WHEN written through the fast block path THEN its bytes are exactly
// what the `yaml` package writes, or the path declines and the package writes it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { blockYaml, STRINGIFY_OPTIONS } from '../../../src/generate/render/yaml-block.ts';
import { yamlText } from '../../../src/generate/render/yaml-text.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Strings YAML treats specially: indicators, look-alikes of other types, spaces, unicode. */
const SPECIAL_STRINGS = [
  '',
  ' ',
  '2',
  '10',
  '4294967296',
  'true',
  'null',
  '~',
  'yes',
  'No',
  '0',
  '0x1F',
  '1e3',
  '.inf',
  '-',
  '- a',
  ': x',
  'a: b',
  '#c',
  'a #c',
  '&a',
  '*a',
  '!t',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '"q"',
  "'q'",
  '[a]',
  '{a}',
  '?',
  '? x',
  '---',
  '...',
  'a\nb',
  'tab\there',
  ' lead',
  'trail ',
  '10.20.0.0/16',
  '500m',
  '64Gi',
  'requests.nvidia.com/gpu',
  '../../base/tenant',
  'é☃𝄞',
  '\u0000',
  '\u2028',
];

/** Values with spaces, punctuation, colons and JSON: the block path writes most itself. */
const PUNCTUATED_VALUES = [
  'Tenant acme (free), its own namespaces',
  'a  b',
  'a ',
  'key=value',
  '(x)',
  'a,b',
  '10 20',
  '1 2',
  'true story',
  'null value',
  '0x1F = 31',
  'a -b',
  'a - b',
  'x @y',
  'e.g. 1,000',
  'Group:acme-admins',
  'a:b',
  'a:',
  'a :b',
  'a::b',
  'https://x.example/y',
  '[{"effect":"NoSchedule","key":"k","operator":"Equal","value":"acme"}]',
  '{"a": "b"}',
  '["it\'s"]',
  '[ "a" ]',
  '["a" #b]',
  '[]',
  '{}',
];

/** Numbers, booleans and nulls of YAML 1.1 and 1.2, which a plain string must not look like. */
const NUMBER_LOOKALIKES = [
  'True',
  'FALSE',
  'Null',
  'NULL',
  'y',
  'n',
  'on',
  'off',
  'Yes',
  'OFF',
  '1_000',
  '1:20',
  '0o17',
  '0b101',
  '012',
  '1.',
  '1.e5',
  '.5',
  'NaN',
  'Infinity',
  '.NaN',
  '.Inf',
];

/** Any of those, and random strings of every kind. */
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.string({ unit: 'grapheme' }),
  // Words the block path writes without asking the package: names, paths, quantities, numbers.
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,12}$/),
  // Values it writes without asking the package: words with single spaces and some punctuation.
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._/(),=@+:-]{0,20}$/),
  // JSON text, which it single-quotes itself when the package would.
  fc.json(),
  fc.stringMatching(/^[[{][ -~]{0,30}$/),
  fc.constantFrom(...PUNCTUATED_VALUES),
  fc.stringMatching(
    /^(?:[-+]?[0-9]{1,3}(?:\.[0-9]{0,2})?(?:[eE][-+]?[0-9])?|0[xob][0-9a-fA-F]{1,3}|[.][0-9a-zA-Z]{1,3})$/,
  ),
  fc.constantFrom(...NUMBER_LOOKALIKES),
);

const scalar = fc.oneof(
  trickyString,
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constant(-0),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const document = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(trickyString, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
})).map;

function generatedYamlFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.yaml')) files.push(rel);
    }
  };
  walk('overlays');
  walk('argocd/tenants');
  walk('argocd/clusters');
  return files;
}

describe('blockYaml', () => {
  it('writes exactly what stringify writes whenever it takes a document', () => {
    let taken = 0;
    fc.assert(
      fc.property(document, (doc) => {
        const fast = blockYaml(doc);
        if (fast === undefined) return;
        taken++;
        expect(fast).toBe(stringify(doc, STRINGIFY_OPTIONS));
      }),
      { numRuns: 2_000 },
    );
    // The property must exercise the fast path, not only its refusals.
    expect(taken).toBeGreaterThan(500);
  });

  it('writes maps in the given key order exactly as stringify writes an object built in that order', () => {
    const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
    const insertSorted = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(insertSorted);
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      // defineProperty, not assignment: `out['__proto__'] = …` would set the prototype, not a key.
      for (const k of Object.keys(value).sort(descending)) {
        Object.defineProperty(out, k, {
          value: insertSorted((value as Record<string, unknown>)[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    };
    fc.assert(
      fc.property(document, (doc) => {
        const fast = blockYaml(doc, descending);
        if (fast !== undefined) expect(fast).toBe(stringify(insertSorted(doc), STRINGIFY_OPTIONS));
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes every listed string as stringify does, as a value, a sequence item and a key', () => {
    for (const text of [...SPECIAL_STRINGS, ...PUNCTUATED_VALUES, ...NUMBER_LOOKALIKES]) {
      for (const doc of [{ k: text }, { k: [text] }, { [text]: 'v' }, { k: { [text]: 'v' } }]) {
        const fast = blockYaml(doc);
        if (fast !== undefined) expect(fast, JSON.stringify(doc)).toBe(stringify(doc, STRINGIFY_OPTIONS));
      }
    }
  });

  it('declines what it does not lay out itself, and yamlText still writes it through the package', () => {
    expect(blockYaml({ a: new Date(0) })).toBeUndefined();
    const declined = [{ a: 'line one\nline two' }, { a: [['nested']] }, { a: [undefined] }, {}];
    for (const doc of declined) {
      expect(blockYaml(doc)).toBeUndefined();
      expect(yamlText(doc)).toBe(stringify(doc, STRINGIFY_OPTIONS));
    }
  });

  it('takes every document the generator wrote into this repository, byte for byte', () => {
    const files = generatedYamlFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
      expect(docs.map((d) => blockYaml(d)).join('---\n'), file).toBe(text);
    }
  });
});
