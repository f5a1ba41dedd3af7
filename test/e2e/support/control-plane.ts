// How a cluster test finds its control plane: $KUBECONFIG, else .cluster/kubeconfig written by
// scripts/control-plane.sh. `probeControlPlane` answers once whether the API server answers, so a
// test file can skip with a clear reason when none is reachable (and only then).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

export type ControlPlaneProbe = { kc: KubeConfig; skipReason: undefined } | { kc: undefined; skipReason: string };

export function kubeconfigPath(): string {
  return process.env.KUBECONFIG || join(REPO_ROOT, '.cluster', 'kubeconfig');
}

export async function probeControlPlane(timeoutMs = 5_000): Promise<ControlPlaneProbe> {
  const path = kubeconfigPath();
  if (!existsSync(path)) {
    return { kc: undefined, skipReason: `no control plane: no kubeconfig at ${path} (run \`bash scripts/control-plane.sh start\` or set KUBECONFIG)` };
  }
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  try {
    await Promise.race([
      kc.makeApiClient(VersionApi).getCode(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
  } catch (error) {
    return { kc: undefined, skipReason: `no control plane reachable through ${path}: ${(error as Error).message}` };
  }
  return { kc, skipReason: undefined };
}
