// kubectl against the control plane (the KubeConfig of controlPlaneKubeConfig, written to a temp
// file), for server-side apply and dry-run exactly as an operator or ArgoCD's bootstrap does them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { toolPath } from '../../../src/shared/tools.ts';

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function kubeconfigFile(kc: KubeConfig): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tenant-gitops-kubeconfig-')), 'kubeconfig');
  writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): KubectlResult {
  const result = spawnSync(toolPath('kubectl'), args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, KUBECONFIG: kubeconfig },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
