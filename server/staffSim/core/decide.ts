/**
 * What the simulated staff do next with a case, and when (simulated ms). Pure: the case, the seed
 * and what the runner remembers go in; a plan comes out. The runner (StaffRunner.ts) carries a
 * plan out through the HTTP API with the actor's own login once the simulated clock reaches it.
 *
 * The loop (domain/cases/actions.ts):
 *   reported   → dispatcher registers (citizen reports: a few cancelled as invalid)
 *   registered → dispatcher dispatches to the suggested department
 *   dispatched → the department's handler accepts, or (a few, first time only) returns it
 *   handling   → handler asks for an extension (a few) and reports it handled; the dispatcher
 *                approves or rejects the extension
 *   handled    → inspector verifies on site: closes, or (a few, first time only) reopens
 *   closed     → dispatcher evaluates with a rating (a citizen's own rating outranks it)
 * Suspended and finished cases get no plan: suspension is a human decision.
 */
import type { CaseActionRequest } from '../../../domain/cases/actions';
import type { Case } from '../../../domain/cases/case';
import { CATEGORY_BY_ID } from '../../../domain/cases/categories';
import { limitMinutes } from '../../cases/timeLimits';
import {
  EXTENDED_HANDLE,
  EXTENSION,
  INVALID_REPORT_SHARE,
  STEP_SPREADS,
  behaviourOf,
  chance,
  logNormal,
  rating,
} from './behaviour';

