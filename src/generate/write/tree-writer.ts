// Write a rendered tree while it is still being rendered. The main thread renders; a second thread
// (tree-writer-thread.ts) compares each file with the disk and writes the ones whose bytes differ, so
// a first generate's thousands of file creations overlap the rendering on the other core, and the
// whole tree never has to sit in memory at once. Files in the generator's territory that nothing
// rendered are removed at the end, once every write has succeeded. The caller validates every spec
// before it renders: a bad spec never gets here.
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startModuleWorker } from '../../shared/module-worker.ts';
import { ARGOCD_CLUSTERS_DIR, ARGOCD_TENANTS_DIR, OVERLAYS_DIR } from '../../tenant/names.ts';
import { listGeneratedFiles } from './generated-tree.ts';
import { unrenderedFiles } from './plan.ts';

export interface WriteTreeResult {
  /** Repo-relative paths written (new or changed), sorted. */
  written: string[];
  /** Repo-relative paths removed, sorted. */
  removed: string[];
  unchanged: number;
}

/** Main thread → writer: files as [path, text, on disk when the run started], then `finish`. */
export type ToWriter = { type: 'files'; files: [string, string, boolean][] } | { type: 'finish' };
/** Writer → main thread: `written` after each `files` message, then the final answer. */
export type FromWriter =
  | { type: 'written' }
  | { type: 'done'; written: string[]; unchanged: number }
  | { type: 'failed'; path: string; message: string };

/** Files per message: enough to keep messages few, small enough that writing starts early. */
const FILES_PER_MESSAGE = 256;
/**
 * Messages the writer may have queued before the renderer waits for it: rendering is faster than
 * creating files, and without a bound the whole tree would queue up in memory.
 */
const MESSAGES_IN_FLIGHT = 8;

const THREAD_MODULE = new URL('./tree-writer-thread.ts', import.meta.url);

/** Remove now-empty directories from `dir` up to (not including) the territory's top. */
function removeEmptyParents(root: string, path: string): void {
  let dir = dirname(path);
  const tops = [OVERLAYS_DIR, ARGOCD_TENANTS_DIR, ARGOCD_CLUSTERS_DIR];
  while (!tops.includes(dir) && dir !== '.' && dir.includes('/')) {
    const abs = join(root, dir);
    try {
      if (readdirSync(abs).length > 0) return;
      rmdirSync(abs);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

export interface TreeWriter {
  /** Writes the tree (consumed as it is produced) and prunes what it did not contain. Once. */
  write(files: Iterable<[string, string]>): Promise<WriteTreeResult>;
  /** Stops the writer thread; call it whether or not `write` ran (or failed). */
  close(): Promise<void>;
}

/**
 * Starts the writer thread now, so it is up by the time the first file is rendered: open it before
 * loading the specs, and close it if they turn out to be invalid (nothing has been written then).
 */
export function openTreeWriter(root: string): TreeWriter {
  const worker = startModuleWorker(THREAD_MODULE, { root });
  let inFlight = 0;
  let onWritten: (() => void) | undefined;
  // Settles with the writer's final answer, or its death.
  const answer = new Promise<FromWriter>((resolvePromise, reject) => {
    worker.on('message', (message: FromWriter) => {
      if (message.type === 'written') {
        inFlight--;
        onWritten?.();
      } else resolvePromise(message);
    });
    worker.once('error', (error) =>
      reject(new Error(`tenant-gitops: the writer thread failed: ${error.message}`, { cause: error })),
    );
    worker.once('exit', (code) =>
      reject(new Error(`tenant-gitops: the writer thread stopped (exit ${code}) before finishing`)),
    );
  });
  // Not every caller gets to `write` (bad specs); the rejection is theirs only if they do.
  let settled = false;
  const answered = answer.then(
    () => void (settled = true),
    () => void (settled = true),
  );

  return {
    async write(files) {
      const onDisk = new Set(listGeneratedFiles(root));
      const rendered = new Set<string>();
      let batch: [string, string, boolean][] = [];
      const send = async () => {
        // A writer that failed or died answers no more: stop waiting; the final answer says why.
        while (inFlight >= MESSAGES_IN_FLIGHT && !settled)
          await Promise.race([new Promise<void>((r) => (onWritten = r)), answered]);
        if (batch.length > 0) {
          worker.postMessage({ type: 'files', files: batch } satisfies ToWriter);
          inFlight++;
        }
        batch = [];
      };
      for (const [path, text] of files) {
        rendered.add(path);
        batch.push([path, text, onDisk.has(path)]);
        if (batch.length >= FILES_PER_MESSAGE) await send();
        // The writer answers early only when it failed: render no further.
        if (settled) break;
      }
      await send();
      worker.postMessage({ type: 'finish' } satisfies ToWriter);
      const result = await answer;
      if (result.type === 'failed') throw new Error(`tenant-gitops: cannot write ${result.path}: ${result.message}`);
      if (result.type !== 'done') throw new Error('tenant-gitops: the writer thread answered out of turn');

      const removed = unrenderedFiles(onDisk, rendered);
      for (const path of removed) {
        rmSync(join(root, path), { force: true });
        removeEmptyParents(root, path);
      }
      return { written: result.written.sort(), removed, unchanged: result.unchanged };
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Writes a whole tree with a writer of its own. */
export async function writeTree(root: string, files: Iterable<[string, string]>): Promise<WriteTreeResult> {
  const writer = openTreeWriter(root);
  try {
    return await writer.write(files);
  } finally {
    await writer.close();
  }
}
