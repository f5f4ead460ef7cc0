/**
 * Worker-thread entry of a green-wave study (started by runStudyInWorker): runs the study on
 * the data it was started with and posts progress, then the result files and the study.
 */
import { serveWorkerTask } from '../../../kernel/worker/workerTask';
import { runGreenWaveStudy, studyFiles } from '../greenWaveStudy';
import type { StudyProgress, StudyWorkerInput, StudyWorkerResult } from './runStudyInWorker';

serveWorkerTask<StudyWorkerInput, StudyProgress, StudyWorkerResult>(({ input, title }, onProgress) => {
  const study = runGreenWaveStudy(input, onProgress);
  return { study, files: studyFiles(study, title) };
});
