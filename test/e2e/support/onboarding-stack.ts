// The onboarding path's moving parts for end-to-end tests: a callback receiver that checks the
// signature of every tenant.* event, the local GitHub server over a bare platform repository, and
// the onboarding service watching the control plane's Applications.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../../src/shared/log.ts';
import { freeLoopbackPort } from '../../../testing/sandbox/free-port.ts';
import { startSandboxGitHub, type SandboxGitHub } from '../../../testing/sandbox/github.ts';
import {
  startService,
  verifyCallbackSignature,
  type RunningService,
  type StartServiceOptions,
} from '../../../src/onboarding/index.ts';
import type { SyncPrompterOptions } from '../../../src/onboarding/sync-prompter.ts';

export const OWNER = 'platform';
export const REPO = 'tenants';

export interface ReceivedCallback {
  event: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
  receivedAt: number;
}

export interface OnboardingStack {
  github: SandboxGitHub;
  service: RunningService;
  callbacks: ReceivedCallback[];
  api(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Merges the PR through the local GitHub API as a reviewer would; returns the merge commit. */
  merge(pr: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startOnboardingStack(options: {
  kc: KubeConfig;
  stateDir: string;
  bareDir: string;
  platformRepoUrl?: string;
  /** How the service prompts ArgoCD after a merge (sync-prompter.ts). */
  prompter?: SyncPrompterOptions;
  /** More service settings (the offboarding's backup, the deletion signing key, job retries). */
  service?: Partial<StartServiceOptions>;
}): Promise<OnboardingStack> {
  const callbackSecret = randomBytes(24).toString('hex');
  const apiToken = randomBytes(24).toString('hex');
  const callbacks: ReceivedCallback[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      callbacks.push({
        event: String(req.headers['x-tenant-gitops-event']),
        body: JSON.parse(body) as Record<string, unknown>,
        signatureValid: verifyCallbackSignature(
          callbackSecret,
          body,
          req.headers['x-tenant-gitops-signature'] as string | undefined,
        ),
        receivedAt: performance.now(),
      });
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');

  const servicePort = await freeLoopbackPort();
  const webhookSecret = randomBytes(24).toString('hex');
  const github = await startSandboxGitHub({
    repoDir: options.bareDir,
    owner: OWNER,
    repo: REPO,
    webhookUrl: `http://127.0.0.1:${servicePort}`,
    webhookSecret,
  });
  const service = await startService({
    host: '127.0.0.1',
    port: servicePort,
    apiTokens: [apiToken],
    databasePath: join(options.stateDir, 'service.sqlite'),
    github: {
      baseUrl: github.url,
      token: github.token,
      owner: OWNER,
      repo: REPO,
      webhookSecret,
      throttle: false,
      platformRepoUrl: options.platformRepoUrl,
    },
    callback: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tenant-events`,
      secret: callbackSecret,
    },
    kubeConfig: options.kc,
    log: silentLogger,
    outboxPollIntervalMs: 50,
    prompter: options.prompter,
    ...options.service,
  });

  return {
    github,
    service,
    callbacks,
    api: async (path, init = {}) => {
      const response = await fetch(`${service.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    merge: async (pr) => {
      const response = await fetch(`${github.url}/repos/${OWNER}/${REPO}/pulls/${pr}/merge`, {
        method: 'PUT',
        headers: {
          authorization: 'token reviewer',
          'content-type': 'application/json',
          accept: 'application/vnd.github+json',
        },
        body: JSON.stringify({ merge_method: 'merge' }),
      });
      const merged = (await response.json()) as { merged: boolean; sha: string };
      if (response.status !== 200 || !merged.merged)
        throw new Error(`tenant-gitops: merge of PR #${pr} answered ${response.status}: ${JSON.stringify(merged)}`);
      return merged.sha;
    },
    stop: async () => {
      await service.stop();
      await github.stop();
      receiver.close();
    },
  };
}

/** `cluster`: the spec's clusters/ entry; absent, the tier's default cluster. */
export function tenantRequest(tenant: string, tier: Tier = 'free', cluster?: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'idempotency-key': `e2e-${tenant}` },
    body: JSON.stringify({
      apiVersion: 'tenants.gitops.dev/v1',
      kind: 'Tenant',
      metadata: { name: tenant },
      spec: { tier, ...(cluster ? { cluster } : {}), owners: [{ kind: 'Group', name: `${tenant}-admins` }] },
    }),
  };
}

export type Tier = 'free' | 'business' | 'enterprise';

/**
 * POSTs a tenant, merges its PR and waits until the service reports a settled state; the time
 * from the merge to that state (the figure a backend's user feels).
 */
export async function onboardAndWait(
  stack: OnboardingStack,
  tenant: string,
  tier: Tier,
  timeoutMs: number,
  cluster?: string,
): Promise<{ state: string; seconds: number; mergeSha: string }> {
  const created = await stack.api('/v1/tenants', tenantRequest(tenant, tier, cluster));
  if (created.status !== 202)
    throw new Error(`tenant-gitops: POST ${tenant} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const mergeSha = await stack.merge((created.body.pullRequest as { number: number }).number);
  const mergedAt = performance.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = String((await stack.api(`/v1/tenants/${tenant}`)).body.state);
    if (['provisioned', 'failed', 'degraded'].includes(state) || Date.now() > deadline)
      return { state, seconds: (performance.now() - mergedAt) / 1000, mergeSha };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
