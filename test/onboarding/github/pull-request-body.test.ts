import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPullRequestBody } from '../../../src/onboarding/github/index.ts';
import { diffTenant } from '../../../src/onboarding/github/tenant-diff.ts';
import { parseTenantYaml } from '../../../src/tenant/index.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';

// GIVEN tenants written by hand (fixtures beside the test), resolved by tenant/ like the service does
const acme: ResolvedTenant = {
  name: 'acme',
  tier: 'enterprise',
  owners: [
    { kind: 'Group', name: 'acme-admins' },
    { kind: 'User', name: 'ops@acme.example' },
  ],
  quota: { 'limits.cpu': '32', 'limits.memory': '128Gi', pods: '100', 'requests.cpu': '16', 'requests.memory': '64Gi' },
  limits: {
    default: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '512Mi' },
    defaultRequest: { cpu: '250m', 'ephemeral-storage': '256Mi', memory: '256Mi' },
    max: { cpu: '8', 'ephemeral-storage': '8Gi', memory: '32Gi' },
  },
  gpuSlices: 4,
  subNamespaces: ['dev', 'prod'],
  network: {
    allowIngressFromNamespaces: ['ingress-nginx'],
    allowEgressTo: [
      { cidr: '10.20.0.0/16', ports: [5432] },
      { cidr: '192.0.2.0/24', ports: [] },
    ],
  },
  ingress: { hosts: ['*.apps.acme.example', 'shop.acme.example'] },
  nodePool: 'dedicated',
  secrets: 'default',
  cluster: 'in-cluster',
};

const quiet: ResolvedTenant = {
  ...acme,
  tier: 'business',
  gpuSlices: 0,
  nodePool: 'shared',
  cluster: 'in-cluster',
  network: { allowIngressFromNamespaces: [], allowEgressTo: [{ cidr: '10.20.0.0/16', ports: [5432] }] },
};

const egressTo = (cidr: string, ports: number[]): ResolvedTenant => ({
  ...quiet,
  network: { ...quiet.network, allowEgressTo: [{ cidr, ports }] },
});
const WIDE = 'Egress to a wide range** (IPv4 shorter than /16, IPv6 shorter than /48): ';
const INTERNET = 'Egress to the whole internet:** ';

const WARNING_CASES: { what: string; previous: ResolvedTenant; tenant: ResolvedTenant; expected: string[] }[] = [
  { what: 'nothing to warn about', previous: quiet, tenant: quiet, expected: [] },
  {
    what: 'a tier change',
    previous: quiet,
    tenant: { ...quiet, tier: 'enterprise' },
    expected: ['**Tier change:** `business` → `enterprise`.'],
  },
  {
    what: 'GPU slices kept',
    previous: { ...quiet, gpuSlices: 2 },
    tenant: { ...quiet, gpuSlices: 2 },
    expected: ['**GPU slices:** `2` (unchanged).'],
  },
  {
    what: 'GPU slices removed',
    previous: { ...quiet, gpuSlices: 2 },
    tenant: quiet,
    expected: ['**GPU slices:** `2` → `0`.'],
  },
  {
    what: 'a dedicated pool',
    previous: quiet,
    tenant: { ...quiet, nodePool: 'dedicated' },
    expected: [
      "**Node pool:** `shared` → `dedicated`; a dedicated pool runs the tenant's pods only on nodes reserved for it.",
    ],
  },
  {
    what: 'ingress hosts granted and removed',
    previous: { ...quiet, ingress: { hosts: ['old.acme.example', 'shop.acme.example'] } },
    tenant: { ...quiet, ingress: { hosts: ['*.apps.acme.example', 'shop.acme.example'] } },
    expected: [
      '**1 ingress host granted** (check that the tenant owns each domain): `*.apps.acme.example` (wildcard).',
      '**1 ingress host removed** (existing Ingresses keep serving until changed): `old.acme.example`.',
    ],
  },
  ...[
    ['0.0.0.0/0', INTERNET],
    ['::/0', INTERNET],
    ['::ffff:0:0/96', INTERNET],
    ['::ffff:a00:0/104', WIDE],
    ['10.0.0.0/15', WIDE],
    ['2001:db8::/47', WIDE],
  ].map(([cidr, warning]) => ({
    what: `egress to ${cidr}`,
    previous: quiet,
    tenant: egressTo(cidr!, []),
    expected: [`**${warning}\`${cidr}\` on all ports and protocols (added).`],
  })),
  {
    what: 'internet egress whose ports changed',
    previous: egressTo('0.0.0.0/0', [80]),
    tenant: egressTo('0.0.0.0/0', [443]),
    expected: [`**${INTERNET}\`0.0.0.0/0\` on \`TCP 443\` (ports changed).`],
  },
  ...['10.0.0.0/16', '2001:db8::/48'].map((cidr) => ({
    what: `egress to ${cidr}, not wide`,
    previous: quiet,
    tenant: egressTo(cidr, [443]),
    expected: [],
  })),
];

