// Benchmark of the content queue (`npx tsx scripts/bench/content-limits.ts [--tenants N] [--scale S]`,
// or `npm run bench -- --only content-limits`): N onboardings (default 1,000) POSTed to the service
// against the local GitHub server with GitHub's secondary limit on content creation switched on
// (80 content-creating requests a minute, 500 an hour), time compressed by S (default 0.004: a
// minute is 240 ms, an hour 14.4 s), the service pacing under the same figures and scale.
// Correctness: none failed, none duplicated (one PR per tenant), GitHub never answered a secondary
// rate limit. Time: within 10 % of the minimum the limits impose on the content-creating requests
// made, computed by placing each request as early as both sliding windows allow.
// The GitHub server runs in this process: the run's time is the limits', not the CPU's.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../../src/shared/log.ts';
import { contentWindows, GITHUB_CONTENT_LIMITS, type ContentLimits } from '../../src/shared/github-limits.ts';
import { startService } from '../../src/onboarding/index.ts';
import { start } from '../../testing/github-server/index.ts';
import { freeLoopbackPort } from '../../testing/sandbox/free-port.ts';
import { copyPlatformRepository } from '../../testing/sandbox/platform-repo.ts';
import { syntheticCluster } from '../../testing/synthetic/cluster.ts';
import { syntheticTenantName, syntheticTenantSpec } from '../../testing/synthetic/tenants.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = 'platform';
const REPO = 'tenants';

export interface ContentLimitsBenchResult {
  tenants: number;
  concurrency: number;
  limits: ContentLimits;
  windowScale: number;
  contentRequests: number;
  totalMs: number;
  minimumMs: number;
  failed: number;
  duplicated: number;
  secondaryRateLimited: number;
  targets: { time: boolean; correct: boolean };
}

/**
 * The earliest the last of `requests` content-creating requests can start under the limits: each
 * request as early as both windows allow (request k no sooner than a window after request
 * k − limit), with no time spent on the requests themselves.
 */
export function limitImposedMinimumMs(requests: number, limits: ContentLimits, scale: number): number {
  const windows = contentWindows(limits, scale);
  const starts: number[] = [];
  for (let k = 0; k < requests; k++)
    starts.push(Math.max(0, ...windows.map((w) => (k >= w.limit ? starts[k - w.limit]! + w.ms : 0))));
  return starts.at(-1) ?? 0;
}

export async function benchContentLimits(
  options: { tenants?: number; windowScale?: number; concurrency?: number } = {},
): Promise<ContentLimitsBenchResult> {
  const tenants = options.tenants ?? 1000;
  const windowScale = options.windowScale ?? 0.004;
  const concurrency = options.concurrency ?? 32;
  const limits = { ...GITHUB_CONTENT_LIMITS };
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-content-limits-'));
  const platform = await copyPlatformRepository({
    checkout: ROOT,
    bareDir: join(stateDir, `${REPO}.git`),
    replaceFiles: syntheticCluster(tenants),
  });
  const github = await start({
    repoDir: platform.bareDir,
    owner: OWNER,
    repo: REPO,
    contentLimits: { ...limits, windowScale },
  });
  const token = randomBytes(20).toString('hex');
  let running: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    running = await startService({
      host: '127.0.0.1',
      port: await freeLoopbackPort(),
      apiTokens: [{ name: 'bench', token }],
      databasePath: join(stateDir, 'service.sqlite'),
      github: {
        baseUrl: github.url,
        token: 'bench',
        owner: OWNER,
        repo: REPO,
        webhookSecret: randomBytes(20).toString('hex'),
        throttle: false,
        contentPacing: { ...limits, windowScale },
      },
      log: silentLogger,
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const states: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < tenants) {
          const i = next++;
          const response = await fetch(`${running!.url}/v1/tenants`, {
            method: 'POST',
            headers: { ...headers, 'idempotency-key': `content-${i}` },
            body: JSON.stringify(syntheticTenantSpec(i)),
          });
          const body = (await response.json()) as { state?: string };
          states.push(response.status === 202 ? (body.state ?? '?') : `HTTP ${response.status}`);
        }
      }),
    );
    const totalMs = performance.now() - started;
    const contentRequests = github.calls.filter((call) => !call.startsWith('GET ')).length;
    const heads = github.pulls().map((pr) => pr.head);
    const expected = new Set(Array.from({ length: tenants }, (_, i) => `tenants/${syntheticTenantName(i)}`));
    const minimumMs = limitImposedMinimumMs(contentRequests, limits, windowScale);
    const result: ContentLimitsBenchResult = {
      tenants,
      concurrency,
      limits,
      windowScale,
      contentRequests,
      totalMs: Math.round(totalMs),
      minimumMs: Math.round(minimumMs),
      failed: states.filter((s) => s !== 'pr_open').length + [...expected].filter((h) => !heads.includes(h)).length,
      duplicated: heads.length - new Set(heads).size + heads.filter((h) => !expected.has(h)).length,
      secondaryRateLimited: github.secondaryRateLimited.length,
      targets: { time: false, correct: false },
    };
    github.assertNoViolations();
    result.targets = {
      time: totalMs <= minimumMs * 1.1,
      correct: result.failed === 0 && result.duplicated === 0 && result.secondaryRateLimited === 0,
    };
    return result;
  } finally {
    await running?.stop();
    await github.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { tenants: { type: 'string' }, scale: { type: 'string' } } });
  const result = await benchContentLimits({
    ...(values.tenants ? { tenants: Number(values.tenants) } : {}),
    ...(values.scale ? { windowScale: Number(values.scale) } : {}),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
