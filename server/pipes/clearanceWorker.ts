/** Runs the clearance check (clearances.ts) on a worker thread, so the server stays responsive. */
import type { ClearanceResult, PipeRecord } from '../../domain/pipes';
import { serveWorkerTask } from '../../kernel/worker/workerTask';
import { findClearanceIssues, type ClearanceParams } from './clearances';

export interface ClearanceWorkerInput {
  pipes: PipeRecord[];
  params: ClearanceParams;
}

serveWorkerTask<ClearanceWorkerInput, [], ClearanceResult>(({ pipes, params }) => findClearanceIssues(pipes, params));
