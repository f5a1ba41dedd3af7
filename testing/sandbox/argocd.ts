// ArgoCD for the sandbox, through scripts/argocd.sh where it exists and can run here. When it
// cannot, the sandbox still runs (PRs, merges, states up to `merged`) and says so on stderr:
// Applications then only change when someone patches them as ArgoCD would.
import { join } from 'node:path';
import { runScript, scriptPath } from './run-script.ts';

export async function startSandboxArgoCD(options: {
  checkout: string;
  stateDir: string;
  kubeconfig: string;
  repoDir: string;
  /** The 10 s test polling instead of ArgoCD's production defaults. */
  fast: boolean;
  say: (line: string) => void;
}): Promise<{ stop(): Promise<void> } | undefined> {
  const script = scriptPath(options.checkout, 'argocd.sh');
  if (!script) {
    options.say('ArgoCD is not started: scripts/argocd.sh is not in this checkout; tenants will stop at "merged"');
    return undefined;
  }
  const env = {
    ...process.env,
    KUBECONFIG: options.kubeconfig,
    TENANT_GITOPS_ARGOCD_DIR: join(options.stateDir, 'argocd'),
    TENANT_GITOPS_PLATFORM_REPO: options.repoDir,
    TENANT_GITOPS_ARGOCD_FAST: options.fast ? '1' : '0',
  };
  try {
    await runScript(script, ['start'], { cwd: options.checkout, env, timeoutMs: 600_000 });
  } catch (error) {
    options.say(
      `ArgoCD is not started: ${error instanceof Error ? error.message : String(error)}; tenants will stop at "merged"`,
    );
    return undefined;
  }
  return {
    stop: async () => {
      await runScript(script, ['stop'], { cwd: options.checkout, env, timeoutMs: 120_000 });
    },
  };
}
