// NetworkPolicy connectivity computed by cyclonus (an independent analyzer, built from its Go module
// by scripts/tools/netpol-analyzer.sh): `cyclonus analyze --traffic-path` evaluates each flow
// against the policies alone — no CNI, no cluster — and prints one "Is allowed?" verdict per flow,
// in order. This module writes the policies and flows, runs it and reads the verdicts back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../../../src/generate/validate/index.ts';
import { toolPath } from '../../../../src/shared/tools.ts';

/** A pod inside the cluster, or an address outside it. */
export type Endpoint =
  | { namespace: string; namespaceLabels: Record<string, string>; podLabels: Record<string, string>; ip: string }
  | { ip: string };

export interface Flow {
  from: Endpoint;
  to: Endpoint;
  protocol: 'TCP' | 'UDP';
  port: number;
}

function peer(e: Endpoint): Record<string, unknown> {
  if (!('namespace' in e)) return { IP: e.ip };
  return { IP: e.ip, Internal: { Namespace: e.namespace, NamespaceLabels: e.namespaceLabels, PodLabels: e.podLabels } };
}

export function cyclonusPath(): string {
  const path = toolPath('cyclonus');
  if (!existsSync(path))
    throw new Error(
      'tenant-gitops: cyclonus is not installed: run bash scripts/tools/netpol-analyzer.sh (or npm run setup)',
    );
  return path;
}

/** Whether each flow is allowed by the policies, in the order given. */
export function analyzeFlows(policies: Manifest[], flows: Flow[]): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-gitops-netpol-'));
  try {
    // One policy per file (JSON is YAML too): cyclonus reads every file under --policy-path.
    mkdirSync(join(dir, 'policies'));
    policies.forEach((p, i) => writeFileSync(join(dir, 'policies', `${i}.json`), JSON.stringify(p)));
    const traffic = flows.map((f) => ({
      Source: peer(f.from),
      Destination: peer(f.to),
      ResolvedPort: f.port,
      ResolvedPortName: '',
      Protocol: f.protocol,
    }));
    writeFileSync(join(dir, 'traffic.json'), JSON.stringify(traffic));
    const run = spawnSync(
      cyclonusPath(),
      // No --namespace / --all-namespaces: policies come from the file only, never from a live cluster.
      [
        'analyze',
        '--mode=query-traffic',
        `--policy-path=${join(dir, 'policies')}`,
        `--traffic-path=${join(dir, 'traffic.json')}`,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`tenant-gitops: cyclonus analyze failed (${run.status}): ${run.stderr}`);
    const verdicts = [...run.stdout.matchAll(/IS ALLOWED\?\s*\|\s*(TRUE|FALSE)/g)].map((m) => m[1] === 'TRUE');
    if (verdicts.length !== flows.length)
      throw new Error(`tenant-gitops: cyclonus gave ${verdicts.length} verdicts for ${flows.length} flows`);
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
