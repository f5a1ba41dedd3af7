import { describe, expect, it } from 'vitest';
import { parseTenantYaml, scaffoldTenantYaml, TIERS, type Tier } from '../../src/tenant/index.ts';
import { inputIssues } from './support.ts';

describe('scaffoldTenantYaml', () => {
  it.each(TIERS)(
    'GIVEN tier %s WHEN scaffolded THEN the file is a valid spec with the schema comment first',
    (tier) => {
      const text = scaffoldTenantYaml('newco', tier);
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./tenant.schema.json');
      const { tenant } = parseTenantYaml(text, { file: 'tenants/newco.yaml', expectedName: 'newco' });
      expect(tenant).toMatchObject({ name: 'newco', tier, owners: [{ kind: 'Group', name: 'newco-admins' }] });
      expect(text).toContain('# quota:');
      // The commented example hosts are valid hosts of the new tenant.
      const hosts = /# {3}hosts: \[ (.*) \]/
        .exec(text)?.[1]
        ?.split(', ')
        .map((h) => h.replaceAll('"', ''));
      expect(hosts).toEqual(['newco.example', '*.apps.newco.example']);
      expect(
        parseTenantYaml(text.replace('nodePool:', `ingress: { hosts: ${JSON.stringify(hosts)} }\n  nodePool:`), 'x')
          .tenant.ingress.hosts,
      ).toHaveLength(2);
    },
  );

  it('GIVEN a bad name WHEN scaffolded THEN InputError names metadata.name', () => {
    const issues = inputIssues(() => scaffoldTenantYaml('../x', 'free'));
    expect(issues[0]).toMatchObject({ path: 'metadata.name' });
    expect(issues[0]?.fix).toContain('"x"');
  });

  it('GIVEN an unknown tier WHEN scaffolded THEN InputError names spec.tier', () => {
    const issues = inputIssues(() => scaffoldTenantYaml('newco', 'gold' as Tier));
    expect(issues[0]).toMatchObject({ path: 'spec.tier' });
    expect(issues[0]?.fix).toContain('enterprise');
  });
});
