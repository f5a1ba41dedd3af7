// GIVEN random valid tenants WHEN rendered (and, for a sample, run through real `kubectl kustomize`)
// THEN every overlay keeps the isolation invariants: default-deny both ways, DNS allowed, the
// metadata address unreachable, everything in the tenant's own namespaces, RBAC without wildcards
// or escalation verbs.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderAll, renderTenant } from '../../src/generate/render/index.ts';
import { rootNamespace, tenantNamespaces } from '../../src/tenant/names.ts';
import { type ResolvedTenant } from '../../src/tenant/types.ts';
import { PLATFORM_WRITER_GROUPS, PLATFORM_WRITER_USERS } from '../../src/tenant/platform.ts';
import { kustomizeOverlays, type Manifest } from '../../src/generate/validate/index.ts';
import { makePlatformRepo, REPO_ROOT, writeFiles } from '../fixtures/platform-repo.ts';
import { resolvedTenant, tenantSet } from '../fixtures/tenant-arbitrary.ts';
import { platformDocs } from '../fixtures/platform-files.ts';

type Obj = Record<string, any>;

// Independent of the renderer's own helper: 169.254.169.254 as a 32-bit number, masked compare.
const METADATA = (169 * 2 ** 24 + 254 * 2 ** 16 + 169 * 2 ** 8 + 254) >>> 0;
function cidrContainsMetadata(cidr: string): boolean {
  const [ip, bits] = cidr.split('/');
  const octets = ip!.split('.').map(Number);
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (base & mask) >>> 0 === (METADATA & mask) >>> 0;
}

function assertIsolation(t: ResolvedTenant, objects: Manifest[]): void {
  const namespaces = tenantNamespaces(t);
  for (const o of objects as Obj[]) {
    expect(namespaces).toContain(o.metadata.namespace);
    expect(o.metadata.labels['tenants.gitops.dev/tenant']).toBe(t.name);
    expect(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']).not.toContain(o.kind);
  }
  for (const ns of namespaces) {
    const inNs = (objects as Obj[]).filter((o) => o.metadata.namespace === ns);
    const policies = inNs.filter((o) => o.kind === 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = policies.find((p) => p.metadata.name === 'allow-dns')!;
    const dnsPorts = dns.spec.egress.flatMap((r: Obj) => r.ports);
    expect(dnsPorts).toEqual(
      expect.arrayContaining([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]),
    );
    for (const policy of policies) {
      for (const rule of policy.spec.egress ?? []) {
        // A rule without `to` would allow every destination, metadata included.
        expect(rule.to?.length ?? 0).toBeGreaterThan(0);
        for (const peer of rule.to) {
          // IPv4 only here (the arbitrary's IPv6 is ::/0); the except must cover the address itself.
          if (peer.ipBlock && peer.ipBlock.cidr.includes('.') && cidrContainsMetadata(peer.ipBlock.cidr))
            expect((peer.ipBlock.except ?? []).some((e: string) => cidrContainsMetadata(e))).toBe(true);
          if (peer.namespaceSelector) expect(peer.namespaceSelector).not.toEqual({});
        }
      }
      for (const rule of policy.spec.ingress ?? []) {
        expect(rule.from?.length ?? 0).toBeGreaterThan(0);
        for (const peer of rule.from) expect(peer.namespaceSelector).not.toEqual({});
      }
    }
    const binding = inNs.find((o) => o.kind === 'RoleBinding')!;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'tenant-admin',
    });
    for (const s of binding.subjects) {
      if (s.kind === 'ServiceAccount') expect(s.namespace).toBe(rootNamespace(t.name));
      else expect(t.owners).toContainEqual({ kind: s.kind, name: s.name });
    }
    expect(inNs.map((o) => o.kind)).toEqual(expect.arrayContaining(['ResourceQuota', 'LimitRange']));
  }
}

