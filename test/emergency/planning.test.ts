/**
 * Plans and proposals (domain/emergency.ts, server/emergency/core): the plan an incident gets,
 * shelters never filled past capacity, and a proposal that sends the nearest suitable crews by
 * road time, brings supplies from the nearest stock and reports what is short.
 */
import { describe, expect, it } from 'vitest';
import { matchPlan, planId, type EmergencyPlan, type EventType, type Incident, type ResponseLevel } from '../../domain/emergency';
import { defaultPlans } from '../../server/emergency/defaultPlans';
import { assignShelters, occupants } from '../../server/emergency/core/evacuation';
import { proposeResponse } from '../../server/emergency/core/proposeResponse';
import { buildRoadGraph, nearestNode } from '../../server/emergency/core/roadGraph';
import { TINY_RESOURCES, tinyRoads } from '../fixtures/tinyTwin';

const plan = (eventType: EventType, level: ResponseLevel, extra: Partial<EmergencyPlan> = {}): EmergencyPlan => ({
  id: planId(eventType, level),
  eventType,
  level,
  name: { 'zh-CN': `${eventType}${level}`, en: `${eventType} ${level}` },
  resources: [],
  supplies: [],
  departments: [],
  cameras: { count: 0, radiusM: 0 },
  evacuationRadiusM: 0,
  updatedAt: 0,
  updatedBy: 'test',
  ...extra,
});

describe('plan matching', () => {
  const plans = [plan('waterlogging', 'IV'), plan('waterlogging', 'II'), plan('flooding', 'III'), plan('fire', 'I')];

  it('takes the plan of the type and level', () => {
    expect(matchPlan(plans, 'waterlogging', 'II')?.id).toBe('waterlogging-II');
    expect(matchPlan(plans, 'waterlogging', 'IV')?.id).toBe('waterlogging-IV');
  });

  it('else the nearest level of the type, the more severe on a tie', () => {
    // III sits between IV and II: the more severe II wins.
    expect(matchPlan(plans, 'waterlogging', 'III')?.id).toBe('waterlogging-II');
    expect(matchPlan(plans, 'waterlogging', 'I')?.id).toBe('waterlogging-II');
    expect(matchPlan(plans, 'fire', 'IV')?.id).toBe('fire-I');
  });

  it('never a plan of another type', () => {
    expect(matchPlan(plans, 'typhoon', 'I')).toBeUndefined();
  });

  it('has a default plan for every type and level, scaled up with severity', () => {
    const defaults = defaultPlans(0);
    expect(defaults).toHaveLength(6 * 4);
    const count = (level: ResponseLevel) => matchPlan(defaults, 'flooding', level)!.resources.reduce((n, r) => n + r.count, 0);
    expect(count('I')).toBeGreaterThan(count('II'));
    expect(count('II')).toBeGreaterThan(count('IV'));
  });
});

describe('shelters', () => {
  const shelters = [
    { id: 'near', name: 'near', lon: 113.6, lat: 22.8, capacity: 100 },
    { id: 'far', name: 'far', lon: 113.61, lat: 22.8, capacity: 60 },
  ];
  const building = (id: string, floors: number) => ({ id, lon: 113.6001, lat: 22.8, use: 'residential' as const, floors });

  it('are filled nearest first and never past capacity; a building nobody can take is reported', () => {
    // 12 people per residential floor: 60, 36, 48, 24 people.
    const buildings = [building('a', 5), building('b', 3), building('c', 4), building('d', 2)];
    const { evacuation, assigned, unassignedPeople } = assignShelters(buildings, shelters);
    expect(evacuation.map((e) => e.shelterId)).toEqual(['near', 'near', 'far', undefined]);
    expect(assigned.get('near')).toBe(96);
    expect(assigned.get('far')).toBe(48);
    for (const s of shelters) expect(assigned.get(s.id)!).toBeLessThanOrEqual(s.capacity);
    expect(unassignedPeople).toBe(occupants(buildings[3]!));
  });
});

describe('a proposal', () => {
  const roads = tinyRoads(6);
  const graph = buildRoadGraph(roads);
  const placeOf = new Map(TINY_RESOURCES.map((r) => [r.id, nearestNode(graph, r.lon, r.lat)]));
  // At the east end of the poles' road.
  const incident: Incident = { source: 'manual', eventType: 'waterlogging', level: 'III', lon: 113.6219, lat: 22.78 };
  const base = {
    graph,
    resources: TINY_RESOURCES,
    placeOf,
    incident,
    buildings: [1, 2].map((i) => ({ id: `B${i}`, use: 'office' as const, floors: 6, lon: 113.6215 + i * 0.0001, lat: 22.7801 })),
    cameras: [{ id: 'cam-near', lon: 113.6218, lat: 22.78 }, { id: 'cam-far', lon: 113.6, lat: 22.78 }],
  };

  it('sends the crews with the skill, nearest by road first, with routes that end at the site', () => {
    const p = proposeResponse({ ...base, plan: plan('waterlogging', 'III', { resources: [{ kind: 'rescue-team', count: 1, skill: 'pumping' }], cameras: { count: 5, radiusM: 200 } }) });
    expect(p.units.map((u) => u.resourceId)).toEqual(['RT-2']);
    const u = p.units[0]!;
    expect(u.etaS).toBeGreaterThan(0);
    expect(u.route[0]).toEqual([TINY_RESOURCES[1]!.lon, TINY_RESOURCES[1]!.lat]);
    expect(u.route.at(-1)).toEqual([incident.lon, incident.lat]);
    expect(p.cameras).toEqual(['cam-near']);
    expect(p.shortfalls).toEqual([]);
  });

  it('skips busy units and says what is short: crews, stock, shelter places', () => {
    const p = proposeResponse({
      ...base,
      busy: new Set(['RT-2']),
      plan: plan('waterlogging', 'III', {
        resources: [{ kind: 'rescue-team', count: 3, skill: 'pumping' }],
        supplies: [{ item: 'sandbags', quantity: 200 }, { item: 'pumps', quantity: 3 }],
        evacuationRadiusM: 500,
      }),
    });
    expect(p.units.map((u) => u.resourceId)).toEqual(['RT-1']);
    expect(p.supplies).toEqual([expect.objectContaining({ item: 'sandbags', quantity: 200, depotId: 'SD-1' }), expect.objectContaining({ item: 'pumps', quantity: 1, depotId: 'SD-1' })]);
    expect(p.shortfalls).toEqual(['rescue-team (pumping): 1 of 3 available and reachable', 'pumps: 1 of 3 in reachable depots']);
    // 2 offices of 6 floors, 24 people each: both fit.
    expect(p.evacuation.every((e) => e.shelterId !== undefined)).toBe(true);
  });
});
