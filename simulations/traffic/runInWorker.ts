/**
 * Runs a traffic simulation in a worker thread, so a server or CLI stays responsive during big
 * runs: progress comes back as messages, an AbortSignal cancels (the run stops within a few
 * steps and resolves with what it simulated; a worker that does not stop is terminated).
 */
import { Worker } from 'node:worker_threads';
import type { Demand } from './demand';
import type { Network } from './network';
import type { TrafficOptions, TrafficResult } from './runTraffic';

export type WorkerTrafficOptions = Omit<TrafficOptions, 'shouldStop' | 'onProgress'>;

export interface TrafficWorkerInput {
  network: Network;
  demand: Demand;
  options: WorkerTrafficOptions;
  cancelFlag: SharedArrayBuffer;
}

export type TrafficWorkerMessage =
  | { type: 'progress'; fraction: number; simSeconds: number }
  | { type: 'done'; result: TrafficResult }
  | { type: 'error'; message: string };

/** How long a cancelled worker may take to stop on its own before it is terminated, ms. */
const CANCEL_GRACE_MS = 5_000;

export function runTrafficInWorker(
  network: Network,
  demand: Demand,
  options: WorkerTrafficOptions,
  control: { signal?: AbortSignal; onProgress?: (fraction: number, simSeconds: number) => void } = {},
): Promise<TrafficResult> {
  const cancelFlag = new SharedArrayBuffer(4);
  const input: TrafficWorkerInput = { network, demand, options, cancelFlag };
  const worker = new Worker(new URL('./trafficWorker.mjs', import.meta.url), { workerData: input });
  return new Promise<TrafficResult>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      control.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => {
      Atomics.store(new Int32Array(cancelFlag), 0, 1);
      killTimer = setTimeout(() => finish(() => reject(new Error('traffic run cancelled'))), CANCEL_GRACE_MS);
    };
    if (control.signal?.aborted) onAbort();
    else control.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: TrafficWorkerMessage) => {
      if (m.type === 'progress') control.onProgress?.(m.fraction, m.simSeconds);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`traffic worker exited with code ${code} before finishing`))));
  });
}
