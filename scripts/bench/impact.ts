// Benchmark of `tenantctl impact` (`npx tsx scripts/bench/impact.ts [--tenants N]`, default 1,000):
// a synthetic platform (testing/synthetic/platform.ts) generated once and committed as `main`, then
//  1. a base/ change that reaches every tenant (a quota default added to base/tenant's
//     ResourceQuota): both sides of every tenant are kustomized; must list every tenant;
//  2. the base/ change undone and one spec changed instead: only that tenant is rendered; must list
//     only it.
// Impact runs in this process, as `tenantctl impact` would, and is timed around computeImpact.
// Target: the base/ change over 1,000 tenants ≤ 5 s.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { computeImpact } from '../../src/generate/impact/index.ts';
import { generateOnce } from './generate.ts';
import { createSyntheticPlatform, writeSyntheticSpec } from '../../testing/synthetic/platform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE_CHANGE_TARGET_MS = 5_000;
/** The base/ file the benchmark changes, and the change: a key every tenant's quota then carries. */
const QUOTA_FILE = 'base/tenant/resourcequota.yaml';
const QUOTA_DEFAULT = 'hard:\n    count/configmaps: "100"';
/** A business-tier tenant, so variant 1 changes its pod quota (as in the generate benchmark). */
const CHANGED_TENANT_INDEX = 1;

export interface ImpactRun {
  ms: number;
  changedTenants: number;
  changedObjects: number;
}

export interface ImpactBenchResult {
  tenants: number;
  targetMs: number;
  baseChange: ImpactRun;
  oneSpec: ImpactRun & { tenant: string; onlyThatTenant: boolean };
  targets: { time: boolean; everyTenant: boolean; oneSpecOnly: boolean };
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function timeImpact(root: string): Promise<ImpactRun & { names: string[] }> {
  const started = performance.now();
  const report = await computeImpact(root, 'main');
  const ms = Math.round(performance.now() - started);
  if (report.failures.length > 0)
    throw new Error(
      `tenant-gitops: impact could not render ${report.failures.length} tenants: ${report.failures[0]!.message}`,
    );
  return {
    ms,
    changedTenants: report.tenants.changed,
    changedObjects: report.changed.reduce((n, t) => n + t.objects.length, 0),
    names: report.changed.map((t) => t.tenant),
  };
}

export async function benchImpact(options: { tenants?: number } = {}): Promise<ImpactBenchResult> {
  const tenants = options.tenants ?? 1_000;
  const platform = createSyntheticPlatform(ROOT, tenants);
  try {
    await generateOnce(platform.root);
    git(platform.root, 'init', '-q', '-b', 'main');
    git(platform.root, '-c', 'user.name=bench', '-c', 'user.email=bench@tenant-gitops.invalid', 'add', '-A');
    git(
      platform.root,
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@tenant-gitops.invalid',
      'commit',
      '-qm',
      'main',
    );

    const quota = join(platform.root, QUOTA_FILE);
    const original = readFileSync(quota, 'utf8');
    if (!original.includes('hard: {}'))
      throw new Error(`tenant-gitops: ${QUOTA_FILE} no longer has "hard: {}" to add to`);
    writeFileSync(quota, original.replace('hard: {}', QUOTA_DEFAULT));
    const { names: _all, ...baseChange } = await timeImpact(platform.root);

    writeFileSync(quota, original);
    const tenant = writeSyntheticSpec(platform.root, CHANGED_TENANT_INDEX, 1);
    const { names, ...oneSpec } = await timeImpact(platform.root);
    const onlyThatTenant = names.length === 1 && names[0] === tenant;
    return {
      tenants,
      targetMs: BASE_CHANGE_TARGET_MS,
      baseChange,
      oneSpec: { ...oneSpec, tenant, onlyThatTenant },
      targets: {
        time: baseChange.ms <= BASE_CHANGE_TARGET_MS,
        everyTenant: baseChange.changedTenants === tenants,
        oneSpecOnly: onlyThatTenant,
      },
    };
  } finally {
    platform.remove();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { tenants: { type: 'string', default: '1000' } } });
  const result = await benchImpact({ tenants: Number(values.tenants) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
