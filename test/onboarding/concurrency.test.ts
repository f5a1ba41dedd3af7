// Concurrent requests against one service, on each store (the SQLite file and PostgreSQL):
// per-tenant serialisation gives one PR for many identical requests, and distinct tenants all get
// their own PR with none lost.
import { describe, expect, it } from 'vitest';
import { useHarness, tenantDocument } from './support/harness.ts';

describe.each(['sqlite', 'postgres'] as const)('concurrent onboarding (%s store)', (store) => {
  const harness = useHarness({ store });

  it('GIVEN the same request 10 times at once (with and without a key) WHEN they all complete THEN there is one PR and every answer names it', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        harness().api(
          'POST',
          '/v1/tenants',
          tenantDocument('same'),
          i % 2 === 0 ? { 'idempotency-key': 'same-key' } : {},
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const numbers = new Set(responses.map((r) => r.body.pullRequest?.number));
    expect(numbers.size).toBe(1);
    const prs = (await harness().pulls('all')).filter((p) => p.head.ref === 'tenants/same');
    expect(prs.map((p) => p.number)).toEqual([...numbers]);
  });

  it(
    'GIVEN 100 distinct tenants requested at once WHEN they complete THEN 100 PRs, one per tenant, none lost',
    { timeout: 600_000 },
    async () => {
      const names = Array.from({ length: 100 }, (_, i) => `many-${String(i).padStart(3, '0')}`);
      const responses = await Promise.all(
        names.map((name) =>
          harness().api('POST', '/v1/tenants', tenantDocument(name), { 'idempotency-key': `k-${name}` }),
        ),
      );
      expect(responses.filter((r) => r.status !== 202).map((r) => r.body)).toEqual([]);
      expect(responses.map((r) => r.body.name)).toEqual(names);
      const numbers = responses.map((r) => r.body.pullRequest?.number);
      expect(new Set(numbers).size).toBe(100);

      const open = (await harness().pulls('open')).filter((p) => p.head.ref.startsWith('tenants/many-'));
      expect(open.map((p) => p.head.ref).sort()).toEqual(names.map((n) => `tenants/${n}`));
      const listed = (await harness().api('GET', '/v1/tenants?state=pr_open')).body.tenants.map(
        (t: { name: string }) => t.name,
      );
      expect(listed.filter((n: string) => n.startsWith('many-'))).toEqual(names);
    },
  );
});
