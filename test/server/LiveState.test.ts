import { describe, expect, it } from 'vitest';
import { NOMINAL_REPORT_INTERVAL_S, READING_LIMITS, TERMINAL_TYPES, type TelemetryValues } from '../../domain/terminals';
import { LIMIT_RULES } from '../../server/devices/state/alarmRules';
import type { StatusPayload } from '../../domain/payloads';
import { LiveState } from '../../server/devices/state/LiveState';

const T0 = 1_700_000_000_000;

function topology() {
  return {
    poles: [{ id: 'P1' }, { id: 'P2' }],
    terminals: [
      { id: 'P1-lamp', poleId: 'P1', type: 'lamp' as const },
      { id: 'P1-water', poleId: 'P1', type: 'water-level' as const },
      { id: 'P1-cover', poleId: 'P1', type: 'cover-sensor' as const },
      { id: 'P2-env', poleId: 'P2', type: 'environment' as const },
    ],
  };
}

const telemetry = (values: TelemetryValues, ts = T0) => ({ v: 1 as const, ts, values });
const status = (s: StatusPayload['status'], code?: string, ts = T0): StatusPayload =>
  code === undefined ? { v: 1, ts, status: s } : { v: 1, ts, status: s, code };

describe('LiveState', () => {
  it('starts with every terminal and pole unknown and nothing to send', () => {
    const live = new LiveState(topology());
    expect(live.terminalStatus('P1-lamp')).toBe('unknown');
    expect(live.poleStatus('P1')).toBe('unknown');
    expect(live.takeDelta()).toBeUndefined();
    expect(live.counters()).toEqual({
      terminalsReporting: 0,
      terminalsOffline: 0,
      terminalsFault: 0,
      openAlarms: 0,
      messagesAccepted: 0,
      messagesRejected: 0,
    });
  });

  it('ignores terminals it does not know', () => {
    const live = new LiveState(topology());
    expect(live.apply('nope', 'telemetry', telemetry({ on: true }), T0)).toBeUndefined();
    expect(live.counters().messagesAccepted).toBe(0);
  });

  it('turns a first report into normal and rolls it up to the pole', () => {
    const live = new LiveState(topology());
    const r = live.apply('P1-lamp', 'telemetry', telemetry({ on: true, powerW: 150 }), T0 + 5);
    expect(r).toMatchObject({ status: 'normal', statusChanged: true, poleStatus: 'normal', poleChanged: true, raised: [] });
    expect(live.terminal('P1-lamp')?.values).toEqual({ on: true, powerW: 150 });
    const delta = live.takeDelta()!;
    expect(delta.poles).toEqual([['P1', 'normal']]);
    expect(delta.terminals).toEqual([{ id: 'P1-lamp', status: 'normal', ts: T0, values: { on: true, powerW: 150 } }]);
    expect(delta.oldestIngestTime).toBe(T0 + 5);
    expect(delta.counters.terminalsReporting).toBe(1);
    expect(live.takeDelta()).toBeUndefined();
  });

  it('merges readings: a partial report keeps earlier fields, the delta carries only what changed', () => {
    const live = new LiveState(topology());
    live.apply('P1-lamp', 'telemetry', telemetry({ on: true, powerW: 150 }), T0);
    live.takeDelta();
    live.apply('P1-lamp', 'telemetry', telemetry({ powerW: 90 }, T0 + 1000), T0 + 1000);
    live.apply('P1-lamp', 'telemetry', telemetry({ dimmingPct: 50 }, T0 + 2000), T0 + 2000);
    expect(live.terminal('P1-lamp')?.values).toEqual({ on: true, powerW: 90, dimmingPct: 50 });
    const delta = live.takeDelta()!;
    expect(delta.terminals).toEqual([{ id: 'P1-lamp', status: 'normal', ts: T0 + 2000, values: { powerW: 90, dimmingPct: 50 } }]);
    expect(delta.oldestIngestTime).toBe(T0 + 1000);
  });

  it('raises a critical water-level alarm over 15 cm, makes the pole warning, and clears it on recovery', () => {
    const live = new LiveState(topology());
    live.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    const up = live.apply('P1-water', 'telemetry', telemetry({ depthCm: 22.5 }), T0 + 10)!;
    expect(up.status).toBe('warning');
    expect(up.poleStatus).toBe('warning');
    expect(up.raised).toEqual([
      {
        id: 'P1-water:water-level',
        kind: 'water-level',
        severity: 'critical',
        terminalId: 'P1-water',
        terminalType: 'water-level',
        poleId: 'P1',
        raisedAt: T0 + 10,
        field: 'depthCm',
        value: 22.5,
        limit: 15,
      },
    ]);
    // Still over: no second alarm.
    expect(live.apply('P1-water', 'telemetry', telemetry({ depthCm: 30 }), T0 + 20)!.raised).toEqual([]);
    expect(live.alarms()).toHaveLength(1);
    live.takeDelta();

    const down = live.apply('P1-water', 'telemetry', telemetry({ depthCm: 3 }), T0 + 30)!;
    expect(down).toMatchObject({ status: 'normal', poleStatus: 'normal', cleared: ['P1-water:water-level'] });
    const delta = live.takeDelta()!;
    expect(delta.alarmsCleared).toEqual(['P1-water:water-level']);
    expect(delta.alarmsRaised).toEqual([]);
    expect(live.alarms()).toEqual([]);
  });

  it('treats an open or tilted cover and air and noise limits as warnings with their own alarm kinds', () => {
    const live = new LiveState(topology());
    const cover = live.apply('P1-cover', 'telemetry', telemetry({ open: true, tiltDeg: 40 }), T0)!;
    expect(cover.raised.map((a) => [a.kind, a.severity])).toEqual([
      ['cover-open', 'critical'],
      ['cover-tilt', 'warning'],
    ]);
    const env = live.apply('P2-env', 'telemetry', telemetry({ pm25: 80, noiseDb: 65 }), T0)!;
    expect(env.raised.map((a) => a.kind)).toEqual(['air-quality']);
    expect(env.status).toBe('warning');
    // Exactly at the limit is not over it.
    expect(live.apply('P2-env', 'telemetry', telemetry({ pm25: 75 }), T0)!.cleared).toEqual(['P2-env:air-quality']);
  });

  it('has an alarm kind for every reading limit in the domain', () => {
    for (const type of TERMINAL_TYPES) {
      expect(LIMIT_RULES[type].map((r) => r.field)).toEqual(READING_LIMITS[type].map((l) => l.field));
    }
  });

  it('a fault report wins over warnings, raises lamp-fault with its code, and only `online` repairs it', () => {
    const live = new LiveState(topology());
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 20 }), T0);
    const fault = live.apply('P1-lamp', 'status', status('fault', 'LAMP_OPEN_CIRCUIT'), T0 + 1)!;
    expect(fault.status).toBe('fault');
    expect(fault.poleStatus).toBe('fault');
    expect(fault.raised).toEqual([
      expect.objectContaining({ id: 'P1-lamp:lamp-fault', kind: 'lamp-fault', severity: 'warning', code: 'LAMP_OPEN_CIRCUIT' }),
    ]);
    expect(live.counters().terminalsFault).toBe(1);
    // Readings from a faulty device do not repair it.
    expect(live.apply('P1-lamp', 'telemetry', telemetry({ on: false }), T0 + 2)!.status).toBe('fault');
    const fixed = live.apply('P1-lamp', 'status', status('online'), T0 + 3)!;
    expect(fixed).toMatchObject({ status: 'normal', poleStatus: 'warning', cleared: ['P1-lamp:lamp-fault'] });
    expect(live.counters().terminalsFault).toBe(0);
  });

  it('a device that says offline is offline until it speaks again, keeping an open fault', () => {
    const live = new LiveState(topology());
    live.apply('P1-lamp', 'status', status('fault', 'X'), T0);
    const off = live.apply('P1-lamp', 'status', status('offline'), T0 + 1)!;
    expect(off.status).toBe('offline');
    expect(live.alarms().map((a) => a.kind).sort()).toEqual(['device-offline', 'lamp-fault']);
    const back = live.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0 + 2)!;
    expect(back.status).toBe('fault');
    expect(back.cleared).toEqual(['P1-lamp:device-offline']);
  });

  it('the watchdog marks terminals silent for more than 3 nominal intervals offline, scaled by the speed-up', () => {
    const speedup = 5;
    const live = new LiveState(topology(), { speedup });
    const limitMs = (3 * NOMINAL_REPORT_INTERVAL_S.lamp * 1000) / speedup;
    expect(live.silenceLimitMs.lamp).toBe(limitMs);
    live.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    live.takeDelta();

    expect(live.sweep(T0 + limitMs)).toEqual([]);
    expect(live.sweep(T0 + limitMs + 1)).toEqual(['P1-lamp']);
    // Never-heard terminals stay unknown; already offline ones are not marked twice.
    expect(live.sweep(T0 + 10 * limitMs)).toEqual([]);
    expect(live.terminalStatus('P1-water')).toBe('unknown');
    expect(live.terminalStatus('P1-lamp')).toBe('offline');
    expect(live.counters()).toMatchObject({ terminalsOffline: 1, terminalsReporting: 0, openAlarms: 1 });

    const delta = live.takeDelta()!;
    expect(delta.terminals).toEqual([{ id: 'P1-lamp', status: 'offline', ts: T0 }]);
    expect(delta.poles).toEqual([['P1', 'offline']]);
    expect(delta.alarmsRaised).toEqual([expect.objectContaining({ id: 'P1-lamp:device-offline', kind: 'device-offline' })]);
    expect(delta.oldestIngestTime).toBe(T0 + limitMs + 1);

    const back = live.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0 + 11 * limitMs)!;
    expect(back).toMatchObject({ status: 'normal', cleared: ['P1-lamp:device-offline'] });
  });

  it('pole status is the worst of its terminals', () => {
    const live = new LiveState(topology());
    live.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    live.apply('P1-cover', 'status', status('offline'), T0);
    expect(live.poleStatus('P1')).toBe('offline');
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 16 }), T0);
    expect(live.poleStatus('P1')).toBe('warning');
    live.apply('P1-lamp', 'status', status('fault'), T0);
    expect(live.poleStatus('P1')).toBe('fault');
    expect(live.poleStatus('P2')).toBe('unknown');
  });

  it('an alarm raised and cleared within one batch is sent as a clear only; re-raised, as a raise only', () => {
    const live = new LiveState(topology());
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 20 }), T0);
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 2 }), T0 + 1);
    let delta = live.takeDelta()!;
    expect(delta.alarmsRaised).toEqual([]);
    expect(delta.alarmsCleared).toEqual(['P1-water:water-level']);

    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 20 }), T0 + 2);
    live.takeDelta();
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 2 }), T0 + 3);
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 25 }), T0 + 4);
    delta = live.takeDelta()!;
    expect(delta.alarmsCleared).toEqual([]);
    expect(delta.alarmsRaised).toEqual([expect.objectContaining({ id: 'P1-water:water-level', value: 25, raisedAt: T0 + 4 })]);
  });

  it('counts rejections by reason and includes them in the counters', () => {
    const live = new LiveState(topology());
    live.reject('not-json');
    live.reject('not-json');
    live.reject('oversize');
    expect(live.rejectReasons()).toEqual({ 'not-json': 2, oversize: 1 });
    expect(live.counters().messagesRejected).toBe(3);
  });

  it('the snapshot lists every pole and terminal and the open alarms', () => {
    const live = new LiveState(topology());
    live.apply('P1-water', 'telemetry', telemetry({ depthCm: 20 }), T0);
    const snap = live.snapshot();
    expect(snap.poles).toEqual([
      ['P1', 'warning'],
      ['P2', 'unknown'],
    ]);
    expect(snap.terminals).toHaveLength(4);
    expect(snap.terminals).toContainEqual(['P1-water', 'warning']);
    expect(snap.alarms.map((a) => a.id)).toEqual(['P1-water:water-level']);
    expect(snap.counters.openAlarms).toBe(1);
  });

  it('rejects a non-positive speed-up', () => {
    expect(() => new LiveState(topology(), { speedup: 0 })).toThrow(RangeError);
  });
});
