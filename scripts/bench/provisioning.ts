// Benchmark: merge → provisioned with real ArgoCD at its PRODUCTION polling defaults
// (`npm run bench -- --only provisioning`, or `npx tsx scripts/bench/provisioning.ts`). Its own
// control plane (scripts/control-plane.sh, unless KUBECONFIG is set) and ArgoCD
// (scripts/argocd.sh), the local GitHub server over a bare platform repository and the service:
// tenants of the three tiers in turn are onboarded one after another through the API, each timed
// from the reviewer's merge to `provisioned`. First with the service prompting ArgoCD (the product),
// then, with prompting off, a few with ArgoCD's polling alone (the figure without it).
// With `fleet` (BENCH_FLEET=N) the platform starts with N synthetic tenants already on main: the
// bench waits until ArgoCD has all N Synced and Healthy (timed), then onboards as above, then asks
// every Application to compare the newest main (as a push webhook would) and counts the repo-server's
// manifest generations over the whole run: per merge, the target is 1 (the new tenant), not N, and
// none for the fleet's own tenants.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { repositoryUrl } from '../../testing/sandbox/platform-repo.ts';
import { makeTenantRepo } from '../../test/fixtures/tenant-repo.ts';
import { REPO_ROOT } from '../../test/fixtures/platform-repo.ts';
import {
  argocdUnavailable,
  listTenantApplications,
  manifestGenerations,
  pointRepoAtItself,
  removeArgocdState,
  startArgocd,
  waitFor,
} from '../../test/e2e/support/argocd-runtime.ts';
import { kubeconfigFile, kubectl } from '../../test/e2e/support/kubectl.ts';
import { onboardAndWait, startOnboardingStack, type Tier } from '../../test/e2e/support/onboarding-stack.ts';
import { applicationName } from '../../src/tenant/names.ts';
import { writeSyntheticSpec } from '../../testing/synthetic/platform.ts';
import { syntheticCluster } from '../../testing/synthetic/cluster.ts';
import { createJsonLogger } from '../../src/shared/log.ts';

const TIERS: Tier[] = ['free', 'business', 'enterprise'];
const TIMEOUT_MS = 600_000;
const FLEET_TIMEOUT_MIN_MS = 600_000;
const FLEET_TIMEOUT_PER_TENANT_MS = 10_000;

export interface FleetFigures {
  tenants: number;
  /** From ArgoCD's start to every fleet Application Synced and Healthy. */
  syncedSeconds: number;
  /** Manifest generations by the repo-server, from the first merge until every Application compared the last. */
  generations: number;
  /** Of those, for the fleet's own tenant Applications (what `manifest-generate-paths` saves: target 0). */
  otherTenantsGenerations: number;
  /** Of those, for Applications of tenants onboarded in the run (compare and sync of each). */
  onboardedGenerations: number;
  /** Of those, for the platform Applications (platform, cluster-<name>: each merge changes them, one per source). */
  platformGenerations: number;
  /** Tenant Applications' generations per merge (target 1: the merged tenant's, not N). */
  perMerge: number;
}

export interface ProvisioningBenchResult {
  skipped?: string;
  fleet?: FleetFigures;
  prompted: { tier: Tier; seconds: number; state: string }[];
  pollingOnly: { tier: Tier; seconds: number; state: string }[];
  p50: number;
  p99: number;
  pollingP50: number;
  targets: {
    p50: boolean;
    p99: boolean;
    allProvisioned: boolean;
    generationsPerMerge?: boolean;
    noOtherTenantRegenerated?: boolean;
  };
}

type Applications = Awaited<ReturnType<typeof listTenantApplications>>;

/**
 * Seconds until `done` holds for the tenant Applications (waitFor's 2 s polling). `progress`, when
 * given, is printed every minute and named in the timeout's message, so a long wait shows how far
 * it got.
 */
