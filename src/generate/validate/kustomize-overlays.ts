// Kustomize over many overlays: render-overlays (scripts/go/render-overlays, built by
// scripts/tools/render-overlays.sh) renders each overlay on its own with the kustomize library, one
// after another in one long-lived process, and answers a JSON line per overlay. One `kubectl
// kustomize` per overlay costs a process start and a load of kustomize's OpenAPI schema each (~75
// ms), and an aggregate kustomization over many overlays costs time that grows with the square of its
// objects. Kustomize's global state is not safe across goroutines, so both cores get one process each.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../../shared/tools.ts';
import { overlayDir } from '../../tenant/names.ts';

export type Manifest = Record<string, unknown> & { kind?: string; metadata?: Record<string, unknown> };

export interface KustomizeOutcome {
  /** Rendered objects per tenant (only for overlays that rendered). */
  objects: Map<string, Manifest[]>;
  /** Overlays kustomize refused, with its message. */
  failures: Map<string, string>;
}

export interface KustomizeOptions {
  /** Overlays per onBatch call (and so per kubeconform input). */
  batchSize?: number;
  /** render-overlays processes; one per core by default. */
  concurrency?: number;
  /**
   * Called once per batch as soon as its overlays are rendered, so later checks can run while
   * other overlays still render. The batch's outcome is also merged into the returned one.
   */
  onBatch?: (batch: KustomizeOutcome) => void | Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 20;
export const RENDER_OVERLAYS_TOOL = 'render-overlays';

/** kustomize's YAML output (`kubectl kustomize`) as objects. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text, { uniqueKeys: true })
    .map((doc) => {
      if (doc.errors.length > 0)
        throw new Error(`tenant-gitops: kustomize printed invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((o): o is Manifest => o !== null);
}

interface RenderedLine {
  dir: string;
  objects?: Manifest[];
  error?: string;
}

function emptyOutcome(): KustomizeOutcome {
  return { objects: new Map(), failures: new Map() };
}

/**
 * One render-overlays process over `dirs` (in order): `onLine` gets each overlay's answer as it
 * streams out. Resolves with the process's exit code and standard error.
 */
function runRenderOverlays(
  dirs: string[],
  onLine: (line: RenderedLine) => void,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const tool = toolPath(RENDER_OVERLAYS_TOOL);
    const child = spawn(tool, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    let lineError: unknown;
    const err: Buffer[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n')) !== -1) {
        const text = pending.slice(0, end);
        pending = pending.slice(end + 1);
        try {
          onLine(JSON.parse(text) as RenderedLine);
        } catch (error) {
          lineError ??= error;
        }
      }
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      reject(
        new Error(`tenant-gitops: cannot run ${tool}: ${e.message} (fix: run bash scripts/setup.sh)`, { cause: e }),
      ),
    );
    child.on('close', (code) => {
      if (lineError !== undefined) reject(lineError);
      else resolvePromise({ code: code ?? 1, stderr: Buffer.concat(err).toString('utf8').trim() });
    });
    // A child that dies early closes its stdin; its exit code and stderr say why, not EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(dirs.map((d) => `${d}\n`).join(''));
  });
}

/**
 * One kustomization directory (base/platform, an overlay in a scratch copy) rendered by
 * render-overlays; throws with kustomize's own message when it refuses the directory.
 */
export async function kustomizeDirectory(dir: string): Promise<Manifest[]> {
  return (await kustomizeDirectories([dir]))[0]!;
}

/** Several kustomization directories, in order, by one render-overlays process (one start-up). */
export async function kustomizeDirectories(dirs: string[]): Promise<Manifest[][]> {
  const answers = new Map<string, RenderedLine>();
  const { code, stderr } = await runRenderOverlays(dirs, (line) => answers.set(line.dir, line));
  return dirs.map((dir) => {
    const answer = answers.get(dir);
    if (answer === undefined) {
      throw new Error(
        `tenant-gitops: ${RENDER_OVERLAYS_TOOL} exited ${code} before rendering ${dir}: ${stderr || 'no message'}`,
      );
    }
    if (answer.error !== undefined) throw new Error(`tenant-gitops: kustomize refused ${dir}: ${answer.error}`);
    return answer.objects ?? [];
  });
}

export async function kustomizeOverlays(
  root: string,
  tenants: string[],
  options: KustomizeOptions = {},
): Promise<KustomizeOutcome> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const batches: string[][] = [];
  for (let i = 0; i < tenants.length; i += batchSize) batches.push(tenants.slice(i, i + batchSize));
  const processes = Math.max(1, Math.min(options.concurrency ?? cpus().length, batches.length));
  // Batch i goes to process i % processes, so each process answers whole batches in order.
  const shares = Array.from({ length: processes }, (_, p) => batches.filter((_, i) => i % processes === p));

  const outcome = emptyOutcome();
  const callbacks: Promise<void>[] = [];
  let callbackError: unknown;
  const deliver = (batch: KustomizeOutcome) => {
    for (const [t, list] of batch.objects) outcome.objects.set(t, list);
    for (const [t, message] of batch.failures) outcome.failures.set(t, message);
    // Kept until every overlay is through, rather than left unhandled while others render.
    callbacks.push(
      Promise.resolve()
        .then(() => options.onBatch?.(batch))
        .catch((error: unknown) => {
          callbackError ??= error;
        }),
    );
  };

  await Promise.all(
    shares.map(async (share) => {
      const tenantOf = new Map<string, string>();
      for (const t of share.flat()) tenantOf.set(join(root, overlayDir(t)), t);
      let batchIndex = 0;
      let current = emptyOutcome();
      const answered = () => current.objects.size + current.failures.size;
      const { code, stderr } = await runRenderOverlays([...tenantOf.keys()], (line) => {
        const tenant = tenantOf.get(line.dir);
        if (tenant === undefined)
          throw new Error(
            `tenant-gitops: ${RENDER_OVERLAYS_TOOL} answered for ${line.dir}, which it was not asked for`,
          );
        if (line.error !== undefined) current.failures.set(tenant, line.error);
        else current.objects.set(tenant, line.objects ?? []);
        if (answered() === share[batchIndex]!.length) {
          deliver(current);
          current = emptyOutcome();
          batchIndex++;
        }
      });
      // Overlays the process never answered (it crashed) fail with its exit code and message.
      const unanswered = share
        .slice(batchIndex)
        .flat()
        .filter((t) => !current.objects.has(t) && !current.failures.has(t));
      if (unanswered.length === 0 && answered() === 0) return;
      for (const t of unanswered)
        current.failures.set(
          t,
          `${RENDER_OVERLAYS_TOOL} exited ${code} before rendering it: ${stderr || 'no message'}`,
        );
      deliver(current);
    }),
  );
  await Promise.all(callbacks);
  if (callbackError !== undefined) throw callbackError;
  return outcome;
}
