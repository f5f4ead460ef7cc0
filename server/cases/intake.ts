/**
 * Stage 1 and 2 of a report: where it is (grid cell, component), which department the rules
 * suggest, and either a new case or a merge into an open one. Pure: the twin's look-ups and the
 * candidates for a merge are passed in.
 */
import type { Actor, Case, CaseReport, CaseSource } from '../../domain/cases/case';
import { CATEGORY_BY_ID, URGENCIES, type CaseCategory, type Urgency } from '../../domain/cases/categories';
import type { TerminalType } from '../../domain/terminals';
import type { ComponentRecord, DepartmentRecord, GeoBounds } from '../../domain/twinPackage';
import { CaseRuleError } from './CaseRuleError';
import { responsibleDepartment, type DispatchConfig } from './dispatchRules';
import type { NewCaseEvent } from './workflow';

/** A report as it enters, from any source, already checked for types by the route schema. */
export interface IntakeInput {
  categoryId: string;
  description: string;
  source: CaseSource;
  lon?: number;
  lat?: number;
  componentCode?: string;
  urgency?: Urgency;
  reporter?: string;
  photoId?: string;
  alarmId?: string;
  poleId?: string;
  terminalId?: string;
  terminalType?: TerminalType;
}

/** What the intake needs to know about the city. */
export interface IntakePlace {
  bounds: GeoBounds;
  departments: readonly DepartmentRecord[];
  component(code: string): ComponentRecord | undefined;
  gridCodeAt(lon: number, lat: number): string | undefined;
  dispatch: DispatchConfig;
}

/** Reports may lie a little outside the twin's rectangle (its edge roads); about 1 km. */
const BOUNDS_MARGIN_DEG = 0.01;

export interface Located {
  category: CaseCategory;
  lon: number;
  lat: number;
  gridCode?: string;
  component?: ComponentRecord;
  urgency: Urgency;
  suggestedDepartmentId?: string;
}

/** Checks category, component and position, and applies the dispatch rules. Throws CaseRuleError (invalid). */
export function locate(input: IntakeInput, place: IntakePlace): Located {
  const category = CATEGORY_BY_ID.get(input.categoryId);
  if (!category) throw new CaseRuleError('invalid', `categoryId "${input.categoryId}" is not a case category (GET /api/cases/meta lists them)`, ['categoryId']);
  if (input.urgency !== undefined && !URGENCIES.includes(input.urgency)) throw new CaseRuleError('invalid', `urgency must be one of ${URGENCIES.join(', ')}`, ['urgency']);
  let component: ComponentRecord | undefined;
  if (input.componentCode !== undefined) {
    if (category.kind !== 'component') throw new CaseRuleError('invalid', `componentCode is only for component cases; ${category.id} is an event case`, ['componentCode']);
    component = place.component(input.componentCode);
    if (!component) throw new CaseRuleError('invalid', `componentCode "${input.componentCode}" is not a component of the twin`, ['componentCode']);
    if (!category.codes.includes(component.classCode)) {
      throw new CaseRuleError('invalid', `componentCode is a class ${component.classCode} component; ${category.id} applies to classes ${category.codes.join(', ')}`, ['componentCode']);
    }
  }
  const lon = input.lon ?? component?.lon;
  const lat = input.lat ?? component?.lat;
  if (lon === undefined || lat === undefined) throw new CaseRuleError('invalid', 'lon and lat are required unless componentCode gives the place', ['lon', 'lat', 'componentCode']);
  const b = place.bounds;
  if (!(lon >= b.west - BOUNDS_MARGIN_DEG && lon <= b.east + BOUNDS_MARGIN_DEG && lat >= b.south - BOUNDS_MARGIN_DEG && lat <= b.north + BOUNDS_MARGIN_DEG)) {
    throw new CaseRuleError('invalid', `lon,lat (${lon}, ${lat}) is outside the city (${b.west}..${b.east}, ${b.south}..${b.north})`, ['lon']);
  }
  const gridCode = place.gridCodeAt(lon, lat) ?? component?.gridCode;
  const suggestedDepartmentId = responsibleDepartment(
    { category, gridCode, componentClass: component?.classCode, componentOwnerId: component?.ownerId, terminalType: input.terminalType },
    place.departments,
    place.dispatch,
  );
  return { category, lon, lat, gridCode, component, urgency: input.urgency ?? category.defaultUrgency, suggestedDepartmentId };
}

export function newReport(input: IntakeInput, where: Located, ids: { reportId: string; caseId: string; trackingCode?: string }, now: number): CaseReport {
  const report: CaseReport = {
    id: ids.reportId,
    caseId: ids.caseId,
    source: input.source,
    categoryId: where.category.id,
    description: input.description,
    lon: where.lon,
    lat: where.lat,
    reportedAt: now,
  };
  if (ids.trackingCode !== undefined) report.trackingCode = ids.trackingCode;
  if (input.reporter !== undefined) report.reporter = input.reporter;
  if (input.alarmId !== undefined) report.alarmId = input.alarmId;
  if (input.photoId !== undefined) report.photoId = input.photoId;
  return report;
}

/** A new case at stage 1 (reported), with its creation event. */
export function newCase(input: IntakeInput, where: Located, caseId: string, actor: Actor, now: number): { case: Case; event: NewCaseEvent } {
  const c: Case = {
    id: caseId,
    kind: where.category.kind,
    categoryId: where.category.id,
    urgency: where.urgency,
    status: 'reported',
    source: input.source,
    description: input.description,
    lon: where.lon,
    lat: where.lat,
    reportCount: 1,
    createdAt: now,
    updatedAt: now,
    stepStartedAt: now,
    overdue: false,
    escalation: 0,
    returnCount: 0,
    reopenCount: 0,
    photoIds: input.photoId !== undefined ? [input.photoId] : [],
    version: 1,
  };
  if (where.gridCode !== undefined) c.gridCode = where.gridCode;
  if (where.component !== undefined) c.componentCode = where.component.code;
  if (where.suggestedDepartmentId !== undefined) c.suggestedDepartmentId = where.suggestedDepartmentId;
  if (input.poleId !== undefined) c.poleId = input.poleId;
  if (input.terminalId !== undefined) c.terminalId = input.terminalId;
  const data: Record<string, string> = { source: input.source };
  if (where.suggestedDepartmentId !== undefined) data.suggestedDepartmentId = where.suggestedDepartmentId;
  // The timeline shows the photo the case came with (a citizen's, or a video-AI alarm's frame).
  if (input.photoId !== undefined) data.photoId = input.photoId;
  return { case: c, event: { caseId, at: now, actor, action: 'create', to: 'reported', data } };
}

/** The open case after a duplicate report joined it, with the merge event. */
export function mergeInto(c: Case, report: CaseReport, actor: Actor, now: number): { case: Case; event: NewCaseEvent } {
  const next: Case = { ...c, reportCount: c.reportCount + 1, updatedAt: now, version: c.version + 1 };
  if (report.photoId !== undefined) next.photoIds = [...c.photoIds, report.photoId];
  const data: Record<string, string> = { reportId: report.id, source: report.source };
  if (report.photoId !== undefined) data.photoId = report.photoId;
  const event: NewCaseEvent = { caseId: c.id, at: now, actor, action: 'merge', from: c.status, to: c.status, data };
  return { case: next, event };
}
