// Benchmark: how fast GitHub's webhook is answered while one authenticated caller floods the API
// (`npx tsx scripts/bench/webhook-load.ts`). `tenantctl serve` runs as the image runs it
// (dist/serve.js) in its own process; this process keeps `concurrency` POSTs of a 1 MB tenant
// document (~22,000 owners, under the 1 MiB body limit: read, parsed, then refused with 422) in flight for `seconds`, and meanwhile
// sends a signed webhook delivery every 100 ms, timing each answer. Run twice: with the per-token
// limits at their defaults, and with them lifted (what the service did before it had them).
// Target: webhook answer p99 ≤ 1 s with the defaults (GitHub gives up after 10 s).
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { freeLoopbackPort } from '../../testing/sandbox/free-port.ts';
import { buildServeBundle } from '../build.ts';
import { percentile } from './service.ts';

export interface WebhookLoadRun {
  limits: 'defaults' | 'lifted';
  posts: number;
  /** How the flood's POSTs were answered: status → count. */
  postStatuses: Record<string, number>;
  webhooks: number;
  webhookP50Ms: number;
  webhookP99Ms: number;
  webhookMaxMs: number;
}

export interface WebhookLoadResult {
  concurrency: number;
  bodyBytes: number;
  seconds: number;
  runs: WebhookLoadRun[];
  targetMs: number;
  targets: { p99: boolean };
}

const TARGET_MS = 1000;

export async function benchWebhookUnderLoad(
  options: { concurrency?: number; seconds?: number } = {},
): Promise<WebhookLoadResult> {
  const concurrency = options.concurrency ?? 30;
  const seconds = options.seconds ?? 10;
  const image = await buildServeBundle();
  const body = floodBody();
  const runs: WebhookLoadRun[] = [];
  for (const limits of ['defaults', 'lifted'] as const)
    runs.push(await runOnce(image, limits, body, concurrency, seconds));
  const withDefaults = runs.find((r) => r.limits === 'defaults')!;
  return {
    concurrency,
    bodyBytes: Buffer.byteLength(body),
    seconds,
    runs,
    targetMs: TARGET_MS,
    targets: { p99: withDefaults.webhookP99Ms <= TARGET_MS },
  };
}

/** A tenant document of 1 MB, just under the body limit (1 MiB): ~22,000 owners, far over the cap of 50. */
function floodBody(): string {
  const document = (owners: number) =>
    JSON.stringify({
      apiVersion: 'tenants.gitops.dev/v1',
      kind: 'Tenant',
      metadata: { name: 'flood' },
      spec: {
        tier: 'free',
        owners: Array.from({ length: owners }, (_, i) => ({ kind: 'User', name: `user-${i}@example.com` })),
      },
    });
  let owners = 20_000;
  while (Buffer.byteLength(document(owners + 500)) < 1_000_000) owners += 500;
  return document(owners);
}

async function runOnce(
  image: string,
  limits: WebhookLoadRun['limits'],
  body: string,
  concurrency: number,
  seconds: number,
): Promise<WebhookLoadRun> {
  const port = await freeLoopbackPort();
  const token = randomBytes(20).toString('hex');
  const webhookSecret = randomBytes(20).toString('hex');
  const lifted = {
    TENANT_GITOPS_TOKEN_CONCURRENCY: '100000',
    TENANT_GITOPS_TOKEN_RATE: '100000',
    TENANT_GITOPS_TOKEN_BURST: '100000',
  };
  const child = spawn(process.execPath, [image], {
    env: {
      ...process.env,
      TENANT_GITOPS_HOST: '127.0.0.1',
      TENANT_GITOPS_PORT: String(port),
      TENANT_GITOPS_DB: ':memory:',
      TENANT_GITOPS_API_TOKENS: `flood=${token} *:*`,
      TENANT_GITOPS_GITHUB_URL: 'http://127.0.0.1:9',
      TENANT_GITOPS_GITHUB_REPO: 'platform/tenants',
      TENANT_GITOPS_GITHUB_TOKEN: 'unused',
      TENANT_GITOPS_WEBHOOK_SECRET: webhookSecret,
      TENANT_GITOPS_LOG_LEVEL: 'error',
      ...(limits === 'lifted' ? lifted : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface(child.stdout!).once('line', () => resolve());
      child.once('exit', (code) =>
        reject(new Error(`tenant-gitops: tenantctl serve exited with ${code} before listening`)),
      );
    });
    const api = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + seconds * 1000;
    const postStatuses: Record<string, number> = {};
    let posts = 0;
    const flood = Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await fetch(`${api}/v1/tenants`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        })
          .then(async (r) => {
            await r.arrayBuffer();
            return String(r.status);
          })
          .catch(() => 'connection error');
        posts += 1;
        postStatuses[status] = (postStatuses[status] ?? 0) + 1;
        // A refused caller backs off as Retry-After asks, a well-behaved client would (1 s).
        if (status === '429') await new Promise((r) => setTimeout(r, 1000));
      }
    });
    const latencies: number[] = [];
    const probe = (async () => {
      await new Promise((r) => setTimeout(r, 500)); // the flood is under way
      for (let i = 0; performance.now() < deadline; i++) {
        const payload = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: i });
        const started = performance.now();
        const answer = await fetch(`${api}/github/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'ping',
            'x-github-delivery': `bench-${limits}-${i}`,
            'x-hub-signature-256': `sha256=${createHmac('sha256', webhookSecret).update(payload).digest('hex')}`,
          },
          body: payload,
        });
        await answer.arrayBuffer();
        if (answer.status !== 202) throw new Error(`tenant-gitops: the webhook answered ${answer.status}`);
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.all([...flood, probe]);
    latencies.sort((a, b) => a - b);
    return {
      limits,
      posts,
      postStatuses,
      webhooks: latencies.length,
      webhookP50Ms: Math.round(percentile(latencies, 0.5)),
      webhookP99Ms: Math.round(percentile(latencies, 0.99)),
      webhookMaxMs: Math.round(latencies.at(-1) ?? Number.NaN),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchWebhookUnderLoad();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
