// Real ArgoCD for the cluster tests: scripts/argocd.sh start/stop with its own state dir, a platform
// repository that names itself (file:// URL in argocd/repo-url.yaml and in every tenant AppProject),
// and waits on Applications as the application controller reports them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { pointAtRepository } from '../../../testing/sandbox/point-at-repository.ts';
import { toolsDir } from '../../../src/shared/tools.ts';
import { commitAll, REPO_ROOT } from '../../fixtures/platform-repo.ts';
import { kubectl } from './kubectl.ts';

export const ARGOCD_BINARIES = [
  'argocd-application-controller',
  'argocd-repo-server',
  'argocd-applicationset-controller',
];

/** Why real ArgoCD cannot run here, or undefined when it can. */
export function argocdUnavailable(): string | undefined {
  const missing = ARGOCD_BINARIES.filter((b) => !existsSync(join(toolsDir(), 'bin', b)));
  if (missing.length > 0)
    return `ArgoCD is not built (${missing.join(', ')} missing): run bash scripts/tools/argocd.sh`;
  const redis = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (redis.status !== 0) return 'redis-server is not installed: run bash scripts/tools/argocd.sh';
  return undefined;
}

export interface ArgocdRun {
  stateDir: string;
  stop(): void;
}

function script(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/argocd.sh'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`scripts/argocd.sh ${args.join(' ')} failed: ${result.stderr}`);
}

/**
 * ArgoCD at its production polling defaults, or with `fast` the 10 s test setting (for tests that
 * change git behind the service's back and wait for ArgoCD to notice on its own).
 */
export function startArgocd(kubeconfig: string, platformRepo: string, options: { fast?: boolean } = {}): ArgocdRun {
  const stateDir = mkdtempSync(join(tmpdir(), 'tenant-gitops-argocd-'));
  const env = {
    KUBECONFIG: kubeconfig,
    TENANT_GITOPS_ARGOCD_DIR: stateDir,
    TENANT_GITOPS_PLATFORM_REPO: platformRepo,
    TENANT_GITOPS_ARGOCD_FAST: options.fast ? '1' : '0',
  };
  script(['start'], env);
  return { stateDir, stop: () => script(['stop'], { KUBECONFIG: kubeconfig, TENANT_GITOPS_ARGOCD_DIR: stateDir }) };
}

/** Points a platform repository (a working clone) at itself and commits, as a deployment does for its URL. */
export function pointRepoAtItself(root: string, url: string): void {
  pointAtRepository(root, url);
  commitAll(root, 'point argocd/ at this repository');
}

const APPS = { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd' };

export interface AppState {
  name: string;
  labels: Record<string, string>;
  project?: string;
  health?: string;
  sync?: string;
  revision?: string;
  conditions: { type: string; message: string }[];
  operationMessage?: string;
}

export async function listTenantApplications(kc: KubeConfig): Promise<AppState[]> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = (await custom.listNamespacedCustomObject({ ...APPS, plural: 'applications' })) as { items: any[] };
  return list.items
    .filter((a) => a.metadata.labels?.['tenants.gitops.dev/tenant'])
    .map((a) => ({
      name: a.metadata.name,
      labels: a.metadata.labels ?? {},
      project: a.spec?.project,
      health: a.status?.health?.status,
      sync: a.status?.sync?.status,
      revision: a.status?.sync?.revision,
      conditions: a.status?.conditions ?? [],
      operationMessage: a.status?.operationState?.message,
    }));
}

/** What a push webhook would do for ArgoCD: ask these Applications to compare now. */
export function refreshApplications(kubeconfig: string, names: string[]): void {
  for (const name of names)
    kubectl(kubeconfig, [
      '-n',
      'argocd',
      'annotate',
      '--overwrite',
      'application',
      name,
      'argocd.argoproj.io/refresh=normal',
    ]);
}

/** Nudges the ApplicationSet controller to re-read git now instead of at its next poll. */
export async function refreshApplicationSet(kc: KubeConfig, name = 'tenants'): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  await custom.patchNamespacedCustomObject(
    {
      ...APPS,
      plural: 'applicationsets',
      name,
      body: { metadata: { annotations: { 'argocd.argoproj.io/application-set-refresh': 'true' } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  last?: () => Promise<unknown>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const state = last ? JSON.stringify(await last().catch((e: unknown) => String(e)), null, 1) : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${state}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Removes what ArgoCD made for these tenants and the platform bootstrap, leaving the cluster as other tests expect. */
export function removeArgocdState(kubeconfig: string, tenants: string[]): void {
  for (const t of tenants) {
    kubectl(kubeconfig, ['-n', 'argocd', 'delete', 'application', `tenant-${t}`, '--ignore-not-found', '--wait=false']);
    kubectl(kubeconfig, [
      '-n',
      'argocd',
      'patch',
      'application',
      `tenant-${t}`,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    kubectl(kubeconfig, ['delete', 'namespace', `tenant-${t}`, '--ignore-not-found', '--wait=false']);
    kubectl(kubeconfig, ['-n', 'argocd', 'delete', 'appproject', `tenant-${t}`, '--ignore-not-found']);
  }
  for (const set of ['tenants', 'clusters'])
    kubectl(kubeconfig, ['-n', 'argocd', 'delete', 'applicationset', set, '--ignore-not-found', '--cascade=orphan']);
  // The platform Application and each cluster's (cluster-<name>, made by the clusters ApplicationSet).
  kubectl(kubeconfig, [
    '-n',
    'argocd',
    'delete',
    'application',
    '-l',
    'app.kubernetes.io/managed-by=tenant-gitops,!tenants.gitops.dev/tenant',
    '--ignore-not-found',
    '--cascade=orphan',
  ]);
  kubectl(kubeconfig, ['-n', 'argocd', 'delete', 'application', 'platform', '--ignore-not-found', '--cascade=orphan']);
  kubectl(kubeconfig, ['-n', 'argocd', 'delete', 'appproject', 'platform', '--ignore-not-found']);
}

/**
 * The repo-server's manifest generations so far, per Application: its `manifest cache miss` log
 * lines (one JSON object per line, ArgoCD's default log format) in a run's state dir.
 */
export function manifestGenerations(argocdStateDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const text = readFileSync(join(argocdStateDir, 'logs', 'argocd-repo-server.log'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('manifest cache miss')) continue;
    const entry = JSON.parse(line) as { msg?: string; application?: string };
    if (entry.msg === 'manifest cache miss' && entry.application)
      counts.set(entry.application, (counts.get(entry.application) ?? 0) + 1);
  }
  return counts;
}
