import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPullRequestBody } from '../../../src/onboarding/github/index.ts';
import { parseTenantYaml } from '../../../src/tenant/index.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';

// GIVEN tenants written by hand (fixtures beside the test), resolved by spec/ like the service does
const acme: ResolvedTenant = {
  name: 'acme',
  tier: 'enterprise',
  owners: [
    { kind: 'Group', name: 'acme-admins' },
    { kind: 'User', name: 'ops@acme.example' },
  ],
  quota: { 'limits.cpu': '32', 'limits.memory': '128Gi', pods: '100', 'requests.cpu': '16', 'requests.memory': '64Gi' },
  limits: {
    default: { cpu: '500m', memory: '512Mi' },
    defaultRequest: { cpu: '250m', memory: '256Mi' },
    max: { cpu: '8', memory: '32Gi' },
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
  nodePool: 'dedicated',
};

describe('renderPullRequestBody', () => {
  it('onboarding: tier, pool, GPU slices, quotas, sub-namespaces, network and what ArgoCD creates', () => {
    const body = renderPullRequestBody({ action: 'create', tenant: acme });
    expect(body).toMatchSnapshot();
    expect(body).toContain('Application `tenant-acme`');
    expect(body).toContain('Namespace `tenant-acme-prod`');
    expect(body).toContain('egress to `10.20.0.0/16` on TCP 5432');
    expect(body).not.toContain('On main');
  });

  it('change: each quota shows main → this PR and marks what changed', () => {
    const previous: ResolvedTenant = {
      ...acme,
      tier: 'business',
      quota: { ...acme.quota, pods: '50', 'requests.cpu': '8' },
    };
    delete (previous.quota as Record<string, string>)['limits.memory'];
    const body = renderPullRequestBody({ action: 'update', tenant: acme, previous });
    expect(body).toMatchSnapshot();
    expect(body).toContain('| Tier | business → enterprise |');
    expect(body).toContain('| `pods` | 50 | 100 (changed) |');
    expect(body).toContain('| `limits.memory` | none | 128Gi (changed) |');
    expect(body).toContain('| `limits.cpu` | 32 | 32 |');
  });

  it("change: main's YAML is parsed with spec/ for the comparison; an unreadable copy gives no comparison", () => {
    const text = readFileSync(new URL('../../../tenants/globex.yaml', import.meta.url), 'utf8');
    const onMain = parseTenantYaml(text, { file: 'tenants/globex.yaml' }).tenant;
    const changed = { ...onMain, quota: { ...onMain.quota, pods: '999' } };
    const body = renderPullRequestBody({ action: 'update', tenant: changed, previousSpec: text });
    expect(body).toContain(`| \`pods\` | ${onMain.quota.pods} | 999 (changed) |`);
    expect(renderPullRequestBody({ action: 'update', tenant: changed, previousSpec: 'not: [a tenant' })).not.toContain(
      'On main',
    );
  });

  it('offboarding: says what will be deleted', () => {
    const body = renderPullRequestBody({ action: 'offboard', tenant: acme });
    expect(body).toMatchSnapshot();
    expect(body).toContain('deletes the Application `tenant-acme` with cascade');
    expect(body).toContain('- `tenant-acme-dev`');
    expect(body).not.toContain('### Quota');
  });
});
