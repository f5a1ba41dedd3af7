import { describe, expect, it } from 'vitest';
import { parseTenantDocument, TIER_POLICIES } from '../../src/tenant/index.ts';
import { inputIssues, validDocument } from './support.ts';

describe('parseTenantDocument: the resolved tenant', () => {
  it('GIVEN a minimal free spec WHEN resolved THEN every value is the tier default', () => {
    const { tenant } = parseTenantDocument(validDocument('initech', { tier: 'free' }));
    expect(tenant).toEqual({
      name: 'initech',
      tier: 'free',
      owners: [{ kind: 'Group', name: 'initech-admins' }],
      quota: TIER_POLICIES.free.quotaDefaults,
      limits: TIER_POLICIES.free.limits,
      gpuSlices: 0,
      secrets: 'off',
      subNamespaces: [],
      network: { allowIngressFromNamespaces: [], allowEgressTo: [] },
      ingress: { hosts: [] },
      nodePool: 'shared',
      cluster: 'in-cluster',
    });
  });

  it('GIVEN overrides in any notation WHEN resolved THEN they are merged, normalised and keys sorted', () => {
    const { tenant } = parseTenantDocument(
      validDocument('acme', {
        quota: { pods: 300, 'requests.memory': '131072Mi', 'requests.cpu': '16000m', 'limits.cpu': 0.5 },
      }),
    );
    expect(tenant.quota['requests.memory']).toBe('128Gi');
    expect(tenant.quota['requests.cpu']).toBe('16');
    expect(tenant.quota['limits.cpu']).toBe('500m');
    expect(tenant.quota.pods).toBe('300');
    expect(tenant.quota['requests.storage']).toBe(TIER_POLICIES.enterprise.quotaDefaults['requests.storage']);
    expect(Object.keys(tenant.quota)).toEqual(Object.keys(tenant.quota).sort());
    expect(Object.keys(tenant.quota)).not.toContain('requests.nvidia.com/gpu');
  });

  it('GIVEN a value exactly at the ceiling WHEN resolved THEN it is accepted', () => {
    const { tenant } = parseTenantDocument(validDocument('acme', { tier: 'free', quota: { 'requests.cpu': '2000m' } }));
    expect(tenant.quota['requests.cpu']).toBe('2');
  });

  it('GIVEN partial limits WHEN resolved THEN the rest comes from the tier', () => {
    const { tenant } = parseTenantDocument(validDocument('acme', { limits: { default: { memory: '2048Mi' } } }));
    expect(tenant.limits.default).toEqual({ ...TIER_POLICIES.enterprise.limits.default, memory: '2Gi' });
    expect(tenant.limits.max).toEqual(TIER_POLICIES.enterprise.limits.max);
  });

  it('GIVEN GPU slices, subs, network and a dedicated pool WHEN resolved THEN they are carried over', () => {
    const { tenant, document } = parseTenantDocument(
      validDocument('acme', {
        gpu: { slices: 4 },
        subNamespaces: [{ name: 'prod' }, { name: 'dev' }],
        network: {
          allowIngressFromNamespaces: ['ingress-nginx'],
          allowEgressTo: [{ cidr: '10.20.0.0/16', ports: [5432] }, { cidr: '2001:db8::/32' }],
        },
        nodePool: 'dedicated',
      }),
      { expectedName: 'acme' },
    );
    expect(tenant.gpuSlices).toBe(4);
    expect(tenant.subNamespaces).toEqual(['prod', 'dev']);
    expect(tenant.network.allowEgressTo).toEqual([
      { cidr: '10.20.0.0/16', ports: [5432] },
      { cidr: '2001:db8::/32', ports: [] },
    ]);
    expect(tenant.nodePool).toBe('dedicated');
    expect(document.spec.gpu?.slices).toBe(4);
  });

  it('GIVEN a JSON body without a file WHEN invalid THEN issues carry paths and fixes but no file', () => {
    const issues = inputIssues(() =>
      parseTenantDocument({ apiVersion: 'v1', kind: 'Tenant', metadata: { name: 'acme' } }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['apiVersion', 'spec']);
    expect(issues.every((i) => i.file === undefined && i.fix)).toBe(true);
  });

  it.each([null, 42, 'text', []])('GIVEN a body that is not an object (%j) THEN it is refused', (body) => {
    const issues = inputIssues(() => parseTenantDocument(body));
    expect(issues[0]?.message).toMatch(/expected object/);
    expect(issues[0]?.fix).toMatch(/mapping/);
  });
});