/** The first cell of every table row below the header: the change markers. */
const markers = (body: string) =>
  new Set(
    body
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Change |'))
      .map((l) => l.split(' | ')[0]!.slice(2)),
  );

const warnings = (body: string) =>
  body
    .slice(0, body.indexOf('\n### '))
    .split('\n')
    .filter((l) => l.startsWith('> - '));

describe('renderPullRequestBody', () => {
  it('GIVEN a new tenant WHEN onboarded THEN warnings, then every field marked added, then what ArgoCD creates', () => {
    const body = renderPullRequestBody({ action: 'create', tenant: acme });
    expect(body).toMatchSnapshot();
    expect(markers(body)).toEqual(new Set(['**added**']));
  });

  it('GIVEN a change WHEN rendered THEN each row shows main and this PR, and only what differs is marked', () => {
    const previous: ResolvedTenant = {
      ...acme,
      tier: 'business',
      owners: [acme.owners[0]!, { kind: 'User', name: 'gone@acme.example' }],
      quota: { ...acme.quota, pods: '50', 'requests.cpu': '8' },
      limits: { ...acme.limits, max: { cpu: '4', 'ephemeral-storage': '8Gi', memory: '32Gi' } },
      subNamespaces: ['dev'],
      network: { ...acme.network, allowEgressTo: [{ cidr: '10.20.0.0/16', ports: [5432, 6432] }] },
    };
    delete (previous.quota as Record<string, string>)['limits.memory'];
    const body = renderPullRequestBody({ action: 'update', tenant: acme, previous });
    expect(body).toMatchSnapshot();
    expect(body.split('\n')).toEqual(
      expect.arrayContaining([
        '| **changed** | `tier` | `business` | `enterprise` |',
        '|  | `limits.cpu` | `32` | `32` |',
        '| **added** | `limits.memory` | — | `128Gi` |',
        '| **changed** | `pods` | `50` | `100` |',
        '| **changed** | `max.cpu` | `4` | `8` |',
        '| **added** | `prod` | — | `tenant-acme-prod` |',
        '| **removed** | `User` `gone@acme.example` | bound | — |',
        '| **added** | `User` `ops@acme.example` | — | bound |',
        '| **changed** | `10.20.0.0/16` | `TCP 5432, 6432` | `TCP 5432` |',
        '| **added** | `192.0.2.0/24` | — | all ports and protocols |',
      ]),
    );
  });

  it("GIVEN main's YAML WHEN compared THEN it is parsed with spec/; GIVEN an unreadable copy THEN the top says there is no comparison", () => {
    const text = readFileSync(new URL('../../../tenants/globex.yaml', import.meta.url), 'utf8');
    const onMain = parseTenantYaml(text, { file: 'tenants/globex.yaml' }).tenant;
    const changed = { ...onMain, quota: { ...onMain.quota, pods: '999' } };
    const body = renderPullRequestBody({ action: 'update', tenant: changed, previousSpec: text });
    expect(body).toContain(`| **changed** | \`pods\` | \`${onMain.quota.pods}\` | \`999\` |`);

    const blind = renderPullRequestBody({ action: 'update', tenant: changed, previousSpec: 'not: [a tenant' });
    expect(warnings(blind)[0]).toBe(
      '> - **No comparison with main:** `tenants/globex.yaml` on the default branch is missing or unreadable, ' +
        'so every row below is shown as added.',
    );
    expect(blind).toContain('| **added** | `pods` | — | `999` |');
  });

  it('GIVEN an offboarding WHEN rendered THEN the warning and the list say what is deleted, and every row is removed', () => {
    const body = renderPullRequestBody({ action: 'offboard', tenant: acme, previous: acme });
    expect(body).toMatchSnapshot();
    expect(warnings(body)).toEqual([
      '> - **Offboarding:** merging deletes Application `tenant-acme` with cascade, then 3 namespaces and everything ' +
        'in them: `tenant-acme`, `tenant-acme-dev`, `tenant-acme-prod`.',
    ]);
    expect(body).toContain('deletes the Application `tenant-acme` with cascade');
    expect(markers(body)).toEqual(new Set(['**removed**']));
  });

  it.each(WARNING_CASES)('GIVEN $what WHEN a change is rendered THEN the warnings are exactly these', (c) => {
    const body = renderPullRequestBody({ action: 'update', tenant: c.tenant, previous: c.previous });
    expect(warnings(body)).toEqual(c.expected.map((w) => `> - ${w}`));
    if (c.expected.length === 0) expect(body).toContain('\nNo warnings: ');
  });

  it('GIVEN many new owners with long names WHEN rendered THEN the warning counts them all, names ten, shortened, and the table lists all', () => {
    const owners = Array.from({ length: 25 }, (_, i) => ({ kind: 'User' as const, name: `${'x'.repeat(200)}${i}` }));
    const body = renderPullRequestBody({ action: 'update', tenant: { ...quiet, owners }, previous: quiet });
    const [added] = warnings(body);
    expect(added).toMatch(/^> - \*\*25 owners added\*\*, bound to `tenant-admin`: /);
    expect(added).toMatch(/ and 15 more \(all in the tables below\)\.$/);
    expect(added?.match(/`User` `x{100}`… \(201 characters\)/g)).toHaveLength(10);
    for (const owner of owners) expect(body).toContain(`| **added** | \`User\` \`${owner.name}\` | — | bound |`);
  });
});

