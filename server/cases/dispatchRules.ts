/**
 * Dispatch rules: from a case's category and location (grid cell) to the responsible department,
 * and the verification limit for where it is. Pure; the optional overrides come from
 * `dispatch-rules.json` in the data folder (docs/cases.md).
 *
 * Order, first hit wins:
 * 1. an override for the category whose grid prefix is the longest prefix of the case's cell;
 * 2. component cases: the department responsible for the component class, else the owner;
 * 3. IoT alarms: the department responsible for the alarming terminal's type;
 * 4. the category's department hints, the first that the twin has.
 */
import type { CaseCategory, TimeLimit } from '../../domain/cases/categories';
import { CATEGORY_BY_ID, VERIFY_LIMIT } from '../../domain/cases/categories';
import type { DepartmentRecord } from '../../domain/twinPackage';
import type { TerminalType } from '../../domain/terminals';

export interface DispatchOverride {
  categoryId: string;
  /** A prefix of the 14-digit grid code (county 6, street 3, community 3, cell 2); empty = anywhere. */
  gridPrefix: string;
  departmentId: string;
}

export interface DispatchConfig {
  overrides: DispatchOverride[];
  /** Grid code prefixes of fringe areas, where verification may take 2 h instead of 1 h. */
  fringeGridPrefixes: string[];
}

export const EMPTY_DISPATCH_CONFIG: DispatchConfig = { overrides: [], fringeGridPrefixes: [] };

export interface DispatchInput {
  category: CaseCategory;
  gridCode?: string;
  componentClass?: string;
  componentOwnerId?: string;
  terminalType?: TerminalType;
}

export function responsibleDepartment(input: DispatchInput, departments: readonly DepartmentRecord[], config: DispatchConfig): string | undefined {
  const known = new Set(departments.map((d) => d.id));
  const grid = input.gridCode ?? '';
  let best: DispatchOverride | undefined;
  for (const o of config.overrides) {
    if (o.categoryId !== input.category.id || !grid.startsWith(o.gridPrefix) || !known.has(o.departmentId)) continue;
    if (!best || o.gridPrefix.length > best.gridPrefix.length) best = o;
  }
  if (best) return best.departmentId;
  if (input.componentClass !== undefined) {
    const byClass = departments.find((d) => d.componentClasses.includes(input.componentClass!));
    if (byClass) return byClass.id;
    if (input.componentOwnerId !== undefined && known.has(input.componentOwnerId)) return input.componentOwnerId;
  }
  if (input.terminalType !== undefined) {
    const byTerminal = departments.find((d) => d.terminalTypes.includes(input.terminalType!));
    if (byTerminal) return byTerminal.id;
  }
  return input.category.departmentHints.find((id) => known.has(id));
}

export function verifyLimitFor(gridCode: string | undefined, config: DispatchConfig): TimeLimit {
  const fringe = gridCode !== undefined && config.fringeGridPrefixes.some((p) => gridCode.startsWith(p));
  return fringe ? VERIFY_LIMIT.fringe : VERIFY_LIMIT.city;
}

/** Checks a parsed dispatch-rules.json; throws a RangeError naming the entry and field. */
export function parseDispatchConfig(json: unknown, where: string): DispatchConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RangeError(`${where}: expected an object with "overrides" and "fringeGridPrefixes"`);
  const { overrides = [], fringeGridPrefixes = [] } = json as Record<string, unknown>;
  if (!Array.isArray(overrides)) throw new RangeError(`${where}: "overrides" must be an array`);
  if (!Array.isArray(fringeGridPrefixes) || !fringeGridPrefixes.every(isDigits)) {
    throw new RangeError(`${where}: "fringeGridPrefixes" must be an array of digit strings`);
  }
  const parsed = overrides.map((o: unknown, i: number): DispatchOverride => {
    const at = `${where}: overrides[${i}]`;
    if (typeof o !== 'object' || o === null) throw new RangeError(`${at} must be an object`);
    const { categoryId, gridPrefix = '', departmentId } = o as Record<string, unknown>;
    if (typeof categoryId !== 'string' || !CATEGORY_BY_ID.has(categoryId)) throw new RangeError(`${at}.categoryId must be a case category id`);
    if (typeof gridPrefix !== 'string' || (gridPrefix !== '' && !isDigits(gridPrefix))) throw new RangeError(`${at}.gridPrefix must be digits`);
    if (typeof departmentId !== 'string' || departmentId === '') throw new RangeError(`${at}.departmentId must be a department id`);
    return { categoryId, gridPrefix, departmentId };
  });
  return { overrides: parsed, fringeGridPrefixes: fringeGridPrefixes as string[] };
}

function isDigits(v: unknown): v is string {
  return typeof v === 'string' && /^\d{1,14}$/.test(v);
}
