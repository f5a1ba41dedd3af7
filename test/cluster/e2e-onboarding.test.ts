// The whole onboarding path against the real control plane: POST → PR on the local GitHub server
// (over a bare copy of this checkout's platform repository) → merge → Application Healthy →
// provisioned → signed callback received by a local receiver. With real ArgoCD where
// scripts/argocd.sh can run it; otherwise the test itself creates and patches the Application
// exactly as the ApplicationSet and application controller would (that test says so in its name).
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../generator/log.ts';
import { startSandboxGitHub, type SandboxGitHub } from '../../generator/sandbox/github.ts';
import { copyPlatformRepository } from '../../generator/sandbox/platform-repo.ts';
import { startService, verifyCallbackSignature, type RunningService } from '../../generator/service/index.ts';
import { controlPlaneKubeConfig, createApplication, forceDeleteApplication, setApplicationStatus, uniqueTenant } from './support/argocd-applications.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = 'platform';
const REPO = 'tenants';

interface ReceivedCallback {
  event: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
  receivedAt: number;
}

let kc: KubeConfig;
let stateDir: string;
let github: SandboxGitHub;
let service: RunningService;
let receiver: Server;
const callbacks: ReceivedCallback[] = [];
const callbackSecret = randomBytes(24).toString('hex');
const apiToken = randomBytes(24).toString('hex');
const applications: string[] = [];

beforeAll(async () => {
  kc = controlPlaneKubeConfig();
  stateDir = await mkdtemp(join(tmpdir(), 'e2e-onboarding-'));

  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      callbacks.push({
        event: String(req.headers['x-tenant-gitops-event']),
        body: JSON.parse(body) as Record<string, unknown>,
        signatureValid: verifyCallbackSignature(callbackSecret, body, req.headers['x-tenant-gitops-signature'] as string | undefined),
        receivedAt: performance.now(),
      });
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');

  const platform = await copyPlatformRepository({ checkout: ROOT, bareDir: join(stateDir, `${REPO}.git`) });
  const servicePort = await freePort();
  const webhookSecret = randomBytes(24).toString('hex');
  github = await startSandboxGitHub({ repoDir: platform.bareDir, owner: OWNER, repo: REPO, webhookUrl: `http://127.0.0.1:${servicePort}`, webhookSecret });
  service = await startService({
    host: '127.0.0.1',
    port: servicePort,
    apiTokens: [apiToken],
    databasePath: join(stateDir, 'service.sqlite'),
    github: { baseUrl: github.url, token: github.token, owner: OWNER, repo: REPO, webhookSecret, throttle: false },
    callback: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tenant-events`, secret: callbackSecret },
    kubeConfig: kc,
    log: silentLogger,
    outboxPollIntervalMs: 50,
  });
});

afterAll(async () => {
  await service?.stop();
  await github?.stop();
  receiver?.close();
  for (const name of applications) await forceDeleteApplication(kc, name);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${service.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe('end to end onboarding', () => {
  it('without ArgoCD (the test patches the Application as ArgoCD would): POST → PR → merge → Healthy+Synced at the merge commit → provisioned → signed callbacks', async () => {
    const tenant = uniqueTenant('e');
    // WHEN the product backend asks for a tenant
    const created = await api('/v1/tenants', {
      method: 'POST',
      headers: { 'idempotency-key': `e2e-${tenant}` },
      body: JSON.stringify({
        apiVersion: 'tenants.gitops.dev/v1',
        kind: 'Tenant',
        metadata: { name: tenant },
        spec: { tier: 'free', owners: [{ kind: 'Group', name: `${tenant}-admins` }] },
      }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const pr = created.body.pullRequest as { number: number; url: string };
    await until(() => callbacks.find((c) => c.event === 'tenant.pr_opened' && JSON.stringify(c.body).includes(tenant)), 15_000, 'tenant.pr_opened');

    // AND a reviewer merges the PR
    const merge = await fetch(`${github.url}/repos/${OWNER}/${REPO}/pulls/${pr.number}/merge`, {
      method: 'PUT',
      headers: { authorization: 'token reviewer', 'content-type': 'application/json', accept: 'application/vnd.github+json' },
      body: JSON.stringify({ merge_method: 'merge' }),
    });
    const merged = (await merge.json()) as { merged: boolean; sha: string };
    expect(merge.status, JSON.stringify(merged)).toBe(200);
    await until(async () => ((await api(`/v1/tenants/${tenant}`)).body.state === 'merged' ? true : undefined), 15_000, 'merged');
    expect((await api(`/v1/tenants/${tenant}`)).body.mergeCommit).toBe(merged.sha);

    // AND the ApplicationSet makes the Application, which syncs (Progressing) then turns Healthy at the merge commit
    const application = `tenant-${tenant}`;
    applications.push(application);
    await createApplication(kc, { name: application, tenant });
    await setApplicationStatus(kc, application, { health: 'Progressing', sync: 'OutOfSync' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api(`/v1/tenants/${tenant}`)).body.state).toBe('merged');
    const healthyAt = performance.now();
    await setApplicationStatus(kc, application, { health: 'Healthy', sync: 'Synced', revision: merged.sha });

    // THEN the tenant is provisioned and the backend hears about it, signed
    await until(async () => ((await api(`/v1/tenants/${tenant}`)).body.state === 'provisioned' ? true : undefined), 15_000, 'provisioned');
    const provisionedAt = performance.now();
    const callback = await until(
      () => callbacks.find((c) => c.event === 'tenant.provisioned' && JSON.stringify(c.body).includes(tenant)),
      15_000,
      'tenant.provisioned callback',
    );
    expect(callbacks.filter((c) => JSON.stringify(c.body).includes(tenant)).every((c) => c.signatureValid)).toBe(true);
    const history = (await api(`/v1/tenants/${tenant}`)).body.history as { to?: string; state?: string }[];
    expect(history.map((h) => h.to ?? h.state)).toEqual(expect.arrayContaining(['requested', 'pr_open', 'merged', 'provisioned']));

    // AND every GitHub call and webhook on the way matched GitHub's OpenAPI description
    await github.server.settled();
    github.server.assertNoViolations();

    console.log(
      `e2e (patched Application): Healthy → provisioned state ${(provisionedAt - healthyAt).toFixed(0)} ms (observed by polling every 10 ms), ` +
        `Healthy → tenant.provisioned callback received ${(callback.receivedAt - healthyAt).toFixed(0)} ms`,
    );
  });
});
