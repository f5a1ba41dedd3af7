// fast-check arbitraries for valid ResolvedTenants (what spec/ hands to render/).
import fc from 'fast-check';
import type { EgressAllowance, ResolvedTenant } from '../../generator/spec/types.ts';
import { TIERS } from '../../generator/spec/types.ts';

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const quantity = (unit: string) => fc.integer({ min: 1, max: 512 }).map((n) => `${n}${unit}`);

const cidr: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 }))
  .map(([a, b, c, d, prefix]) => {
    const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    const size = 2 ** (32 - prefix);
    const start = n - (n % size);
    return `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join('.')}/${prefix}`;
  })
  // Also aim straight at the metadata network now and then.
  .chain((c) => fc.constantFrom(c, '169.254.0.0/16', '0.0.0.0/0', '169.254.169.0/24'))
  .filter((c) => c !== '169.254.169.254/32');

const egress: fc.Arbitrary<EgressAllowance> = fc.record({
  cidr,
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
});

export const resolvedTenant: fc.Arbitrary<ResolvedTenant> = fc.record({
  name: label,
  tier: fc.constantFrom(...TIERS),
  owners: fc.array(fc.record({ kind: fc.constantFrom('Group' as const, 'User' as const), name: label }), { minLength: 1, maxLength: 3 }),
  quota: fc.record({
    'limits.cpu': quantity(''),
    'limits.memory': quantity('Gi'),
    persistentvolumeclaims: fc.integer({ min: 0, max: 100 }).map(String),
    pods: fc.integer({ min: 1, max: 500 }).map(String),
    'requests.cpu': quantity('m'),
    'requests.memory': quantity('Mi'),
    'services.loadbalancers': fc.integer({ min: 0, max: 5 }).map(String),
  }),
  limits: fc.record({
    default: fc.record({ cpu: quantity('m'), memory: quantity('Mi') }),
    defaultRequest: fc.record({ cpu: quantity('m'), memory: quantity('Mi') }),
    max: fc.record({ cpu: quantity(''), memory: quantity('Gi') }),
  }),
  gpuSlices: fc.integer({ min: 0, max: 8 }),
  subNamespaces: fc.uniqueArray(fc.constantFrom('dev', 'prod', 'staging', 'qa'), { maxLength: 3 }),
  network: fc.record({
    allowIngressFromNamespaces: fc.uniqueArray(fc.constantFrom('ingress-nginx', 'monitoring', 'gateway'), { maxLength: 2 }),
    allowEgressTo: fc.array(egress, { maxLength: 3 }),
  }),
  nodePool: fc.constantFrom('shared' as const, 'dedicated' as const),
});

/** Tenants with distinct names whose namespaces cannot collide (as spec/ guarantees). */
export const tenantSet = fc.uniqueArray(resolvedTenant, { minLength: 1, maxLength: 40, selector: (t) => t.name }).map((ts) =>
  ts.filter((t) => !ts.some((o) => o !== t && t.name.startsWith(`${o.name}-`))),
);
