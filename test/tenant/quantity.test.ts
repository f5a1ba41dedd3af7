import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareQuantities, formatQuantity, normalizeQuantity, parseQuantity } from '../../src/tenant/quantity.ts';

describe('normalizeQuantity: Kubernetes canonical form', () => {
  it.each([
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1500m', '1500m'],
    ['0', '0'],
    ['0Gi', '0'],
    ['512Ki', '512Ki'],
    ['1Ki', '1Ki'],
    ['100', '100'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1.5e3', '1500'],
    ['12e-3', '12e-3'],
    ['.5', '500m'],
    ['5.', '5'],
    ['+1', '1'],
    ['1n', '1n'],
    ['0.1n', '1n'], // sub-nano precision rounds up, as Kubernetes does
    ['1P', '1P'],
    ['1000k', '1M'],
    ['0.5Ki', '512'], // binary values below 1024 print as decimal
    ['1.5Ki', '1536'],
  ])('GIVEN %s WHEN normalised THEN %s', (input, expected) => {
    expect(normalizeQuantity(input)).toBe(expected);
  });

  it('GIVEN YAML numbers WHEN normalised THEN they read like the strings', () => {
    expect(normalizeQuantity(16)).toBe('16');
    expect(normalizeQuantity(0.25)).toBe('250m');
    expect(normalizeQuantity(2000)).toBe('2k');
  });

  it.each([
    ['lots', 'not a Kubernetes quantity'],
    ['', 'not a Kubernetes quantity'],
    ['1.2.3', 'unknown suffix'],
    ['-1', 'negative'],
    ['-500m', 'negative'],
    ['1e400', 'out of range'],
    ['1e99999999999', 'out of range'],
    ['10Ei', 'out of range'],
    ['1E', 'out of range'], // exa: beyond int64 milli-units
    ['9223372036854775808', 'out of range'],
    ['1 Gi', 'unknown suffix'],
    ['1gi', 'unknown suffix'],
    ['1KiB', 'unknown suffix'],
    ['e3', 'not a Kubernetes quantity'],
    ['Infinity', 'not a Kubernetes quantity'],
  ])('GIVEN %j WHEN parsed THEN it is refused (%s)', (input, reason) => {
    const result = parseQuantity(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('GIVEN the largest int64 milli-value WHEN parsed THEN it is accepted and one more is not', () => {
    expect(parseQuantity('9223372036854775807m').ok).toBe(true);
    expect(parseQuantity('9223372036854775808m').ok).toBe(false);
  });

  it('GIVEN NaN or infinity as a YAML number WHEN parsed THEN refused', () => {
    expect(parseQuantity(Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(parseQuantity(Number.NaN).ok).toBe(false);
  });
});

// Random quantities built from the grammar: digits, optional fraction, any suffix.
const suffixes = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'Ki', 'Mi', 'Gi', 'Ti', 'e3', 'e-3', 'e6', 'E2'];
const quantityText = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
    fc.constantFrom(...suffixes),
  )
  .map(([whole, fraction, suffix]) => `${whole}${fraction === undefined ? '' : `.${fraction}`}${suffix}`)
  .filter((text) => parseQuantity(text).ok);

function value(text: string) {
  const result = parseQuantity(text);
  if (!result.ok) throw new Error(result.reason);
  return result.quantity;
}

describe('quantity properties', () => {
  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(quantityText, (text) => normalizeQuantity(normalizeQuantity(text)) === normalizeQuantity(text)),
    );
  });

  it('the canonical form parses back to the same value', () => {
    fc.assert(
      fc.property(quantityText, (text) => compareQuantities(value(normalizeQuantity(text)), value(text)) === 0),
    );
  });

  it('normalising keeps the order of any two quantities', () => {
    fc.assert(
      fc.property(quantityText, quantityText, (a, b) => {
        const before = compareQuantities(value(a), value(b));
        const after = compareQuantities(value(normalizeQuantity(a)), value(normalizeQuantity(b)));
        return before === after;
      }),
    );
  });

  it('comparison agrees with exact rational arithmetic on decimal input', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), (a, b) => {
        const qa = value(`${a}m`);
        const qb = value(`${b}m`);
        return (
          compareQuantities(qa, qb) === (a === b ? 0 : a < b ? -1 : 1) &&
          formatQuantity(qa) === normalizeQuantity(`${a}m`)
        );
      }),
    );
  });
});
