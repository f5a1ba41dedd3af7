// kubeconform -strict, offline, over many files in one process, against the schemas that
// scripts/tools/kube-schemas.sh generated (Kubernetes v1.34.4 + HNC and ArgoCD CRDs).
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { toolPath, toolsDir } from '../../shared/tools.ts';
import { runProcess } from './run-process.ts';

export const KUBERNETES_VERSION = '1.34.4';

export interface SchemaProblem {
  file: string;
  kind: string;
  name: string;
  message: string;
}

export function schemaDir(): string {
  return join(toolsDir(), 'schemas', `v${KUBERNETES_VERSION}`);
}

interface KubeconformJson {
  resources?: { filename: string; kind: string; name: string; status: string; msg: string }[];
}

export async function kubeconformFiles(files: string[]): Promise<SchemaProblem[]> {
  if (files.length === 0) return [];
  const dir = schemaDir();
  if (!existsSync(join(dir, 'namespace-v1.json'))) {
    throw new Error(`tenant-gitops: no Kubernetes schemas in ${dir} (fix: run bash scripts/tools/kube-schemas.sh)`);
  }
  const args = [
    '-strict',
    '-kubernetes-version',
    KUBERNETES_VERSION,
    '-schema-location',
    `${dir}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-output',
    'json',
    '-n',
    String(Math.max(1, cpus().length)),
    ...files,
  ];
  const result = await runProcess(toolPath('kubeconform'), args);
  let parsed: KubeconformJson;
  try {
    parsed = JSON.parse(result.stdout) as KubeconformJson;
  } catch {
    throw new Error(
      `tenant-gitops: kubeconform failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.slice(0, 500)}`,
    );
  }
  return (parsed.resources ?? [])
    .filter((r) => r.status !== 'statusValid')
    .map((r) => ({ file: r.filename, kind: r.kind, name: r.name, message: `${r.status}: ${r.msg}` }));
}
