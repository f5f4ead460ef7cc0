// Worker entry: Node 20 cannot run TypeScript, and a worker does not inherit the loader that
// `bin/citytwin.mjs` or vitest installed in the main thread (nor does `execArgv: ['--import',
// 'tsx']` take effect for the worker's own entry), so register tsx here, then load the real
// entry named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
