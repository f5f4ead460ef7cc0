/**
 * What a device's own report does to its terminal's inputs: status reports set what it said and
 * its fault, readings its latest values, cover and lamp events the same state their telemetry
 * and status reports would. The state (LiveStateCore.ts) then derives status and alarms from
 * these inputs; video-AI sightings, which say nothing about the camera, are handled there.
 */
import type { DevicePayload, EventPayload, StatusPayload, TelemetryPayload } from '../../../domain/payloads';
import type { TelemetryValues } from '../../../domain/terminals';
import type { TopicKind } from '../../../domain/topics';
import type { TerminalState } from './types';

/** Applies one validated report to `t`'s inputs; returns the readings it changed, if any. */
export function applyReport(t: TerminalState, kind: TopicKind, payload: DevicePayload): TelemetryValues | undefined {
  if (kind === 'status') {
    const status = payload as StatusPayload;
    t.reported = status.status;
    if (status.status === 'fault') {
      t.faulted = true;
      t.faultCode = status.code;
    } else if (status.status === 'online') {
      t.faulted = false;
      t.faultCode = undefined;
    }
    return undefined;
  }
  if (kind === 'events') return applyDeviceEvent(t, payload as EventPayload);
  const values = (payload as TelemetryPayload).values;
  // A device that sends readings is evidently up; a fault it reported stays until it reports `online`.
  if (t.reported !== 'fault') t.reported = 'online';
  Object.assign(t.values, values);
  return values;
}

/** Cover and lamp events change the same state their telemetry and status reports do. */
function applyDeviceEvent(t: TerminalState, event: EventPayload): TelemetryValues | undefined {
  switch (event.event) {
    case 'cover-opened':
    case 'cover-closed': {
      const values = { open: event.event === 'cover-opened' };
      Object.assign(t.values, values);
      return values;
    }
    case 'cover-tilted': {
      const values = { tiltDeg: event.tiltDeg };
      Object.assign(t.values, values);
      return values;
    }
    case 'lamp-fault':
      t.reported = 'fault';
      t.faulted = true;
      t.faultCode = event.code;
      return undefined;
    case 'lamp-restored':
      t.reported = 'online';
      t.faulted = false;
      t.faultCode = undefined;
      return undefined;
    case 'video-ai':
      return undefined;
  }
}
