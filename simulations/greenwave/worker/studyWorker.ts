/**
 * Worker-thread entry of a green-wave study (loaded through the tsx bootstrap): runs the study
 * on the data it was started with and posts progress, then the result files and the study.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runGreenWaveStudy, studyFiles } from '../greenWaveStudy';
import type { StudyWorkerData, StudyWorkerMessage } from './runStudyInWorker';

const { input, title } = workerData as StudyWorkerData;
const post = (message: StudyWorkerMessage): void => parentPort!.postMessage(message);
try {
  const study = runGreenWaveStudy(input, (fraction, message) => post({ type: 'progress', fraction, message }));
  post({ type: 'done', study, files: studyFiles(study, title) });
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
