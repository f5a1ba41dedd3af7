// tenantctl: thin dispatch to one file per command. Exit codes: 0 ok, 1 check/validation failed,
// 2 invalid input (nothing written).
import { generateCommand } from './generate.ts';
import { impactCommand } from './impact.ts';
import { newCommand } from './new.ts';
import { renderCommand } from './render.ts';
import { validateCommand } from './validate.ts';

export type Command = (argv: string[]) => Promise<number>;

/** Add a command here; `serve` loads lazily so the generator never pays for it. (The sandbox is dev
 *  tooling: `npm run sandbox`, testing/sandbox/main.ts.) */
export const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  validate: validateCommand,
  impact: impactCommand,
  new: newCommand,
  render: renderCommand,
  serve: async (argv) => (await import('./serve.ts')).serveCommand(argv),
  store: async (argv) => (await import('./store.ts')).storeCommand(argv),
  vault: async (argv) => (await import('./vault.ts')).vaultCommand(argv),
  'deletion-record': async (argv) => (await import('./deletion-record.ts')).deletionRecordCommand(argv),
};

const USAGE = `usage: tenantctl <${Object.keys(COMMANDS).join('|')}> [options] (--help for a command's options)`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`tenant-gitops: unknown command ${name}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    // parseArgs rejects unknown flags with a TypeError carrying an ERR_PARSE_ARGS_* code.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tenant-gitops: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
