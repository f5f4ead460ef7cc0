/**
 * Request and answer shapes of the case, auth, user, KPI and public report API (docs/cases.md
 * lists the routes). The server's TypeBox schemas are checked against these types.
 */
import type { Role, User } from '../users';
import type { CaseActionName } from './actions';
import type { Case, CaseEvent, CaseReport, CaseSource } from './case';
import type { CaseKind, Urgency } from './categories';
import type { CaseStatus } from './stages';

/** Largest photo accepted, decoded bytes. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const MAX_DESCRIPTION_LENGTH = 2000;
/** Header carrying a client-chosen key (8–128 of A–Z a–z 0–9 _ -) that makes a POST safe to retry. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

// Auth

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  /** Send as `Authorization: Bearer <token>`. */
  token: string;
  expiresAt: number;
  user: User;
}

// Cases

export interface CaseListQuery {
  status?: CaseStatus;
  /** Stage number 1–7. */
  stage?: number;
  kind?: CaseKind;
  categoryId?: string;
  departmentId?: string;
  gridCode?: string;
  source?: CaseSource;
  urgency?: Urgency;
  overdue?: boolean;
  /** Words to find in the description, id, component code or category. */
  q?: string;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

export interface CaseListResponse {
  total: number;
  offset: number;
  limit: number;
  items: Case[];
}

export interface CaseDetail {
  case: Case;
  reports: CaseReport[];
  /** The audit trail, oldest first. */
  events: CaseEvent[];
  /** Actions the asking user may take now. */
  allowedActions: CaseActionName[];
}

/** `POST /api/cases`: intake by an inspector, a dispatcher (12345 hotline, directives). */
export interface CreateCaseRequest {
  categoryId: string;
  /** Component cases: the 16-digit component code; its position is used when lon/lat are absent. */
  componentCode?: string;
  description: string;
  /** WGS84 degrees; required unless a component code gives the place. */
  lon?: number;
  lat?: number;
  urgency?: Urgency;
  /** Inspectors: `inspector` (default for them). Dispatchers: `12345` or `directive`. */
  source?: Extract<CaseSource, 'inspector' | '12345' | 'directive'>;
  /** Caller name or phone for the hotline. */
  reporter?: string;
  /** Base64 JPEG or PNG, at most MAX_PHOTO_BYTES decoded. */
  photo?: string;
}

export interface CreateCaseResponse {
  case: Case;
  report: CaseReport;
  /** True when the report joined an open case (duplicate merge) instead of opening one. */
  merged: boolean;
}

export interface CaseActionResponse {
  case: Case;
  event: CaseEvent;
}

/** `GET /api/cases/meta`: what a client needs to draw filters and forms. */
export interface CaseMeta {
  statuses: readonly CaseStatus[];
  stages: ReadonlyArray<{ no: number; id: string; zh: string; en: string }>;
  categories: ReadonlyArray<{ id: string; kind: CaseKind; codes: string[]; zh: string; en: string; defaultUrgency: Urgency; videoAi: boolean }>;
  actions: ReadonlyArray<{ id: CaseActionName; from: readonly CaseStatus[]; roles: readonly Role[]; needsNote: boolean; zh: string; en: string }>;
  departments: ReadonlyArray<{ id: string; zh: string; en: string }>;
  sources: readonly CaseSource[];
}

// Public citizen reports (no login)

export interface PublicReportRequest {
  categoryId: string;
  description: string;
  lon: number;
  lat: number;
  /** Optional phone or name, kept with the report. */
  contact?: string;
  photo?: string;
}

export interface PublicReportResponse {
  trackingCode: string;
  /** What the citizen sees while the case moves. */
  progress: PublicProgress;
}

export interface PublicProgress {
  trackingCode: string;
  categoryId: string;
  status: CaseStatus;
  stage: number;
  reportedAt: number;
  /** Public steps only: status changes with their time, no names or internal notes. */
  steps: Array<{ at: number; status: CaseStatus }>;
  /** Rating allowed once the case is closed and not yet rated by this reporter. */
  canRate: boolean;
  rating?: number;
}

export interface PublicRatingRequest {
  /** 1 (very dissatisfied) … 5 (very satisfied). */
  rating: number;
  comment?: string;
}

// KPIs (stage 7: comprehensive evaluation)

export interface Kpi {
  /** Department id or grid code. */
  key: string;
  /** Cases dispatched in the window. */
  dispatched: number;
  /** Of those, handled (feedback given, closed or evaluated). */
  handled: number;
  /** handled / dispatched; null when nothing was dispatched. */
  handlingRate: number | null;
  /** Handled within the handling deadline / handled. */
  onTimeRate: number | null;
  /** Cases reopened at least once / handled. */
  reworkRate: number | null;
  /** Mean citizen or evaluation rating 1–5. */
  satisfaction: number | null;
  ratings: number;
  overdueOpen: number;
}

export interface KpiResponse {
  by: 'department' | 'grid';
  from: number;
  to: number;
  items: Kpi[];
  total: Kpi;
}

// Users (admin)

export interface CreateUserRequest {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  departmentId?: string;
}

export interface UpdateUserRequest {
  displayName?: string;
  password?: string;
  role?: Role;
  departmentId?: string | null;
  active?: boolean;
}

// Live events on the WebSocket (topic `case` and `kpi`)

export interface CaseStreamEvent {
  case: Case;
  event: CaseEvent;
}

export type KpiStreamEvent = KpiResponse;
