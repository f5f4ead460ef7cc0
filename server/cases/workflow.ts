/**
 * The case state machine: which user may take which action on a case now, and what the case
 * looks like afterwards. Pure — no storage, no clock (the time is in the context) — so every
 * path of the national workflow is unit-tested directly (test/cases/workflow.test.ts).
 *
 * The table of actions is domain/cases/actions.ts; this file adds what the table cannot say:
 * department ownership for handlers, pending extensions, deadlines and counters.
 */
import { CASE_ACTION_RULES, CASE_ACTIONS, type CaseActionName, type CaseActionRequest } from '../../domain/cases/actions';
import type { Actor, Case, CaseEvent } from '../../domain/cases/case';
import { CATEGORY_BY_ID, DISPATCH_LIMIT, type TimeLimit } from '../../domain/cases/categories';
import type { CaseStatus } from '../../domain/cases/stages';
import type { Role } from '../../domain/users';
import { CaseRuleError } from './CaseRuleError';
import { addTimeLimit } from './timeLimits';

/** Who asks: enough of a user to decide. */
export interface Caller {
  userId: string;
  username: string;
  role: Role;
  departmentId?: string;
}

export interface WorkflowContext {
  now: number;
  /** Departments of the twin: a dispatch must name one of them. */
  departmentIds: ReadonlySet<string>;
  /** Verification limit where the case is (city or fringe grid cell). */
  verifyLimit: TimeLimit;
  utcOffsetMin?: number;
}

/** An action as the workflow sees it: the request with its photo already stored. */
export type ActionInput = Omit<CaseActionRequest, 'photo' | 'expectedVersion'> & { photoId?: string };

export type NewCaseEvent = Omit<CaseEvent, 'seq'>;

export const MAX_EXTENSION_MINUTES = 30 * 24 * 60;

/** Whether `caller` may see `c` at all: handlers only their department's cases. */
export function maySee(caller: Pick<Caller, 'role' | 'departmentId'>, c: Case): boolean {
  return caller.role !== 'handler' || (caller.departmentId !== undefined && c.departmentId === caller.departmentId);
}

/** Why `caller` may not take `action` on `c` now, or undefined when it may. */
export function refusal(caller: Pick<Caller, 'role' | 'departmentId'>, c: Case, action: CaseActionName): CaseRuleError | undefined {
  const rule = CASE_ACTION_RULES[action];
  if (!rule.roles.includes(caller.role)) {
    return new CaseRuleError('forbidden', `role ${caller.role} may not ${action} a case (allowed: ${rule.roles.join(', ')})`);
  }
  if (!maySee(caller, c)) return new CaseRuleError('forbidden', `case ${c.id} is not dispatched to department ${caller.departmentId ?? '(none)'}`);
  if (!rule.from.includes(c.status)) {
    return new CaseRuleError('stage', `cannot ${action} case ${c.id} in status ${c.status} (only from ${rule.from.join(', ')})`);
  }
  const pending = c.extensionRequest !== undefined;
  if (action === 'request-extension' && pending) return new CaseRuleError('stage', `case ${c.id} already has an extension request pending`);
  if ((action === 'approve-extension' || action === 'reject-extension') && !pending) {
    return new CaseRuleError('stage', `case ${c.id} has no extension request to decide`);
  }
  return undefined;
}

/** The actions `caller` may take on `c` now, in table order. */
export function allowedActions(caller: Pick<Caller, 'role' | 'departmentId'>, c: Case): CaseActionName[] {
  return CASE_ACTIONS.filter((a) => refusal(caller, c, a) === undefined);
}

