import { describe, expect, it } from 'vitest';
import { compareQuantityText, parseTenantDocument } from '../../src/tenant/index.ts';
import { COUNT_QUOTA_KEYS, QUOTA_KEYS, STORAGE_CLASSES, TIER_POLICIES } from '../../src/tenant/tiers.ts';
import { LIMIT_RESOURCES, TIERS } from '../../src/tenant/types.ts';
import { validDocument } from './support.ts';

const policies = TIERS.map((tier) => ({ tier, policy: TIER_POLICIES[tier] }));

describe('tier policies', () => {
  it.each(policies)('GIVEN tier $tier THEN every quota default is at most its ceiling', ({ policy }) => {
    for (const key of QUOTA_KEYS)
      expect(compareQuantityText(policy.quotaDefaults[key], policy.quotaCeilings[key]), key).toBeLessThanOrEqual(0);
  });

  it.each(policies)('GIVEN tier $tier THEN the object counts are whole numbers', ({ policy }) => {
    for (const key of COUNT_QUOTA_KEYS) expect(policy.quotaCeilings[key], key).toMatch(/^\d+k?$/);
  });

  it.each(policies)(
    'GIVEN tier $tier THEN its LimitRange is defaultRequest ≤ default ≤ max for every resource',
    ({ policy }) => {
      for (const resource of LIMIT_RESOURCES) {
        expect(
          compareQuantityText(policy.limits.defaultRequest[resource], policy.limits.default[resource]),
        ).toBeLessThanOrEqual(0);
        expect(compareQuantityText(policy.limits.default[resource], policy.limits.max[resource])).toBeLessThanOrEqual(
          0,
        );
      }
    },
  );

  it.each(policies)(
    'GIVEN tier $tier THEN a namespace full of pods with only LimitRange defaults still fits the default ephemeral-storage quota',
    ({ policy }) => {
      const pods = BigInt(policy.quotaDefaults.pods);
      const times = (q: string) => `${pods * BigInt(q.replace(/Mi$/, ''))}Mi`;
      expect(
        compareQuantityText(
          times(policy.limits.defaultRequest['ephemeral-storage']),
          policy.quotaDefaults['requests.ephemeral-storage'],
        ),
      ).toBeLessThanOrEqual(0);
    },
  );

  it('GIVEN the tiers THEN each offers every StorageClass and registry of the tier below, sorted, from the known classes', () => {
    TIERS.forEach((tier, i) => {
      const { storageClasses, imageRegistries } = TIER_POLICIES[tier];
      expect([...storageClasses]).toEqual([...storageClasses].sort());
      expect([...imageRegistries]).toEqual([...imageRegistries].sort());
      for (const c of storageClasses) expect(STORAGE_CLASSES).toContain(c);
      if (i > 0) {
        const below = TIER_POLICIES[TIERS[i - 1]!];
        for (const c of below.storageClasses) expect(storageClasses).toContain(c);
        for (const r of below.imageRegistries) expect(imageRegistries).toContain(r);
      }
    });
  });

  it('GIVEN an ephemeral-storage limit above the tier max THEN the field and the fix are named', () => {
    expect(() =>
      parseTenantDocument(validDocument('acme', { tier: 'free', limits: { max: { 'ephemeral-storage': '100Gi' } } }), {
        file: 'tenants/acme.yaml',
      }),
    ).toThrow(/spec\.limits\.max\.ephemeral-storage.*exceeds the free tier's per-container ceiling of 2Gi/s);
  });

  it('GIVEN an ephemeral-storage override within the ceiling THEN it is used AND the rest comes from the tier', () => {
    const { tenant } = parseTenantDocument(
      validDocument('acme', {
        tier: 'business',
        limits: { default: { 'ephemeral-storage': '2048Mi' } },
        quota: { configmaps: '7' },
      }),
    );
    expect(tenant.limits.default).toEqual({ ...TIER_POLICIES.business.limits.default, 'ephemeral-storage': '2Gi' });
    expect(tenant.quota.configmaps).toBe('7');
    expect(tenant.quota.secrets).toBe(TIER_POLICIES.business.quotaDefaults.secrets);
  });
});
