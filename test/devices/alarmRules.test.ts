/**
 * The rules that turn device data into alarms, on LiveState with known inputs: consecutive lamps
 * out along a road, cover and lamp events, video-AI detections and their hold, and the
 * `subscribeAlarms` contract the case workflow builds on.
 */
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../domain/live';
import type { EventPayload, VideoAiEventPayload } from '../../domain/payloads';
import { VIDEO_ALARM_HOLD_MS, VIDEO_EVENT_INFO } from '../../domain/videoEvents';
import { lampsOutRuns } from '../../server/devices/state/alarmRules';
import { LiveState, type LiveTopology } from '../../server/devices/state/LiveState';

const T0 = 1_700_000_000_000;

/** Six poles along road R1 (listed out of order on purpose: the road order is what counts), a camera on P3. */
function topology(): LiveTopology {
  const ids = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
  return {
    poles: ids.map((id, i) => ({ id, lon: 113.6 + i * 0.0003, lat: 22.8, roadId: 'R1', gridCode: '44190000100101' })),
    terminals: [
      ...ids.map((id) => ({ id: `${id}-lamp`, poleId: id, type: 'lamp' as const, componentCode: `44190001180000${id.slice(1).padStart(2, '0')}` })),
      { id: 'P3-camera', poleId: 'P3', type: 'camera' as const, componentCode: '4419000118000003' },
      { id: 'P2-cover', poleId: 'P2', type: 'cover-sensor' as const, componentCode: '4419000103000007' },
    ],
    roads: [{ roadId: 'R1', poleIds: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] }],
  };
}

const lampFault = (ts = T0): EventPayload => ({ v: 1, ts, event: 'lamp-fault', code: 'POWER_LOSS' });
const lampRestored = (ts = T0): EventPayload => ({ v: 1, ts, event: 'lamp-restored' });
const video = (category: VideoAiEventPayload['category'], confidence: number, eventId = 'VA-1'): VideoAiEventPayload => ({
  v: 1,
  ts: T0,
  event: 'video-ai',
  eventId,
  category,
  confidence,
});

function lampsOut(live: LiveState): Alarm[] {
  return live.alarms().filter((a) => a.kind === 'lamps-out');
}

describe('lampsOutRuns', () => {
  it('finds runs of three or more consecutive lamps out, and nothing shorter', () => {
    expect(lampsOutRuns([true, true, false, true, true])).toEqual([]);
    expect(lampsOutRuns([false, true, true, true, false])).toEqual([[1, 3]]);
    expect(lampsOutRuns([true, true, true, true, false, true, true, true])).toEqual([
      [0, 3],
      [5, 7],
    ]);
    expect(lampsOutRuns([])).toEqual([]);
  });
});

describe('three consecutive lamps out', () => {
  it('two lamps out in a row raise only their own lamp faults', () => {
    const live = new LiveState(topology());
    live.apply('P2-lamp', 'events', lampFault(), T0);
    live.apply('P3-lamp', 'events', lampFault(), T0);
    expect(lampsOut(live)).toEqual([]);
    expect(live.alarms().filter((a) => a.kind === 'lamp-fault').map((a) => a.terminalId)).toEqual(['P2-lamp', 'P3-lamp']);
  });

  it('three lamps out with a gap between them raise no road alarm', () => {
    const live = new LiveState(topology());
    for (const id of ['P1', 'P2', 'P4']) live.apply(`${id}-lamp`, 'events', lampFault(), T0);
    expect(lampsOut(live)).toEqual([]);
  });

  it('three in a row raise exactly one alarm, which a fourth updates and a repair clears', () => {
    const live = new LiveState(topology());
    const raised: Alarm[] = [];
    live.subscribeAlarms((a) => raised.push(a));
    for (const id of ['P2', 'P3', 'P4']) live.apply(`${id}-lamp`, 'events', lampFault(), T0 + 1);
    const [alarm] = lampsOut(live);
    expect(lampsOut(live)).toHaveLength(1);
    expect(alarm).toMatchObject({
      id: 'road:R1:lamps-out',
      kind: 'lamps-out',
      severity: 'warning',
      roadId: 'R1',
      poleIds: ['P2', 'P3', 'P4'],
      // The middle lamp of the run locates it.
      terminalId: 'P3-lamp',
      poleId: 'P3',
      lon: 113.6 + 2 * 0.0003,
      lat: 22.8,
      componentCode: '4419000118000003',
    });
    expect(raised.filter((a) => a.kind === 'lamps-out')).toHaveLength(1);

    live.apply('P5-lamp', 'events', lampFault(), T0 + 2);
    expect(lampsOut(live)).toHaveLength(1);
    expect(lampsOut(live)[0]!.poleIds).toEqual(['P2', 'P3', 'P4', 'P5']);
    expect(raised.filter((a) => a.kind === 'lamps-out')).toHaveLength(1);

    // P3 back: P4-P5 is a run of two, P2 alone; nothing left of three.
    live.apply('P3-lamp', 'events', lampRestored(), T0 + 3);
    expect(lampsOut(live)).toEqual([]);
    expect(live.takeDelta()!.alarmsCleared).toContain('road:R1:lamps-out');
  });

  it('counts a fault reported on the status topic as a lamp out too', () => {
    const live = new LiveState(topology());
    for (const id of ['P4', 'P5', 'P6']) live.apply(`${id}-lamp`, 'status', { v: 1, ts: T0, status: 'fault', code: 'DRIVER_FAULT' }, T0);
    expect(lampsOut(live).map((a) => a.poleIds)).toEqual([['P4', 'P5', 'P6']]);
  });
});

