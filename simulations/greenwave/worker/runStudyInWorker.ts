/**
 * Runs a green-wave study in a worker thread (kernel/worker/) so that a server keeps serving
 * while the traffic simulation runs; aborting terminates the worker.
 */
import { runInWorker } from '../../../kernel/worker/runInWorker';
import type { GreenWaveStudy, GreenWaveStudyInput } from '../greenWaveStudy';

const ENTRY = new URL('./studyWorker.ts', import.meta.url);

export interface StudyWorkerInput {
  input: GreenWaveStudyInput;
  title: string;
}

export interface StudyWorkerResult {
  study: GreenWaveStudy;
  files: Record<string, string>;
}

/** Progress: fraction done, what runs now. */
export type StudyProgress = [fraction: number, message: string];

export function runStudyInWorker(
  input: GreenWaveStudyInput,
  title: string,
  onProgress: (fraction: number, message: string) => void,
  signal: AbortSignal,
): Promise<StudyWorkerResult> {
  return runInWorker<StudyWorkerInput, StudyProgress, StudyWorkerResult>(ENTRY, { input, title }, { name: 'green-wave', signal, onProgress });
}
