// Properties of the owner-name grammar over random names: everything the documented grammar
// describes is accepted (bar the refusals named on their own), whatever is accepted is made of the
// whitelist only, the JSON Schema editors use agrees with the check, and an accepted name reaches
// the cluster unchanged: through the generator's YAML and through real kustomize.
import { rmSync } from 'node:fs';
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderAll } from '../../src/generate/render/index.ts';
import { kustomizeOverlays } from '../../src/generate/validate/index.ts';
import {
  checkOwnerName,
  MAX_OWNER_NAME_LENGTH,
  MAX_OWNERS,
  parseTenantDocument,
  tenantJsonSchema,
} from '../../src/tenant/index.ts';
import { makePlatformRepo, writeFiles } from '../fixtures/platform-repo.ts';
import { validDocument } from './support.ts';

// The grammar of src/tenant/owner-names.ts, written again from its doc comment.
// Half the runs of letters and digits lean on what YAML readers take for numbers and dates.
const alnum = fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), fc.stringMatching(/^[0-9][0-9bBeEoOtTxXzZ]{0,3}$/));
const joined = (separators: string[]) =>
  fc
    .tuple(alnum, fc.array(fc.tuple(fc.constantFrom(...separators), alnum), { maxLength: 3 }))
    .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const word = joined(['.', '-', '_', '..', '--', '.-']);
const local = joined(['.', '-', '_', '+', '+-']);
const label = joined(['-', '--']);
const email = fc
  .tuple(local, fc.array(label, { minLength: 2, maxLength: 3 }))
  .map(([l, labels]) => `${l}@${labels.join('.')}`);
const path = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
// Words YAML readers resolve to numbers or timestamps (YAML 1.1 and Go's yaml.v3), which the
// grammar allows in shape; the rest of the grammar hits them too rarely to rely on.
const numberOrDate = fc.oneof(
  fc.array(fc.stringMatching(/^[0-9]{1,3}$/), { minLength: 2, maxLength: 3 }).map((parts) => parts.join('_')),
  fc.stringMatching(/^0[bB][01]{1,8}$/),
  fc.stringMatching(/^0[oO][0-7]{1,4}$/),
  fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3})?[eE][0-9]{1,2}$/),
  fc
    .date({ min: new Date('1970-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
const grammarName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.array(word, { maxLength: 2 }), fc.oneof(path, email)).map(([p, r]) => [...p, r].join(':')),
  },
  { weight: 1, arbitrary: numberOrDate },
);

/** Refusals the grammar's doc comment names besides its shape. */
const NAMED_REFUSALS = ['system identity', 'number or date', 'too long'];

// prettier-ignore
const DANGEROUS = [
  '\u0000', '\n', '\r', '\t', '\u007f', '\u0085', '\u009b', '\u00a0', '\u061c', '\u200b', '\u200d', '\u200e',
  '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\u3000', '\ufeff', '\u0301', '\u0430', ' ', '|', '`', '<',
  '>', '*', '[', ']', '#', '&', '!', '%', '{', '}', '"', "'", '\\', '~', '=', '?', ',', ';', '$', '^',
];
/** A grammar name with one character put in somewhere: a dangerous one or any code point. */
const mutated = fc
  .tuple(
    grammarName,
    fc.oneof(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    fc.nat(),
  )
  .map(([name, c, at]) => name.slice(0, at % (name.length + 1)) + c + name.slice(at % (name.length + 1)));
const anyName = fc.oneof(grammarName, mutated, fc.string({ unit: 'binary', maxLength: 20 }));

describe('the owner-name grammar', () => {
  it('GIVEN a name the documented grammar describes THEN it is accepted, or refused by a rule named on its own', () => {
    fc.assert(
      fc.property(grammarName, (name) => {
        const problem = checkOwnerName(name);
        expect(problem === undefined || NAMED_REFUSALS.includes(problem.rule), JSON.stringify(problem)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN any string THEN an accepted one is printable ASCII from the whitelist, NFC, short and not system:', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        if (checkOwnerName(name) !== undefined) return;
        expect(name).toMatch(/^[A-Za-z0-9._@+:/-]+$/);
        expect(name.length).toBeLessThanOrEqual(MAX_OWNER_NAME_LENGTH);
        expect(name.normalize('NFC')).toBe(name);
        expect(name.toLowerCase().startsWith('system:')).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('GIVEN any string THEN the JSON Schema editors use accepts it exactly when the spec does', () => {
    const validate = new Ajv.default({ strict: false }).compile(tenantJsonSchema());
    fc.assert(
      fc.property(anyName, (name) => {
        const document = validDocument('acme', { owners: [{ kind: 'Group', name }] });
        expect(validate(document)).toBe(checkOwnerName(name) === undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN accepted names WHEN rendered and built by kustomize THEN every RoleBinding binds exactly those names', async () => {
    const accepted = grammarName.filter((name) => checkOwnerName(name) === undefined);
    const names = fc.uniqueArray(accepted, { minLength: MAX_OWNERS, maxLength: 4 * MAX_OWNERS });
    await fc.assert(
      fc.asyncProperty(names, async (all) => {
        const tenants = [];
        for (let i = 0; i * MAX_OWNERS < all.length; i++) {
          const owners = all.slice(i * MAX_OWNERS, (i + 1) * MAX_OWNERS).map((name) => ({ kind: 'User', name }));
          tenants.push(
            parseTenantDocument(validDocument(`t${i}`, { owners, subNamespaces: [{ name: 'dev' }] })).tenant,
          );
        }
        const root = makePlatformRepo();
        try {
          const files = renderAll(tenants);
          writeFiles(root, files);
          const { objects, failures } = await kustomizeOverlays(
            root,
            tenants.map((t) => t.name),
          );
          expect([...failures]).toEqual([]);
          for (const t of tenants) {
            const patches = parseAllDocuments(files.get(`overlays/${t.name}/values/patches.yaml`)!).map((d) =>
              d.toJS(),
            );
            const bindings = objects.get(t.name)!.filter((o) => o.kind === 'RoleBinding');
            expect(bindings).toHaveLength(2);
            for (const binding of [patches.find((p) => p.kind === 'RoleBinding'), ...bindings]) {
              const subjects = (binding as { subjects: { kind: string; name: unknown }[] }).subjects;
              const bound = subjects.filter((s) => s.kind !== 'ServiceAccount').map((s) => s.name);
              // The names that did not come through as themselves, so a failure shows them.
              expect(t.owners.filter((o, i) => bound[i] !== o.name).map((o) => o.name)).toEqual([]);
              expect(bound).toHaveLength(t.owners.length);
            }
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      // Each run is a kustomize build: no shrinking, the failing names are listed instead.
      { numRuns: 4, endOnFailure: true },
    );
  });
});
