// The sandbox's own control plane, started and stopped through scripts/control-plane.sh with its
// state under the sandbox's state dir, so it never touches a control plane the tests started.
import { join } from 'node:path';
import { runScript, scriptPath } from './run-script.ts';

export interface SandboxControlPlane {
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startSandboxControlPlane(options: {
  checkout: string;
  stateDir: string;
}): Promise<SandboxControlPlane> {
  const script = scriptPath(options.checkout, 'control-plane.sh');
  if (!script) {
    throw new Error(
      'tenant-gitops: scripts/control-plane.sh is missing from this checkout; the sandbox needs it to start a control plane',
    );
  }
  const dir = join(options.stateDir, 'cluster');
  const env = { ...process.env, TENANT_GITOPS_CLUSTER_DIR: dir };
  await runScript(script, ['start'], { cwd: options.checkout, env, timeoutMs: 300_000 });
  return {
    kubeconfig: join(dir, 'kubeconfig'),
    stop: async () => {
      await runScript(script, ['stop'], { cwd: options.checkout, env, timeoutMs: 120_000 });
    },
  };
}
