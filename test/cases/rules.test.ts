/**
 * The pure rules around the workflow: time limits with working days, dispatch rules from
 * category and grid cell, the grid locator, duplicate merge, supervision, KPIs, alarm intake,
 * and the category table against the video-AI system's categories.
 */
import { describe, expect, it } from 'vitest';
import { CASE_CATEGORIES, CATEGORY_BY_ID, VIDEO_AI_CATEGORY_IDS } from '../../domain/cases/categories';
import type { Alarm } from '../../domain/live';
import { VIDEO_EVENT_CATEGORIES, VIDEO_EVENT_INFO } from '../../domain/videoEvents';
import type { DepartmentRecord } from '../../domain/twinPackage';
import { alarmKey, alarmToIntake } from '../../server/cases/alarmIntake';
import { parseDispatchConfig, responsibleDepartment, verifyLimitFor } from '../../server/cases/dispatchRules';
import { findDuplicate } from '../../server/cases/duplicates';
import { distanceM } from '../../kernel/geodesy';
import { GridLocator } from '../../server/cases/gridLocator';
import { computeKpis, type KpiRow } from '../../server/cases/kpis';
import { supervise } from '../../server/cases/supervision';
import { addTimeLimit } from '../../server/cases/timeLimits';
import { T0, makeCase } from './caseFactory';
import { EAST_CELL, WEST_CELL, tinyGridCells } from './caseApp';

const MIN = 60_000;
const H = 60 * MIN;
/** China local time → ms. */
const cst = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

describe('time limits', () => {
  it('adds minutes, and working days skipping the weekend in China time', () => {
    expect(addTimeLimit(T0, { minutes: 10 })).toBe(T0 + 10 * MIN);
    // Wednesday 18 Nov 2026 10:00 + 1 working day = Thursday 10:00.
    expect(addTimeLimit(cst(2026, 11, 18, 10), { workingDays: 1 })).toBe(cst(2026, 11, 19, 10));
    // Friday 15:00 + 1 working day = Monday 15:00.
    expect(addTimeLimit(cst(2026, 11, 20, 15), { workingDays: 1 })).toBe(cst(2026, 11, 23, 15));
    // Friday 23:30 local is still Friday in China though it is Friday 15:30 UTC.
    expect(addTimeLimit(cst(2026, 11, 20, 23, 30), { workingDays: 1 })).toBe(cst(2026, 11, 23, 23, 30));
    // A clock started on Saturday starts Monday 09:00: + 1 working day = Tuesday 09:00.
    expect(addTimeLimit(cst(2026, 11, 21, 14), { workingDays: 1 })).toBe(cst(2026, 11, 24, 9));
    expect(addTimeLimit(cst(2026, 11, 18, 10), { workingDays: 3 })).toBe(cst(2026, 11, 23, 10));
  });

  it('keeps the published limits in the category table', () => {
    expect(CATEGORY_BY_ID.get('cover-missing')!.handleLimit).toEqual({ urgent: { minutes: 120 }, normal: { minutes: 120 } });
    expect(CATEGORY_BY_ID.get('lamps-out-consecutive')!.handleLimit.normal).toEqual({ workingDays: 1 });
    expect(new Set(CASE_CATEGORIES.map((c) => c.id)).size).toBe(CASE_CATEGORIES.length);
    for (const c of CASE_CATEGORIES) for (const code of c.codes) expect(code).toMatch(/^0[1-6]\d\d$/);
  });

  it('matches the video-AI system: the same eight category ids with the same event codes', () => {
    expect([...VIDEO_AI_CATEGORY_IDS].sort()).toEqual([...VIDEO_EVENT_CATEGORIES].sort());
    for (const id of VIDEO_EVENT_CATEGORIES) expect(CATEGORY_BY_ID.get(id)!.codes).toEqual([VIDEO_EVENT_INFO[id].eventCode]);
  });
});

