// Network isolation of the example tenants, computed from their rendered NetworkPolicies by an
// independent analyzer (cyclonus): no CNI runs on the test control plane, so connectivity is
// proven on the policies' semantics. Expectations come from the resolved specs, never from the YAML:
// tenant A never reaches tenant B (both directions, every namespace pair, on every port used),
// a tenant's own namespaces reach each other, DNS in kube-system is reachable and nothing else
// there, 169.254.169.254 is never reachable, and the listed allowances hold exactly as specified.
import { beforeAll, describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from '../../../src/tenant/cidr.ts';
import { loadTenants } from '../../../src/tenant/index.ts';
import { tenantNamespaces } from '../../../src/tenant/names.ts';
import { type ResolvedTenant } from '../../../src/tenant/types.ts';
import { type Manifest } from '../../../src/generate/validate/index.ts';
import { REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { type Endpoint, type Flow } from './support/cyclonus.ts';
import { renderedNetworkPolicies, tenantPod, wrongVerdicts } from './support/tenant-endpoints.ts';

const tenants: ResolvedTenant[] = (await loadTenants(REPO_ROOT)).map((l) => l.tenant);
const METADATA = '169.254.169.254';
/** Ports probed between pods: a plain one, the egress-allowance ports, and DNS's. */
const PROBE_PORTS = [80, 443, 5432, 53];

function systemPod(namespace: string, podLabels: Record<string, string>, ip: string): Endpoint {
  return { namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, podLabels, ip };
}
const DNS = systemPod('kube-system', { 'k8s-app': 'kube-dns' }, '192.168.250.10');
const KUBE_SYSTEM_OTHER = systemPod('kube-system', { component: 'metrics' }, '192.168.250.11');
const INGRESS_NGINX = systemPod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, '192.168.251.10');
const DEFAULT_NS = systemPod('default', { app: 'anything' }, '192.168.252.10');

/** A pod in each tenant namespace, labelled as the platform labels that Namespace. */
function tenantPods(): { tenant: ResolvedTenant; namespace: string; pod: Endpoint }[] {
  let n = 0;
  return tenants.flatMap((tenant) =>
    tenantNamespaces(tenant).map((namespace) => {
      n++;
      return { tenant, namespace, pod: tenantPod(tenant, namespace, { app: 'web' }, `192.168.${n}.10`) };
    }),
  );
}

/** What the spec allows from a tenant pod to an outside address: a listed CIDR and port, never metadata. */
function specAllowsEgress(tenant: ResolvedTenant, ip: string, port: number): boolean {
  if (ip === METADATA) return false;
  const address = parseCidr(`${ip}/32`);
  if (!address.ok) throw new Error(address.message);
  return tenant.network.allowEgressTo.some((a) => {
    const cidr = parseCidr(a.cidr);
    return cidr.ok && cidrContains(cidr.cidr, address.cidr) && (a.ports.length === 0 || a.ports.includes(port));
  });
}

/** An address inside each allowance, and some outside every one. */
function externalAddresses(): string[] {
  const inside = tenants.flatMap((t) =>
    t.network.allowEgressTo
      .filter((a) => /^\d+\.\d+\.\d+\.0\/(\d+)$/.test(a.cidr) && !a.cidr.endsWith('/0'))
      .map((a) => a.cidr.replace(/\.0\/\d+$/, '.7')),
  );
  return [...new Set([...inside, '8.8.8.8', '10.99.0.1', '192.0.2.1', METADATA])];
}

let policies: Manifest[];
const pods = tenantPods();

beforeAll(async () => {
  policies = await renderedNetworkPolicies(tenants);
  expect(policies.length).toBeGreaterThan(0);
});

function check(cases: (Flow & { expected: boolean; what: string })[]): void {
  expect(wrongVerdicts(policies, cases)).toEqual([]);
}

describe('tenant network isolation (cyclonus over the rendered policies)', () => {
  it('GIVEN every pair of namespaces WHEN pods talk on any probed port THEN only namespaces of the same tenant connect', () => {
    const cases = pods.flatMap((a) =>
      pods.flatMap((b) =>
        PROBE_PORTS.flatMap((port) =>
          (['TCP', 'UDP'] as const).map((protocol) => ({
            from: a.pod,
            to: b.pod,
            port,
            protocol,
            expected: a.tenant.name === b.tenant.name,
            what: `${a.namespace} -> ${b.namespace} ${protocol}/${port}`,
          })),
        ),
      ),
    );
    expect(cases.some((c) => !c.expected)).toBe(true);
    check(cases);
  });

  it('GIVEN any tenant pod WHEN it resolves names THEN kube-dns answers on UDP and TCP 53 AND nothing else in kube-system is reachable', () => {
    check(
      pods.flatMap(({ namespace, pod }) => [
        {
          from: pod,
          to: DNS,
          protocol: 'UDP' as const,
          port: 53,
          expected: true,
          what: `${namespace} -> kube-dns UDP/53`,
        },
        {
          from: pod,
          to: DNS,
          protocol: 'TCP' as const,
          port: 53,
          expected: true,
          what: `${namespace} -> kube-dns TCP/53`,
        },
        {
          from: pod,
          to: DNS,
          protocol: 'TCP' as const,
          port: 80,
          expected: false,
          what: `${namespace} -> kube-dns TCP/80`,
        },
        {
          from: pod,
          to: KUBE_SYSTEM_OTHER,
          protocol: 'UDP' as const,
          port: 53,
          expected: false,
          what: `${namespace} -> kube-system other pod UDP/53`,
        },
      ]),
    );
  });

  it('GIVEN any tenant pod, even one allowed 0.0.0.0/0 WHEN it calls the cloud metadata address THEN it is denied on every port', () => {
    expect(
      tenants.some((t) => t.network.allowEgressTo.some((a) => a.cidr === '0.0.0.0/0')),
      'an example allows 0.0.0.0/0',
    ).toBe(true);
    check(
      pods.flatMap(({ namespace, pod }) =>
        [80, 443, 5432].map((port) => ({
          from: pod,
          to: { ip: METADATA },
          protocol: 'TCP' as const,
          port,
          expected: false,
          what: `${namespace} -> metadata TCP/${port}`,
        })),
      ),
    );
  });

  it('GIVEN the listed egress allowances WHEN tenant pods call outside addresses THEN exactly the listed CIDR and port pairs are allowed', () => {
    const cases = pods.flatMap(({ tenant, namespace, pod }) =>
      externalAddresses().flatMap((ip) =>
        [80, 443, 5432].map((port) => ({
          from: pod,
          to: { ip },
          protocol: 'TCP' as const,
          port,
          expected: specAllowsEgress(tenant, ip, port),
          what: `${namespace} -> ${ip} TCP/${port}`,
        })),
      ),
    );
    expect(cases.some((c) => c.expected)).toBe(true);
    check(cases);
  });

  it('GIVEN the listed ingress allowances WHEN system namespaces call tenant pods THEN only the listed namespaces get in', () => {
    const callers = [INGRESS_NGINX, DEFAULT_NS, KUBE_SYSTEM_OTHER] as const;
    const cases = pods.flatMap(({ tenant, namespace, pod }) =>
      callers.map((caller) => {
        const from = 'namespace' in caller ? caller.namespace : '';
        return {
          from: caller,
          to: pod,
          protocol: 'TCP' as const,
          port: 80,
          expected: tenant.network.allowIngressFromNamespaces.includes(from),
          what: `${from} -> ${namespace} TCP/80`,
        };
      }),
    );
    expect(cases.some((c) => c.expected)).toBe(true);
    check(cases);
  });
});
