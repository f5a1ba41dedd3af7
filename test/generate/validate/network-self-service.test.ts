// Self-service NetworkPolicies on top of the platform's, computed by cyclonus: every example tenant
// adds the policies of test/fixtures/tenant-network-policies.ts (ones the tenant-network-policies
// admission rule accepts, as self-service.test.ts proves on the control plane), and still no flow
// crosses tenants, while inside the tenant the segmentation holds: the isolated `db` pod talks to
// `api` on TCP 5432 only, the isolated `shared` pod to its own tenant only. Expectations come from
// these rules, never from the policies' YAML.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTenants } from '../../../src/tenant/index.ts';
import { rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { type ResolvedTenant } from '../../../src/tenant/types.ts';
import { type Manifest } from '../../../src/generate/validate/index.ts';
import { REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { DB_PORT, SEGMENTED_ROLES, tenantWrittenPolicies } from '../../fixtures/tenant-network-policies.ts';
import { type Endpoint } from './support/cyclonus.ts';
import { renderedNetworkPolicies, tenantPod, wrongVerdicts } from './support/tenant-endpoints.ts';

const tenants: ResolvedTenant[] = (await loadTenants(REPO_ROOT)).map((l) => l.tenant);
const PORTS = [80, DB_PORT];
const PROTOCOLS = ['TCP', 'UDP'] as const;

type Role = 'web' | keyof typeof SEGMENTED_ROLES;
interface Pod {
  tenant: string;
  namespace: string;
  role: Role;
  endpoint: Endpoint;
}

/** `web` in every tenant namespace; `db`, `api` and `shared` in the root namespace beside it. */
function pods(): Pod[] {
  let n = 0;
  return tenants.flatMap((tenant) =>
    tenantNamespaces(tenant).flatMap((namespace) => {
      const roles: [Role, Record<string, string>][] = [['web', { app: 'web' }]];
      if (namespace === rootNamespace(tenant.name))
        for (const [role, labels] of Object.entries(SEGMENTED_ROLES)) roles.push([role as Role, { ...labels }]);
      n++;
      return roles.map(([role, labels], i) => ({
        tenant: tenant.name,
        namespace,
        role,
        endpoint: tenantPod(tenant, namespace, labels, `192.168.${n}.${10 + i}`),
      }));
    }),
  );
}

/** The rules the tenant meant to write, applied on top of "same tenant only". */
function expected(a: Pod, b: Pod, protocol: string, port: number): boolean {
  if (a.tenant !== b.tenant) return false;
  if (b.role === 'db') return a.role === 'api' && a.namespace === b.namespace && protocol === 'TCP' && port === DB_PORT;
  if (a.role === 'db') return b.role === 'api' && a.namespace === b.namespace;
  return true;
}

let platform: Manifest[];
let withTenants: Manifest[];
const all = pods();
const flows = all.flatMap((a) =>
  all
    .filter((b) => b !== a)
    .flatMap((b) =>
      PORTS.flatMap((port) =>
        PROTOCOLS.map((protocol) => ({
          a,
          b,
          from: a.endpoint,
          to: b.endpoint,
          port,
          protocol,
          expected: expected(a, b, protocol, port),
          what: `${a.namespace}/${a.role} -> ${b.namespace}/${b.role} ${protocol}/${port}`,
        })),
      ),
    ),
);

beforeAll(async () => {
  platform = await renderedNetworkPolicies(tenants);
  withTenants = [...platform, ...tenants.flatMap((t) => tenantWrittenPolicies(t.name) as Manifest[])];
});

describe('self-service NetworkPolicies (cyclonus over the platform policies plus the tenants own)', () => {
  it('GIVEN every tenant adds its own policies WHEN pods of different tenants talk on any probed port THEN every flow is denied', () => {
    const cross = flows.filter((f) => f.a.tenant !== f.b.tenant);
    expect(cross.length).toBeGreaterThan(0);
    expect(wrongVerdicts(withTenants, cross)).toEqual([]);
  });

  it('GIVEN the tenant segments its root namespace WHEN its own pods talk THEN db takes TCP 5432 from api only, talks to api only, and shared is open to its tenant', () => {
    const inside = flows.filter((f) => f.a.tenant === f.b.tenant);
    expect(inside.some((f) => !f.expected)).toBe(true);
    expect(inside.some((f) => f.expected)).toBe(true);
    expect(wrongVerdicts(withTenants, inside)).toEqual([]);
  });

  it('GIVEN only the platform policies WHEN the isolated pods are called THEN nothing reaches them: the tenant label really opts a pod out of allow-same-tenant', () => {
    const toIsolated = flows.filter((f) => f.a.tenant === f.b.tenant && (f.b.role === 'db' || f.b.role === 'shared'));
    expect(toIsolated.length).toBeGreaterThan(0);
    expect(
      wrongVerdicts(
        platform,
        toIsolated.map((f) => ({ ...f, expected: false })),
      ),
    ).toEqual([]);
  });
});
