// GIVEN YAML text of every shape WHEN the fast reader (js-yaml with the YAML 1.2 core rules) reads it
// THEN whenever it answers, `yaml` (the reader every error comes from) reads the same single document
// without an error and the same data: over random documents in every layout `yaml` writes, over plain
// scalars written by hand, and over random edits of the example tenant files. And the files the
// generator reads in practice take the fast path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify, type ToStringOptions } from 'yaml';
import { loadPlainYaml } from '../../src/tenant/plain-yaml.ts';
import { syntheticTenantSpec } from '../../testing/synthetic/tenants.ts';
import { tenantText } from './support.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = readdirSync(join(REPO_ROOT, 'tenants'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(REPO_ROOT, 'tenants', f), 'utf8'));

/** What the reference reader makes of `text`: its one document's data, or undefined on any error. */
function referenceRead(text: string): { value: unknown } | undefined {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length !== 1) return undefined;
  const [doc] = documents;
  if (!doc || doc.errors.length > 0) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 16 }) };
  } catch {
    return undefined;
  }
}

/** How many texts the fast reader answered: a property it never answers would prove nothing. */
let answered = 0;

function expectAgreement(text: string): void {
  const fast = loadPlainYaml(text);
  if (fast === undefined) return;
  answered++;
  const reference = referenceRead(text);
  expect(reference, `yaml refuses what js-yaml read:\n${text}`).toBeDefined();
  expect(fast, text).toEqual(reference!.value);
}

/** Scalars whose type depends on the schema's rules: the edges of YAML 1.1 and 1.2. */
const TRICKY_SCALARS = [
  '10',
  '-0',
  '+12',
  '007',
  '0o17',
  '0o19',
  '0x1f',
  '0x',
  '0b101',
  '1_000',
  '1.',
  '.5',
  '-.5',
  '1e3',
  '1E-3',
  '+1.5e+3',
  '1e',
  '.e3',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '.NAN',
  '-.nan',
  'inf',
  'nan',
  'NaN',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'null',
  'Null',
  'NULL',
  'nUll',
  '~',
  '',
  '2020-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '12:30',
  '1:20:30',
  '0.1.2',
  '500m',
  '64Gi',
  '1e400',
  '9007199254740993',
  '-',
  'a b',
  'a: b',
];

/** Documents of the kind tenant files hold (words, numbers, quantities), and of any kind. */
function documents(key: fc.Arbitrary<string>, text: fc.Arbitrary<string>) {
  const scalar = fc.oneof(
    fc.constantFrom(...TRICKY_SCALARS),
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const tree = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  // A file's top level is a mapping with something in it.
  return fc.dictionary(key, tree.value, { minKeys: 1, maxKeys: 5 });
}
const wordyDocuments = documents(
  fc.stringMatching(/^[a-z][a-z0-9._/-]{0,8}$/),
  fc.stringMatching(/^[A-Za-z0-9 ._@/+=-]{0,10}$/),
);
const anyDocuments = documents(
  fc.oneof(fc.constantFrom(...TRICKY_SCALARS), fc.string({ maxLength: 8 })),
  fc.string({ maxLength: 12 }),
);

type Layout = ToStringOptions;
type StringType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';
const layout = (
  collectionStyle: ('any' | 'block' | 'flow')[],
  defaultStringType: StringType[],
  keyType: ('PLAIN' | 'QUOTE_DOUBLE' | null)[],
  lineWidth: number[],
) =>
  fc.record({
    collectionStyle: fc.constantFrom(...collectionStyle),
    defaultStringType: fc.constantFrom(...defaultStringType),
    defaultKeyType: fc.constantFrom(...keyType),
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    lineWidth: fc.constantFrom(...lineWidth),
  }) satisfies fc.Arbitrary<Layout>;
const blockLayout = layout(['block'], ['PLAIN', 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'], ['PLAIN'], [0]);
const anyLayout = layout(
  ['any', 'block', 'flow'],
  ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'],
  [null, 'PLAIN', 'QUOTE_DOUBLE'],
  [0, 10, 80],
);

describe('loadPlainYaml', () => {
  it('reads every example tenant and every synthetic bench tenant, as yaml does', () => {
    const texts = [...EXAMPLES, ...Array.from({ length: 30 }, (_, i) => tenantText(syntheticTenantSpec(i)))];
    for (const text of texts) {
      expect(loadPlainYaml(text), text).toBeDefined();
      expectAgreement(text);
    }
  });

  it('reads random documents in the block style tenant files use as yaml does', () => {
    answered = 0;
    fc.assert(
      fc.property(wordyDocuments, blockLayout, (value, options) => expectAgreement(stringify(value, options))),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500);
  });

  it('agrees with yaml, or stays out, on random documents of any kind in every layout yaml writes', () => {
    fc.assert(
      fc.property(anyDocuments, anyLayout, (value, options) => expectAgreement(stringify(value, options))),
      { numRuns: 2000 },
    );
  });

  it('types hand-written plain scalars exactly as yaml’s core schema does', () => {
    const token = fc.constantFrom(...TRICKY_SCALARS);
    answered = 0;
    fc.assert(
      fc.property(
        token,
        token,
        fc.constantFrom('k: %s\n', '- %s\n', '[%s]\n', '{k: %s}\n', '%s: v\n', 'k:\n  - %s\n'),
        (a, b, shape) => {
          expectAgreement(shape.replace('%s', a));
          expectAgreement(`a: ${a}\nb: ${b}\n`);
        },
      ),
      { numRuns: 1000 },
    );
    for (const a of TRICKY_SCALARS) expectAgreement(`k: ${a}\n`);
    expect(answered).toBeGreaterThan(500);
  });

  it('never reads an edited tenant file differently from yaml, or one yaml refuses', () => {
    const significant = [
      ' ',
      '  ',
      '\n',
      '\t',
      ':',
      ': ',
      '-',
      '- ',
      '#',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      ',',
      '?',
      '|',
      '>',
      '\\',
      '---\n',
      '...\n',
      'x',
      '0',
      '\u00a0',
      '\ufeff',
    ];
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.constantFrom(...significant) });
    answered = 0;
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES), fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
        let edited = text;
        for (const e of edits) {
          const at = e.at % (edited.length + 1);
          edited = edited.slice(0, at) + e.insert + edited.slice(at + e.remove);
        }
        expectAgreement(edited);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it('stays out of anchors, aliases, tags, directives, several documents and non-mappings', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '%YAML 1.1\n---\na: yes\n',
      'a: 1\n---\nb: 2\n',
      '- a\n',
      'just text\n',
      '',
      'a: 1\na: 2\n',
    ]) {
      expect(loadPlainYaml(text), text).toBeUndefined();
    }
  });
});
