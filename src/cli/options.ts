// Flags every command shares (--root DIR, --json) and the uniform way commands report.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, TenantGitopsError } from '../shared/errors.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID_INPUT = 2;

export interface CommonOptions {
  root: string;
  json: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommand<O extends Options>(argv: string[], options: O, usage: string) {
  const parsed = parseArgs({
    args: argv,
    options: {
      ...options,
      root: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as Record<string, unknown>;
  const common: CommonOptions = {
    root: resolve(typeof values.root === 'string' ? values.root : process.cwd()),
    json: values.json === true,
  };
  return { values, positionals: parsed.positionals, common, help: values.help === true, usage };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Report an error the way the exit-code contract says: 2 for bad input, 1 for anything else. */
export function reportError(error: unknown, json: boolean): number {
  const code = error instanceof InputError ? EXIT_INVALID_INPUT : EXIT_FAILED;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    printJson({
      ok: false,
      error: error instanceof TenantGitopsError ? error.code : 'ERROR',
      message,
      issues: error instanceof InputError ? error.issues : undefined,
    });
  } else {
    process.stderr.write(`${message.startsWith('tenant-gitops:') ? message : `tenant-gitops: ${message}`}\n`);
  }
  return code;
}
