// Runs a GitHub Actions step's `run:` script the way the runner does: with the shell the workflow
// names (`bash` means `bash --noprofile --norc -eo pipefail {0}`), the workflow's, job's and step's
// `env:`, and the variables and files the runner provides (GITHUB_BASE_REF, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, RUNNER_TEMP …). Only the expressions listed in `expressions` may appear in
// those `env:` values; any other makes the test fail rather than guess what GitHub would put there.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

export interface Job {
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
  outputs?: Record<string, string>;
  if?: string;
  needs?: string | string[];
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  defaults?: { run?: { shell?: string } };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

export function step(job: Job, id: string): Step {
  const found = job.steps.find((s) => s.id === id);
  if (!found?.run) throw new Error(`the workflow has no run step with id ${id}`);
  return found;
}

/** What the runner would put in place of each `${{ … }}` the tested env values use. */
export type Expressions = Record<string, string>;

function evaluate(value: string, expressions: Expressions): string {
  return String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in expressions))
      throw new Error(`the test does not know what GitHub puts for \${{ ${expression} }}: add it to the expressions`);
    return expressions[expression]!;
  });
}

/** The command GitHub runs for a `shell:` name (only bash is supported here). */
function shellCommand(shell: string | undefined, script: string): [string, string[]] {
  if (shell !== 'bash') throw new Error(`the workflow's shell is ${shell}; this harness runs bash steps only`);
  return ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', script]];
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What the step wrote to GITHUB_OUTPUT, parsed as the runner parses it. */
  outputs: Record<string, string>;
  summary: string;
}

/** `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end === -1) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} is never closed by ${heredoc[2]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

export interface RunContext {
  workflow: Workflow;
  job: Job;
  /** The clone the step runs in (GITHUB_WORKSPACE). */
  workspace: string;
  /** The runner's variables for this event, e.g. GITHUB_BASE_REF. */
  github: Record<string, string>;
  expressions: Expressions;
}

export function runStep(context: RunContext, s: Step): Promise<StepResult> {
  const temp = mkdtempSync(join(tmpdir(), 'tenant-gitops-runner-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env' };
  for (const name of Object.values(files)) writeFileSync(join(temp, name), '');
  const script = join(temp, 'step.sh');
  writeFileSync(script, s.run!);
  const declared = { ...context.workflow.env, ...context.job.env, ...s.env };
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, evaluate(v, context.expressions)])),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: context.workspace,
    RUNNER_TEMP: temp,
    ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, join(temp, f)])),
    ...context.github,
  };
  const [command, args] = shellCommand(context.workflow.defaults?.run?.shell, script);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: context.workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolvePromise({
          code: code ?? -1,
          stdout,
          stderr,
          outputs: parseOutputFile(readFileSync(join(temp, 'output'), 'utf8')),
          summary: readFileSync(join(temp, 'summary'), 'utf8'),
        });
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    });
  });
}
