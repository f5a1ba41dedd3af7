// Only the validate figure of the generate benchmark, repeatable, for working on `tenantctl validate`:
//   npx tsx scripts/bench/validate.ts [--tenants N] [--repeat K] [--keep DIR]
// Builds a synthetic platform of N tenants (default 1,000), generates it once, then times
// validateRepository K times (default 1) in this process, as benchValidate does. With --keep DIR the
// platform is built in DIR the first time and reused afterwards, so repeated runs skip the set-up.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateRepository } from '../../src/generate/validate/index.ts';
import { generateOnce } from './generate.ts';
import { createSyntheticPlatform } from '../../testing/synthetic/platform.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '1' },
    keep: { type: 'string' },
  },
});
const tenants = Number(values.tenants);
const repeat = Number(values.repeat);

async function preparePlatform(): Promise<{ root: string; remove(): void }> {
  const keep = values.keep;
  if (keep && existsSync(join(keep, 'overlays')) && readdirSync(join(keep, 'overlays')).length === tenants) {
    return { root: keep, remove: () => {} };
  }
  const platform = createSyntheticPlatform(ROOT, tenants);
  await generateOnce(platform.root);
  if (!keep) return platform;
  rmSync(keep, { recursive: true, force: true });
  mkdirSync(keep, { recursive: true });
  cpSync(platform.root, keep, { recursive: true });
  platform.remove();
  return { root: keep, remove: () => {} };
}

const platform = await preparePlatform();
try {
  const runs: { ms: number; objects: number; problems: number; firstProblems: string[] }[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    const report = await validateRepository(platform.root);
    const ms = Math.round(performance.now() - started);
    runs.push({
      ms,
      objects: report.objects,
      problems: report.problems.length,
      firstProblems: report.problems.slice(0, 3).map((p) => `${p.tenant}${p.file ? ` (${p.file})` : ''}: ${p.message}`),
    });
    process.stderr.write(
      `validate ${tenants} tenants: ${ms} ms, ${report.objects} objects, ${report.problems.length} problems\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ tenants, runs }, null, 2)}\n`);
} finally {
  platform.remove();
}
