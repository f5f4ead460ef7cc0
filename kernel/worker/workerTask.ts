/**
 * The worker side of runInWorker (./runInWorker.ts): runs the task on the input it was started
 * with, posts its progress, then its result or its error. The task is synchronous, so the
 * parent's cancel flag in shared memory is what it can see mid-run (`shouldStop`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerTaskData, WorkerTaskMessage } from './runInWorker';

export function serveWorkerTask<I, P extends unknown[], R>(
  task: (input: I, onProgress: (...progress: P) => void, shouldStop: () => boolean) => R,
): void {
  const { input, cancelFlag } = workerData as WorkerTaskData<I>;
  const cancel = new Int32Array(cancelFlag);
  const post = (m: WorkerTaskMessage<P, R>): void => parentPort!.postMessage(m);
  try {
    const result = task(
      input,
      (...progress) => post({ type: 'progress', progress }),
      () => Atomics.load(cancel, 0) !== 0,
    );
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
}