/** Applies one action; throws CaseRuleError (forbidden: role or department, stage: status, invalid: input). */
export function applyAction(c: Case, input: ActionInput, caller: Caller, ctx: WorkflowContext): { case: Case; event: NewCaseEvent } {
  const refused = refusal(caller, c, input.action);
  if (refused) throw refused;
  const rule = CASE_ACTION_RULES[input.action];
  const note = input.note?.trim() || undefined;
  if (rule.needsNote && !note) throw new CaseRuleError('invalid', `note is required to ${input.action} a case`, ['note']);

  const now = ctx.now;
  const next: Case = { ...c, updatedAt: now, version: c.version + 1 };
  const data: Record<string, string | number | boolean> = {};
  const stepTo = (status: CaseStatus, dueAt: number | undefined): void => {
    next.status = status;
    next.stepStartedAt = now;
    next.dueAt = dueAt;
    next.overdue = false;
    next.escalation = 0;
  };
  const dispatchDue = (): number => addTimeLimit(now, DISPATCH_LIMIT[c.urgency], ctx.utcOffsetMin);
  const handleDue = (): number => {
    const category = CATEGORY_BY_ID.get(c.categoryId);
    if (!category) throw new CaseRuleError('invalid', `case ${c.id} has unknown category ${c.categoryId}`);
    return addTimeLimit(now, category.handleLimit[c.urgency], ctx.utcOffsetMin);
  };

  switch (input.action) {
    case 'register':
      next.registeredAt = now;
      stepTo('registered', dispatchDue());
      break;
    case 'cancel': {
      if (input.reason === undefined) throw new CaseRuleError('invalid', 'reason must be invalid or duplicate to cancel a case', ['reason']);
      next.cancelReason = input.reason;
      data.reason = input.reason;
      if (input.reason === 'duplicate') {
        if (!input.duplicateOf) throw new CaseRuleError('invalid', 'duplicateOf must name the case this one duplicates', ['duplicateOf']);
        if (input.duplicateOf === c.id) throw new CaseRuleError('invalid', 'duplicateOf must name another case', ['duplicateOf']);
        next.duplicateOf = input.duplicateOf;
        data.duplicateOf = input.duplicateOf;
      }
      stepTo('cancelled', undefined);
      break;
    }
    case 'dispatch': {
      const departmentId = input.departmentId ?? c.suggestedDepartmentId;
      if (departmentId === undefined) throw new CaseRuleError('invalid', 'departmentId is required: no dispatch rule fits this case', ['departmentId']);
      if (!ctx.departmentIds.has(departmentId)) throw new CaseRuleError('invalid', `departmentId "${departmentId}" is not a department of the twin`, ['departmentId']);
      next.departmentId = departmentId;
      next.dispatchedAt = now;
      next.handleDueAt = handleDue();
      data.departmentId = departmentId;
      stepTo('dispatched', next.handleDueAt);
      break;
    }
    case 'accept':
      next.acceptedAt = now;
      // Accepting continues the handling clock that dispatch started.
      next.status = 'handling';
      break;
    case 'return':
      data.departmentId = c.departmentId ?? '';
      next.departmentId = undefined;
      next.handleDueAt = undefined;
      next.extensionRequest = undefined;
      next.returnCount = c.returnCount + 1;
      stepTo('registered', dispatchDue());
      break;
    case 'request-extension': {
      const minutes = input.minutes;
      if (minutes === undefined || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_EXTENSION_MINUTES) {
        throw new CaseRuleError('invalid', `minutes must be an integer 1..${MAX_EXTENSION_MINUTES} to request an extension`, ['minutes']);
      }
      next.extensionRequest = { minutes, note: note ?? '', requestedAt: now, requestedBy: caller.username };
      data.minutes = minutes;
      break;
    }
    case 'approve-extension': {
      const minutes = c.extensionRequest?.minutes ?? 0;
      const due = (c.handleDueAt ?? now) + minutes * 60_000;
      next.handleDueAt = due;
      next.dueAt = due;
      next.extensionRequest = undefined;
      if (due > now) {
        next.overdue = false;
        next.escalation = 0;
      }
      data.minutes = minutes;
      break;
    }
    case 'reject-extension':
      next.extensionRequest = undefined;
      break;
    case 'suspend':
      next.suspendedFrom = c.status;
      next.suspendedAt = now;
      next.status = 'suspended';
      break;
    case 'resume': {
      // Suspension pauses the clocks: every running deadline moves by the time suspended.
      const paused = now - (c.suspendedAt ?? now);
      next.status = c.suspendedFrom ?? 'dispatched';
      next.suspendedFrom = undefined;
      next.suspendedAt = undefined;
      next.stepStartedAt = c.stepStartedAt + paused;
      if (c.dueAt !== undefined) next.dueAt = c.dueAt + paused;
      if (c.handleDueAt !== undefined) next.handleDueAt = c.handleDueAt + paused;
      next.overdue = next.dueAt !== undefined && next.dueAt < now;
      if (!next.overdue) next.escalation = 0;
      data.pausedMs = paused;
      break;
    }
    case 'feedback':
      next.handledAt = now;
      next.handledLate = c.handleDueAt !== undefined && now > c.handleDueAt;
      next.extensionRequest = undefined;
      stepTo('handled', addTimeLimit(now, ctx.verifyLimit, ctx.utcOffsetMin));
      break;
    case 'close':
      next.closedAt = now;
      stepTo('closed', undefined);
      break;
    case 'reopen':
      // Rework: back to the same department with a fresh handling clock.
      next.reopenCount = c.reopenCount + 1;
      next.dispatchedAt = now;
      next.handledAt = undefined;
      next.handledLate = undefined;
      next.handleDueAt = handleDue();
      stepTo('dispatched', next.handleDueAt);
      break;
    case 'evaluate':
      if (input.rating !== undefined) {
        if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new CaseRuleError('invalid', 'rating must be an integer 1..5', ['rating']);
        // A citizen's own rating outranks the evaluator's.
        if (c.rating === undefined) next.rating = input.rating;
        data.rating = input.rating;
      }
      next.evaluatedAt = now;
      stepTo('evaluated', undefined);
      break;
    case 'comment':
      break;
  }
  if (input.photoId !== undefined) {
    next.photoIds = [...c.photoIds, input.photoId];
    data.photoId = input.photoId;
  }

  const actor: Actor = { kind: 'user', userId: caller.userId, username: caller.username, role: caller.role };
  const event: NewCaseEvent = { caseId: c.id, at: now, actor, action: input.action, from: c.status, to: next.status };
  if (note !== undefined) event.note = note;
  if (Object.keys(data).length > 0) event.data = data;
  return { case: next, event };
}
