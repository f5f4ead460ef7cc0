/**
 * Runs a traffic simulation in a worker thread (kernel/worker/), so a server or CLI stays
 * responsive during big runs: progress comes back as messages, an AbortSignal cancels (the run
 * stops within a few steps and resolves with what it simulated; a worker that does not stop is
 * terminated).
 */
import { runInWorker } from '../../../kernel/worker/runInWorker';
import type { Demand } from '../demand';
import type { Network } from '../network';
import type { TrafficOptions, TrafficResult } from '../runTraffic';

export type WorkerTrafficOptions = Omit<TrafficOptions, 'shouldStop' | 'onProgress'>;

export interface TrafficWorkerInput {
  network: Network;
  demand: Demand;
  options: WorkerTrafficOptions;
}

/** Progress: fraction done, simulated seconds. */
export type TrafficProgress = [fraction: number, simSeconds: number];

const ENTRY = new URL('./trafficWorker.ts', import.meta.url);

/** How long a cancelled worker may take to stop on its own before it is terminated, ms. */
const CANCEL_GRACE_MS = 5_000;

export function runTrafficInWorker(
  network: Network,
  demand: Demand,
  options: WorkerTrafficOptions,
  control: { signal?: AbortSignal; onProgress?: (fraction: number, simSeconds: number) => void } = {},
): Promise<TrafficResult> {
  return runInWorker<TrafficWorkerInput, TrafficProgress, TrafficResult>(ENTRY, { network, demand, options }, {
    name: 'traffic',
    signal: control.signal,
    onProgress: control.onProgress,
    cancelGraceMs: CANCEL_GRACE_MS,
  });
}
