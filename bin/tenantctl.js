#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI through tsx so no build step is needed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { constants } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// tsx as resolved from this checkout: a bare `--import tsx` would be looked up from the caller's
// working directory, which is usually a platform repository without node_modules.
const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Long-running commands (serve, sandbox) stop cleanly on a signal: pass it on and wait for the
// command to finish stopping, instead of dying first and leaving it orphaned.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
// Exit like the command did; a command killed by a signal exits 128 + its number, as shells report it.
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
