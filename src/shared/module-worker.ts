// Starts a module in a worker thread. A worker does not inherit the TypeScript loader of the thread
// that starts it, so a `.ts` module (the CLI runs from source) starts through a small bootstrap that
// registers tsx in the worker before importing it; a `.js` module (a bundle) starts as it is.
import { Worker } from 'node:worker_threads';

const TYPESCRIPT_BOOTSTRAP = new URL('./module-worker-bootstrap.mjs', import.meta.url);

export function startModuleWorker(module: URL, workerData: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { execArgv: [], workerData });
  return new Worker(TYPESCRIPT_BOOTSTRAP, { execArgv: [], workerData, argv: [module.href] });
}
