// Benchmark of the onboarding service (`npx tsx scripts/bench/service.ts`):
//  1. create-request throughput and p50/p99 latency: distinct tenants POSTed with a fixed
//     concurrency against the local GitHub server over a bare copy of this repository (GitHub
//     throttling off; each request waits for its PR to be open). The local GitHub server runs in
//     its own process (github-server-process.ts): GitHub is remote in production, so its CPU is
//     not charged to the service; an OpenAPI mismatch it saw fails the bench;
//  2. time from the Application turning Healthy (applicationStatusChanged, the watch's entry) to
//     the tenant being provisioned, for a merged tenant;
//  3. resident memory of the service (its own process) with 10,000 tenants in the store, after
//     listing them all through the API (page by page) and reading 100 of them: as the image runs
//     it (dist/serve.js from scripts/build.ts), without and with a cluster configured, and, for
//     comparison, from source through tsx with a cluster.
// Targets: ≥ 50 requests/s, p99 ≤ 500 ms, provisioned within 1 s, RSS ≤ 200 MB.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { silentLogger } from '../../src/shared/log.ts';
import { freeLoopbackPort } from '../../testing/sandbox/free-port.ts';
import { copyPlatformRepository } from '../../testing/sandbox/platform-repo.ts';
import { startService, type RunningService, type StartServiceOptions } from '../../src/onboarding/index.ts';
import { openSqliteStore } from '../../src/onboarding/store/index.ts';
import { buildServeBundle } from '../build.ts';
import { syntheticCluster } from '../../testing/synthetic/cluster.ts';
import { syntheticTenantName, syntheticTenantSpec } from '../../testing/synthetic/tenants.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = 'platform';
const REPO = 'tenants';

export interface ServiceBenchResult {
  requests: number;
  concurrency: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  healthyToProvisionedMs: number;
  /** `dist/serve.js` as the image runs it (scripts/build.ts: plain Node, no tsx). */
  rssMbWith10kTenants: number;
  /** The same with a cluster configured: serve then loads the Kubernetes client and runs the watch. */
  rssMbWith10kTenantsAndCluster: number;
  /** For comparison: `tenantctl serve` from source through tsx, with a cluster configured. */
  rssMbFromSourceWithCluster: number;
  targets: { throughput: boolean; p99: boolean; provisioned: boolean; rss: boolean; rssWithCluster: boolean };
}

