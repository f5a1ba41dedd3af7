// Everything under argocd/ as the real API server sees it, with ArgoCD's CRDs (from the pinned
// argo-cd module) installed: the platform project and Application, the tenants ApplicationSet, and
// every argocd/tenants/*.yaml (AppProjects) and argocd/clusters/*/*.yaml (Namespaces) — the
// committed ones and those generated from this checkout's tenants/*.yaml. Server-side dry-run: the schema and admission run in full.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { kustomize, parseManifests, type Manifest } from '../../fixtures/kustomize.ts';
import { makeTenantRepo } from '../../fixtures/tenant-repo.ts';
import { controlPlaneKubeConfig, ensureNamespace } from '../../fixtures/argocd-applications.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';

let kubeconfig: string;
let generatedRoot: string;

// --force-conflicts: what is tested is the schema; a field another manager (ArgoCD, in an earlier
// test) already set is not a refusal of the object.
function dryRun(objects: Manifest[]) {
  return kubectl(
    kubeconfig,
    [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--dry-run=server',
      '--field-manager=tenant-gitops-test',
      '-f',
      '-',
    ],
    objects.map((o) => `---\n${stringify(o)}`).join(''),
  );
}

/** stderr lines other than warnings (a namespace another test is deleting draws a warning). */
function errorsOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Warning:'));
}

function tenantFiles(root: string): Manifest[] {
  const files: string[] = [];
  for (const dir of ['argocd/tenants', 'argocd/clusters']) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true }))
      if (entry.isFile() && entry.name.endsWith('.yaml')) files.push(join(entry.parentPath, entry.name));
  }
  return files.flatMap((f) => parseManifests(readFileSync(f, 'utf8')));
}

beforeAll(async () => {
  const kc = controlPlaneKubeConfig();
  kubeconfig = kubeconfigFile(kc);
  await ensureNamespace(kc, 'argocd');
  // The example tenants of this checkout, generated into a throw-away copy.
  generatedRoot = makeTenantRepo([], { specsFrom: join(REPO_ROOT, 'tenants') });
}, 120_000);
afterAll(() => rmSync(generatedRoot, { recursive: true, force: true }));

describe('argocd/ on the real API server', () => {
  it('accepts the platform AppProject, the platform Application and the tenants and clusters ApplicationSets', () => {
    // GIVEN argocd/ rendered by kustomize
    const objects = kustomize(join(REPO_ROOT, 'argocd'));
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'AppProject',
      'Application',
      'ApplicationSet',
      'ApplicationSet',
    ]);
    // WHEN they are applied server-side (dry run)
    const result = dryRun(objects);
    // THEN every one is accepted by the CRD schemas
    expect(errorsOf(result.stderr)).toEqual([]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('accepts every tenant AppProject and Namespace, committed and generated from tenants/*.yaml', () => {
    const objects = [...tenantFiles(REPO_ROOT), ...tenantFiles(generatedRoot)];
    const tenants = readdirSync(join(REPO_ROOT, 'tenants')).filter((f) => f.endsWith('.yaml'));
    // One AppProject per example tenant at least, plus its namespaces.
    expect(objects.filter((o) => o.kind === 'AppProject').length).toBeGreaterThanOrEqual(tenants.length);
    expect(objects.filter((o) => o.kind === 'Namespace').length).toBeGreaterThanOrEqual(tenants.length);
    const result = dryRun(objects);
    expect(errorsOf(result.stderr)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('rejects an ApplicationSet that breaks the CRD schema (the check has teeth)', () => {
    // GIVEN the tenants ApplicationSet with a rollout step whose operator is not a string list
    const [appset] = kustomize(join(REPO_ROOT, 'argocd')).filter(
      (o) => o.kind === 'ApplicationSet' && o.metadata.name === 'tenants',
    );
    const broken = structuredClone(appset) as Manifest & { spec: any };
    broken.spec.strategy.rollingSync.steps[0].matchExpressions[0].values = 'free';
    // WHEN applied server-side
    const result = dryRun([broken]);
    // THEN the API server refuses it and says which field
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('values');
  });
});
