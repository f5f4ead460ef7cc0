/**
 * What people may do to a case: each action, the statuses it applies in, where it leads, and
 * the roles allowed. The server's workflow core (server/cases/workflow.ts) enforces this table;
 * the client uses it to show only the buttons a user may press.
 *
 * Handlers act only on cases dispatched to their own department (checked by the server).
 */
import type { Role } from '../users';
import type { CaseStatus } from './stages';

export const CASE_ACTIONS = [
  'register',
  'cancel',
  'dispatch',
  'accept',
  'return',
  'request-extension',
  'approve-extension',
  'reject-extension',
  'suspend',
  'resume',
  'feedback',
  'close',
  'reopen',
  'evaluate',
  'comment',
] as const;
export type CaseActionName = (typeof CASE_ACTIONS)[number];

export interface CaseActionRule {
  from: readonly CaseStatus[];
  /** Where it leads; `same` keeps the status, `previous` goes back to the status before suspension. */
  to: CaseStatus | 'same' | 'previous';
  roles: readonly Role[];
  /** A note is required (reasons for returns, suspensions, failed verification, …). */
  needsNote?: true;
  zh: string;
  en: string;
}

const OPEN: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'suspended'];

export const CASE_ACTION_RULES: Record<CaseActionName, CaseActionRule> = {
  register: { from: ['reported'], to: 'registered', roles: ['dispatcher', 'inspector'], zh: '立案', en: 'Register' },
  cancel: { from: ['reported', 'registered'], to: 'cancelled', roles: ['dispatcher'], needsNote: true, zh: '作废', en: 'Cancel (invalid or duplicate)' },
  dispatch: { from: ['registered'], to: 'dispatched', roles: ['dispatcher'], zh: '派遣', en: 'Dispatch' },
  accept: { from: ['dispatched'], to: 'handling', roles: ['handler'], zh: '签收', en: 'Accept' },
  return: { from: ['dispatched', 'handling'], to: 'registered', roles: ['handler'], needsNote: true, zh: '退回', en: 'Return (not our unit)' },
  'request-extension': { from: ['handling'], to: 'same', roles: ['handler'], needsNote: true, zh: '申请延期', en: 'Request extension' },
  'approve-extension': { from: ['handling'], to: 'same', roles: ['dispatcher', 'leader'], zh: '批准延期', en: 'Approve extension' },
  'reject-extension': { from: ['handling'], to: 'same', roles: ['dispatcher', 'leader'], needsNote: true, zh: '驳回延期', en: 'Reject extension' },
  suspend: { from: ['dispatched', 'handling'], to: 'suspended', roles: ['dispatcher', 'leader'], needsNote: true, zh: '挂账', en: 'Suspend (long-term)' },
  resume: { from: ['suspended'], to: 'previous', roles: ['dispatcher', 'leader'], zh: '恢复', en: 'Resume' },
  feedback: { from: ['handling'], to: 'handled', roles: ['handler'], needsNote: true, zh: '处置反馈', en: 'Report handled' },
  close: { from: ['handled'], to: 'closed', roles: ['inspector', 'dispatcher'], zh: '核查结案', en: 'Verified: close' },
  reopen: { from: ['handled'], to: 'dispatched', roles: ['inspector', 'dispatcher'], needsNote: true, zh: '核查不通过，返工', en: 'Not fixed: reopen' },
  evaluate: { from: ['closed'], to: 'evaluated', roles: ['leader', 'dispatcher'], zh: '评价归档', en: 'Evaluate and archive' },
  comment: { from: OPEN, to: 'same', roles: ['leader', 'dispatcher', 'handler', 'inspector'], needsNote: true, zh: '备注', en: 'Comment' },
};

/** Body of `POST /api/cases/:id/actions`. Fields beyond `action` apply to the actions named. */
export interface CaseActionRequest {
  action: CaseActionName;
  /** Up to 2000 characters; required where the rule says `needsNote`. */
  note?: string;
  /** dispatch: department id (default: the suggested one). */
  departmentId?: string;
  /** request-extension: extra minutes wanted, 1..43200 (30 days). */
  minutes?: number;
  /** cancel: why. */
  reason?: 'invalid' | 'duplicate';
  /** cancel as duplicate: the case it duplicates. */
  duplicateOf?: string;
  /** evaluate: satisfaction 1–5 when no citizen rated. */
  rating?: number;
  /** feedback, close, reopen: a photo of the site (base64 JPEG or PNG, at most 2 MiB decoded). */
  photo?: string;
  /** Optimistic check: the case version the user saw; a mismatch answers 409. */
  expectedVersion?: number;
}
