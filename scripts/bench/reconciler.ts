// Benchmark: how long a merge whose webhook GitHub never delivered waits for the reconciler
// (`npx tsx scripts/bench/reconciler.ts`, or `npm run bench -- --only reconciler`). The local GitHub
// server (its own process) sends every delivery to a closed port, so each one is lost; the service
// has `waiting` tenants with open PRs and the reconciler's interval scaled down to INTERVAL_MS.
// Merges happen at random points of the interval; each is timed from the merge to the tenant being
// `merged`. The bound is the interval plus one round over every waiting PR; with the default
// interval (60 s) a lost merge is repaired within 60 s plus the same round time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticTenantName, syntheticTenantSpec } from '../../testing/synthetic/tenants.ts';
import { mergeOnGitHub, post, withBenchStack } from './service.ts';

const INTERVAL_MS = 5000;

export interface ReconcilerBenchResult {
  waiting: number;
  merges: number;
  intervalMs: number;
  repairsMs: number[];
  maxMs: number;
  /** The reconciler's bound: the interval plus one round; the target allows a second for the round. */
  targetMs: number;
  targets: { bound: boolean; allRepaired: boolean };
}

export async function benchReconciler(
  options: { waiting?: number; merges?: number } = {},
): Promise<ReconcilerBenchResult> {
  const waiting = options.waiting ?? 100;
  const merges = options.merges ?? 5;
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-reconciler-'));
  try {
    return await withBenchStack(
      stateDir,
      {
        webhooks: 'lost',
        service: {
          reconcileIntervalMs: INTERVAL_MS,
          tokenLimits: { concurrency: 64, ratePerSecond: 10_000, burst: 10_000 },
        },
      },
      async ({ running, github, token }) => {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < waiting) await post(`${running.url}/v1/tenants`, headers, syntheticTenantSpec(next++));
          }),
        );
        await sleep(INTERVAL_MS + 1000); // one round has read every PR (and knows its ETag)
        const repairsMs: number[] = [];
        for (let i = 0; i < merges; i++) {
          await sleep(Math.random() * INTERVAL_MS);
          const name = syntheticTenantName(i);
          const tenant = (await (await fetch(`${running.url}/v1/tenants/${name}`, { headers })).json()) as {
            pullRequest: { number: number };
          };
          await mergeOnGitHub(github.url, tenant.pullRequest.number);
          const started = performance.now();
          const deadline = started + 3 * INTERVAL_MS;
          for (;;) {
            const state = (
              (await (await fetch(`${running.url}/v1/tenants/${name}`, { headers })).json()) as { state: string }
            ).state;
            if (state === 'merged') {
              repairsMs.push(Math.round(performance.now() - started));
              break;
            }
            if (performance.now() > deadline) break;
            await sleep(25);
          }
        }
        const maxMs = Math.max(...repairsMs);
        const targetMs = INTERVAL_MS + 1000;
        return {
          waiting,
          merges,
          intervalMs: INTERVAL_MS,
          repairsMs,
          maxMs,
          targetMs,
          targets: { bound: maxMs <= targetMs, allRepaired: repairsMs.length === merges },
        };
      },
    );
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchReconciler(), null, 2)}\n`);
}
