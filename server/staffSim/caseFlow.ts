/**
 * Where the cases of a long run came from, where they wait and how long they stay: the queueing
 * figures behind a steady state (docs/staff-sim.md). Pure: the run's cases and its simulated
 * window in, figures out. For `npm run bench -- soak` and the long-run test.
 *
 * In a steady state the cases closed per day match the cases arriving, and the open level is what
 * Little's law gives: L = λ·W, arrivals per day times the mean days a case stays open. A level
 * that keeps rising means arrivals outrun closures (λ > μ: the staff or the server cannot keep
 * up) or that W is still filling (long time limits: a case opened today closes days later).
 */
import type { Case, CaseSource } from '../../domain/cases/case';
import { OPEN_STATUSES, type CaseStatus } from '../../domain/cases/stages';

const DAY_MS = 86_400_000;
const FINISHED: ReadonlySet<CaseStatus> = new Set(['closed', 'evaluated', 'cancelled']);

export interface FlowLine {
  /** Source or category. */
  key: string;
  arrivalsPerDay: number;
  closedPerDay: number;
  /** Still open at the end of the window. */
  open: number;
  /** Mean hours from report to closing (or cancelling), of those finished. */
  meanHoursToClose: number | undefined;
  /** Little's law: arrivals per day × mean days open. */
  littleLevel: number | undefined;
}

export interface CaseFlow {
  days: number;
  arrivalsPerDay: number;
  closedPerDay: number;
  bySource: FlowLine[];
  byCategory: FlowLine[];
  /** Open cases by the step they wait in at the end. */
  openByStatus: Partial<Record<CaseStatus, number>>;
  /** Open cases past their step's deadline at the end. */
  overdueOpen: number;
  /** Share of handled cases handled after their deadline. */
  handledLateShare: number;
  /** Cases returned or reopened at least once (extensions: the staff's action counts). */
  returned: number;
  reopened: number;
}

/** Cases that finished inside the window, closed or cancelled. */
function finishedAt(c: Case): number | undefined {
  if (!FINISHED.has(c.status)) return undefined;
  return c.closedAt ?? c.updatedAt;
}

function line(key: string, cases: readonly Case[], days: number, hourMs: number): FlowLine {
  const done = cases.map((c) => ({ c, at: finishedAt(c) })).filter((x): x is { c: Case; at: number } => x.at !== undefined);
  const mean = done.length ? done.reduce((a, x) => a + (x.at - x.c.createdAt), 0) / done.length / hourMs : undefined;
  const arrivalsPerDay = cases.length / days;
  return {
    key,
    arrivalsPerDay,
    closedPerDay: done.length / days,
    open: cases.length - done.length,
    meanHoursToClose: mean,
    littleLevel: mean === undefined ? undefined : (arrivalsPerDay * mean) / 24,
  };
}

function grouped(cases: readonly Case[], by: (c: Case) => string, days: number, hourMs: number): FlowLine[] {
  const groups = new Map<string, Case[]>();
  for (const c of cases) {
    const k = by(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return [...groups].map(([k, list]) => line(k, list, days, hourMs)).sort((a, b) => b.arrivalsPerDay - a.arrivalsPerDay);
}

/**
 * The flow of the cases created in [fromMs, toMs) of the cases' clock; `dayMs`: how many ms of
 * that clock a simulated day is (less than a day when the cases run on the wall clock of a
 * speeded-up world).
 */
export function caseFlow(cases: readonly Case[], fromMs: number, toMs: number, dayMs = DAY_MS): CaseFlow {
  const days = Math.max(1e-9, (toMs - fromMs) / dayMs);
  const inWindow = cases.filter((c) => c.createdAt >= fromMs && c.createdAt < toMs);
  const hourMs = dayMs / 24;
  const all = line('all', inWindow, days, hourMs);
  const openByStatus: Partial<Record<CaseStatus, number>> = {};
  for (const c of inWindow) if ((OPEN_STATUSES as readonly string[]).includes(c.status)) openByStatus[c.status] = (openByStatus[c.status] ?? 0) + 1;
  const handled = inWindow.filter((c) => c.handledLate !== undefined);
  return {
    days,
    arrivalsPerDay: all.arrivalsPerDay,
    closedPerDay: all.closedPerDay,
    bySource: grouped(inWindow, (c) => c.source satisfies CaseSource, days, hourMs),
    byCategory: grouped(inWindow, (c) => c.categoryId, days, hourMs),
    openByStatus,
    overdueOpen: inWindow.filter((c) => c.overdue && !FINISHED.has(c.status)).length,
    handledLateShare: handled.length ? handled.filter((c) => c.handledLate).length / handled.length : 0,
    returned: inWindow.filter((c) => c.returnCount > 0).length,
    reopened: inWindow.filter((c) => c.reopenCount > 0).length,
  };
}

