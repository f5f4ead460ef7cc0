/**
 * The emergency panel's pure core (client/src/features/emergency/core/incidents.ts): which alarms,
 * cases and flood hotspots become incidents, at which type and level, and what the maps draw.
 */
import { describe, expect, it } from 'vitest';
import type { EmergencyResponse } from '../../domain/emergency';
import type { Alarm } from '../../domain/live';
import { emergencyOverlay, formatEta, incidentFromAlarm, incidentFromCase, incidentFromHotspot } from '../../client/src/features/emergency/core/incidents';

const alarm = (over: Partial<Alarm>): Alarm => ({ id: 'P1-water-level:water-level', kind: 'water-level', severity: 'critical', terminalId: 'P1-water-level', terminalType: 'water-level', poleId: 'P1', raisedAt: 0, field: 'depthCm', value: 45, limit: 15, lon: 113.6, lat: 22.8, ...over });

describe('incidents', () => {
  it('come from water-level alarms with the depth setting type and level, and from no other alarm', () => {
    expect(incidentFromAlarm(alarm({}))?.incident).toMatchObject({ source: 'alarm', eventType: 'waterlogging', level: 'III', alarmId: 'P1-water-level:water-level' });
    expect(incidentFromAlarm(alarm({ value: 120 }))?.incident).toMatchObject({ eventType: 'flooding', level: 'II' });
    expect(incidentFromAlarm(alarm({ kind: 'cover-open', terminalType: 'cover-sensor' }))).toBeUndefined();
  });

  it('come from open cases of emergency categories only, with the case named', () => {
    expect(incidentFromCase({ id: 'C1', categoryId: 'road-collapse', urgency: 'urgent', lon: 1, lat: 2 })?.incident).toEqual({ source: 'case', eventType: 'road-collapse', level: 'III', lon: 1, lat: 2, caseId: 'C1' });
    expect(incidentFromCase({ id: 'C2', categoryId: 'dirty-road', urgency: 'urgent', lon: 1, lat: 2 })).toBeUndefined();
  });

  it('come from flood hotspots with their run, so its flooded roads are closed', () => {
    expect(incidentFromHotspot('sc-1', 2, { lon: 1, lat: 2, depthM: 1.7 }).incident).toEqual({ source: 'hotspot', eventType: 'flooding', level: 'I', lon: 1, lat: 2, scenarioId: 'sc-1', hotspot: 2 });
  });
});

describe('the map overlay', () => {
  it('draws units still out with their routes, and the sites of their responses', () => {
    const unit = (id: string, status: 'en-route' | 'done') => ({ resourceId: id, kind: 'rescue-team' as const, name: id, etaS: 60, distanceM: 500, route: [[1, 2], [3, 4]] as Array<[number, number]>, orderId: `o-${id}`, status, lon: 1, lat: 2, updatedAt: 0 });
    const response = { id: 'ER-1', caseId: 'C1', createdAt: 0, createdBy: 'd', proposal: { incident: { lon: 3, lat: 4 } }, units: [unit('A', 'en-route'), unit('B', 'done')] } as unknown as EmergencyResponse;
    const overlay = emergencyOverlay([response]);
    expect(overlay.units.map((u) => u.id)).toEqual(['A']);
    expect(overlay.routes).toEqual([{ id: 'ER-1:A', path: [[1, 2], [3, 4]], status: 'en-route' }]);
    expect(overlay.sites).toEqual([{ id: 'ER-1', lon: 3, lat: 4 }]);
    expect(formatEta(245)).toBe('4 min 05 s');
  });
});
