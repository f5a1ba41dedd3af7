import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, shortCode } from '../../src/shared/markdown.ts';
import { hostileString } from '../fixtures/hostile-strings.ts';

/** Reads a value back from what `code` shows (the reviewer's reading of it). */
function read(shown: string): string {
  const inner = /^`([^`]*)`$/.exec(shown)?.[1];
  if (inner === undefined) throw new Error(`not one code span: ${shown}`);
  if (!inner.startsWith('"')) return inner;
  const named: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };
  return inner
    .slice(1, -1)
    .replace(/\\(u\{([0-9a-f]+)\}|.)/g, (_, escape: string, hex?: string) =>
      hex ? String.fromCodePoint(parseInt(hex, 16)) : (named[escape] ?? `?${escape}`),
    );
}

describe('code: the one way a value reaches the Markdown', () => {
  it.each([
    ['acme-admins', '`acme-admins`'],
    ['ops@acme.example', '`ops@acme.example`'],
    ['10.20.0.0/16', '`10.20.0.0/16`'],
    ['<script>alert(1)</script>', '`<script>alert(1)</script>`'],
    [
      '**bold** [link](javascript:x) ~~~ # &amp; :tada: @someone',
      '`**bold** [link](javascript:x) ~~~ # &amp; :tada: @someone`',
    ],
    ['a|b', '`"a\\u{7c}b"`'],
    ['a`b', '`"a\\u{60}b"`'],
    ['line\nbreak\r\tx', '`"line\\nbreak\\r\\tx"`'],
    ['say "hi"', '`"say \\"hi\\""`'],
    ['back\\slash', '`"back\\\\slash"`'],
    ['two  spaces', '`"two \\u{20}spaces"`'],
    [' edge', '`" edge"`'],
    ['', '`""`'],
    ['right\u202eto-left', '`"right\\u{202e}to-left"`'],
    ['zero\u200bwidth', '`"zero\\u{200b}width"`'],
    ['acme-аdmins', '`"acme-\\u{430}dmins"`'],
    ['para\u2028graph', '`"para\\u{2028}graph"`'],
    ['lone \ud800 surrogate', '`"lone \\u{d800} surrogate"`'],
  ])('GIVEN %j WHEN shown THEN it is %s', (value, shown) => {
    expect(code(value)).toBe(shown);
  });

  it('GIVEN any string WHEN shown THEN it is one code span on one line, without a pipe, and reads back as the same string', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const shown = code(value);
        expect(shown).toMatch(/^`[^`|\r\n]*`$/);
        expect(read(shown)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN a value longer than the warning shows WHEN shortened THEN its beginning is shown and its length said', () => {
    expect(shortCode('a'.repeat(5), 5)).toBe('`aaaaa`');
    expect(shortCode(`${'a'.repeat(5)}|${'b'.repeat(1000)}`, 5)).toBe('`aaaaa`… (1,006 characters)');
    expect(shortCode('😀'.repeat(6), 5)).toBe('`"\\u{1f600}\\u{1f600}\\u{1f600}\\u{1f600}\\u{1f600}"`… (6 characters)');
  });
});
