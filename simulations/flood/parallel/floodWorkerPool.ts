/**
 * Starts one worker per stripe over a SharedArrayBuffer and drives them chunk by chunk.
 * Workers run the bundled worker entry (kernel/worker/bundledWorker.ts): plain JavaScript, so a
 * thread is up in tens of milliseconds rather than the second tsx's register() takes; that
 * works under `bin/citytwin.mjs`, tsx and vitest alike.
 */
import type { Worker } from 'node:worker_threads';
import type { PipeRun } from '../../drainage/pipeResults';
import { startBundledWorker } from '../../../kernel/worker/bundledWorker';
import type { FloodLayout } from '../floodState';
import type { StepperConfig, Stripe } from '../stripeStepper';
import type { WasmKernelShare } from '../wasmKernel';
import type { FloodWorkerData, FloodWorkerReply, FloodWorkerRequest } from './floodWorker';

const ENTRY = new URL('./floodWorker.ts', import.meta.url);

export interface ChunkDone {
  steps: number;
  /** Simulated seconds reached; the steppers land exactly on the target when they reach it. */
  t: number;
}

export class FloodWorkerPool {
  private failure: Error | undefined;
  private pending: { resolve: (done: ChunkDone) => void; reject: (err: Error) => void; replies: number; steps: number } | undefined;
  private pendingDrainage: { resolve: (r: { run: PipeRun; storageM3: number }) => void; reject: (err: Error) => void } | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: FloodWorkerReply) => this.onReply(reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`flood worker exited with code ${code}`));
      });
    }
  }

  /**
   * One worker per stripe. They start at once (a thread is up tens of milliseconds later) and
   * wait for `init`, which the caller sends once the shared state is filled.
   */
  static async start(buffer: SharedArrayBuffer, layout: FloodLayout, stripes: Stripe[], wasm?: WasmKernelShare): Promise<FloodWorkerPool> {
    const workers = await Promise.all(stripes.map((stripe) => startBundledWorker(ENTRY, { buffer, layout, stripe, ...(wasm ? { wasm } : {}) } satisfies FloodWorkerData)));
    return new FloodWorkerPool(workers);
  }

  /** The stepper's configuration, to every worker: before the first `advance`. */
  init(config: StepperConfig): void {
    const request: FloodWorkerRequest = { type: 'init', config };
    for (const w of this.workers) w.postMessage(request);
  }

  /** Every worker steps towards `untilS` (at most `maxSteps`); resolves with the steps taken. */
  advance(untilS: number, maxSteps: number): Promise<ChunkDone> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, replies: 0, steps: -1 };
      const request: FloodWorkerRequest = { type: 'advance', untilS, maxSteps };
      for (const w of this.workers) w.postMessage(request);
    });
  }

  /** The pipe results of a run with a drainage network, from the stripe-0 worker that routes them. */
  drainage(simulatedS: number): Promise<{ run: PipeRun; storageM3: number }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pendingDrainage = { resolve, reject };
      const request: FloodWorkerRequest = { type: 'drainage', simulatedS };
      this.workers[0]!.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onReply(reply: FloodWorkerReply): void {
    if (reply.type === 'drainage') {
      const d = this.pendingDrainage;
      this.pendingDrainage = undefined;
      d?.resolve({ run: reply.run, storageM3: reply.storageM3 });
      return;
    }
    const p = this.pending;
    if (!p) return;
    // Lock-step workers must agree; a mismatch means the shared state is corrupt.
    if (p.steps >= 0 && p.steps !== reply.steps) {
      this.fail(new Error(`flood workers disagree on the step count (${p.steps} vs ${reply.steps})`));
      return;
    }
    p.steps = reply.steps;
    if (++p.replies === this.workers.length) {
      this.pending = undefined;
      p.resolve({ steps: p.steps, t: reply.t });
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
    const d = this.pendingDrainage;
    this.pendingDrainage = undefined;
    d?.reject(err);
  }
}
