// `npm run sandbox -- [--state-dir DIR] [--no-argocd] [--argocd-fast] [--clusters N] [--owner O] [--repo R]`:
// starts the onboarding sandbox on loopback, prints ONE JSON line {"api","token","github","repo","clusters"} on stdout,
// and stays up until SIGINT/SIGTERM, when it stops everything it started. Progress goes to stderr.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { createJsonLogger } from '../../src/shared/log.ts';
import { startSandbox } from './index.ts';

const USAGE =
  'usage: npm run sandbox -- [--state-dir DIR] [--no-argocd] [--argocd-fast] [--clusters N] [--owner OWNER] [--repo NAME]\n' +
  '                          [--log-level debug|info|warn|error]\n' +
  '  ArgoCD runs at its production polling defaults; --argocd-fast asks for the 10 s test setting\n' +
  "  --clusters N: ArgoCD's cluster (in-cluster) and N - 1 more control planes (east-1…), each registered\n" +
  "  with ArgoCD and in clusters/; the JSON line lists each cluster's kubeconfig";

export async function sandboxCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'state-dir': { type: 'string' },
        'no-argocd': { type: 'boolean', default: false },
        'argocd-fast': { type: 'boolean', default: false },
        clusters: { type: 'string', default: '1' },
        owner: { type: 'string' },
        repo: { type: 'string' },
        'log-level': { type: 'string', default: 'warn' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`tenant-gitops: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const clusters = Number(values.clusters);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 4) {
    process.stderr.write(`tenant-gitops: --clusters must be a whole number from 1 to 4, got ${values.clusters}\n`);
    return 2;
  }
  const level = values['log-level'];
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') {
    process.stderr.write(`tenant-gitops: --log-level must be debug, info, warn or error, got ${level}\n`);
    return 2;
  }

  // Listen before starting anything: a Ctrl-C during start-up lets the start finish, then stops it,
  // instead of killing this process and leaving the control plane behind.
  const signalled = new Promise<NodeJS.Signals>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal('SIGINT'));
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
  });
  const checkout = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const sandbox = await startSandbox({
    checkout,
    log: createJsonLogger({ level }),
    stateDir: values['state-dir'] ? resolve(values['state-dir']) : undefined,
    argocd: values['no-argocd'] ? 'off' : 'auto',
    argocdFast: values['argocd-fast'],
    clusters,
    owner: values.owner,
    repo: values.repo,
  });
  process.stdout.write(`${JSON.stringify(sandbox.info)}\n`);
  process.stderr.write(
    `sandbox: ready${sandbox.argocdRunning ? '' : ' (without ArgoCD)'}; kubeconfig ${sandbox.kubeconfig}; Ctrl-C stops everything\n`,
  );

  const signal = await signalled;
  // A second Ctrl-C while stopping must not leave half-stopped processes behind.
  const again = () => process.stderr.write('sandbox: still stopping, please wait\n');
  process.on('SIGINT', again);
  process.on('SIGTERM', again);
  process.stderr.write(`sandbox: ${signal} received, stopping\n`);
  try {
    await sandbox.stop();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  process.stderr.write('sandbox: stopped\n');
  return 0;
}

// `npm run sandbox` runs this file.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  sandboxCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
