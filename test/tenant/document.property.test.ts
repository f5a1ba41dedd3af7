// Properties over random valid specs: they resolve, stay within their tier, agree with the JSON
// Schema editors use, and resolving the resolved tenant again changes nothing.
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COUNT_QUOTA_KEYS,
  compareQuantityText,
  parseQuantity,
  parseTenantDocument,
  QUOTA_KEYS,
  TIER_POLICIES,
  TIERS,
  tenantJsonSchema,
  type ResolvedTenant,
  type Tier,
} from '../../src/tenant/index.ts';
import { InputError } from '../../src/shared/errors.ts';

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

function nanoOf(text: string): bigint {
  const parsed = parseQuantity(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.quantity.nano;
}

/** A quantity at most `ceiling`, written in one of several notations. */
function quantityUpTo(ceiling: string, whole: boolean): fc.Arbitrary<string | number> {
  const units = nanoOf(ceiling) / 1_000_000_000n;
  if (whole)
    return fc.bigInt({ min: 0n, max: units }).chain((n) => fc.constantFrom<string | number>(`${n}`, Number(n)));
  return fc
    .bigInt({ min: 0n, max: units * 1000n })
    .chain((milli) =>
      fc.constantFrom<string | number>(
        `${milli}m`,
        milli % 1000n === 0n ? `${milli / 1000n}` : `${milli}m`,
        milli % 1_024_000n === 0n ? `${milli / 1_024_000n}Ki` : `${milli}m`,
      ),
    );
}

function tierSpec(tier: Tier) {
  const policy = TIER_POLICIES[tier];
  const quota = fc.record(
    Object.fromEntries(
      QUOTA_KEYS.map((key) => [key, quantityUpTo(policy.quotaCeilings[key], COUNT_QUOTA_KEYS.includes(key))]),
    ),
    { requiredKeys: [] },
  );
  // A LimitRange needs defaultRequest <= default <= max: pick three and sort them.
  const resourceLimits = (ceiling: string) =>
    fc
      .array(fc.bigInt({ min: 1n, max: nanoOf(ceiling) / 1_000_000n }), { minLength: 3, maxLength: 3 })
      .map((values) => {
        const [a, b, c] = values.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).map((milli) => `${milli}m`);
        return { defaultRequest: a, default: b, max: c };
      });
  const limits = fc
    .record({ cpu: resourceLimits(policy.limits.max.cpu), memory: resourceLimits(policy.limits.max.memory) })
    .map(({ cpu, memory }) => ({
      default: { cpu: cpu.default, memory: memory.default },
      defaultRequest: { cpu: cpu.defaultRequest, memory: memory.defaultRequest },
      max: { cpu: cpu.max, memory: memory.max },
    }));
  const egress = fc
    .record({
      prefix: fc.integer({ min: 0, max: 31 }),
      address: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
    })
    .map(({ prefix, address, ports }) => {
      const network = prefix === 0 ? 0 : (address >>> (32 - prefix)) << (32 - prefix);
      const octets = [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.');
      return ports.length > 0 ? { cidr: `${octets}/${prefix}`, ports } : { cidr: `${octets}/${prefix}` };
    });
  return fc.record(
    {
      tier: fc.constant(tier),
      owners: fc.uniqueArray(fc.record({ kind: fc.constantFrom('Group', 'User'), name: label }), {
        minLength: 1,
        maxLength: 3,
        selector: (o) => `${o.kind}/${o.name}`,
      }),
      quota,
      limits,
      gpu: fc.record({ slices: fc.integer({ min: 0, max: policy.maxGpuSlices }) }),
      subNamespaces: fc
        .uniqueArray(label, { maxLength: policy.maxSubNamespaces })
        .map((names) => names.map((name) => ({ name }))),
      network: fc.record(
        {
          allowIngressFromNamespaces: fc.uniqueArray(fc.constantFrom('ingress-nginx', 'monitoring', 'kube-system'), {
            maxLength: 3,
          }),
          allowEgressTo: fc.uniqueArray(egress, { maxLength: 3, selector: (e) => e.cidr }),
        },
        { requiredKeys: [] },
      ),
      nodePool: fc.constantFrom(
        ...(policy.dedicatedNodePool ? (['shared', 'dedicated'] as const) : (['shared'] as const)),
      ),
    },
    { requiredKeys: ['tier', 'owners'] },
  );
}

const validDocument = fc.tuple(label, fc.constantFrom(...TIERS).chain(tierSpec)).map(([name, spec]) => ({
  apiVersion: 'tenants.gitops.dev/v1',
  kind: 'Tenant',
  metadata: { name: `t${name}` },
  spec,
}));

function asDocument(t: ResolvedTenant) {
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name: t.name },
    spec: {
      tier: t.tier,
      owners: t.owners,
      quota: t.quota,
      limits: t.limits,
      gpu: { slices: t.gpuSlices },
      subNamespaces: t.subNamespaces.map((name) => ({ name })),
      network: t.network,
      nodePool: t.nodePool,
    },
  };
}

describe('random valid tenant documents', () => {
  it('resolve within their tier ceilings, and resolving the result again is a fixed point', () => {
    fc.assert(
      fc.property(validDocument, (doc) => {
        const { tenant } = parseTenantDocument(doc);
        const policy = TIER_POLICIES[tenant.tier];
        for (const key of QUOTA_KEYS)
          expect(compareQuantityText(tenant.quota[key] ?? '', policy.quotaCeilings[key])).toBeLessThanOrEqual(0);
        expect(Object.keys(tenant.quota)).toEqual([...QUOTA_KEYS].sort());
        expect(parseTenantDocument(asDocument(tenant)).tenant).toEqual(tenant);
      }),
      { numRuns: 200 },
    );
  });

  it('are accepted by the generated JSON Schema too', () => {
    const validate = new Ajv.default({ strict: false }).compile(tenantJsonSchema());
    fc.assert(
      fc.property(validDocument, (doc) => validate(doc) === true),
      { numRuns: 200 },
    );
  });

  it('with one unknown field added anywhere are refused, naming that field', () => {
    const withTypo = validDocument.chain((doc) =>
      fc
        .constantFrom<(string | null)[]>(
          [null],
          ['metadata'],
          ['spec'],
          ['spec', 'gpu'],
          ['spec', 'limits'],
          ['spec', 'limits', 'max'],
        )
        .map((where) => ({ doc, where })),
    );
    fc.assert(
      fc.property(withTypo, ({ doc, where }) => {
        const copy = structuredClone(doc) as Record<string, unknown>;
        // Optional objects that are absent are created, so the typo is the only problem.
        const target = where.reduce<Record<string, unknown>>(
          (obj, key) => (key === null ? obj : ((obj[key] ??= {}) as Record<string, unknown>)),
          copy,
        );
        target.typo = 'x';
        const path = [...where.filter((k) => k !== null), 'typo'].join('.');
        try {
          parseTenantDocument(copy);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          return (error as InputError).issues.some((i) => i.path === path && /unknown field/.test(i.message));
        }
        return false;
      }),
      { numRuns: 100 },
    );
  });
});
