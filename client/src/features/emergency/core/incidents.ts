/**
 * What can start an emergency response, as incidents the proposal API takes (domain/emergency.ts):
 * a waterlogging alarm of a water-level sensor, an open case of an emergency category, or a
 * hotspot of a finished flood run. Pure: the panel lists them, tests run them in Node.
 */
import type { Alarm } from '../../../../../domain/live';
import {
  EVENT_TYPE_OF_CATEGORY,
  eventTypeForDepth,
  levelForDepth,
  type DispatchedUnit,
  type EmergencyResponse,
  type Incident,
  type ResponseLevel,
} from '../../../../../domain/emergency';

/** An incident the panel offers, with the words to show it by. */
export interface IncidentOption {
  key: string;
  incident: Incident;
  /** i18n key of what it came from and the thing's id or name. */
  sourceKey: 'emergency.fromAlarm' | 'emergency.fromCase' | 'emergency.fromHotspot';
  label: string;
}

/** A water-level alarm: water on the road (its reading in cm) is waterlogging or flooding. */
export function incidentFromAlarm(alarm: Alarm): IncidentOption | undefined {
  if (alarm.kind !== 'water-level' || alarm.lon === undefined || alarm.lat === undefined) return undefined;
  const depthM = typeof alarm.value === 'number' ? alarm.value / 100 : 0.15;
  return {
    key: `alarm:${alarm.id}`,
    incident: { source: 'alarm', eventType: eventTypeForDepth(depthM), level: levelForDepth(depthM), lon: alarm.lon, lat: alarm.lat, alarmId: alarm.id },
    sourceKey: 'emergency.fromAlarm',
    label: `${alarm.terminalId} · ${Math.round(depthM * 100)} cm`,
  };
}

export interface CaseLike {
  id: string;
  categoryId: string;
  urgency: 'normal' | 'urgent';
  lon: number;
  lat: number;
}

/** An open case of an emergency category: urgent ones at level III, others at IV. */
export function incidentFromCase(c: CaseLike): IncidentOption | undefined {
  const eventType = EVENT_TYPE_OF_CATEGORY[c.categoryId];
  if (!eventType) return undefined;
  const level: ResponseLevel = c.urgency === 'urgent' ? 'III' : 'IV';
  return { key: `case:${c.id}`, incident: { source: 'case', eventType, level, lon: c.lon, lat: c.lat, caseId: c.id }, sourceKey: 'emergency.fromCase', label: c.id };
}

/** A flood run's hotspot: its depth sets type and level, and the run closes the flooded roads. */
export function incidentFromHotspot(scenarioId: string, index: number, spot: { lon: number; lat: number; depthM: number }): IncidentOption {
  return {
    key: `hotspot:${scenarioId}:${index}`,
    incident: { source: 'hotspot', eventType: eventTypeForDepth(spot.depthM), level: levelForDepth(spot.depthM), lon: spot.lon, lat: spot.lat, scenarioId, hotspot: index },
    sourceKey: 'emergency.fromHotspot',
    label: `#${index + 1} · ${spot.depthM.toFixed(2)} m`,
  };
}

/** "4 min 05 s", "45 s". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** Units still out (not done), newest response first. */
export function activeUnits(responses: readonly EmergencyResponse[]): Array<{ response: EmergencyResponse; unit: DispatchedUnit }> {
  return [...responses]
    .sort((a, b) => b.createdAt - a.createdAt)
    .flatMap((response) => response.units.filter((u) => u.status !== 'done').map((unit) => ({ response, unit })));
}

/** What the 2D map and the 3D layer draw: each active unit's route, position and status, and the sites. */
export interface EmergencyOverlay {
  routes: Array<{ id: string; path: Array<[number, number]>; status: DispatchedUnit['status'] }>;
  units: Array<{ id: string; name: string; lon: number; lat: number; status: DispatchedUnit['status'] }>;
  sites: Array<{ id: string; lon: number; lat: number }>;
}

export function emergencyOverlay(responses: readonly EmergencyResponse[]): EmergencyOverlay {
  const active = activeUnits(responses);
  const sites = new Map<string, { id: string; lon: number; lat: number }>();
  for (const { response } of active) sites.set(response.id, { id: response.id, lon: response.proposal.incident.lon, lat: response.proposal.incident.lat });
  return {
    routes: active.map(({ response, unit }) => ({ id: `${response.id}:${unit.resourceId}`, path: unit.route, status: unit.status })),
    units: active.map(({ unit }) => ({ id: unit.resourceId, name: unit.name, lon: unit.lon, lat: unit.lat, status: unit.status })),
    sites: [...sites.values()],
  };
}

/** Status colours shared by the 3D layer and the 2D map. */
export const UNIT_STATUS_COLORS: Record<DispatchedUnit['status'], string> = {
  dispatched: '#ffd166',
  'en-route': '#3fb6ff',
  'on-site': '#06d6a0',
  done: '#8d99ae',
};
