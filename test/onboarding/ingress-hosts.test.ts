// The generator's cross-tenant ingress-host check, applied by the service too: a request claiming a
// host another stored tenant claims (or a wildcard over it) is 422 naming both spec files and the
// host, with nothing written; a host nobody claims is accepted.
import { describe, expect, it } from 'vitest';
import { tenantDocument, useHarness } from './support/harness.ts';

const harness = useHarness();
const withHosts = (name: string, hosts: string[]) => tenantDocument(name, { ingress: { hosts } });

describe('ingress hosts across tenants over the API', () => {
  it('GIVEN hooli owns shop.hooli.example and *.apps.hooli.example WHEN another tenant claims one of them, or a wildcard over one THEN 422 names both files, nothing is written, and a free host is accepted', async () => {
    const created = await harness().api(
      'POST',
      '/v1/tenants',
      withHosts('hooli', ['shop.hooli.example', '*.apps.hooli.example']),
    );
    expect(created.status).toBe(202);

    for (const [hosts, host] of [
      [['shop.hooli.example'], 'shop.hooli.example'],
      [['x.apps.hooli.example'], 'x.apps.hooli.example'],
      [['*.hooli.example'], '*.hooli.example'],
    ] as const) {
      const before = await harness().writes();
      const response = await harness().api('POST', '/v1/tenants', withHosts('mallory', [...hosts]));
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('INVALID_INPUT');
      expect(response.body.issues).toContainEqual({
        file: 'tenants/mallory.yaml',
        path: 'spec.ingress.hosts',
        message: expect.stringMatching(
          new RegExp(
            `"${host.replace(/[.*]/g, '\\$&')}".*both by tenants/hooli\\.yaml .* and by tenants/mallory\\.yaml`,
          ),
        ),
        fix: expect.stringMatching(/from tenants\/mallory\.yaml or .* from tenants\/hooli\.yaml/),
      });
      expect(await harness().writes()).toEqual(before);
    }

    const free = await harness().api('POST', '/v1/tenants', withHosts('mallory', ['shop.mallory.example']));
    expect(free.status).toBe(202);
    const change = await harness().api('PUT', '/v1/tenants/hooli', withHosts('hooli', ['shop.hooli.example']));
    expect(change.status).toBe(202);
  });
});
