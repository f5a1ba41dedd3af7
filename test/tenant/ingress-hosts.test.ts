// spec.ingress.hosts: the grammar (exact names and `*.` patterns), the matcher the admission policy
// mirrors, and cross-tenant claims refused with both files named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkIngressHostCollisions,
  ingressClaimsOverlap,
  ingressHostAllowed,
  loadTenants,
  MAX_INGRESS_HOSTS,
  parseTenantYaml,
} from '../../src/tenant/index.ts';
import type { ResolvedTenant } from '../../src/tenant/types.ts';
import { expectIssue, inputIssues, inputIssuesAsync, platformRoot, tenantText, validDocument } from './support.ts';

const FILE = 'tenants/acme.yaml';
const withHosts = (hosts: unknown, name = 'acme') =>
  parseTenantYaml(tenantText(validDocument(name, { ingress: { hosts } })), {
    file: `tenants/${name}.yaml`,
    expectedName: name,
  });
const refused = (hosts: unknown) => inputIssues(() => withHosts(hosts));

describe('spec.ingress.hosts grammar', () => {
  it('GIVEN exact names and wildcards in any order WHEN resolved THEN they are kept, sorted', () => {
    const { tenant } = withHosts(['shop.acme.example', '*.apps.acme.example', 'acme.example']);
    expect(tenant.ingress.hosts).toEqual(['*.apps.acme.example', 'acme.example', 'shop.acme.example']);
  });

  it('GIVEN no ingress field WHEN resolved THEN the tenant owns no host', () => {
    expect(parseTenantYaml(tenantText(validDocument('acme')), FILE).tenant.ingress.hosts).toEqual([]);
  });

  it.each([
    ['*', /whole top-level domain/, /at least two labels after/],
    ['*.com', /whole top-level domain/, /at least two labels after/],
    ['*.*.acme.example', /other than as its whole first label/, /only the first label/],
    ['a.*.acme.example', /other than as its whole first label/, /only the first label/],
    ['*shop.acme.example', /other than as its whole first label/, /only the first label/],
    ['Shop.Acme.example', /upper-case/, /"shop\.acme\.example"/],
    ['localhost', /not a DNS name of at least two labels/, /shop\.acme\.example/],
    ['acme.example.', /not a DNS name/, /shop\.acme\.example/],
    ['-a.acme.example', /not a DNS name/, /shop\.acme\.example/],
    ['shop.acme.example:443', /not a DNS name/, /shop\.acme\.example/],
    ['10.0.0.1', /IP address/, /DNS name/],
    ['', /empty/, /DNS name/],
    [`${'a'.repeat(64)}.example`, /label of 64 characters/, /shorten/],
    [`${'a.'.repeat(127)}example`, /characters; a DNS name has at most 253/, /shorten/],
  ])('GIVEN the host %j THEN spec.ingress.hosts[0] is refused with a fix', (host, message, fix) => {
    expectIssue(refused([host]), { file: FILE, path: 'spec.ingress.hosts[0]', message, fix });
  });

  it('GIVEN a host listed twice THEN the second is refused', () => {
    expectIssue(refused(['a.acme.example', 'a.acme.example']), {
      file: FILE,
      path: 'spec.ingress.hosts[1]',
      message: /listed twice \(also spec\.ingress\.hosts\[0\]\)/,
      fix: /remove the duplicate/,
    });
  });

  it(`GIVEN more than ${MAX_INGRESS_HOSTS} hosts THEN the list is refused`, () => {
    const hosts = Array.from({ length: MAX_INGRESS_HOSTS + 1 }, (_, i) => `h${i}.acme.example`);
    expectIssue(refused(hosts), {
      file: FILE,
      path: 'spec.ingress.hosts',
      message: new RegExp(`at most ${MAX_INGRESS_HOSTS} ingress hosts`),
      fix: new RegExp(`at most ${MAX_INGRESS_HOSTS}`),
    });
  });
});

