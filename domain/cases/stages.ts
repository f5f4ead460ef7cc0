/**
 * Where a case is in the seven-stage closed loop of digital urban management (GB/T 30428 family,
 * CJ/T 315): 1 collect → 2 create → 3 dispatch → 4 handle → 5 feedback → 6 verify/close →
 * 7 evaluate, plus the exception states.
 *
 * A case's `status` names the step it is waiting in; `CASE_STAGE_OF` maps it to the stage number
 * the national workflow counts.
 */

export const CASE_STATUSES = [
  /** Stage 1: a report was collected; a dispatcher or inspector checks it is real and new. */
  'reported',
  /** Stage 2: created (registered) as a component or event case; waiting to be dispatched. */
  'registered',
  /** Stage 3: sent to the responsible department; its handling clock runs. */
  'dispatched',
  /** Stage 4: the department has accepted it and is handling it. */
  'handling',
  /** Stage 5: the department reported it done; waiting for on-site verification. */
  'handled',
  /** Stage 6: verified fixed on site and closed. */
  'closed',
  /** Stage 7: evaluated and archived. */
  'evaluated',
  /** Exception: a long-term problem, clocks paused until resumed. */
  'suspended',
  /** Exception: an invalid or duplicate report, cancelled at creation. */
  'cancelled',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Stage number 1–7 of each status; exception states count at the stage they paused or ended. */
export const CASE_STAGE_OF: Record<CaseStatus, number> = {
  reported: 1,
  registered: 2,
  dispatched: 3,
  handling: 4,
  handled: 5,
  closed: 6,
  evaluated: 7,
  suspended: 4,
  cancelled: 2,
};

export const CASE_STAGES = [
  { no: 1, id: 'collect', zh: '信息收集', en: 'Collect' },
  { no: 2, id: 'create', zh: '案卷建立', en: 'Create' },
  { no: 3, id: 'dispatch', zh: '任务派遣', en: 'Dispatch' },
  { no: 4, id: 'handle', zh: '任务处理', en: 'Handle' },
  { no: 5, id: 'feedback', zh: '处理反馈', en: 'Feedback' },
  { no: 6, id: 'verify', zh: '核查结案', en: 'Verify and close' },
  { no: 7, id: 'evaluate', zh: '综合评价', en: 'Evaluate' },
] as const;
export type CaseStageId = (typeof CASE_STAGES)[number]['id'];

/** Statuses in which a case still needs someone to act (duplicates merge only into these). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'suspended'];

/** Statuses that end the loop. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['closed', 'evaluated', 'cancelled'];
