/**
 * Overdue supervision (督办): what the supervision timer does to one case at a given time. Pure.
 *
 * When the deadline of the step a case is in passes, the case is marked overdue and the
 * dispatchers are alerted (escalation 1). When it is still in that step after twice the step's
 * allotted time (at least 10 minutes past its deadline), it is escalated to the leaders
 * (escalation 2). Suspended and finished cases are never overdue.
 */
import type { Case } from '../../domain/cases/case';
import { FINAL_STATUSES } from '../../domain/cases/stages';
import type { NewCaseEvent } from './workflow';

export const SUPERVISOR = { kind: 'system', name: 'supervisor' } as const;
const MIN_ESCALATION_DELAY_MS = 10 * 60_000;

/** When `c` escalates to the leaders if still in its step; undefined when no clock runs. */
export function escalationTime(c: Case): number | undefined {
  if (c.dueAt === undefined) return undefined;
  return c.dueAt + Math.max(c.dueAt - c.stepStartedAt, MIN_ESCALATION_DELAY_MS);
}

/** The next supervision step for `c` at `now`, or undefined when nothing is due. */
export function supervise(c: Case, now: number): { case: Case; event: NewCaseEvent } | undefined {
  if (c.status === 'suspended' || FINAL_STATUSES.includes(c.status) || c.dueAt === undefined || now <= c.dueAt) return undefined;
  const base = { caseId: c.id, at: now, actor: SUPERVISOR, from: c.status, to: c.status };
  const next: Case = { ...c, updatedAt: now, version: c.version + 1 };
  if (!c.overdue) {
    next.overdue = true;
    next.escalation = 1;
    return { case: next, event: { ...base, action: 'overdue', data: { dueAt: c.dueAt, escalation: 1 } } };
  }
  const escalateAt = escalationTime(c);
  if (c.escalation < 2 && escalateAt !== undefined && now >= escalateAt) {
    next.escalation = 2;
    return { case: next, event: { ...base, action: 'escalate', data: { dueAt: c.dueAt, escalation: 2 } } };
  }
  return undefined;
}