describe('ingressHostAllowed: the Ingress API wildcard rule the admission policy applies', () => {
  const owned = ['shop.acme.example', '*.apps.acme.example'];
  it.each([
    ['shop.acme.example', true],
    ['www.apps.acme.example', true],
    ['*.apps.acme.example', true],
    ['apps.acme.example', false],
    ['a.b.apps.acme.example', false],
    ['*.acme.example', false],
    ['x.shop.acme.example', false],
    ['acme.example', false],
    ['globex.example', false],
  ])('GIVEN owned %j WHEN an Ingress uses %s THEN allowed is %s', (host, allowed) => {
    expect(ingressHostAllowed(owned, host)).toBe(allowed);
  });
});

function resolved(name: string, hosts: string[]): ResolvedTenant {
  return withHosts(hosts, name).tenant;
}

describe('cross-tenant ingress claims', () => {
  it.each([
    [['shop.example.com'], ['shop.example.com'], 'shop.example.com'],
    [['*.apps.example.com'], ['x.apps.example.com'], 'x.apps.example.com'],
    [['x.apps.example.com'], ['*.apps.example.com'], '*.apps.example.com'],
    [['*.example.com.test'], ['a.b.example.com.test'], 'a.b.example.com.test'],
    [['*.example.com.test'], ['*.b.example.com.test'], '*.b.example.com.test'],
  ])(
    'GIVEN acme claims %j and globex %j WHEN loaded THEN generate refuses naming both files and the host',
    async (a, b, host) => {
      const root = await platformRoot({
        'acme.yaml': tenantText(validDocument('acme', { ingress: { hosts: a } })),
        'globex.yaml': tenantText(validDocument('globex', { ingress: { hosts: b } })),
      });
      const { issues } = await inputIssuesAsync(() => loadTenants(root));
      expect(issues).toHaveLength(1);
      const issue = expectIssue(issues, {
        file: 'tenants/globex.yaml',
        path: 'spec.ingress.hosts',
        message: /tenants\/acme\.yaml .*tenants\/globex\.yaml.*a hostname belongs to one tenant/,
        fix: /remove .* from tenants\/globex\.yaml or .* from tenants\/acme\.yaml/,
      });
      expect(issue.message).toContain(`"${host}"`);
    },
  );

  it.each([
    [['*.apps.example.com'], ['apps.example.com']],
    [['a.example.com'], ['b.example.com']],
    [['*.a.example.com'], ['*.b.example.com']],
    [['x.apps.example.com'], ['x.apps.example.org']],
  ])('GIVEN acme claims %j and globex %j THEN nothing collides', (a, b) => {
    expect(
      checkIngressHostCollisions([
        { file: 'tenants/acme.yaml', tenant: resolved('acme', a) },
        { file: 'tenants/globex.yaml', tenant: resolved('globex', b) },
      ]),
    ).toEqual([]);
  });

  it('GIVEN one tenant claiming a wildcard and a name below it THEN it does not collide with itself', () => {
    const acme = resolved('acme', ['*.apps.example.com', 'x.apps.example.com']);
    expect(checkIngressHostCollisions([{ file: 'tenants/acme.yaml', tenant: acme }])).toEqual([]);
  });

  it('GIVEN random claims of many tenants THEN the indexed check reports exactly the overlapping pairs', () => {
    const label = fc.constantFrom('a', 'b', 'apps', 'x');
    const host = fc
      .tuple(fc.boolean(), fc.array(label, { minLength: 0, maxLength: 2 }))
      .map(([wild, labels]) => [...(wild ? ['*'] : ['w']), ...labels, 'example', 'com'].join('.'));
    const claims = fc.array(fc.uniqueArray(host, { maxLength: 3 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(claims, (perTenant) => {
        const items = perTenant.map((hosts, i) => ({
          file: `tenants/t${i}.yaml`,
          tenant: { ...resolved('acme', []), name: `t${i}`, ingress: { hosts: [...hosts].sort() } },
        }));
        let pairs = 0;
        items.forEach((later, j) =>
          items.slice(0, j).forEach((first) => {
            for (const a of first.tenant.ingress.hosts)
              for (const b of later.tenant.ingress.hosts) if (ingressClaimsOverlap(a, b)) pairs += 1;
          }),
        );
        expect(checkIngressHostCollisions(items)).toHaveLength(pairs);
      }),
    );
  });
});