export async function benchService(
  options: { requests?: number; concurrency?: number; storedTenants?: number } = {},
): Promise<ServiceBenchResult> {
  const requests = options.requests ?? 300;
  const concurrency = options.concurrency ?? 16;
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-service-'));
  try {
    const { latencies, wallMs, healthyToProvisionedMs } = await benchRequests(stateDir, requests, concurrency);
    const stored = options.storedTenants ?? 10_000;
    const databasePath = fillStore(stateDir, stored);
    const image = [await buildServeBundle()];
    const fromSource = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve'];
    const cluster = unreachableClusterConfig(stateDir);
    const rssBytes = await serveRss(image, databasePath, stored);
    const rssWithClusterBytes = await serveRss(image, databasePath, stored, cluster);
    const rssFromSourceBytes = await serveRss(fromSource, databasePath, stored, cluster);
    latencies.sort((a, b) => a - b);
    const result: ServiceBenchResult = {
      requests,
      concurrency,
      requestsPerSecond: round((requests / wallMs) * 1000),
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      healthyToProvisionedMs: round(healthyToProvisionedMs),
      rssMbWith10kTenants: round(rssBytes / (1024 * 1024)),
      rssMbWith10kTenantsAndCluster: round(rssWithClusterBytes / (1024 * 1024)),
      rssMbFromSourceWithCluster: round(rssFromSourceBytes / (1024 * 1024)),
      targets: { throughput: false, p99: false, provisioned: false, rss: false, rssWithCluster: false },
    };
    result.targets = {
      throughput: result.requestsPerSecond >= 50,
      p99: result.p99Ms <= 500,
      provisioned: result.healthyToProvisionedMs <= 1000,
      rss: result.rssMbWith10kTenants <= 200,
      rssWithCluster: result.rssMbWith10kTenantsAndCluster <= 200,
    };
    return result;
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function benchRequests(stateDir: string, requests: number, concurrency: number) {
  return withBenchStack(
    stateDir,
    {
      webhooks: 'service',
      // The figure is the service's throughput, not one token's allowance (8 in flight, 50/s by default).
      service: { tokenLimits: { concurrency, ratePerSecond: 10_000, burst: 10_000 } },
    },
    ({ running, github, token }) => measureRequests(running, github.url, token, requests, concurrency),
  );
}

/**
 * Runs `work` against a copy of this repository behind the local GitHub server (its own process)
 * and the service in this process, then stops both: the server's stop fails the bench on an OpenAPI
 * mismatch. Webhooks go to the service, or are all lost (sent to a port nobody listens on).
 */
/** The service benchmarks onboard synthetic tenants; their cluster holds this many (the checkout's holds its examples). */
const BENCH_CLUSTER_TENANTS = 10_000;

export async function withBenchStack<T>(
  stateDir: string,
  options: { webhooks: 'service' | 'lost'; service?: Partial<StartServiceOptions> },
  work: (stack: { running: RunningService; github: GitHubProcess; token: string }) => Promise<T>,
): Promise<T> {
  const platform = await copyPlatformRepository({
    checkout: ROOT,
    bareDir: join(stateDir, 'github', `${REPO}.git`),
    replaceFiles: syntheticCluster(BENCH_CLUSTER_TENANTS),
  });
  const port = await freeLoopbackPort();
  const webhookSecret = randomBytes(20).toString('hex');
  const token = randomBytes(20).toString('hex');
  const github = await startGitHubProcess({
    repoDir: platform.bareDir,
    owner: OWNER,
    repo: REPO,
    webhookUrl: `http://127.0.0.1:${options.webhooks === 'service' ? port : await freeLoopbackPort()}`,
    webhookSecret,
  });
  let running: RunningService | undefined;
  try {
    running = await startService({
      host: '127.0.0.1',
      port,
      apiTokens: [{ name: 'bench', token }],
      databasePath: join(stateDir, 'bench.sqlite'),
      github: { baseUrl: github.url, token: github.token, owner: OWNER, repo: REPO, webhookSecret, throttle: false },
      log: silentLogger,
      ...options.service,
    });
    const result = await work({ running, github, token });
    await running.stop();
    running = undefined;
    await github.stop(); // throws on OpenAPI mismatches or a failed exit
    return result;
  } finally {
    // After an error: stop what is still running, never hiding the original error.
    await running?.stop().catch(() => undefined);
    github.kill();
  }
}

async function measureRequests(
  running: RunningService,
  githubUrl: string,
  token: string,
  requests: number,
  concurrency: number,
) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Warm-up: module loading, first git operations.
  await post(`${running.url}/v1/tenants`, headers, syntheticTenantSpec(90_000));

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        await post(
          `${running.url}/v1/tenants`,
          { ...headers, 'idempotency-key': `bench-${i}` },
          syntheticTenantSpec(i),
        );
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const wallMs = performance.now() - started;

  // Healthy → provisioned for a merged tenant.
  const name = syntheticTenantName(0);
  const getTenant = async () =>
    (await (await fetch(`${running.url}/v1/tenants/${name}`, { headers })).json()) as {
      state: string;
      pullRequest: { number: number };
    };
  const tenant = await getTenant();
  const sha = await mergeOnGitHub(githubUrl, tenant.pullRequest.number);
  for (let waited = 0; ; waited += 20) {
    const { state } = await getTenant();
    if (state === 'merged') break;
    if (waited > 30_000) throw new Error(`tenant-gitops: bench tenant ${name} never reached merged (${state})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const healthyAt = performance.now();
  await running.service.applicationStatusChanged({
    tenant: name,
    application: `tenant-${name}`,
    health: 'Healthy',
    sync: 'Synced',
    revision: sha,
  });
  const { state } = await getTenant();
  const healthyToProvisionedMs = performance.now() - healthyAt;
  if (state !== 'provisioned') throw new Error(`tenant-gitops: bench tenant ${name} is ${state}, not provisioned`);
  return { latencies, wallMs, healthyToProvisionedMs };
}

export interface GitHubProcess {
  url: string;
  token: string;
  /** SIGTERM, then waits for the exit; throws with the server's stderr unless it exits 0. */
  stop(): Promise<void>;
  /** SIGKILL if still running; safe to call any time. */
  kill(): void;
}

/** Starts github-server-process.ts and waits for its {"url","token"} line. */
export async function startGitHubProcess(options: {
  repoDir: string;
  owner: string;
  repo: string;
  webhookUrl: string;
  webhookSecret: string;
}): Promise<GitHubProcess> {
  const script = join(import.meta.dirname, 'github-server-process.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '--repo-dir',
      options.repoDir,
      '--owner',
      options.owner,
      '--repo',
      options.repo,
      '--webhook-url',
      options.webhookUrl,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TENANT_GITOPS_WEBHOOK_SECRET: options.webhookSecret },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null))); // after stderr is read
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const failure = (what: string) =>
    new Error(
      `tenant-gitops: local GitHub server process (${script}) ${what}${stderr.trim() ? `:\n${stderr.trim()}` : ''}`,
    );
  try {
    const info = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(failure('did not report its URL within 60 s')), 60_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(failure(`could not be started (${error.message})`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(failure(`exited with ${code} before listening`));
      });
      createInterface(child.stdout!).once('line', (line) => {
        clearTimeout(timer);
        try {
          const parsed = JSON.parse(line) as { url?: unknown; token?: unknown };
          if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') throw new Error('no url/token');
          resolve({ url: parsed.url, token: parsed.token });
        } catch {
          reject(failure(`printed ${JSON.stringify(line)} instead of {"url","token"}`));
        }
      });
    });
    return {
      ...info,
      kill,
      async stop() {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 30_000);
        const code = await exited;
        clearTimeout(timer);
        if (code !== 0) throw failure(`exited with ${code === -1 ? 'a signal' : code} at stop`);
      },
    };
  } catch (error) {
    kill();
    throw error;
  }
}

/** A SQLite store holding `count` provisioned tenants, each with its four transitions; returns its path. */
function fillStore(stateDir: string, count: number): string {
  const databasePath = join(stateDir, 'memory.sqlite');
  const store = openSqliteStore(databasePath);
  const at = new Date().toISOString();
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      const name = syntheticTenantName(i);
      store.tenants.insert({
        name,
        state: 'provisioned',
        action: 'create',
        document: syntheticTenantSpec(i),
        namespaces: [`tenant-${name}`],
        pullRequest: { number: i + 1, url: `https://github.example/platform/tenants/pull/${i + 1}` },
        headSha: 'a'.repeat(40),
        mergeSha: 'b'.repeat(40),
        application: { health: 'Healthy', sync: 'Synced', revision: 'b'.repeat(40), observedAt: at },
        requestedBy: 'bench',
        offboardRequestedBy: null,
        offboardRequestedAt: null,
        createdAt: at,
        updatedAt: at,
      });
      for (const [from, to] of [
        [null, 'requested'],
        ['requested', 'pr_open'],
        ['pr_open', 'merged'],
        ['merged', 'provisioned'],
      ] as const) {
        store.history.append(name, { from, to, reason: 'bench', actor: 'bench', at });
      }
    }
  });
  store.close();
  return databasePath;
}

