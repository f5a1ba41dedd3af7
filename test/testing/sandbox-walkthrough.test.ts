// The sandbox (`npm run sandbox`) as a newcomer uses it: start the command, read its one JSON line, onboard a
// tenant with plain HTTP calls, merge the PR through the local GitHub API, watch the state; then
// Ctrl-C and check that nothing it started is left running. With --clusters 2: a second control
// plane, registered with ArgoCD (its cluster Secret) and in the repository's clusters/, listed in the
// JSON line with its kubeconfig, and stopped with the rest.
//
// ArgoCD is switched off here (--no-argocd) so the test is the same on every machine: the test
// creates and patches the tenant's Application exactly as the ApplicationSet and the application
// controller would. The path with real ArgoCD is in test/e2e/onboarding/onboarding-argocd.test.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { createApplication, setApplicationStatus } from '../fixtures/argocd-applications.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess | undefined;
let stateDir = '';

afterAll(async () => {
  // A failed test still stops the sandbox the way a person would, then removes any straggler.
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 120_000))]);
  }
  if (stateDir) {
    for (const line of await processesMentioning(stateDir)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
    await rm(stateDir, { recursive: true, force: true });
  }
}, 180_000);

/** Processes whose command line or environment mentions `marker` (the sandbox's state dir). */
async function processesMentioning(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
      if (cmdline.includes(marker) || environ.includes(marker))
        found.push(`${pid}: ${cmdline.replaceAll('\0', ' ').trim()}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function poll<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm run sandbox (without ArgoCD: the test patches the Application as ArgoCD would)', () => {
  it('GIVEN the sandbox WHEN a tenant is POSTed and its PR merged through the local GitHub API THEN it reaches merged, then provisioned once its Application is Healthy+Synced at the merge commit; Ctrl-C leaves no process behind', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sandbox-test-'));
    const spawnedAt = performance.now();
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'testing/sandbox/main.ts', '--state-dir', stateDir, '--no-argocd', '--clusters', '2'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    // GIVEN the one JSON line on stdout
    const firstLine = await Promise.race([
      new Promise<string>((resolve) => createInterface(child!.stdout!).once('line', resolve)),
      exited.then((code) => {
        throw new Error(`sandbox exited with ${code} before printing its line:\n${stderr}`);
      }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no JSON line within 5 min:\n${stderr}`)), 300_000),
      ),
    ]);
    const startedIn = performance.now() - spawnedAt;
    const info = JSON.parse(firstLine) as {
      api: string;
      token: string;
      github: string;
      repo: string;
      clusters: Record<string, string>;
    };
    expect(Object.keys(info).sort()).toEqual(['api', 'clusters', 'github', 'repo', 'token']);
    // Each cluster's kubeconfig: ArgoCD's own and one more, each a control plane that answers
    expect(info.clusters).toEqual({
      'in-cluster': join(stateDir, 'cluster', 'kubeconfig'),
      'east-1': join(stateDir, 'east-1', 'cluster', 'kubeconfig'),
    });
    const servers = new Set<string>();
    for (const path of Object.values(info.clusters)) {
      const each = new KubeConfig();
      each.loadFromFile(path);
      expect((await each.makeApiClient(VersionApi).getCode()).major).toBe('1');
      servers.add(each.getCurrentCluster()!.server);
    }
    expect(servers.size).toBe(2);
    // AND east-1 is registered with ArgoCD (in ArgoCD's cluster) and in the platform repository
    const main = new KubeConfig();
    main.loadFromFile(info.clusters['in-cluster']!);
    const secret = await main
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: 'cluster-east-1', namespace: 'argocd' });
    expect(secret.metadata?.labels?.['argocd.argoproj.io/secret-type']).toBe('cluster');
    const registered = execFileSync(
      'git',
      ['--git-dir', join(stateDir, 'github', ...info.repo.split('/')) + '.git', 'show', 'main:clusters/east-1.yaml'],
      { encoding: 'utf8' },
    );
    expect(registered).toContain('argocdCluster: east-1');
    expect(info.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(info.github).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const auth = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' };

    // WHEN a tenant is requested
    const tenant = `sbx${Date.now().toString(36).slice(-5)}`;
    const created = await fetch(`${info.api}/v1/tenants`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': `walkthrough-${tenant}` },
      body: JSON.stringify({
        apiVersion: 'tenants.gitops.dev/v1',
        kind: 'Tenant',
        metadata: { name: tenant },
        spec: { tier: 'free', owners: [{ kind: 'Group', name: `${tenant}-admins` }] },
      }),
    });
    const createdBody = (await created.json()) as {
      name: string;
      state: string;
      pullRequest: { number: number; url: string };
    };
    expect(created.status, JSON.stringify(createdBody)).toBe(202);
    expect(createdBody.name).toBe(tenant);
    const unauthenticated = await fetch(`${info.api}/v1/tenants/${tenant}`);
    expect(unauthenticated.status).toBe(401);

    // AND its PR is merged through the local GitHub API
    const merge = await fetch(`${info.github}/repos/${info.repo}/pulls/${createdBody.pullRequest.number}/merge`, {
      method: 'PUT',
      headers: {
        authorization: 'token sandbox-reviewer',
        'content-type': 'application/json',
        accept: 'application/vnd.github+json',
      },
      body: JSON.stringify({ merge_method: 'merge' }),
    });
    const merged = (await merge.json()) as { merged: boolean; sha: string };
    expect(merge.status, JSON.stringify(merged)).toBe(200);
    expect(merged.merged).toBe(true);

    // THEN the service learns of the merge from the webhook
    const getTenant = async () =>
      (await (await fetch(`${info.api}/v1/tenants/${tenant}`, { headers: auth })).json()) as { state: string };
    await poll(async () => ((await getTenant()).state === 'merged' ? true : undefined), 30_000, 'state merged');

    // AND once the Application is Healthy and Synced at the merge commit (as ArgoCD would report it), provisioned
    const kc = new KubeConfig();
    kc.loadFromFile(join(stateDir, 'cluster', 'kubeconfig'));
    await createApplication(kc, { name: `tenant-${tenant}`, tenant });
    await setApplicationStatus(kc, `tenant-${tenant}`, { health: 'Healthy', sync: 'Synced', revision: merged.sha });
    await poll(
      async () => ((await getTenant()).state === 'provisioned' ? true : undefined),
      30_000,
      'state provisioned',
    );

    // WHEN Ctrl-C
    expect(await processesMentioning(stateDir)).not.toEqual([]);
    const interruptedAt = performance.now();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    console.log(
      `sandbox: JSON line after ${(startedIn / 1000).toFixed(1)} s; stopped ${((performance.now() - interruptedAt) / 1000).toFixed(1)} s after SIGINT`,
    );

    // THEN nothing it started is left running
    await new Promise((r) => setTimeout(r, 500));
    expect(await processesMentioning(stateDir)).toEqual([]);
    expect(stderr).toContain('stopping control plane');
    expect(stderr).toContain('stopping control plane of east-1');
  }, 420_000);
});
