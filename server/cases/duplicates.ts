/**
 * Duplicate merge: a new report of the same problem near an open case joins that case. Pure.
 *
 * Same problem = same category, and either the same component (component cases) or within
 * `radiusM` metres; recent = the case was opened within `windowMs`. The nearest match wins, so a
 * report between two open cases joins the one it is closest to.
 */
import type { Case } from '../../domain/cases/case';
import { OPEN_STATUSES } from '../../domain/cases/stages';
import { distanceM } from '../../kernel/geodesy';

export interface DuplicateRule {
  radiusM: number;
  windowMs: number;
}

export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { radiusM: 50, windowMs: 24 * 3_600_000 };

export interface IncomingReport {
  categoryId: string;
  lon: number;
  lat: number;
  componentCode?: string;
  at: number;
}

/** The open case `report` duplicates, if any, among `candidates`. */
export function findDuplicate(report: IncomingReport, candidates: readonly Case[], rule: DuplicateRule = DEFAULT_DUPLICATE_RULE): Case | undefined {
  let best: Case | undefined;
  let bestM = Infinity;
  for (const c of candidates) {
    if (c.categoryId !== report.categoryId || !OPEN_STATUSES.includes(c.status)) continue;
    if (report.at - c.createdAt > rule.windowMs) continue;
    const sameComponent = report.componentCode !== undefined && c.componentCode === report.componentCode;
    const m = sameComponent ? 0 : distanceM(report.lon, report.lat, c.lon, c.lat);
    if (m <= rule.radiusM && m < bestM) {
      best = c;
      bestM = m;
    }
  }
  return best;
}