describe('cover and lamp events', () => {
  it('a cover-opened event raises the critical open-cover alarm at once, with the cover component', () => {
    const live = new LiveState(topology());
    const r = live.apply('P2-cover', 'events', { v: 1, ts: T0, event: 'cover-opened' }, T0)!;
    expect(r.status).toBe('warning');
    expect(r.raised).toEqual([
      expect.objectContaining({ id: 'P2-cover:cover-open', severity: 'critical', componentCode: '4419000103000007', poleId: 'P2' }),
    ]);
    live.apply('P2-cover', 'events', { v: 1, ts: T0, event: 'cover-tilted', tiltDeg: 25 }, T0 + 1);
    expect(live.alarmsOfTerminal('P2-cover').map((a) => a.kind).sort()).toEqual(['cover-open', 'cover-tilt']);
    live.apply('P2-cover', 'events', { v: 1, ts: T0, event: 'cover-closed' }, T0 + 2);
    live.apply('P2-cover', 'telemetry', { v: 1, ts: T0, values: { open: false, tiltDeg: 0 } }, T0 + 3);
    expect(live.alarmsOfTerminal('P2-cover')).toEqual([]);
  });

  it('a lamp-fault event carries its code; lamp-restored clears it', () => {
    const live = new LiveState(topology());
    live.apply('P1-lamp', 'events', lampFault(), T0);
    expect(live.terminalStatus('P1-lamp')).toBe('fault');
    expect(live.alarmsOfTerminal('P1-lamp')).toEqual([expect.objectContaining({ kind: 'lamp-fault', code: 'POWER_LOSS' })]);
    live.apply('P1-lamp', 'events', lampRestored(), T0 + 1);
    expect(live.terminalStatus('P1-lamp')).toBe('normal');
    expect(live.alarmsOfTerminal('P1-lamp')).toEqual([]);
  });
});

describe('video-AI detections', () => {
  it('raise a video-ai alarm with the category, its event code and the camera position', () => {
    const live = new LiveState(topology());
    const r = live.apply('P3-camera', 'events', { ...video('garbage-pile', 0.91), snapshot: 'snap/1.jpg' }, T0)!;
    expect(r.raised).toEqual([
      {
        id: 'P3-camera:video-ai:garbage-pile',
        kind: 'video-ai',
        severity: 'warning',
        terminalId: 'P3-camera',
        terminalType: 'camera',
        poleId: 'P3',
        raisedAt: T0,
        lon: 113.6 + 2 * 0.0003,
        lat: 22.8,
        roadId: 'R1',
        gridCode: '44190000100101',
        componentCode: '4419000118000003',
        category: 'garbage-pile',
        eventCode: VIDEO_EVENT_INFO['garbage-pile'].eventCode,
        eventId: 'VA-1',
        confidence: 0.91,
        snapshot: 'snap/1.jpg',
      },
    ]);
    // The detection says nothing about the camera's own health.
    expect(live.terminalStatus('P3-camera')).toBe('unknown');
  });

  it('ignore detections under the category threshold', () => {
    const live = new LiveState(topology());
    const r = live.apply('P3-camera', 'events', video('street-vending', VIDEO_EVENT_INFO['street-vending'].minConfidence - 0.01), T0)!;
    expect(r.raised).toEqual([]);
    expect(live.alarms()).toEqual([]);
  });

  it('keep one alarm while the sighting repeats, and clear it a hold time after the last one', () => {
    const live = new LiveState(topology());
    const raised: Alarm[] = [];
    live.subscribeAlarms((a) => raised.push(a));
    live.apply('P3-camera', 'events', video('illegal-parking', 0.9, 'VA-1'), T0);
    live.apply('P3-camera', 'events', video('illegal-parking', 0.9, 'VA-2'), T0 + VIDEO_ALARM_HOLD_MS / 2);
    live.apply('P3-camera', 'events', video('exposed-garbage', 0.9, 'VA-3'), T0 + VIDEO_ALARM_HOLD_MS / 2);
    expect(raised.map((a) => a.id)).toEqual(['P3-camera:video-ai:illegal-parking', 'P3-camera:video-ai:exposed-garbage']);
    live.sweep(T0 + VIDEO_ALARM_HOLD_MS + 1);
    expect(live.alarms()).toHaveLength(2);
    live.sweep(T0 + VIDEO_ALARM_HOLD_MS * 1.5 + 1);
    expect(live.alarms()).toEqual([]);
  });
});