describe('isolation invariants', () => {
  it('hold for every tenant of random sets, rendered by real kubectl kustomize', async () => {
    const samples = fc.sample(tenantSet, { numRuns: 3, seed: 20261123 });
    for (const tenants of samples) {
      const root = makePlatformRepo();
      try {
        writeFiles(root, renderAll(tenants));
        const { objects, failures } = await kustomizeOverlays(
          root,
          tenants.map((t) => t.name),
          { batchSize: 10 },
        );
        expect([...failures]).toEqual([]);
        for (const t of tenants) assertIsolation(t, objects.get(t.name)!);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });

  it('keep the AppProject and namespaces exactly the tenant own, for many random tenants', () => {
    fc.assert(
      fc.property(resolvedTenant, (t) => {
        const files = renderTenant(t);
        const docs = platformDocs(files, t.name);
        const project = docs.find((d) => d.kind === 'AppProject');
        const namespaces = docs.filter((d) => d.kind === 'Namespace');
        expect(docs).toHaveLength(1 + namespaces.length);
        expect(project!.spec.destinations.map((d: Obj) => d.namespace)).toEqual(tenantNamespaces(t));
        // Only the tenant's own cluster, by ArgoCD's name for it.
        expect(new Set(project!.spec.destinations.map((d: Obj) => d.name))).toEqual(new Set([t.cluster]));
        expect(project!.spec.clusterResourceWhitelist).toEqual([]);
        expect(namespaces.map((n) => n.metadata.name)).toEqual(tenantNamespaces(t));
        for (const n of namespaces) expect(n.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
        for (const path of files.keys())
          expect(
            path.startsWith(`overlays/${t.name}/`) ||
              path === `argocd/tenants/${t.name}.yaml` ||
              path === `argocd/clusters/${t.cluster}/${t.name}.yaml`,
          ).toBe(true);
        for (const [path, text] of files) {
          if (path.endsWith('/kustomization.yaml') && path.includes('/namespaces/')) {
            expect(tenantNamespaces(t)).toContain(parse(text).namespace);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the platform ClusterRole bound in every tenant namespace', () => {
  it('has explicit verbs and resources, no escalation, only reads quotas and limits, and writes policies and RBAC with every write verb (deletecollection is admitted item by item)', () => {
    const docs = parseAllDocuments(
      readFileSync(join(REPO_ROOT, 'base/platform/clusterrole-tenant-admin.yaml'), 'utf8'),
    ).map((d) => d.toJS() as Obj);
    const role = docs.find((d) => d.kind === 'ClusterRole')!;
    const readOnly = new Set(['resourcequotas', 'limitranges']);
    // Guarded by the self-service admission policies (base/platform/admission-tenant-*.yaml).
    const selfService = new Set(['networkpolicies', 'roles', 'rolebindings']);
    for (const rule of role.rules) {
      for (const field of ['apiGroups', 'resources', 'verbs']) expect(rule[field]).not.toContain('*');
      for (const verb of ['escalate', 'bind', 'impersonate']) expect(rule.verbs).not.toContain(verb);
      expect(rule.nonResourceURLs).toBeUndefined();
      for (const resource of rule.resources) {
        if (readOnly.has(resource.split('/')[0])) expect(rule.verbs).toEqual(['get', 'list', 'watch']);
        if (selfService.has(resource))
          expect(rule.verbs).toEqual([
            'get',
            'list',
            'watch',
            'create',
            'update',
            'patch',
            'delete',
            'deletecollection',
          ]);
      }
    }
    expect(role.rules.flatMap((r: Obj) => r.resources)).toEqual(expect.arrayContaining([...selfService]));
  });
});

describe('the self-service admission policies', () => {
  const policies = ['managed-objects', 'network-policies', 'role-bindings', 'external-secrets'].flatMap((name) =>
    parseAllDocuments(readFileSync(join(REPO_ROOT, `base/platform/admission-tenant-${name}.yaml`), 'utf8'))
      .map((d) => d.toJS() as Obj)
      .filter((d) => d.kind === 'ValidatingAdmissionPolicy'),
  );

  it('skip exactly the platform writers of src/tenant/platform.ts and no one else', () => {
    const quoted = (names: readonly string[]) => `[${names.map((n) => `'${n}'`).join(', ')}]`;
    const expected =
      `!request.userInfo.groups.exists(g, g in ${quoted(PLATFORM_WRITER_GROUPS)}) && ` +
      `!(request.userInfo.username in ${quoted(PLATFORM_WRITER_USERS)})`;
    for (const policy of policies) {
      expect(policy.spec.matchConditions).toHaveLength(1);
      expect(policy.spec.matchConditions[0].expression.replace(/\s+/g, ' ').replace(/\[ /g, '[')).toBe(expected);
    }
  });

  it('refuse with messages that start with tenant-gitops: and deny, failing closed', () => {
    for (const policy of policies) {
      expect(policy.spec.failurePolicy).toBe('Fail');
      for (const v of policy.spec.validations) expect(v.messageExpression).toMatch(/^'tenant-gitops: /);
    }
  });
});