async function secondsUntil(
  kc: KubeConfig,
  what: string,
  done: (apps: Applications) => boolean,
  timeoutMs: number,
  progress?: (apps: Applications) => string,
): Promise<number> {
  const started = performance.now();
  let latest = '';
  let printed = started;
  await waitFor(
    what,
    timeoutMs,
    async () => {
      const apps = await listTenantApplications(kc);
      if (progress) latest = progress(apps);
      if (progress && performance.now() - printed >= 60_000) {
        printed = performance.now();
        process.stderr.write(`bench provisioning: ${latest} after ${((printed - started) / 1000).toFixed(0)} s\n`);
      }
      return done(apps) ? true : undefined;
    },
    progress ? async () => latest : undefined,
  );
  return (performance.now() - started) / 1000;
}

const total = (m: Map<string, number>, keep: (app: string) => boolean = () => true) =>
  [...m].reduce((n, [app, c]) => (keep(app) ? n + c : n), 0);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchProvisioning(
  options: { onboardings?: number; pollingOnly?: number; fleet?: number } = {},
): Promise<ProvisioningBenchResult> {
  const onboardings = options.onboardings ?? 20;
  const pollingOnly = options.pollingOnly ?? 3;
  const fleet = options.fleet ?? 0;
  const serviceLog = process.env.BENCH_SERVICE_LOG;
  const empty = { prompted: [], pollingOnly: [], p50: NaN, p99: NaN, pollingP50: NaN };
  const unavailable = argocdUnavailable();
  if (unavailable)
    return { ...empty, skipped: unavailable, targets: { p50: false, p99: false, allProvisioned: false } };
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-provisioning-'));
  const ownCluster = !process.env.KUBECONFIG;
  const clusterEnv = { ...process.env, TENANT_GITOPS_CLUSTER_DIR: join(stateDir, 'cluster') };
  const script = (name: string, args: string[]) =>
    execFileSync('bash', [join(REPO_ROOT, 'scripts', name), ...args], { env: clusterEnv, encoding: 'utf8' });
  const tenants: string[] = [];
  let argocd: ReturnType<typeof startArgocd> | undefined;
  let kubeconfig = process.env.KUBECONFIG ?? '';
  try {
    if (ownCluster) {
      script('control-plane.sh', ['start']);
      kubeconfig = join(stateDir, 'cluster', 'kubeconfig');
    }
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kubeconfig = kubeconfigFile(kc);
    const bareDir = join(stateDir, 'tenants.git');
    const specs = join(stateDir, 'fleet');
    mkdirSync(join(specs, 'tenants'), { recursive: true });
    for (let i = 0; i < fleet; i++) tenants.push(writeSyntheticSpec(specs, i));
    const fleetApps = new Set(tenants.map(applicationName));
    // The checkout's cluster is sized for its example tenants; a fleet gets one sized for it (with a
    // quarter to spare, which holds the onboardings too).
    const root = makeTenantRepo(
      [],
      fleet > 0
        ? { specsFrom: join(specs, 'tenants'), files: syntheticCluster(fleet + onboardings + pollingOnly) }
        : {},
    );
    pointRepoAtItself(root, repositoryUrl(bareDir));
    execFileSync('git', ['clone', '--quiet', '--bare', root, bareDir]);
    rmSync(root, { recursive: true, force: true });
    argocd = startArgocd(kubeconfig, bareDir);
    let syncedSeconds = 0;
    if (fleet > 0) {
      const ready = (apps: Applications) =>
        apps.filter((a) => fleetApps.has(a.name) && a.sync === 'Synced' && a.health === 'Healthy').length;
      // 53 min for 1,000 on an idle 2-core machine, more on a busy one: 10 s per tenant.
      syncedSeconds = await secondsUntil(
        kc,
        `${fleet} tenants Synced and Healthy`,
        (apps) => ready(apps) === fleet,
        Math.max(FLEET_TIMEOUT_MIN_MS, fleet * FLEET_TIMEOUT_PER_TENANT_MS),
        (apps) => `${ready(apps)} of ${fleet} tenants Synced and Healthy`,
      );
      process.stderr.write(`bench provisioning: ${fleet} tenants synced after ${syncedSeconds.toFixed(0)} s\n`);
    }
    const generationsBefore = manifestGenerations(argocd.stateDir);
    const run = async (count: number, prompt: boolean, prefix: string) => {
      const stack = await startOnboardingStack({
        kc,
        stateDir: mkdtempSync(join(stateDir, `${prefix}-`)),
        bareDir,
        platformRepoUrl: repositoryUrl(bareDir),
        prompter: { enabled: prompt },
        // BENCH_SERVICE_LOG=<file>: the service's log (what each prompt waited for), appended there.
        ...(serviceLog
          ? { service: { log: createJsonLogger({ write: (line) => appendFileSync(serviceLog, line) }) } }
          : {}),
      });
      const results: { tier: Tier; seconds: number; state: string }[] = [];
      try {
        for (let i = 0; i < count; i++) {
          const tier = TIERS[i % TIERS.length]!;
          const name = `${prefix}${i}${Date.now().toString(36).slice(-4)}`;
          tenants.push(name);
          const { state, seconds } = await onboardAndWait(stack, name, tier, TIMEOUT_MS);
          results.push({ tier, seconds, state });
          process.stderr.write(
            `bench provisioning: ${prompt ? 'prompted' : 'polling only'} ${tier} ${name} ${state} after ${seconds.toFixed(1)} s\n`,
          );
        }
      } finally {
        await stack.stop();
      }
      return results;
    };
    const fleetSize = tenants.length;
    const prompted = await run(onboardings, true, 'bp');
    const polled = await run(pollingOnly, false, 'bq');
    let fleetFigures: FleetFigures | undefined;
    if (fleet > 0) {
      // Every Application compares the newest main, as ArgoCD's next poll (or a push webhook) would.
      const head = execFileSync('git', ['--git-dir', bareDir, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
      const refreshed = kubectl(kubeconfig, [
        '-n',
        'argocd',
        'annotate',
        '--overwrite',
        'applications',
        '--all',
        'argocd.argoproj.io/refresh=normal',
      ]);
      if (refreshed.status !== 0)
        throw new Error(`tenant-gitops bench: refreshing the Applications: ${refreshed.stderr}`);
      await secondsUntil(
        kc,
        `every Application compared at ${head}`,
        (apps) => apps.every((a) => a.revision === head),
        900_000,
      );
      const after = manifestGenerations(argocd.stateDir);
      const since = new Map([...after].map(([app, n]) => [app, n - (generationsBefore.get(app) ?? 0)]));
      const onboarded = new Set(tenants.slice(fleetSize).map(applicationName));
      const merges = prompted.length + polled.length;
      const generations = total(since);
      const otherTenantsGenerations = total(since, (app) => fleetApps.has(app));
      const onboardedGenerations = total(since, (app) => onboarded.has(app));
      fleetFigures = {
        tenants: fleet,
        syncedSeconds,
        generations,
        otherTenantsGenerations,
        onboardedGenerations,
        platformGenerations: generations - otherTenantsGenerations - onboardedGenerations,
        perMerge: (otherTenantsGenerations + onboardedGenerations) / merges,
      };
    }
    const seconds = prompted.map((r) => r.seconds);
    const p50 = percentile(seconds, 50);
    const p99 = percentile(seconds, 99);
    return {
      ...(fleetFigures ? { fleet: fleetFigures } : {}),
      prompted,
      pollingOnly: polled,
      p50,
      p99,
      pollingP50: percentile(
        polled.map((r) => r.seconds),
        50,
      ),
      targets: {
        p50: p50 <= 15,
        p99: p99 <= 30,
        allProvisioned: [...prompted, ...polled].every((r) => r.state === 'provisioned'),
        ...(fleetFigures
          ? {
              generationsPerMerge: fleetFigures.perMerge <= 1,
              noOtherTenantRegenerated: fleetFigures.otherTenantsGenerations === 0,
            }
          : {}),
      },
    };
  } finally {
    argocd?.stop();
    // Its own control plane goes with everything in it; on a given one, the tenants are removed.
    if (kubeconfig && !ownCluster) removeArgocdState(kubeconfig, tenants);
    if (ownCluster) spawnSync('bash', [join(REPO_ROOT, 'scripts', 'control-plane.sh'), 'stop'], { env: clusterEnv });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchProvisioning({
    onboardings: Number(process.env.BENCH_ONBOARDINGS ?? 20),
    pollingOnly: Number(process.env.BENCH_POLLING_ONLY ?? 3),
    fleet: Number(process.env.BENCH_FLEET ?? 0),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