const departments: DepartmentRecord[] = [
  { id: 'street-lighting', name: { 'zh-CN': '路灯', en: 'Lighting' }, componentClasses: ['0118'], terminalTypes: ['lamp'] },
  { id: 'drainage', name: { 'zh-CN': '排水', en: 'Drainage' }, componentClasses: ['0103'], terminalTypes: ['water-level'] },
  { id: 'sanitation', name: { 'zh-CN': '环卫', en: 'Sanitation' }, componentClasses: [], terminalTypes: [] },
  { id: 'street-office', name: { 'zh-CN': '街道办', en: 'Street office' }, componentClasses: [], terminalTypes: [] },
];

describe('dispatch rules', () => {
  const cat = (id: string) => CATEGORY_BY_ID.get(id)!;
  const config = parseDispatchConfig(
    {
      overrides: [
        { categoryId: 'garbage-pile', gridPrefix: '441900001', departmentId: 'street-office' },
        { categoryId: 'garbage-pile', gridPrefix: '44190000100102', departmentId: 'drainage' },
        { categoryId: 'garbage-pile', gridPrefix: '', departmentId: 'not-in-twin' },
      ],
      fringeGridPrefixes: ['441900002'],
    },
    'rules.json',
  );

  it('picks the longest matching grid override, then component class, terminal type, category hints', () => {
    expect(responsibleDepartment({ category: cat('garbage-pile'), gridCode: WEST_CELL }, departments, config)).toBe('street-office');
    expect(responsibleDepartment({ category: cat('garbage-pile'), gridCode: EAST_CELL }, departments, config)).toBe('drainage');
    // Outside the overridden street; the override for a department the twin lacks is ignored.
    expect(responsibleDepartment({ category: cat('garbage-pile'), gridCode: '44190000300101' }, departments, config)).toBe('sanitation');
    expect(responsibleDepartment({ category: cat('cover-missing'), componentClass: '0103' }, departments, config)).toBe('drainage');
    expect(responsibleDepartment({ category: cat('cover-missing'), componentClass: '0101', componentOwnerId: 'street-office' }, departments, config)).toBe('street-office');
    expect(responsibleDepartment({ category: cat('road-flooding'), terminalType: 'water-level' }, departments, config)).toBe('drainage');
    expect(responsibleDepartment({ category: cat('street-vending') }, departments, config)).toBeUndefined();
  });

  it('gives fringe grid cells two hours for verification', () => {
    expect(verifyLimitFor('44190000200101', config)).toEqual({ minutes: 120 });
    expect(verifyLimitFor(WEST_CELL, config)).toEqual({ minutes: 60 });
    expect(verifyLimitFor(undefined, config)).toEqual({ minutes: 60 });
  });

  it('rejects a malformed rules file naming the entry', () => {
    expect(() => parseDispatchConfig({ overrides: [{ categoryId: 'nope', departmentId: 'x' }] }, 'r.json')).toThrow('r.json: overrides[0].categoryId must be a case category id');
    expect(() => parseDispatchConfig({ overrides: [{ categoryId: 'garbage-pile', gridPrefix: '44x', departmentId: 'x' }] }, 'r.json')).toThrow('overrides[0].gridPrefix must be digits');
    expect(() => parseDispatchConfig({ fringeGridPrefixes: [4419] }, 'r.json')).toThrow('"fringeGridPrefixes" must be an array of digit strings');
    expect(() => parseDispatchConfig([], 'r.json')).toThrow('expected an object');
  });
});

describe('grid locator', () => {
  it('finds the cell a point falls in, and none outside', () => {
    const grid = new GridLocator(tinyGridCells());
    expect(grid.size).toBe(2);
    expect(grid.locate(113.621, 22.78)).toBe(WEST_CELL);
    expect(grid.locate(113.623, 22.7805)).toBe(EAST_CELL);
    expect(grid.locate(113.625, 22.78)).toBeUndefined();
    expect(grid.locate(113.621, 22.79)).toBeUndefined();
  });

  it('respects holes and rejects features without a 14-digit code', () => {
    const ring = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];
    const holed = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: WEST_CELL }, geometry: { type: 'Polygon', coordinates: [ring(0, 0, 1, 1), ring(0.4, 0.4, 0.6, 0.6)] } }] };
    const grid = new GridLocator(holed);
    expect(grid.locate(0.2, 0.2)).toBe(WEST_CELL);
    expect(grid.locate(0.5, 0.5)).toBeUndefined();
    expect(() => new GridLocator({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '12' }, geometry: holed.features[0]!.geometry }] })).toThrow(
      'feature 0 "code" must be 14 digits',
    );
    expect(() => new GridLocator({})).toThrow('expected a GeoJSON FeatureCollection');
  });
});

