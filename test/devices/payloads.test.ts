/**
 * The events topic's payloads, the video-AI event schema above all: what is accepted, and the
 * reason and message for what is not.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE_EVENTS, validatePayload } from '../../domain/payloads';
import { parseTerminalTopic, terminalTopic, commandTopic, INGEST_SUBSCRIPTIONS } from '../../domain/topics';
import { VIDEO_EVENT_CATEGORIES, VIDEO_EVENT_INFO } from '../../domain/videoEvents';

const T = 1_700_000_000_000;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const detection = { v: 1, ts: T, event: 'video-ai', eventId: 'VA-2026-000123', category: 'street-vending', confidence: 0.87 };

describe('topics', () => {
  it('add events to what devices publish and a command topic they listen on', () => {
    expect(INGEST_SUBSCRIPTIONS).toEqual([
      'citytwin/v1/terminals/+/telemetry',
      'citytwin/v1/terminals/+/status',
      'citytwin/v1/terminals/+/events',
    ]);
    expect(parseTerminalTopic(terminalTopic('P00001-camera', 'events'))).toEqual({ terminalId: 'P00001-camera', kind: 'events' });
    expect(commandTopic('P00001-lamp')).toBe('citytwin/v1/terminals/P00001-lamp/commands');
    // The command topic is not something the ingest parses as device data.
    expect(parseTerminalTopic(commandTopic('P00001-lamp'))).toBeUndefined();
  });
});

describe('video-AI events', () => {
  it('accept a full detection, and a minimal one, for cameras and traffic cameras', () => {
    const full = { ...detection, bbox: [0.1, 0.2, 0.3, 0.25], snapshot: 'snapshots/P00001-camera/1.jpg' };
    expect(validatePayload('events', 'camera', bytes(full))).toEqual({ ok: true, payload: full });
    expect(validatePayload('events', 'traffic-camera', bytes(detection)).ok).toBe(true);
  });

  it('define eight categories, each with a distinct 4-digit event code of a known major class', () => {
    expect(VIDEO_EVENT_CATEGORIES).toHaveLength(8);
    const codes = VIDEO_EVENT_CATEGORIES.map((c) => VIDEO_EVENT_INFO[c].eventCode);
    expect(new Set(codes).size).toBe(8);
    for (const c of VIDEO_EVENT_CATEGORIES) {
      const info = VIDEO_EVENT_INFO[c];
      expect(info.eventCode).toMatch(/^\d{4}$/);
      expect(info.eventCode.slice(0, 2)).toBe(info.majorClass);
    }
  });

  it.each([
    ['an unknown category', { ...detection, category: 'graffiti' }, 'bad-category', '/category'],
    ['confidence over 1', { ...detection, confidence: 1.2 }, 'out-of-range', '/confidence must be <= 1'],
    ['a missing event id', { ...detection, eventId: undefined }, 'invalid', 'eventId'],
    ['an event id with a slash', { ...detection, eventId: 'a/b' }, 'invalid', '/eventId'],
    ['a bbox of three numbers', { ...detection, bbox: [0.1, 0.2, 0.3] }, 'invalid', '/bbox'],
    ['an extra field', { ...detection, plate: '粤S12345' }, 'unknown-field', 'plate'],
    ['a wrong version', { ...detection, v: 2 }, 'bad-version', '/v'],
  ])('refuse %s', (_what, payload, reason, inError) => {
    const result = validatePayload('events', 'camera', bytes(payload));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.error).toContain(inError);
  });

  it('refuse a detection on a terminal type that has no picture, naming what that type may send', () => {
    const result = validatePayload('events', 'water-level', bytes(detection));
    expect(result).toEqual({
      ok: false,
      reason: 'bad-event',
      error: '/event must name an event a water-level terminal sends (none), got "video-ai"',
    });
    const onLamp = validatePayload('events', 'lamp', bytes(detection));
    expect(onLamp.ok === false && onLamp.error).toContain('(lamp-fault, lamp-restored)');
  });
});

describe('device events', () => {
  it('accept the events of each type and refuse the others', () => {
    expect(DEVICE_EVENTS['cover-sensor']).toEqual(['cover-opened', 'cover-closed', 'cover-tilted']);
    expect(validatePayload('events', 'cover-sensor', bytes({ v: 1, ts: T, event: 'cover-tilted', tiltDeg: 14.5 })).ok).toBe(true);
    expect(validatePayload('events', 'lamp', bytes({ v: 1, ts: T, event: 'lamp-fault', code: 'LAMP_OPEN_CIRCUIT' })).ok).toBe(true);
    const badCode = validatePayload('events', 'lamp', bytes({ v: 1, ts: T, event: 'lamp-fault', code: 'BROKEN' }));
    expect(badCode.ok === false && badCode.error).toContain('/code');
    const tilt = validatePayload('events', 'cover-sensor', bytes({ v: 1, ts: T, event: 'cover-tilted', tiltDeg: 200 }));
    expect(tilt.ok === false && tilt.reason).toBe('out-of-range');
    const noEvent = validatePayload('events', 'lamp', bytes({ v: 1, ts: T }));
    expect(noEvent.ok === false && noEvent.reason).toBe('bad-event');
  });
});
