// The project-rules evaluator against ArgoCD's documented semantics, so a refusal in the hand-edit
// tests comes from the AppProject and not from an evaluator that refuses everything.
import { describe, expect, it } from 'vitest';
import {
  destinationPermitted,
  globMatch,
  groupKindPermitted,
  resourcePermitted,
  type AppProjectSpec,
} from './support/project-permits.ts';

const SERVER = 'https://kubernetes.default.svc';

describe('ArgoCD project rules', () => {
  it('matches globs with * and keeps the separator for repo URLs', () => {
    expect(globMatch('tenant-a*', 'tenant-a-dev')).toBe(true);
    expect(globMatch('tenant-a', 'tenant-ab')).toBe(false);
    expect(globMatch('https://git.example/*', 'https://git.example/org/repo', '/')).toBe(false);
    expect(globMatch('https://git.example/*/*', 'https://git.example/org/repo', '/')).toBe(true);
  });

  it('permits a destination only when server and namespace match, and a ! entry denies', () => {
    const spec: AppProjectSpec = { destinations: [{ server: SERVER, namespace: 'tenant-a*' }] };
    expect(destinationPermitted(spec, SERVER, 'tenant-a')).toBe(true);
    expect(destinationPermitted(spec, SERVER, 'tenant-b')).toBe(false);
    expect(destinationPermitted(spec, 'https://other', 'tenant-a')).toBe(false);
    // As in ArgoCD, a `!` entry denies its namespace outright (and, alone, matches every other one).
    const withDeny: AppProjectSpec = {
      destinations: [...(spec.destinations ?? []), { server: SERVER, namespace: '!tenant-a-secret' }],
    };
    expect(destinationPermitted(withDeny, SERVER, 'tenant-a-secret')).toBe(false);
    expect(destinationPermitted(withDeny, SERVER, 'tenant-a')).toBe(true);
  });

  it('reads an absent namespaced whitelist as everything, an empty one as nothing; cluster kinds need listing', () => {
    const pod = { group: '', kind: 'Pod' };
    expect(groupKindPermitted({}, pod, true)).toBe(true);
    expect(groupKindPermitted({ namespaceResourceWhitelist: [] }, pod, true)).toBe(false);
    expect(groupKindPermitted({ namespaceResourceBlacklist: [{ group: '', kind: 'Pod' }] }, pod, true)).toBe(false);
    const crb = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' };
    expect(groupKindPermitted({}, crb, false)).toBe(false);
    expect(groupKindPermitted({ clusterResourceWhitelist: [{ group: '*', kind: '*' }] }, crb, false)).toBe(true);
  });

  it('puts a namespaced object without a namespace into the destination namespace', () => {
    const spec: AppProjectSpec = { destinations: [{ server: SERVER, namespace: 'tenant-a' }] };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(
      resourcePermitted(spec, cm, { server: SERVER, destinationNamespace: 'tenant-a', namespaced: true }).permitted,
    ).toBe(true);
    expect(
      resourcePermitted(spec, cm, { server: SERVER, destinationNamespace: 'tenant-b', namespaced: true }).permitted,
    ).toBe(false);
  });
});
