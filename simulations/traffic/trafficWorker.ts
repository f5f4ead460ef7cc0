/**
 * Worker-thread side of runTrafficInWorker: runs one simulation, posts progress, and stops when
 * the parent raises the shared cancel flag (the loop is synchronous, so a flag in shared memory
 * is what it can see mid-run).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTraffic } from './runTraffic';
import type { TrafficWorkerInput, TrafficWorkerMessage } from './runInWorker';

const input = workerData as TrafficWorkerInput;
const cancel = new Int32Array(input.cancelFlag);
const post = (m: TrafficWorkerMessage): void => parentPort!.postMessage(m);
try {
  const result = runTraffic(input.network, input.demand, {
    ...input.options,
    shouldStop: () => Atomics.load(cancel, 0) !== 0,
    onProgress: (fraction, simSeconds) => post({ type: 'progress', fraction, simSeconds }),
  });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
