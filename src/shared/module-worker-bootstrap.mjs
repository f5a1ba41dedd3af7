// The worker side of module-worker.ts for a TypeScript module: register tsx in this thread, then
// import the module named by the last argument. workerData passes through untouched.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);
