// The real external-secrets controller (built from its Go module by scripts/tools/external-secrets.sh)
// run on the host against the control plane, as its Deployment would run it in the cluster: it
// reconciles every SecretStore and ExternalSecret, logs in to Vault with the store's ServiceAccount
// token, and writes the target Secrets. Its CRDs are installed by scripts/control-plane.sh (crds.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { toolPath } from '../../../src/shared/tools.ts';

export interface ExternalSecretsController {
  /** The controller's last lines of output, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export function externalSecretsSkipReason(): string | undefined {
  return existsSync(toolPath('external-secrets'))
    ? undefined
    : 'no external-secrets binary (run bash scripts/tools/external-secrets.sh)';
}

export function startExternalSecrets(kubeconfig: string): ExternalSecretsController {
  let output = '';
  const child: ChildProcess = spawn(
    toolPath('external-secrets'),
    // No metrics listener ("0"), no leader election (one controller), stores checked every 10 s.
    ['--metrics-addr=0', '--enable-leader-election=false', '--store-requeue-interval=10s', '--loglevel=info'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    output: () => (child.exitCode === null ? output : `exited with ${child.exitCode}\n${output}`),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