export const STAFF_ROLES = ['dispatcher', 'handler', 'inspector'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Plan {
  caseId: string;
  role: StaffRole;
  /** The handler's department (role handler). */
  departmentId?: string;
  /** Simulated ms when the actor acts. */
  at: number;
  request: CaseActionRequest;
  /** feedback: the crew really fixed it (else the inspector will find it not fixed and reopen). */
  repairs?: boolean;
}

export interface DecideContext {
  seed: number;
  /** Departments of the twin: a dispatch goes to one of them. */
  departmentIds: ReadonlySet<string>;
  /** Whether the handler already asked for an extension on this case (the runner remembers). */
  extensionAsked(caseId: string): boolean;
}

const MIN = 60_000;
const SIMULATED = '（模拟 simulated）';

/** The next plan for `c`, or undefined when the staff have nothing to do with it. */
export function planFor(c: Case, ctx: DecideContext): Plan | undefined {
  const { seed } = ctx;
  // Draws differ per round: a returned or reopened case decides afresh.
  const round = `${c.returnCount}/${c.reopenCount}`;
  const draw = (spread: Parameters<typeof logNormal>[0], what: string): number => logNormal(spread, seed, c.id, round, what);
  const base = { caseId: c.id };
  const behaviour = behaviourOf(c.categoryId);
  const firstTime = c.returnCount === 0 && c.reopenCount === 0;

  switch (c.status) {
    case 'reported': {
      const at = c.stepStartedAt + draw(STEP_SPREADS.registerMin, 'register') * MIN;
      if (c.source === 'citizen' && chance(INVALID_REPORT_SHARE, seed, c.id, 'invalid')) {
        return { ...base, role: 'dispatcher', at, request: { action: 'cancel', reason: 'invalid', note: `现场核实无问题 Nothing found on site ${SIMULATED}` } };
      }
      return { ...base, role: 'dispatcher', at, request: { action: 'register' } };
    }
    case 'registered': {
      const departmentId = dispatchTarget(c, ctx.departmentIds);
      if (departmentId === undefined) return undefined;
      const limitMs = (c.dueAt ?? c.stepStartedAt + 30 * MIN) - c.stepStartedAt;
      return { ...base, role: 'dispatcher', at: c.stepStartedAt + draw(STEP_SPREADS.dispatch, 'dispatch') * limitMs, request: { action: 'dispatch', departmentId } };
    }
    case 'dispatched': {
      const from = c.dispatchedAt ?? c.stepStartedAt;
      const handler = { ...base, role: 'handler' as const, departmentId: c.departmentId };
      if (firstTime && chance(behaviour.returnShare, seed, c.id, 'return')) {
        return { ...handler, at: from + draw(STEP_SPREADS.returnMin, 'return') * MIN, request: { action: 'return', note: `不属于本单位职责 Not our unit ${SIMULATED}` } };
      }
      return { ...handler, at: from + draw(STEP_SPREADS.acceptMin, 'accept') * MIN, request: { action: 'accept' } };
    }
    case 'handling':
      return handlingPlan(c, ctx, draw, firstTime);
    case 'handled': {
      const limitMs = (c.dueAt ?? c.stepStartedAt + 60 * MIN) - c.stepStartedAt;
      const at = c.stepStartedAt + draw(STEP_SPREADS.verify, 'verify') * limitMs;
      if (!fixWorks(c, seed)) return { ...base, role: 'inspector', at, request: { action: 'reopen', note: `核查未整改到位，返工 Not fixed on site ${SIMULATED}` } };
      return { ...base, role: 'inspector', at, request: { action: 'close', note: `核查通过 Verified on site ${SIMULATED}` } };
    }
    case 'closed': {
      const at = (c.closedAt ?? c.stepStartedAt) + draw(STEP_SPREADS.evaluateMin, 'evaluate') * MIN;
      return { ...base, role: 'dispatcher', at, request: { action: 'evaluate', rating: rating(seed, c.id, 'rating') } };
    }
    default:
      return undefined;
  }
}

function handlingPlan(c: Case, ctx: DecideContext, draw: (spread: { median: number; sigma: number }, what: string) => number, firstTime: boolean): Plan | undefined {
  const { seed } = ctx;
  const request = c.extensionRequest;
  if (request) {
    const approve = chance(EXTENSION.approveShare, seed, c.id, 'approve', request.requestedAt);
    const at = request.requestedAt + draw(STEP_SPREADS.decideExtensionMin, 'decide-extension') * MIN;
    return approve
      ? { caseId: c.id, role: 'dispatcher', at, request: { action: 'approve-extension' } }
      : { caseId: c.id, role: 'dispatcher', at, request: { action: 'reject-extension', note: `时限内可完成，不予延期 Can be done in time ${SIMULATED}` } };
  }
  const category = CATEGORY_BY_ID.get(c.categoryId);
  const from = c.dispatchedAt ?? c.stepStartedAt;
  if (!category) return undefined;
  // The crews work every day (city management and sanitation run seven days a week): a working-day
  // limit is 24 h of their time, so Friday's cases are not left for Monday. The deadline itself
  // still skips the weekend (server/cases/timeLimits.ts), so a weekend case is more often on time.
  // Drawing against the calendar deadline instead would hold Friday's one-working-day cases three
  // days and double the open cases every weekend (docs/staff-sim.md, "Steady state").
  const limitMs = limitMinutes(category.handleLimit[c.urgency]) * MIN;
  const extended = firstTime && chance(behaviourOf(c.categoryId).extensionShare, seed, c.id, 'extension');
  const feedbackAt = from + draw(extended ? EXTENDED_HANDLE : behaviourOf(c.categoryId).handle, 'handle') * limitMs;
  const handler = { caseId: c.id, role: 'handler' as const, departmentId: c.departmentId };
  if (extended && !ctx.extensionAsked(c.id)) {
    const minutes = Math.max(1, Math.round((EXTENSION.askShare * limitMs) / MIN));
    const at = Math.min(feedbackAt, from + draw(STEP_SPREADS.extensionAt, 'extension-at') * limitMs);
    return { ...handler, at, request: { action: 'request-extension', minutes, note: `需调配备件与施工队 Waiting for parts and a crew ${SIMULATED}` } };
  }
  return { ...handler, at: feedbackAt, request: { action: 'feedback', note: `已处置完毕 Done on site ${SIMULATED}` }, repairs: fixWorks(c, seed) };
}

/** The first fix of a case fails verification with the category's reopen share; the rework always holds. */
export function fixWorks(c: Pick<Case, 'id' | 'categoryId' | 'reopenCount'>, seed: number): boolean {
  return c.reopenCount > 0 || !chance(behaviourOf(c.categoryId).reopenShare, seed, c.id, 'reopen');
}

/** The department to dispatch to: the suggested one, else the category's first hint the twin has. */
export function dispatchTarget(c: Pick<Case, 'categoryId' | 'suggestedDepartmentId'>, departmentIds: ReadonlySet<string>): string | undefined {
  if (c.suggestedDepartmentId !== undefined && departmentIds.has(c.suggestedDepartmentId)) return c.suggestedDepartmentId;
  const hints = CATEGORY_BY_ID.get(c.categoryId)?.departmentHints ?? [];
  return hints.find((d) => departmentIds.has(d)) ?? [...departmentIds][0];
}