describe('duplicate merge', () => {
  const open = makeCase({ id: 'C00000001', lon: 113.62, lat: 22.78 });
  // 0.0003° of longitude ≈ 30.8 m at 22.78°N.
  const near = { categoryId: 'garbage-pile', lon: 113.6203, lat: 22.78, at: T0 + H };

  it('merges a report of the same category within 50 m and 24 h into the nearest open case', () => {
    expect(distanceM(113.62, 22.78, 113.6203, 22.78)).toBeCloseTo(30.8, 0);
    const nearer = makeCase({ id: 'C00000002', lon: 113.6202, lat: 22.78 });
    expect(findDuplicate(near, [open, nearer])?.id).toBe('C00000002');
    expect(findDuplicate({ ...near, lon: 113.6206 }, [open])).toBeUndefined();
    expect(findDuplicate({ ...near, categoryId: 'dirty-road' }, [open])).toBeUndefined();
    expect(findDuplicate({ ...near, at: T0 + 25 * H }, [open])).toBeUndefined();
    expect(findDuplicate(near, [{ ...open, status: 'closed' }])).toBeUndefined();
  });

  it('treats the same component as the same place', () => {
    const cover = makeCase({ id: 'C00000003', categoryId: 'cover-missing', componentCode: '4419000101000001', lon: 113.62, lat: 22.78 });
    expect(findDuplicate({ categoryId: 'cover-missing', componentCode: '4419000101000001', lon: 113.63, lat: 22.78, at: T0 }, [cover])?.id).toBe('C00000003');
  });
});

describe('supervision', () => {
  const dispatched = makeCase({ id: 'C00000001', status: 'dispatched', stepStartedAt: T0, dueAt: T0 + 2 * H });

  it('marks overdue when the deadline passes, escalates to leaders past twice the step time', () => {
    expect(supervise(dispatched, T0 + 2 * H)).toBeUndefined();
    const overdue = supervise(dispatched, T0 + 2 * H + 1)!;
    expect(overdue.case).toMatchObject({ overdue: true, escalation: 1, version: 2 });
    expect(overdue.event).toMatchObject({ action: 'overdue', actor: { kind: 'system', name: 'supervisor' }, from: 'dispatched', to: 'dispatched' });
    expect(supervise(overdue.case, T0 + 4 * H - 1)).toBeUndefined();
    const escalated = supervise(overdue.case, T0 + 4 * H)!;
    expect(escalated.case.escalation).toBe(2);
    expect(escalated.event.action).toBe('escalate');
    expect(supervise(escalated.case, T0 + 100 * H)).toBeUndefined();
  });

  it('waits at least 10 minutes past a short deadline before escalating, and ignores suspended cases', () => {
    const short = { ...dispatched, dueAt: T0 + 2 * MIN, overdue: true, escalation: 1 as const };
    expect(supervise(short, T0 + 11 * MIN)).toBeUndefined();
    expect(supervise(short, T0 + 12 * MIN)?.case.escalation).toBe(2);
    expect(supervise({ ...dispatched, status: 'suspended' }, T0 + 100 * H)).toBeUndefined();
  });
});

