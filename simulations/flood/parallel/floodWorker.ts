/**
 * A flood worker thread: owns one stripe of rows of the shared state and steps it in lock-step
 * with the other workers. The main thread sends `{ untilS, maxSteps }` chunks; every worker
 * takes the same steps (same Δt from the shared maxima), so all answer with the same count.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PipeRun } from '../../drainage/pipeResults';
import { floodArrays, type FloodLayout } from '../floodState';
import { StripeStepper, type StepperConfig, type Stripe } from '../stripeStepper';
import { barrierWait } from './barrier';

export interface FloodWorkerData {
  buffer: SharedArrayBuffer;
  layout: FloodLayout;
  stripe: Stripe;
  config: StepperConfig;
}

export type FloodWorkerRequest =
  | { type: 'advance'; untilS: number; maxSteps: number }
  /** To the stripe-0 worker of a run with a drainage network: its pipe results. */
  | { type: 'drainage'; simulatedS: number };
export type FloodWorkerReply =
  | { type: 'advanced'; steps: number; t: number }
  | { type: 'drainage'; run: PipeRun; storageM3: number };

const data = workerData as FloodWorkerData;
const arrays = floodArrays(data.buffer, data.layout);
const stepper = new StripeStepper(arrays, data.stripe, data.config, () => barrierWait(arrays.barrier, data.stripe.count));

parentPort!.on('message', (request: FloodWorkerRequest) => {
  if (request.type === 'drainage') {
    // The drainage network's serial phase runs on the stripe-0 thread (stripeStepper.ts).
    const reply: FloodWorkerReply = { type: 'drainage', ...stepper.drainage(request.simulatedS)! };
    parentPort!.postMessage(reply);
    return;
  }
  const steps = stepper.advance(request.untilS, request.maxSteps);
  const reply: FloodWorkerReply = { type: 'advanced', steps, t: stepper.t };
  parentPort!.postMessage(reply);
});
