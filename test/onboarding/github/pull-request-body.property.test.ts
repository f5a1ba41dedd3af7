// The body's structure never depends on the values in it. A pair of tenants (main's and this PR's)
// is drawn with its strings as indices into a pool; the body is rendered once with hostile strings
// from the pool and once with placeholders, and the two Markdown skeletons must be identical. The
// pool holds distinct strings, so both renderings see the same equalities (same owner on main and in
// this PR, same quota value), and therefore the same diff: only the characters differ.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPullRequestBody } from '../../../src/onboarding/github/index.ts';
import { isWildcardHost } from '../../../src/tenant/ingress-hosts.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { hostileString } from '../../fixtures/hostile-strings.ts';
import { markdownSkeleton } from '../../fixtures/markdown-skeleton.ts';

const POOL = 12;
const index = fc.nat({ max: POOL - 1 });
const indices = (maxLength: number) => fc.uniqueArray(index, { maxLength });
const cidr = fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '10.20.0.0/16', '2001:db8::/32', '192.0.2.0/24');

/** A tenant whose every string the body shows is a pool index (enums and CIDRs stay structured). */
const shape = fc.record({
  name: index,
  tier: fc.constantFrom('free' as const, 'business' as const, 'enterprise' as const),
  owners: fc.uniqueArray(fc.record({ kind: fc.constantFrom('Group' as const, 'User' as const), name: index }), {
    minLength: 1,
    maxLength: 4,
    selector: (o) => `${o.kind}/${o.name}`,
  }),
  quota: fc.array(fc.tuple(index, index), { maxLength: 3 }),
  limits: fc.array(index, { minLength: 6, maxLength: 6 }),
  gpuSlices: fc.nat({ max: 16 }),
  subNamespaces: indices(3),
  ingress: indices(3),
  hosts: indices(3),
  egress: fc.uniqueArray(
    fc.record({ cidr, ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }) }),
    {
      maxLength: 3,
      selector: (e) => e.cidr,
    },
  ),
  nodePool: fc.constantFrom('shared' as const, 'dedicated' as const),
  secrets: fc.constantFrom('on' as const, 'default' as const, 'off' as const),
});
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function tenant(s: Shape, name: Shape['name'], value: (i: number) => string): ResolvedTenant {
  const [a, b, c, d, e, f] = s.limits.map(value) as [string, string, string, string, string, string];
  return {
    name: value(name),
    tier: s.tier,
    owners: s.owners.map((o) => ({ kind: o.kind, name: value(o.name) })),
    quota: Object.fromEntries(s.quota.map(([k, v]) => [value(k), value(v)])),
    limits: {
      default: { cpu: a, 'ephemeral-storage': b, memory: b },
      defaultRequest: { cpu: c, 'ephemeral-storage': d, memory: d },
      max: { cpu: e, 'ephemeral-storage': f, memory: f },
    },
    gpuSlices: s.gpuSlices,
    subNamespaces: s.subNamespaces.map(value),
    network: { allowIngressFromNamespaces: s.ingress.map(value), allowEgressTo: s.egress },
    ingress: { hosts: s.hosts.map(value) },
    nodePool: s.nodePool,
    secrets: s.secrets,
    cluster: 'in-cluster',
  };
}

describe('renderPullRequestBody: structure', () => {
  it('GIVEN hostile strings in every string field of main and this PR WHEN rendered THEN the skeleton is the one rendered for placeholders', () => {
    fc.assert(
      fc.property(
        // Short enough that no warning shortens a value (a shortened value says its length).
        // No array-index string ("0", "17"): JavaScript orders such object keys first whatever the
        // insertion order, so a quota keyed by one would list its rows in another order than its
        // placeholder twin. Quota keys are the schema's resource names, never such a string.
        fc.uniqueArray(
          hostileString.filter((s) => [...s].length <= 100 && !/^(0|[1-9][0-9]*)$/.test(s)),
          { minLength: POOL, maxLength: POOL },
        ),
        fc.constantFrom('create' as const, 'update' as const, 'offboard' as const),
        shape,
        fc.option(shape, { nil: null }),
        (pool, action, now, main) => {
          const render = (value: (i: number) => string) =>
            renderPullRequestBody({
              action,
              tenant: tenant(now, now.name, value),
              // main's copy is the same tenant: it carries this PR's name
              previous: main && tenant(main, now.name, value),
            });
          const hostile = render((i) => pool[i]!);
          // A host's kind column ("wildcard" or "exact name") is read from the value: the
          // placeholder keeps that one property of its hostile twin.
          const placeholder = render((i) => (isWildcardHost(pool[i]!) ? `*.value-${i}` : `value-${i}`));
          expect(markdownSkeleton(hostile)).toEqual(markdownSkeleton(placeholder));
        },
      ),
      { numRuns: 300 },
    );
  });
});
