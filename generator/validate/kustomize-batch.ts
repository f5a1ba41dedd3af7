// `kubectl kustomize` over many overlays at once. One process per overlay costs ~75 ms, so overlays
// are gathered into temporary aggregate kustomizations (one process per batch, batches run on every
// core) and the output is split back per tenant by the tenant label every object carries. When a
// batch fails, its overlays are rendered one by one so the error names the culprit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LABEL_TENANT } from '../spec/types.ts';
import { toolPath } from '../tools.ts';
import { mapWithConcurrency, runProcess } from './run-process.ts';

export type Manifest = Record<string, unknown> & { kind?: string; metadata?: Record<string, unknown> };

export interface KustomizeOutcome {
  /** Rendered objects per tenant (only for overlays that rendered). */
  objects: Map<string, Manifest[]>;
  /** Overlays kustomize refused, with its message. */
  failures: Map<string, string>;
}

export interface KustomizeOptions {
  batchSize?: number;
  concurrency?: number;
}

function kustomizeCommand(dir: string): [string, string[]] {
  return [toolPath('kubectl'), ['kustomize', dir]];
}

function labelOf(object: Manifest): string | undefined {
  const labels = object.metadata?.labels as Record<string, string> | undefined;
  return labels?.[LABEL_TENANT];
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text, { uniqueKeys: true })
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`tenant-gitops: kustomize printed invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((o): o is Manifest => o !== null);
}

async function renderOne(root: string, tenant: string): Promise<{ objects?: Manifest[]; error?: string }> {
  const [cmd, args] = kustomizeCommand(join(root, 'overlays', tenant));
  const result = await runProcess(cmd, args);
  if (result.code !== 0) return { error: result.stderr.trim() || `kubectl kustomize exited ${result.code}` };
  return { objects: parseManifests(result.stdout) };
}

async function renderBatch(root: string, workDir: string, index: number, tenants: string[], outcome: KustomizeOutcome): Promise<void> {
  const dir = join(workDir, `batch-${index}`);
  mkdirSync(dir);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: tenants.map((t) => relative(dir, join(root, 'overlays', t))),
  };
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(kustomization));
  const [cmd, args] = kustomizeCommand(dir);
  const result = await runProcess(cmd, args);
  if (result.code === 0) {
    for (const t of tenants) outcome.objects.set(t, []);
    for (const object of parseManifests(result.stdout)) {
      const owner = labelOf(object);
      const list = owner === undefined ? undefined : outcome.objects.get(owner);
      // An object without its tenant's label cannot be attributed; render per overlay instead.
      if (!list) return renderEach(root, tenants, outcome);
      list.push(object);
    }
    return;
  }
  await renderEach(root, tenants, outcome);
}

async function renderEach(root: string, tenants: string[], outcome: KustomizeOutcome): Promise<void> {
  for (const t of tenants) {
    const one = await renderOne(root, t);
    if (one.objects) outcome.objects.set(t, one.objects);
    else {
      outcome.objects.delete(t);
      outcome.failures.set(t, one.error ?? 'unknown error');
    }
  }
}

export async function kustomizeOverlays(root: string, tenants: string[], options: KustomizeOptions = {}): Promise<KustomizeOutcome> {
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? Math.max(1, cpus().length);
  const outcome: KustomizeOutcome = { objects: new Map(), failures: new Map() };
  const batches: string[][] = [];
  for (let i = 0; i < tenants.length; i += batchSize) batches.push(tenants.slice(i, i + batchSize));
  const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-kustomize-'));
  try {
    await mapWithConcurrency(
      batches.map((b, i) => [i, b] as const),
      concurrency,
      ([i, batch]) => renderBatch(root, workDir, i, batch, outcome),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return outcome;
}
