// Benchmark: merge → provisioned with real ArgoCD at its PRODUCTION polling defaults
// (`npm run bench -- --only provisioning`, or `npx tsx scripts/bench/provisioning.ts`). Its own
// control plane (scripts/control-plane.sh, unless KUBECONFIG is set) and ArgoCD
// (scripts/argocd.sh), the local GitHub server over a bare platform repository and the service:
// tenants of the three tiers in turn are onboarded one after another through the API, each timed
// from the reviewer's merge to `provisioned`. First with the service prompting ArgoCD (the product),
// then, with prompting off, a few with ArgoCD's polling alone (the figure without it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { repositoryUrl } from '../../testing/sandbox/platform-repo.ts';
import { makeTenantRepo } from '../../test/fixtures/tenant-repo.ts';
import { REPO_ROOT } from '../../test/fixtures/platform-repo.ts';
import {
  argocdUnavailable,
  pointRepoAtItself,
  removeArgocdState,
  startArgocd,
} from '../../test/e2e/support/argocd-runtime.ts';
import { kubeconfigFile } from '../../test/e2e/support/kubectl.ts';
import { onboardAndWait, startOnboardingStack, type Tier } from '../../test/e2e/support/onboarding-stack.ts';

const TIERS: Tier[] = ['free', 'business', 'enterprise'];
const TIMEOUT_MS = 600_000;

export interface ProvisioningBenchResult {
  skipped?: string;
  prompted: { tier: Tier; seconds: number; state: string }[];
  pollingOnly: { tier: Tier; seconds: number; state: string }[];
  p50: number;
  p99: number;
  pollingP50: number;
  targets: { p50: boolean; p99: boolean; allProvisioned: boolean };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchProvisioning(
  options: { onboardings?: number; pollingOnly?: number } = {},
): Promise<ProvisioningBenchResult> {
  const onboardings = options.onboardings ?? 20;
  const pollingOnly = options.pollingOnly ?? 3;
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
    const root = makeTenantRepo([]);
    pointRepoAtItself(root, repositoryUrl(bareDir));
    execFileSync('git', ['clone', '--quiet', '--bare', root, bareDir]);
    rmSync(root, { recursive: true, force: true });
    argocd = startArgocd(kubeconfig, bareDir);
    const run = async (count: number, prompt: boolean, prefix: string) => {
      const stack = await startOnboardingStack({
        kc,
        stateDir: mkdtempSync(join(stateDir, `${prefix}-`)),
        bareDir,
        platformRepoUrl: repositoryUrl(bareDir),
        prompter: { enabled: prompt },
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
    const prompted = await run(onboardings, true, 'bp');
    const polled = await run(pollingOnly, false, 'bq');
    const seconds = prompted.map((r) => r.seconds);
    const p50 = percentile(seconds, 50);
    const p99 = percentile(seconds, 99);
    return {
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
      },
    };
  } finally {
    argocd?.stop();
    if (kubeconfig) removeArgocdState(kubeconfig, tenants);
    if (ownCluster) spawnSync('bash', [join(REPO_ROOT, 'scripts', 'control-plane.sh'), 'stop'], { env: clusterEnv });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchProvisioning({
    onboardings: Number(process.env.BENCH_ONBOARDINGS ?? 20),
    pollingOnly: Number(process.env.BENCH_POLLING_ONLY ?? 3),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
