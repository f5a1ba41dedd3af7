// promtool (built by scripts/tools/promtool.sh from the Prometheus Go module) over files in a
// scratch directory: `check rules` and `test rules`, with exit code and output kept as they are.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { toolPath } from '../../../src/shared/tools.ts';

export interface PromtoolResult {
  code: number | null;
  output: string;
}

/** A Prometheus rules file: what prometheus-operator hands Prometheus from a PrometheusRule's spec. */
export interface RuleFile {
  groups: RuleGroup[];
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Runs `promtool ARGS` in `dir` after writing `files` (name → object, written with `yaml`). */
export function promtool(args: string[], files: Record<string, unknown>): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-gitops-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), stringify(content));
    const tool = toolPath('promtool');
    const result = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
    if (result.error)
      throw new Error(`cannot run ${tool}: ${result.error.message} (fix: bash scripts/tools/promtool.sh)`);
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