/**
 * A kubeconfig naming a closed loopback port: serve loads the Kubernetes client and starts the
 * Application watch as it does in production; the watch fails and backs off, which costs nothing.
 */
function unreachableClusterConfig(stateDir: string): string {
  const file = join(stateDir, 'unreachable.kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'bench', cluster: { server: 'https://127.0.0.1:9' } }],
    users: [{ name: 'bench', user: { token: 'unused' } }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
    'current-context': 'bench',
  };
  writeFileSync(file, stringify(config));
  return file;
}

/**
 * RSS of the service started by `node ...nodeArgs` over a store holding `count` tenants, after
 * listing them all through the API and reading 100 of them; with `kubeconfig`, with that cluster.
 */
export async function serveRss(
  nodeArgs: string[],
  databasePath: string,
  count: number,
  kubeconfig?: string,
): Promise<number> {
  const port = await freeLoopbackPort();
  const token = randomBytes(20).toString('hex');
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      TENANT_GITOPS_HOST: '127.0.0.1',
      TENANT_GITOPS_PORT: String(port),
      TENANT_GITOPS_DB: databasePath,
      TENANT_GITOPS_API_TOKENS: `bench=${token} *:*`,
      TENANT_GITOPS_TOKEN_RATE: '10000',
      TENANT_GITOPS_TOKEN_BURST: '10000',
      TENANT_GITOPS_GITHUB_URL: 'http://127.0.0.1:9',
      TENANT_GITOPS_GITHUB_REPO: `${OWNER}/${REPO}`,
      TENANT_GITOPS_GITHUB_TOKEN: 'unused',
      TENANT_GITOPS_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
      TENANT_GITOPS_LOG_LEVEL: 'error',
      ...(kubeconfig === undefined ? {} : { TENANT_GITOPS_KUBECONFIG: kubeconfig }),
    },
    // The unreachable cluster's watch errors are expected noise; an early exit is still reported.
    stdio: ['ignore', 'pipe', kubeconfig === undefined ? 'inherit' : 'ignore'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface(child.stdout!).once('line', () => resolve());
      child.once('exit', (code) =>
        reject(new Error(`tenant-gitops: tenantctl serve exited with ${code} before listening`)),
      );
    });
    const headers = { authorization: `Bearer ${token}` };
    const listed = await listAllTenants(`http://127.0.0.1:${port}`, headers);
    if (listed !== count) throw new Error(`tenant-gitops: listed ${listed} tenants, expected ${count}`);
    for (let i = 0; i < 100; i++)
      await fetch(`http://127.0.0.1:${port}/v1/tenants/${syntheticTenantName(i * 97)}`, { headers });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(metrics)?.[1]);
    if (!Number.isFinite(rss)) throw new Error('tenant-gitops: /metrics has no process_resident_memory_bytes');
    return rss;
  } finally {
    child.kill('SIGTERM');
  }
}

/** Follows GET /v1/tenants page by page (the largest page size) as a client would; returns the count. */
async function listAllTenants(api: string, headers: Record<string, string>): Promise<number> {
  let listed = 0;
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const response = await fetch(`${api}/v1/tenants?limit=1000${query}`, { headers });
    if (response.status !== 200)
      throw new Error(`tenant-gitops: GET /v1/tenants answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { tenants: unknown[]; nextCursor: string | null };
    listed += page.tenants.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return listed;
}

/** Merges PR `number` on the local GitHub server as a reviewer would; returns the merge commit. */
export async function mergeOnGitHub(githubUrl: string, number: number): Promise<string> {
  const merged = await fetch(`${githubUrl}/repos/${OWNER}/${REPO}/pulls/${number}/merge`, {
    method: 'PUT',
    headers: {
      authorization: 'token reviewer',
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ merge_method: 'merge' }),
  });
  const text = await merged.text();
  if (merged.status !== 200) throw new Error(`tenant-gitops: merging PR #${number} answered ${merged.status}: ${text}`);
  return (JSON.parse(text) as { sha: string }).sha;
}

export async function post(url: string, headers: Record<string, string>, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`tenant-gitops: POST ${url} answered ${response.status}: ${text}`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchService();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
