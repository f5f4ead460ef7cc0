/**
 * A flood worker thread: owns one stripe of rows of the shared state and steps it in lock-step
 * with the other workers. The main thread sends the configuration (`init`), then `{ untilS,
 * maxSteps }` chunks; every worker
 * takes the same steps (same Δt from the shared maxima), so all answer with the same count.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PipeRun } from '../../drainage/pipeResults';
import { floodArrays, type FloodLayout } from '../floodState';
import { StripeStepper, type StepperConfig, type Stripe } from '../stripeStepper';
import { WasmSweepKernel, type WasmKernelShare } from '../wasmKernel';
import { barrierWait } from './barrier';

export interface FloodWorkerData {
  buffer: SharedArrayBuffer;
  layout: FloodLayout;
  stripe: Stripe;
  /** The WebAssembly kernel's module and memory (`buffer` is the memory's), when it runs the sweep. */
  wasm?: WasmKernelShare;
}

export type FloodWorkerRequest =
  /**
   * First, once the calling thread has filled the state: the stepper's configuration. Workers
   * start before that (floodWorkerPool.ts), so their start-up overlaps the state's set-up and
   * the drainage network's compile.
   */
  | { type: 'init'; config: StepperConfig }
  | { type: 'advance'; untilS: number; maxSteps: number }
  /** To the stripe-0 worker of a run with a drainage network: its pipe results. */
  | { type: 'drainage'; simulatedS: number };
export type FloodWorkerReply =
  | { type: 'advanced'; steps: number; t: number }
  | { type: 'drainage'; run: PipeRun; storageM3: number };

const data = workerData as FloodWorkerData;
const arrays = floodArrays(data.buffer, data.layout);
const kernel = data.wasm ? new WasmSweepKernel(data.wasm, arrays, data.stripe.index) : undefined;
let stepper: StripeStepper | undefined;

parentPort!.on('message', (request: FloodWorkerRequest) => {
  if (request.type === 'init') {
    stepper = new StripeStepper(arrays, data.stripe, request.config, () => barrierWait(arrays.barrier, data.stripe.count), kernel);
    return;
  }
  if (!stepper) throw new Error(`flood worker: "${request.type}" before "init"`);
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
