/**
 * A case (案卷), the reports merged into it, and its append-only timeline.
 *
 * One case may gather several reports of the same problem (duplicate merge: same category within
 * a few tens of metres and a few hours); each report keeps its own id and, for citizens, its own
 * tracking code. Times are ms since epoch.
 */
import type { Role } from '../users';
import type { CaseActionName } from './actions';
import type { CaseKind, Urgency } from './categories';
import type { CaseStatus } from './stages';

export const CASE_SOURCES = [
  /** A field inspector (监督员) on patrol, from the mobile page. */
  'inspector',
  /** The video-AI system (automatic). */
  'video-ai',
  /** A citizen through the public report endpoint. */
  'citizen',
  /** The 12345 government service hotline, entered by a dispatcher. */
  '12345',
  /** An IoT alarm from a smart-pole terminal (automatic). */
  'iot',
  /** A task handed down by leaders or another authority. */
  'directive',
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export interface Case {
  /** `C` + 8 digits, assigned in creation order, e.g. `C00000042`. */
  id: string;
  kind: CaseKind;
  /** domain/cases/categories.ts id, e.g. `cover-missing`. */
  categoryId: string;
  urgency: Urgency;
  status: CaseStatus;
  /** Source of the first report. */
  source: CaseSource;
  description: string;
  lon: number;
  lat: number;
  /** 14-digit unit grid cell the position falls in, when the twin has one there. */
  gridCode?: string;
  /** Component cases: the 16-digit component code. */
  componentCode?: string;
  /** Pole and terminal when an IoT or video-AI alarm raised it. */
  poleId?: string;
  terminalId?: string;
  /** Department the dispatch rules chose from category and location (absent: none fits). */
  suggestedDepartmentId?: string;
  /** Department it is dispatched to (from dispatch on). */
  departmentId?: string;
  reportCount: number;
  createdAt: number;
  updatedAt: number;
  registeredAt?: number;
  dispatchedAt?: number;
  acceptedAt?: number;
  handledAt?: number;
  closedAt?: number;
  evaluatedAt?: number;
  /** When the step it is in now started (its clock's origin, for escalation). */
  stepStartedAt: number;
  /** The deadline of the step it is in now (dispatch, handling or verification); absent when none runs. */
  dueAt?: number;
  /** Handling deadline set at dispatch, moved by approved extensions and suspensions. */
  handleDueAt?: number;
  /** Whether the current step's deadline has passed (set by the supervision timer). */
  overdue: boolean;
  /** Whether the handling finished after its deadline (kept for the on-time rate). */
  handledLate?: boolean;
  /** 0 none, 1 the dispatcher was alerted, 2 escalated to the leaders. */
  escalation: 0 | 1 | 2;
  /** Pending extension request from the handler. */
  extensionRequest?: { minutes: number; note: string; requestedAt: number; requestedBy: string };
  /** Status it was in before suspension, to resume to. */
  suspendedFrom?: CaseStatus;
  suspendedAt?: number;
  returnCount: number;
  /** Times it was reopened after failing verification (rework). */
  reopenCount: number;
  /** Citizen satisfaction 1–5, from the reporter's rating or the evaluation. */
  rating?: number;
  /** Why it was cancelled; for duplicates the case it duplicates. */
  cancelReason?: 'invalid' | 'duplicate';
  duplicateOf?: string;
  /** Photo ids (GET /api/cases/:id/photos/:photoId). */
  photoIds: string[];
  /** Bumped by every change; an action may name the version it was decided on. */
  version: number;
}

export interface CaseReport {
  /** `R` + 16 hex characters. */
  id: string;
  caseId: string;
  source: CaseSource;
  categoryId: string;
  description: string;
  lon: number;
  lat: number;
  reportedAt: number;
  /** Citizens: the code to follow progress and rate with (10 characters, A–Z and 2–9). */
  trackingCode?: string;
  /** Who reported: the user's name, or a citizen's optional contact. */
  reporter?: string;
  /** Alarm id (IoT and video AI), unique: one case per alarm. */
  alarmId?: string;
  photoId?: string;
  /** Citizens: their satisfaction rating 1–5 once the case closed. */
  rating?: number;
}

export type Actor =
  | { kind: 'user'; userId: string; username: string; role: Role }
  | { kind: 'citizen'; trackingCode: string }
  /** The server itself: alarm intake, duplicate merge, supervision timer. */
  | { kind: 'system'; name: string };

/** Timeline entries that are not user actions. */
export const SYSTEM_EVENTS = ['create', 'merge', 'overdue', 'escalate', 'rate', 'emergency'] as const;
export type SystemEventName = (typeof SYSTEM_EVENTS)[number];

/** One row of the append-only audit trail: who did what, when, from which status to which. */
export interface CaseEvent {
  /** Increasing over the whole store. */
  seq: number;
  caseId: string;
  at: number;
  actor: Actor;
  action: CaseActionName | SystemEventName;
  from?: CaseStatus;
  to: CaseStatus;
  note?: string;
  /** Action details: department, extension minutes, report id merged, rating, … */
  data?: Record<string, string | number | boolean>;
}
