// The example tenants shipped in tenants/ must load clean and together cover every feature.
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { egressExcepts, loadTenants, renderTenantJsonSchemaFile } from '../../src/tenant/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('example tenants', () => {
  it('GIVEN tenants/ WHEN loaded THEN acme, globex and initech resolve without issues', async () => {
    const loaded = await loadTenants(ROOT);
    const byName = new Map(loaded.map((l) => [l.tenant.name, l.tenant]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['acme', 'globex', 'initech']));

    const acme = byName.get('acme');
    expect(acme).toMatchObject({
      tier: 'enterprise',
      gpuSlices: 4,
      subNamespaces: ['dev', 'prod'],
      nodePool: 'dedicated',
    });
    expect(acme?.owners).toContainEqual({ kind: 'Group', name: 'acme-admins' });

    const globex = byName.get('globex');
    expect(globex?.tier).toBe('business');
    expect(globex?.network.allowIngressFromNamespaces).toEqual(['ingress-nginx']);
    expect(globex?.network.allowEgressTo).toContainEqual({ cidr: '10.20.0.0/16', ports: [5432] });
    expect(globex?.network.allowEgressTo.flatMap((e) => egressExcepts(e.cidr))).toContain('169.254.0.0/16');

    expect(byName.get('initech')?.tier).toBe('free');
  });

  it('GIVEN every tenant file THEN it starts with the schema comment', async () => {
    const files = (await readdir(`${ROOT}/tenants`)).filter((f) => f.endsWith('.yaml'));
    for (const file of files) {
      const text = await readFile(`${ROOT}/tenants/${file}`, 'utf8');
      expect(text.split('\n')[0], file).toBe('# yaml-language-server: $schema=./tenant.schema.json');
    }
  });

  it('GIVEN the committed tenants/tenant.schema.json THEN it equals the schema generated now', async () => {
    expect(await readFile(`${ROOT}/tenants/tenant.schema.json`, 'utf8')).toBe(renderTenantJsonSchemaFile());
  });
});
