/**
 * Builds cases, reports and events for tests with plain defaults: a registered-looking event case
 * in the tiny twin's area that each test overrides where it matters.
 */
import type { Case, CaseReport } from '../../domain/cases/case';
import type { NewEvent } from '../../server/storage/Storage';

export const T0 = Date.UTC(2026, 10, 18, 2, 0, 0); // Wednesday 10:00 in China.

export function makeCase(overrides: Partial<Case> & { id: string }): Case {
  return {
    kind: 'event',
    categoryId: 'garbage-pile',
    urgency: 'normal',
    status: 'reported',
    source: 'inspector',
    description: 'pile of construction debris by the bus stop',
    lon: 113.6203,
    lat: 22.78,
    reportCount: 1,
    createdAt: T0,
    updatedAt: T0,
    stepStartedAt: T0,
    overdue: false,
    escalation: 0,
    returnCount: 0,
    reopenCount: 0,
    photoIds: [],
    version: 1,
    ...overrides,
  };
}

export function makeReport(c: Case, overrides: Partial<CaseReport> = {}): CaseReport {
  return {
    id: `R${c.id}`,
    caseId: c.id,
    source: c.source,
    categoryId: c.categoryId,
    description: c.description,
    lon: c.lon,
    lat: c.lat,
    reportedAt: c.createdAt,
    ...overrides,
  };
}

export function createEvent(c: Case): NewEvent {
  return { caseId: c.id, at: c.createdAt, actor: { kind: 'system', name: 'test' }, action: 'create', to: c.status };
}
