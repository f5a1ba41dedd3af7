// The onboarding service's manifests as kustomize renders them (render-overlays, as validate
// does): by default one replica on a SQLite volume, replaced with Recreate; with the `replicas`
// component (base/platform/onboarding-service/replicas) two replicas rolled one at a time on the
// PostgreSQL URL from the Secret, named in the Lease by pod name, each with half of GitHub's
// content limits, with a Lease Role and no volume.
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustomizeDirectories, type Manifest } from '../../src/generate/validate/kustomize-overlays.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';

const SERVICE_DIR = 'base/platform/onboarding-service';
let scratch: string;
let single: Manifest[];
let replicated: Manifest[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'onboarding-replicas-'));
  const copy = join(scratch, 'onboarding-service');
  cpSync(join(REPO_ROOT, SERVICE_DIR), copy, { recursive: true });
  const kustomization = join(copy, 'kustomization.yaml');
  writeFileSync(kustomization, `${readFileSync(kustomization, 'utf8')}components:\n  - replicas\n`);
  const rendered = await kustomizeDirectories([join(REPO_ROOT, SERVICE_DIR), copy]);
  single = rendered[0]!;
  replicated = rendered[1]!;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const of = (objects: Manifest[], kind: string) => objects.filter((o) => o.kind === kind);
const deployment = (objects: Manifest[]) => of(objects, 'Deployment')[0] as any;
const env = (objects: Manifest[]) =>
  Object.fromEntries(
    (deployment(objects).spec.template.spec.containers[0].env as any[]).map((e) => [e.name, e.value ?? e.valueFrom]),
  );

describe('onboarding service replicas', () => {
  it('GIVEN the default manifests THEN one replica, Recreate, the SQLite file on its volume, no Lease', () => {
    expect(deployment(single).spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(env(single)['TENANT_GITOPS_DB']).toBe('/var/lib/onboarding/onboarding.sqlite');
    expect(env(single)['TENANT_GITOPS_LEASE']).toBeUndefined();
    expect(of(single, 'PersistentVolumeClaim')).toHaveLength(1);
  });

  it('GIVEN the replicas component THEN two replicas rolled one at a time on the PostgreSQL URL, each named in the Lease, no volume', () => {
    const spec = deployment(replicated).spec;
    expect(spec).toMatchObject({
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    });
    expect(env(replicated)).toMatchObject({
      TENANT_GITOPS_DB: { secretKeyRef: { name: 'onboarding-service', key: 'database-url' } },
      TENANT_GITOPS_LEASE: 'gitops-onboarding/onboarding-service',
      TENANT_GITOPS_REPLICA: { fieldRef: { fieldPath: 'metadata.name' } },
      // Two replicas, each pacing its own GitHub writes, share GitHub's 80 a minute and 500 an hour.
      TENANT_GITOPS_GITHUB_CONTENT_PER_MINUTE: '40',
      TENANT_GITOPS_GITHUB_CONTENT_PER_HOUR: '250',
    });
    expect(of(replicated, 'PersistentVolumeClaim')).toEqual([]);
    expect(spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(spec.template.spec.containers[0].volumeMounts.map((m: any) => m.name)).not.toContain('data');
  });

  it('GIVEN the replicas component THEN the Lease Role grants create on leases and get/update on the one Lease only', () => {
    const role = of(replicated, 'Role').find((r) => (r.metadata as any).name === 'onboarding-service-lease') as any;
    expect(role.metadata.namespace).toBe('gitops-onboarding');
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['onboarding-service'],
        verbs: ['get', 'update'],
      },
    ]);
    const binding = of(replicated, 'RoleBinding').find(
      (r) => (r.metadata as any).name === 'onboarding-service-lease',
    ) as any;
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'onboarding-service', namespace: 'gitops-onboarding' },
    ]);
  });
});
