// One test per bad input of the tenant spec: each proves the error names the file, the field path
// and a fix, and that nothing is returned.
import { describe, expect, it } from 'vitest';
import { parseTenantYaml } from '../../src/tenant/index.ts';
import { expectIssue, inputIssues, tenantText, validDocument } from './support.ts';

const FILE = 'tenants/acme.yaml';
const parse = (doc: unknown, expectedName = 'acme') =>
  inputIssues(() => parseTenantYaml(tenantText(doc), { file: FILE, expectedName }));
const withSpec = (spec: Record<string, unknown>) => parse(validDocument('acme', spec));

describe('bad tenant input is refused with file, field path and fix', () => {
  it('GIVEN a name that is not a DNS label THEN metadata.name is refused with a lowercase suggestion', () => {
    const issues = inputIssues(() => parseTenantYaml(tenantText(validDocument('Acme_Corp')), { file: FILE }));
    expectIssue(issues, { file: FILE, path: 'metadata.name', message: /not a DNS-1123 label/, fix: /"acme-corp"/ });
  });

  it.each(['default', 'kube-system', 'kube-public', 'argocd', 'tenant'])(
    'GIVEN the reserved name %s THEN it is refused',
    (name) => {
      const issues = inputIssues(() => parseTenantYaml(tenantText(validDocument(name)), { file: FILE }));
      expectIssue(issues, {
        file: FILE,
        path: 'metadata.name',
        message: /reserved for the platform/,
        fix: /another name/,
      });
    },
  );

  it('GIVEN a path-like name ../x THEN it is refused with the bare name as fix', () => {
    const issues = inputIssues(() => parseTenantYaml(tenantText(validDocument('../x')), { file: FILE }));
    expectIssue(issues, { file: FILE, path: 'metadata.name', message: /looks like a path/, fix: /bare name "x"/ });
  });

  it('GIVEN a path-like sub-namespace a/b THEN it is refused', () => {
    const issues = withSpec({ subNamespaces: [{ name: 'a/b' }] });
    expectIssue(issues, { file: FILE, path: 'spec.subNamespaces[0].name', message: /looks like a path/, fix: /"b"/ });
  });

  it('GIVEN a tenant name too long for tenant-<name> THEN the derived namespace is named', () => {
    const name = 'a'.repeat(57);
    const issues = inputIssues(() =>
      parseTenantYaml(tenantText(validDocument(name)), { file: FILE, expectedName: name }),
    );
    expectIssue(issues, {
      file: FILE,
      path: 'metadata.name',
      message: new RegExp(`"tenant-${name}" is 64 characters`),
      fix: /shorten the tenant name by at least 1/,
    });
  });

  it('GIVEN a sub-namespace that makes tenant-<name>-<sub> too long THEN the longest derived namespace is named', () => {
    const sub = 'b'.repeat(55);
    const issues = withSpec({ subNamespaces: [{ name: 'dev' }, { name: sub }] });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.subNamespaces[1].name',
      message: new RegExp(`"tenant-acme-${sub}" is 67 characters; Kubernetes allows 63`),
      fix: /by at least 4 characters/,
    });
  });

  it('GIVEN metadata.name different from the file name THEN both names are given', () => {
    const issues = parse(validDocument('globex'));
    expectIssue(issues, {
      file: FILE,
      path: 'metadata.name',
      message: /"globex" does not match the file name "acme"/,
      fix: /tenants\/globex\.yaml|"acme"/,
    });
  });

  it('GIVEN an unknown field in spec.quota (a typo) THEN it is refused with the nearest known key', () => {
    const issues = withSpec({ quota: { 'requets.cpu': '2' } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.quota.requets.cpu',
      message: /unknown field/,
      fix: /did you mean "requests.cpu"/,
    });
  });

  it('GIVEN unknown fields at the top, in metadata and in an owner THEN each is refused', () => {
    const doc = validDocument('acme', { owners: [{ kind: 'Group', name: 'x', role: 'admin' }] });
    Object.assign(doc, { status: {} });
    Object.assign(doc.metadata as object, { labels: { a: 'b' } });
    const issues = parse(doc);
    expectIssue(issues, {
      file: FILE,
      path: 'status',
      message: /unknown field/,
      fix: /apiVersion, kind, metadata, spec/,
    });
    expectIssue(issues, { file: FILE, path: 'metadata.labels', message: /unknown field/, fix: /remove "labels"/ });
    expectIssue(issues, { file: FILE, path: 'spec.owners[0].role', message: /unknown field/, fix: /kind, name/ });
  });

  it('GIVEN an unknown tier THEN the known tiers are the fix', () => {
    const issues = withSpec({ tier: 'platinum' });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.tier',
      message: /"platinum" is not allowed/,
      fix: /"free" or "business" or "enterprise"/,
    });
  });

  it.each([
    ['requests.cpu', 'lots'],
    ['requests.memory', '-1Gi'],
    ['limits.cpu', '1e400'],
    ['requests.storage', '1.2.3'],
    ['limits.memory', ''],
  ])('GIVEN spec.quota.%s = %j THEN it is refused as not a quantity', (key, value) => {
    const issues = withSpec({ quota: { [key]: value } });
    expectIssue(issues, {
      file: FILE,
      path: `spec.quota.${key}`,
      message: /quantity|negative|out of range|suffix/,
      fix: /Kubernetes quantity/,
    });
  });

  it('GIVEN a fractional object count THEN it is refused', () => {
    const issues = withSpec({ quota: { pods: '10.5' } });
    expectIssue(issues, { file: FILE, path: 'spec.quota.pods', message: /not a whole number/, fix: /whole number/ });
  });

  it('GIVEN a quota above the tier ceiling THEN the ceiling and a higher tier are named', () => {
    const issues = parse(validDocument('acme', { tier: 'free', quota: { 'requests.cpu': '3' } }));
    expectIssue(issues, {
      file: FILE,
      path: 'spec.quota.requests.cpu',
      message: /3 exceeds the free tier's ceiling of 2/,
      fix: /at most 2, or move the tenant to tier: business/,
    });
  });

  it('GIVEN a LimitRange max above the tier ceiling THEN it is refused', () => {
    const issues = withSpec({ limits: { max: { memory: '128Gi' } } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.limits.max.memory',
      message: /128Gi exceeds the enterprise tier's per-container ceiling of 64Gi/,
      fix: /at most 64Gi/,
    });
  });

  it('GIVEN a LimitRange default above its max THEN it is refused', () => {
    const issues = withSpec({ limits: { default: { cpu: '4' }, max: { cpu: '2' } } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.limits.default.cpu',
      message: /default 4 is above max 2/,
      fix: /lower default.cpu/,
    });
  });

  it.each([0.1, '10%', 1.5])('GIVEN gpu.slices = %j THEN time-slicing is explained', (slices) => {
    const issues = withSpec({ gpu: { slices } });
    const issue = expectIssue(issues, {
      file: FILE,
      path: 'spec.gpu.slices',
      message: /time-slicing.*N replicas.*whole slices/,
      fix: /whole number of slices/,
    });
    expect(issue.fix).toContain('10% of a GPU');
  });

  it('GIVEN GPU slices on the free tier THEN the ceiling 0 is named', () => {
    const issues = parse(validDocument('acme', { tier: 'free', gpu: { slices: 1 } }));
    expectIssue(issues, { file: FILE, path: 'spec.gpu.slices', message: /ceiling of 0/, fix: /tier: business/ });
  });

  it('GIVEN nvidia.com/gpu in the quota THEN spec.gpu.slices is the fix', () => {
    const issues = withSpec({ quota: { 'requests.nvidia.com/gpu': '1' } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.quota.requests.nvidia.com/gpu',
      message: /unknown field/,
      fix: /spec\.gpu\.slices/,
    });
  });

  it('GIVEN duplicate sub-namespaces THEN the second is refused', () => {
    const issues = withSpec({ subNamespaces: [{ name: 'dev' }, { name: 'dev' }] });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.subNamespaces[1].name',
      message: /"dev" is listed twice/,
      fix: /remove the duplicate/,
    });
  });

  it('GIVEN more sub-namespaces than the tier allows THEN the ceiling is named', () => {
    const issues = parse(
      validDocument('acme', { tier: 'business', subNamespaces: ['a', 'b', 'c', 'd'].map((name) => ({ name })) }),
    );
    expectIssue(issues, {
      file: FILE,
      path: 'spec.subNamespaces',
      message: /4 sub-namespaces exceed the business tier's ceiling of 3/,
      fix: /tier: enterprise/,
    });
  });

  it('GIVEN a dedicated node pool below enterprise THEN it is refused', () => {
    const issues = parse(validDocument('acme', { tier: 'business', nodePool: 'dedicated' }));
    expectIssue(issues, {
      file: FILE,
      path: 'spec.nodePool',
      message: /not available on the business tier/,
      fix: /tier: enterprise/,
    });
  });

  it('GIVEN no owners, an unknown owner kind and an empty owner name THEN each is refused', () => {
    expectIssue(withSpec({ owners: [] }), {
      file: FILE,
      path: 'spec.owners',
      message: /at least one owner/,
      fix: /kind: Group/,
    });
    const issues = withSpec({
      owners: [
        { kind: 'ServiceAccount', name: 'x' },
        { kind: 'User', name: '' },
      ],
    });
    expectIssue(issues, { file: FILE, path: 'spec.owners[0].kind', message: /not allowed/, fix: /"Group" or "User"/ });
    expectIssue(issues, { file: FILE, path: 'spec.owners[1].name', message: /empty/, fix: /name a user or group/ });
  });

  it("GIVEN ingress from another tenant's namespace THEN isolation is the reason", () => {
    const issues = withSpec({ network: { allowIngressFromNamespaces: ['tenant-globex', 'tenant-acme'] } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowIngressFromNamespaces[0]',
      message: /another tenant's namespace/,
      fix: /remove it/,
    });
    expect(issues.some((i) => i.path === 'spec.network.allowIngressFromNamespaces[1]')).toBe(false);
  });

  it('GIVEN a CIDR with host bits set THEN the network form is the fix', () => {
    const issues = withSpec({ network: { allowEgressTo: [{ cidr: '10.20.1.5/16' }] } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowEgressTo[0].cidr',
      message: /host bits set/,
      fix: /"10\.20\.0\.0\/16"/,
    });
  });

  // Issue 10, row 14: the metadata service in every spelling, the credential endpoints, the
  // IPv4-translating IPv6 prefixes and the cluster's own ranges.
  it.each([
    ['169.254.169.254/32', '169.254.0.0/16', /link-local/, /no tenant may reach the metadata/],
    ['169.254.0.0/16', '169.254.0.0/16', /link-local/, /no tenant may reach the metadata/],
    ['169.254.170.2/32', '169.254.0.0/16', /credential/, /no tenant may reach the metadata/],
    ['169.254.170.23/32', '169.254.0.0/16', /credential/, /no tenant may reach the metadata/],
    ['fd00:ec2::254/128', 'fd00:ec2::/64', /IPv6 cloud metadata/, /no tenant may reach the metadata/],
    ['fe80::/64', 'fe80::/10', /IPv6 link-local/, /no tenant may reach the metadata/],
    ['::ffff:a9fe:a9fe/128', '::ffff:0:0/96', /IPv4-mapped/, /write the IPv4 CIDR itself/],
    ['::ffff:0:0/96', '::ffff:0:0/96', /IPv4-mapped/, /write the IPv4 CIDR itself/],
    ['64:ff9b::a9fe:a9fe/128', '64:ff9b::/96', /NAT64/, /write the IPv4 CIDR itself/],
    ['64:ff9b:1::/48', '64:ff9b:1::/48', /NAT64 local-use/, /write the IPv4 CIDR itself/],
    ['10.96.0.0/24', '10.96.0.0/16', /Service range/, /reached by namespace/],
    ['10.244.3.0/24', '10.244.0.0/16', /pod range/, /reached by namespace/],
    ['fd00:10:244::/64', 'fd00:10:244::/56', /pod range/, /reached by namespace/],
  ] as const)(
    'GIVEN egress to %s THEN it is refused as inside %s, naming the field and the fix',
    (cidr, range, why, fix) => {
      const issues = withSpec({ network: { allowEgressTo: [{ cidr: '10.20.0.0/16' }, { cidr, ports: [80] }] } });
      expectIssue(issues, {
        file: FILE,
        path: 'spec.network.allowEgressTo[1].cidr',
        message: new RegExp(
          `${cidr.replace(/[.]/g, '\\.')} lies inside ${range.replace(/[.]/g, '\\.')} \\(.*${why.source}`,
        ),
        fix,
      });
      expect(issues.some((i) => i.path.startsWith('spec.network.allowEgressTo[0]'))).toBe(false);
    },
  );

  it('GIVEN bad ports THEN each is refused', () => {
    const issues = withSpec({ network: { allowEgressTo: [{ cidr: '10.0.0.0/8', ports: [0, 70000, 443, 443, 1.5] }] } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowEgressTo[0].ports[0]',
      message: /ports start at 1/,
      fix: /between 1 and 65535/,
    });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowEgressTo[0].ports[1]',
      message: /ports end at 65535/,
      fix: /between 1 and 65535/,
    });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowEgressTo[0].ports[4]',
      message: /whole number/,
      fix: /write a whole number/,
    });
  });

  it('GIVEN a duplicate port THEN it is refused', () => {
    const issues = withSpec({ network: { allowEgressTo: [{ cidr: '10.0.0.0/8', ports: [443, 443] }] } });
    expectIssue(issues, {
      file: FILE,
      path: 'spec.network.allowEgressTo[0].ports[1]',
      message: /listed twice/,
      fix: /remove the duplicate/,
    });
  });

  it('GIVEN a YAML alias bomb THEN it is refused before expansion', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i += 1)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const text = `${tenantText(validDocument())}${lines.map((l) => `x${l}`).join('\n')}\n`;
    const issues = inputIssues(() => parseTenantYaml(text, { file: FILE, expectedName: 'acme' }));
    expectIssue(issues, { file: FILE, path: '(document)', message: /too many aliases/, fix: /anchors\/aliases/ });
  });

  it('GIVEN a couple of ordinary anchors and aliases THEN the file is accepted (only bombs are refused)', () => {
    const text = `${tenantText(validDocument())}`.replace(
      'tier: enterprise',
      'tier: enterprise\n  limits:\n    default: &small { cpu: 500m, memory: 512Mi }\n    defaultRequest: *small',
    );
    const { tenant } = parseTenantYaml(text, { file: FILE, expectedName: 'acme' });
    expect(tenant.limits.defaultRequest).toMatchObject({ cpu: '500m', memory: '512Mi' });
  });

  it('GIVEN a file over 64 KiB THEN it is refused without parsing', () => {
    const text = `${tenantText(validDocument())}${'# padding\n'.repeat(7000)}`;
    const issues = inputIssues(() => parseTenantYaml(text, { file: FILE }));
    expectIssue(issues, { file: FILE, path: '(document)', message: /at most 65536 bytes/, fix: /one tenant per file/ });
  });

  it('GIVEN two YAML documents in one file THEN it is refused', () => {
    const text = `${tenantText(validDocument())}---\n${tenantText(validDocument('globex'))}`;
    const issues = inputIssues(() => parseTenantYaml(text, { file: FILE }));
    expectIssue(issues, { file: FILE, path: '(document)', message: /2 YAML documents/, fix: /one file per tenant/ });
  });

  it.each(['- a\n- b\n', 'just a string\n', ''])(
    'GIVEN a root that is not a mapping (%j) THEN it is refused',
    (text) => {
      const issues = inputIssues(() => parseTenantYaml(text, { file: FILE }));
      expectIssue(issues, {
        file: FILE,
        path: '(document)',
        message: /not a mapping|empty/,
        fix: /mapping|tenantctl new/,
      });
    },
  );

  it('GIVEN a YAML syntax error THEN its line is named', () => {
    const text = 'apiVersion: tenants.gitops.dev/v1\nkind: Tenant\nmetadata:\n  name: "acme\nspec: {}\n';
    const issues = inputIssues(() => parseTenantYaml(text, { file: FILE }));
    expectIssue(issues, {
      file: FILE,
      path: '(document)',
      message: /YAML syntax error at line \d+/,
      fix: /YAML syntax/,
    });
  });

  it('GIVEN a duplicate key THEN it is refused instead of the last one silently winning', () => {
    const text = `${tenantText(validDocument())}`.replace('tier: enterprise', 'tier: enterprise\n  tier: free');
    const issues = inputIssues(() => parseTenantYaml(text, { file: FILE }));
    expectIssue(issues, { file: FILE, path: '(document)', message: /YAML syntax error.*unique/i, fix: /./ });
  });

  it('GIVEN several problems THEN every one is listed in one error', () => {
    const issues = withSpec({ tier: 'free', quota: { pods: 'lots', 'requets.cpu': '1' }, gpu: { slices: 0.5 } });
    expect(issues.map((i) => i.path).sort()).toEqual(['spec.gpu.slices', 'spec.quota.pods', 'spec.quota.requets.cpu']);
  });
});