describe('closing a case', () => {
  it("closes the video-AI alarm it came from (that raise only), never an IoT alarm; the hold follows the simulated clock", () => {
    // Reports at ×2 (the watchdog), the simulated clock at ×60: the hold is 30 simulated minutes.
    const live = new LiveState(topology(), { speedup: 2, clockSpeedup: 60 });
    live.apply('P3-camera', 'events', video('garbage-pile', 0.9), T0);
    live.apply('P1-lamp', 'events', lampFault(), T0);
    const id = 'P3-camera:video-ai:garbage-pile';
    expect(live.closeVideoAlarm(id, T0 - 1)).toBe(false);
    expect(live.closeVideoAlarm('P1-lamp:lamp-fault', T0)).toBe(false);
    expect(live.closeVideoAlarm(id, T0)).toBe(true);
    expect(live.alarms().map((a) => a.id)).toEqual(['P1-lamp:lamp-fault']);
    // Seen again: a new alarm, held for VIDEO_ALARM_HOLD_MS / 60 of wall time.
    live.apply('P3-camera', 'events', video('garbage-pile', 0.9, 'VA-2'), T0 + 10);
    live.sweep(T0 + 10 + VIDEO_ALARM_HOLD_MS / 60 + 1);
    expect(live.alarms().map((a) => a.id)).toEqual(['P1-lamp:lamp-fault']);
  });
});

describe('subscribeAlarms', () => {
  it('delivers each raised alarm once, after the state update, until unsubscribed', () => {
    const live = new LiveState(topology());
    const seen: Array<{ id: string; open: boolean; status: string }> = [];
    const unsubscribe = live.subscribeAlarms((a) => {
      seen.push({ id: a.id, open: live.alarms().some((o) => o.id === a.id), status: live.terminalStatus(a.terminalId) });
    });
    live.apply('P1-lamp', 'status', { v: 1, ts: T0, status: 'fault', code: 'DRIVER_FAULT' }, T0);
    live.apply('P1-lamp', 'status', { v: 1, ts: T0, status: 'fault', code: 'DRIVER_FAULT' }, T0 + 1);
    expect(seen).toEqual([{ id: 'P1-lamp:lamp-fault', open: true, status: 'fault' }]);

    // Offline by the watchdog is delivered too.
    live.sweep(T0 + 10 * 60_000);
    expect(seen.map((s) => s.id)).toEqual(['P1-lamp:lamp-fault', 'P1-lamp:device-offline']);

    unsubscribe();
    live.apply('P2-cover', 'events', { v: 1, ts: T0, event: 'cover-opened' }, T0 + 2);
    expect(seen).toHaveLength(2);
  });

  it('a listener that throws is reported and does not stop the others or the update', () => {
    const errors: string[] = [];
    const live = new LiveState(topology(), { onListenerError: (err, alarm) => errors.push(`${alarm.id}: ${(err as Error).message}`) });
    const good: string[] = [];
    live.subscribeAlarms(() => {
      throw new Error('case store down');
    });
    live.subscribeAlarms((a) => good.push(a.id));
    live.apply('P2-cover', 'events', { v: 1, ts: T0, event: 'cover-opened' }, T0);
    expect(errors).toEqual(['P2-cover:cover-open: case store down']);
    expect(good).toEqual(['P2-cover:cover-open']);
    expect(live.terminalStatus('P2-cover')).toBe('warning');
  });
});
