/**
 * Runs a green-wave study in a worker thread so that a server keeps serving while the traffic
 * simulation runs; aborting terminates the worker.
 */
import { Worker } from 'node:worker_threads';
import type { GreenWaveStudy, GreenWaveStudyInput } from '../greenWaveStudy';

/** The bootstrap registers tsx inside the worker before loading the TypeScript entry. */
const BOOTSTRAP = new URL('../../flood/parallel/tsxBootstrap.mjs', import.meta.url);
const ENTRY = new URL('./studyWorker.ts', import.meta.url).href;

export interface StudyWorkerData {
  entry: string;
  input: GreenWaveStudyInput;
  title: string;
}

export type StudyWorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; study: GreenWaveStudy; files: Record<string, string> }
  | { type: 'error'; message: string };

export function runStudyInWorker(
  input: GreenWaveStudyInput,
  title: string,
  onProgress: (fraction: number, message: string) => void,
  signal: AbortSignal,
): Promise<{ study: GreenWaveStudy; files: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const workerData: StudyWorkerData = { entry: ENTRY, input, title };
    const worker = new Worker(BOOTSTRAP, { workerData });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => settle(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: StudyWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.fraction, m.message);
      else if (m.type === 'done') settle(() => resolve({ study: m.study, files: m.files }));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`green-wave worker exited with code ${code}`))));
  });
}
