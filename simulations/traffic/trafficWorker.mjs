// Worker entry: Node cannot run TypeScript by itself, so register tsx's loader in this thread
// (loader hooks are per thread) and hand over to the worker's TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./trafficWorker.ts');