describe('diffTenant: every field of the resolved tenant is in the diff', () => {
  /** Every leaf of a tenant as [path, mutated copy]. */
  function mutations(value: unknown, path: string[] = []): [string, (root: ResolvedTenant) => ResolvedTenant][] {
    if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
      const entries = Object.entries(value as Record<string, unknown>);
      const own: [string, (root: ResolvedTenant) => ResolvedTenant][] =
        Array.isArray(value) && value.length > 0
          ? [[`${path.join('.')} (one fewer)`, (root) => edit(root, path, (list: unknown[]) => list.slice(1))]]
          : [];
      return [...own, ...entries.flatMap(([key, child]) => mutations(child, [...path, key]))];
    }
    const changed = typeof value === 'number' ? value + 1 : `${String(value)}-changed`;
    return [[path.join('.'), (root) => edit(root, path, () => changed)]];
  }

  function edit(root: ResolvedTenant, path: string[], change: (v: any) => unknown): ResolvedTenant {
    const copy = structuredClone(root) as any;
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key];
    at[path.at(-1)!] = change(at[path.at(-1)!]);
    return copy;
  }

  const leaves = mutations(acme).filter(([path]) => path !== 'name');
  it.each(leaves)('GIVEN %s changed WHEN diffed against the original THEN a row is marked', (_, mutate) => {
    const rows = diffTenant(acme, mutate(acme)).flatMap((s) => s.rows);
    expect(rows.filter((r) => r.change !== 'unchanged')).not.toEqual([]);
    expect(
      diffTenant(acme, acme)
        .flatMap((s) => s.rows)
        .every((r) => r.change === 'unchanged'),
    ).toBe(true);
  });
});
