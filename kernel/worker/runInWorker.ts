/**
 * One way to run TypeScript in a worker thread, for every long computation (flood stripes,
 * traffic runs, green-wave studies), so a server or CLI stays responsive:
 * - `startTsWorker` starts a thread on a TypeScript module through tsxBootstrap.mjs;
 * - `runInWorker` runs one task there to its result: progress comes back as messages, an
 *   AbortSignal cancels, and the thread is terminated when the task settles. The worker side is
 *   `serveWorkerTask` (./workerTask.ts).
 */
import { Worker } from 'node:worker_threads';

/** The bootstrap registers tsx inside the worker before importing the TypeScript entry. */
const BOOTSTRAP = new URL('./tsxBootstrap.mjs', import.meta.url);

/** Starts a worker thread on the TypeScript module `entry`, with `workerData` plus the entry's URL. */
export function startTsWorker(entry: URL, workerData: object): Worker {
  return new Worker(BOOTSTRAP, { workerData: { ...workerData, entry: entry.href } });
}

/** What a task's worker receives: its input, and the flag the parent raises to ask it to stop. */
export interface WorkerTaskData<I> {
  input: I;
  cancelFlag: SharedArrayBuffer;
}

export type WorkerTaskMessage<P extends unknown[], R> =
  | { type: 'progress'; progress: P }
  | { type: 'done'; result: R }
  | { type: 'error'; message: string };

export interface RunInWorkerOptions<P extends unknown[]> {
  /** Names the task in errors ("<name> worker exited with code 1 before finishing"). */
  name: string;
  signal?: AbortSignal;
  onProgress?: (...progress: P) => void;
  /**
   * How an abort stops the task. 0 (default): at once, rejecting with the signal's reason (an
   * aborted signal starts no worker). Above 0: the cancel flag is raised, the task stops within
   * a few of its steps and resolves with what it computed, and a task that has not stopped
   * after this many ms is terminated and rejects with "<name> run cancelled".
   */
  cancelGraceMs?: number;
}

export function runInWorker<I, P extends unknown[], R>(entry: URL, input: I, options: RunInWorkerOptions<P>): Promise<R> {
  const { name, signal, onProgress, cancelGraceMs = 0 } = options;
  return new Promise<R>((resolve, reject) => {
    if (signal?.aborted && cancelGraceMs <= 0) {
      reject(signal.reason);
      return;
    }
    const cancelFlag = new SharedArrayBuffer(4);
    const data: WorkerTaskData<I> = { input, cancelFlag };
    const worker = startTsWorker(entry, data);
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => {
      if (cancelGraceMs <= 0) {
        finish(() => reject(signal!.reason));
        return;
      }
      Atomics.store(new Int32Array(cancelFlag), 0, 1);
      killTimer = setTimeout(() => finish(() => reject(new Error(`${name} run cancelled`))), cancelGraceMs);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerTaskMessage<P, R>) => {
      if (m.type === 'progress') onProgress?.(...m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`${name} worker exited with code ${code} before finishing`))));
  });
}
