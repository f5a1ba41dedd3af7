// GIVEN the service built as the image runs it (scripts/build.ts: dist/serve.js, plain Node, no tsx)
// WHEN it is started against the local GitHub server and the backend onboards a tenant
// THEN it answers like the sources do: a PR whose body was rendered from the template beside it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../testing/sandbox/free-port.ts';
import { startSandboxGitHub, type SandboxGitHub } from '../../testing/sandbox/github.ts';
import { copyPlatformRepository } from '../../testing/sandbox/platform-repo.ts';
import { buildServeBundle } from '../../scripts/build.ts';
import { OWNER, REPO, ROOT, tenantDocument } from './support/harness.ts';

let stateDir: string;
/** Inside the checkout, so the bundle resolves node_modules as dist/ does. */
let outDir: string;
let github: SandboxGitHub;
let servicePort: number;
let webhookSecret: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'serve-bundle-'));
  outDir = join(ROOT, 'node_modules', '.cache', `tenant-gitops-serve-bundle-${randomBytes(4).toString('hex')}`);
  const platform = await copyPlatformRepository({ checkout: ROOT, bareDir: join(stateDir, `${REPO}.git`) });
  servicePort = await freeLoopbackPort();
  webhookSecret = randomBytes(20).toString('hex');
  github = await startSandboxGitHub({
    repoDir: platform.bareDir,
    owner: OWNER,
    repo: REPO,
    webhookUrl: `http://127.0.0.1:${servicePort}`,
    webhookSecret,
  });
}, 120_000);

afterAll(async () => {
  await github?.stop();
  await rm(outDir, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

describe('the service image entry point', () => {
  it('onboards a tenant from the bundle with a reviewer summary in the PR body', async () => {
    const entry = await buildServeBundle(outDir);
    const token = randomBytes(20).toString('hex');
    const child = spawn(process.execPath, [entry], {
      cwd: stateDir,
      env: {
        ...process.env,
        TENANT_GITOPS_HOST: '127.0.0.1',
        TENANT_GITOPS_PORT: String(servicePort),
        TENANT_GITOPS_DB: join(stateDir, 'service.sqlite'),
        TENANT_GITOPS_API_TOKENS: `backend=${token} *:*`,
        TENANT_GITOPS_GITHUB_URL: github.url,
        TENANT_GITOPS_GITHUB_REPO: `${OWNER}/${REPO}`,
        TENANT_GITOPS_GITHUB_TOKEN: github.token,
        TENANT_GITOPS_WEBHOOK_SECRET: webhookSecret,
        TENANT_GITOPS_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const listening = await Promise.race([
        new Promise<string>((resolve) => createInterface(child.stdout!).once('line', resolve)),
        exited.then((code) => Promise.reject(new Error(`dist/serve.js exited with ${code} before listening`))),
      ]);
      const api = (JSON.parse(listening) as { url: string }).url;

      const response = await fetch(`${api}/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(tenantDocument('bundled', { tier: 'business' })),
      });
      expect(response.status, await response.clone().text()).toBe(202);
      const accepted = (await response.json()) as { pullRequest: { number: number } };

      const pr = github.server.pulls().find((p) => p.number === accepted.pullRequest.number);
      expect(pr?.title).toBe('Onboard tenant bundled');
      expect(pr?.body).toContain('| **added** | `tier` | — | `business` |');
      expect(github.server.violations).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
