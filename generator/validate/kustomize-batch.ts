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
import { mapWithConcurrency, runProcess, type ProcessResult } from './run-process.ts';

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
  /**
   * Called once per batch as soon as it is rendered and split per tenant, so later checks can run
   * while other batches still render. The batch's outcome is also merged into the returned one.
   */
  onBatch?: (batch: KustomizeOutcome) => void | Promise<void>;
}

/**
 * Overlays per aggregate kustomization. Kustomize checks every object it accumulates against all
 * those already accumulated, so a batch costs O(objects²): 1,000 overlays took ~50 s of CPU in
 * batches of 100 and ~30 s in batches of 20 or 25. Below ~15 the per-process start-up (~0.15 s of
 * CPU, loading kustomize's OpenAPI schema) outweighs what smaller batches save.
 */
export const DEFAULT_BATCH_SIZE = 20;

/**
 * Kustomize is a short-lived Go process whose heap only grows (~7 MB per overlay); collecting it
 * repeatedly is wasted CPU. The collector runs only when the heap nears the limit.
 */
const KUSTOMIZE_ENV = { GOGC: 'off', GOMEMLIMIT: '512MiB' };

function kustomize(dir: string) {
  return runProcess(toolPath('kubectl'), ['kustomize', dir], { env: KUSTOMIZE_ENV });
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

function emptyOutcome(): KustomizeOutcome {
  return { objects: new Map(), failures: new Map() };
}

async function renderOne(root: string, tenant: string): Promise<{ objects?: Manifest[]; error?: string }> {
  const result = await kustomize(join(root, 'overlays', tenant));
  if (result.code !== 0) return { error: result.stderr.trim() || `kubectl kustomize exited ${result.code}` };
  return { objects: parseManifests(result.stdout) };
}

async function renderEach(root: string, tenants: string[]): Promise<KustomizeOutcome> {
  const outcome = emptyOutcome();
  for (const t of tenants) {
    const one = await renderOne(root, t);
    if (one.objects) outcome.objects.set(t, one.objects);
    else outcome.failures.set(t, one.error ?? 'unknown error');
  }
  return outcome;
}

/** Split a batch's output per tenant label; undefined when an object belongs to none of them. */
function splitByTenant(tenants: string[], objects: Manifest[]): Map<string, Manifest[]> | undefined {
  const byTenant = new Map<string, Manifest[]>(tenants.map((t) => [t, []]));
  for (const object of objects) {
    const owner = labelOf(object);
    const list = owner === undefined ? undefined : byTenant.get(owner);
    if (!list) return undefined;
    list.push(object);
  }
  return byTenant;
}

function writeAggregate(root: string, dir: string, tenants: string[]): void {
  mkdirSync(dir);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: tenants.map((t) => relative(dir, join(root, 'overlays', t))),
  };
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(kustomization));
}

async function splitBatch(root: string, tenants: string[], result: ProcessResult): Promise<KustomizeOutcome> {
  if (result.code !== 0) return renderEach(root, tenants);
  // An object without its tenant's label cannot be attributed; render per overlay instead.
  const byTenant = splitByTenant(tenants, parseManifests(result.stdout));
  return byTenant ? { objects: byTenant, failures: new Map() } : renderEach(root, tenants);
}

export async function kustomizeOverlays(root: string, tenants: string[], options: KustomizeOptions = {}): Promise<KustomizeOutcome> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = options.concurrency ?? Math.max(1, cpus().length);
  const outcome = emptyOutcome();
  const batches: string[][] = [];
  for (let i = 0; i < tenants.length; i += batchSize) batches.push(tenants.slice(i, i + batchSize));
  const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-kustomize-'));
  const splitting: Promise<void>[] = [];
  let splitError: unknown;
  try {
    // A slot is held only while kustomize runs: parsing a batch's output happens after the next
    // batch's process has started, so Node's share of the work never leaves a core idle.
    await mapWithConcurrency(
      batches.map((b, i) => [i, b] as const),
      concurrency,
      async ([i, batch]) => {
        const dir = join(workDir, `batch-${i}`);
        writeAggregate(root, dir, batch);
        const result = await kustomize(dir);
        splitting.push(
          nextTurn()
            .then(() => splitBatch(root, batch, result))
            .then(async (rendered) => {
              for (const [t, list] of rendered.objects) outcome.objects.set(t, list);
              for (const [t, message] of rendered.failures) outcome.failures.set(t, message);
              await options.onBatch?.(rendered);
            })
            // Kept until every batch is through, rather than left unhandled while others render.
            .catch((error: unknown) => {
              splitError ??= error;
            }),
        );
      },
    );
  } finally {
    await Promise.all(splitting);
    rmSync(workDir, { recursive: true, force: true });
  }
  if (splitError !== undefined) throw splitError;
  return outcome;
}

/** Resolves after pending I/O callbacks, such as the spawn of the next batch, have run. */
function nextTurn(): Promise<void> {
  return new Promise((resolvePromise) => setImmediate(resolvePromise));
}
