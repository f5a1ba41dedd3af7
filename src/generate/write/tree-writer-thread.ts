// The writer thread's side of tree-writer.ts: compares and writes the files it is sent, in order,
// and stops at the first failure (reporting it once), so nothing is written after an error.
import { parentPort, workerData } from 'node:worker_threads';
import type { ToWriter, FromWriter } from './tree-writer.ts';
import { writeGeneratedFile } from './write-file.ts';

const { root } = workerData as { root: string };
const madeDirs = new Set<string>();
const written: string[] = [];
let unchanged = 0;
let failure: FromWriter | undefined;

function post(message: FromWriter): void {
  parentPort!.postMessage(message);
}

parentPort!.on('message', (message: ToWriter) => {
  if (message.type === 'finish') {
    post(failure ?? { type: 'done', written, unchanged });
    return;
  }
  if (failure) return;
  for (const [path, text, onDisk] of message.files) {
    try {
      if (writeGeneratedFile(root, path, text, onDisk, madeDirs)) written.push(path);
      else unchanged++;
    } catch (error) {
      // Answered at once, so a renderer waiting for room learns of it.
      failure = { type: 'failed', path, message: error instanceof Error ? error.message : String(error) };
      post(failure);
      return;
    }
  }
  post({ type: 'written' });
});
