/**
 * Worker-thread side of runTrafficInWorker: runs one simulation, posts progress, and stops when
 * the parent raises the cancel flag.
 */
import { serveWorkerTask } from '../../../kernel/worker/workerTask';
import { runTraffic, type TrafficResult } from '../runTraffic';
import type { TrafficProgress, TrafficWorkerInput } from './runTrafficInWorker';

serveWorkerTask<TrafficWorkerInput, TrafficProgress, TrafficResult>((input, onProgress, shouldStop) =>
  runTraffic(input.network, input.demand, { ...input.options, shouldStop, onProgress }),
);