describe('KPIs', () => {
  it('computes handling, on-time, rework and satisfaction per department', () => {
    const rows: KpiRow[] = [
      { status: 'closed', departmentId: 'A', dispatched: true, handledLate: false, reopenCount: 0, rating: 5, overdue: false },
      { status: 'evaluated', departmentId: 'A', dispatched: true, handledLate: true, reopenCount: 1, rating: 3, overdue: false },
      { status: 'handling', departmentId: 'A', dispatched: true, reopenCount: 0, overdue: true },
      { status: 'handled', departmentId: 'A', dispatched: true, handledLate: false, reopenCount: 0, overdue: false },
      { status: 'dispatched', departmentId: 'B', dispatched: true, reopenCount: 1, overdue: false },
      { status: 'reported', dispatched: false, reopenCount: 0, overdue: false },
    ];
    const { items, total } = computeKpis(rows, 'department');
    expect(items.map((k) => k.key)).toEqual(['(none)', 'A', 'B']);
    expect(items[1]).toEqual({ key: 'A', dispatched: 4, handled: 3, handlingRate: 0.75, onTimeRate: 2 / 3, reworkRate: 1 / 3, satisfaction: 4, ratings: 2, overdueOpen: 1 });
    expect(items[2]).toMatchObject({ key: 'B', dispatched: 1, handled: 0, handlingRate: 0, onTimeRate: null, reworkRate: null, satisfaction: null });
    expect(items[0]).toMatchObject({ dispatched: 0, handlingRate: null });
    expect(total).toMatchObject({ key: 'all', dispatched: 5, handled: 3, handlingRate: 0.6 });
  });
});

describe('alarm intake', () => {
  const pole = { id: 'P00001', code: '4419000118000001', lon: 113.6203, lat: 22.78, groundHeight: 3, heightM: 10, roadId: 'R001', terminalIds: [] };
  const components = new Map([
    ['4419000118000001', { code: '4419000118000001', classCode: '0118', lon: 113.6203, lat: 22.78, groundHeight: 3, ownerId: 'D-LIGHT' }],
    ['4419000103000002', { code: '4419000103000002', classCode: '0103', lon: 113.621, lat: 22.7802, groundHeight: 3, ownerId: 'D-WATER' }],
  ]);
  const place = { pole: (id: string) => (id === pole.id ? pole : undefined), component: (code: string) => components.get(code) };
  const alarm = (a: Partial<Alarm>): Alarm => ({ id: 'P00001-lamp:lamp-fault', kind: 'lamp-fault', severity: 'warning', terminalId: 'P00001-lamp', terminalType: 'lamp', poleId: 'P00001', raisedAt: T0, ...a });

  it('opens a component case on the lamp pole for a lamp fault, keyed by the raise', () => {
    expect(alarmToIntake(alarm({ code: 'LAMP_DRIVER' }), place)).toEqual({
      categoryId: 'lamp-out',
      description: 'lamp-fault alarm on P00001-lamp code LAMP_DRIVER',
      source: 'iot',
      lon: 113.6203,
      lat: 22.78,
      urgency: 'normal',
      alarmId: `P00001-lamp:lamp-fault@${T0}`,
      poleId: 'P00001',
      terminalId: 'P00001-lamp',
      terminalType: 'lamp',
      componentCode: '4419000118000001',
    });
    expect(alarmKey({ id: 'x', raisedAt: 5 })).toBe('x@5');
  });

  it('links a cover alarm to its cover, makes critical alarms urgent, and takes video-AI categories', () => {
    const cover = alarmToIntake(alarm({ id: 'P00001-cover-sensor:cover-open', kind: 'cover-open', severity: 'critical', terminalId: 'P00001-cover-sensor', terminalType: 'cover-sensor', componentCode: '4419000103000002', lon: 113.621, lat: 22.7802 }), place);
    expect(cover).toMatchObject({ categoryId: 'cover-missing', componentCode: '4419000103000002', urgency: 'urgent', lon: 113.621 });
    const video = alarmToIntake(alarm({ id: 'P00001-camera:video-ai:street-vending', kind: 'video-ai', category: 'street-vending', terminalId: 'P00001-camera', terminalType: 'camera', confidence: 0.91 }), place);
    expect(video).toMatchObject({ categoryId: 'street-vending', source: 'video-ai', description: 'video-ai alarm on P00001-camera confidence 0.91' });
    expect(video).not.toHaveProperty('componentCode');
    expect(alarmToIntake(alarm({ kind: 'video-ai' }), place)).toEqual({ skip: 'no case category for alarm kind video-ai' });
    expect(alarmToIntake(alarm({ poleId: 'P09999' }), place)).toEqual({ skip: 'alarm P00001-lamp:lamp-fault has no position and names unknown pole P09999' });
  });
});
