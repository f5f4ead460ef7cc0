/**
 * Device history end to end: readings, status messages and events published by a real MQTT client
 * to the embedded broker, written by the recorder, read back through the HTTP API — raw exactly,
 * rollups against count/min/max/mean/last computed here — plus the alarms they raised, the
 * snapshot at an instant, the fleet's health, CSV, and every refusal naming its field.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmHistory, DeviceHealthHistory, HistoryPoint, HistorySnapshot, TerminalHistory } from '../../domain/history';
import { terminalTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { statusJson, telemetryJson, waitFor } from '../server/helpers';

let twin: TinyTwin;
let server: RunningServer;
let device: MqttClient;

const WATER = 'P00001-water-level';
const COVER = 'P00002-cover-sensor';
const MINUTE = 60_000;
/** Readings start at a minute boundary 20 minutes ago and come every 7 s: several buckets, uneven counts. */
const T0 = Math.floor((Date.now() - 20 * MINUTE) / MINUTE) * MINUTE;
const readings = Array.from({ length: 40 }, (_, i) => ({ t: T0 + i * 7000, depthCm: Math.round((5 + 20 * Math.sin(i / 5) ** 2) * 10) / 10 }));
/** Published out of order on purpose: the store keeps device time, and `last` is the latest by device time. */
const shuffled = [...readings].sort((a, b) => ((a.t / 1000) % 13) - ((b.t / 1000) % 13));

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 3 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, history: { flushIntervalMs: 200 } });
  device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'test-history-device', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
  for (const r of shuffled) await device.publishAsync(terminalTopic(WATER, 'telemetry'), telemetryJson({ depthCm: r.depthCm }, r.t), { qos: 1 });
  await device.publishAsync(terminalTopic(COVER, 'events'), JSON.stringify({ v: 1, ts: T0 + 1000, event: 'cover-opened' }), { qos: 1 });
  await device.publishAsync(terminalTopic(COVER, 'events'), JSON.stringify({ v: 1, ts: T0 + 2000, event: 'cover-closed' }), { qos: 1 });
  await device.publishAsync(terminalTopic('P00003-lamp', 'status'), statusJson('fault', 'E01'), { qos: 1 });
  await waitFor(() => server.app.live.counters().messagesAccepted === readings.length + 3, 10_000, 'every message');
  await server.app.historyRecorder!.flush();
});

afterAll(async () => {
  await device?.endAsync();
  await server?.close();
  await twin?.cleanup();
});

async function get<T>(url: string): Promise<{ status: number; body: T; text: string; type: string }> {
  const res = await fetch(`${server.httpUrl}${url}`);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? JSON.parse(text) : undefined) as T, text, type };
}

function expectedBuckets(width: number): HistoryPoint[] {
  const groups = new Map<number, typeof readings>();
  for (const r of readings) {
    const t = Math.floor(r.t / width) * width;
    groups.set(t, [...(groups.get(t) ?? []), r]);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([t, rs]) => {
      const values = rs.map((r) => r.depthCm);
      const latest = rs.reduce((a, b) => (b.t > a.t ? b : a));
      return { t, count: rs.length, min: Math.min(...values), max: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length, last: latest.depthCm };
    });
}

const closeTo = (points: HistoryPoint[]) => points.map((p) => ({ ...p, mean: expect.closeTo(p.mean, 9) as unknown as number }));

describe('terminal history through the API', () => {
  const range = `from=${T0}&to=${T0 + 10 * MINUTE}`;

  it('returns every raw reading exactly, in device-time order', async () => {
    const { status, body } = await get<TerminalHistory>(`/api/terminals/${WATER}/history?field=depthCm&${range}&step=raw`);
    expect(status).toBe(200);
    expect(body.step).toBe('raw');
    expect(body.points).toEqual(readings.map((r) => ({ t: r.t, count: 1, min: r.depthCm, max: r.depthCm, mean: r.depthCm, last: r.depthCm })));
  });

  it('rolls readings up per minute and per hour as computed here', async () => {
    const minute = await get<TerminalHistory>(`/api/terminals/${WATER}/history?field=depthCm&${range}&step=1m`);
    expect(minute.body.points).toEqual(closeTo(expectedBuckets(MINUTE)));
    const hour = await get<TerminalHistory>(`/api/terminals/${WATER}/history?field=depthCm&from=${T0 - 3_600_000}&to=${T0 + 10 * MINUTE}&step=1h`);
    expect(hour.body.points).toEqual(closeTo(expectedBuckets(3_600_000)));
  });

  it('keeps events and status changes as series of their own', async () => {
    const events = await get<TerminalHistory>(`/api/terminals/${COVER}/history?field=events&${range}&step=raw`);
    expect(events.body.points.map((p) => [p.t, p.last])).toEqual([[T0 + 1000, 1], [T0 + 2000, 1]]);
    const status = await get<TerminalHistory>(`/api/terminals/P00003-lamp/history?field=status&step=raw`);
    // LIVE_STATUSES: unknown, normal, warning, fault, offline.
    expect(status.body.points.map((p) => p.last)).toEqual([3]);
  });

  it('answers CSV with format=csv', async () => {
    const { status, text, type } = await get<never>(`/api/terminals/${WATER}/history?field=depthCm&${range}&step=raw&format=csv`);
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('t,count,min,max,mean,last');
    expect(lines[1]).toBe(`${readings[0]!.t},1,${readings[0]!.depthCm},${readings[0]!.depthCm},${readings[0]!.depthCm},${readings[0]!.depthCm}`);
    expect(lines).toHaveLength(readings.length + 1);
  });

  it('refuses bad queries, naming the field', async () => {
    const cases: Array<[string, number, RegExp]> = [
      [`/api/terminals/P09999-lamp/history?field=powerW`, 404, /terminal "P09999-lamp" not found/],
      [`/api/terminals/${WATER}/history?field=powerW`, 400, /querystring\/field "powerW" is not one of a water-level's/],
      [`/api/terminals/${WATER}/history?field=depthCm&from=${T0 + 1}&to=${T0}`, 400, /querystring\/from \(\d+\) is after querystring\/to/],
      [`/api/terminals/${WATER}/history?field=depthCm&from=${T0 - 30 * 86_400_000}&to=${T0}&step=raw`, 400, /querystring\/from .* is before the oldest raw history kept/],
      [`/api/terminals/${WATER}/history?field=depthCm&from=${T0 - 30 * 86_400_000}&to=${T0}&step=1m`, 400, /querystring\/step 1m gives more than 10000 points/],
      [`/api/history/snapshot?at=${T0 - 10 * 365 * 86_400_000}`, 400, /querystring\/at .* is before the oldest history kept/],
    ];
    for (const [url, code, message] of cases) {
      const res = await get<{ message: string }>(url);
      expect(res.status, url).toBe(code);
      expect(res.body.message, url).toMatch(message);
    }
  });

  it('refuses a raw range with more than 10,000 readings, naming step', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ terminalId: 'P00002-lamp', field: 'powerW', t: T0 + i, value: i }));
    await server.app.history!.store.write({ readings: many, rollups: { '1m': [], '1h': [] }, alarmsOpened: [], alarmsClosed: [] });
    const res = await get<{ message: string }>(`/api/terminals/P00002-lamp/history?field=powerW&from=${T0}&to=${T0 + 20_000}&step=raw`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/querystring\/step raw gives more than 10000 points/);
  });
});

describe('city-wide history through the API', () => {
  it('counts the alarms the readings raised and cleared', async () => {
    // depthCm over 15 raises the water-level alarm, a reading back at or under 15 clears it, in
    // the order the live state applied them (arrival order).
    let opened = 0;
    let closed = 0;
    let over = false;
    for (const r of shuffled) {
      if (r.depthCm > 15 && !over) opened += 1;
      if (r.depthCm <= 15 && over) closed += 1;
      over = r.depthCm > 15;
    }
    expect(opened).toBeGreaterThan(1);
    const { body } = await get<AlarmHistory>(`/api/history/alarms?step=1h&groupBy=kind`);
    expect(body.buckets.every((b) => b.t % 3_600_000 === 0)).toBe(true);
    const sum = (group: string, key: 'opened' | 'closed') => body.buckets.filter((b) => b.group === group).reduce((n, b) => n + b[key], 0);
    expect([sum('water-level', 'opened'), sum('water-level', 'closed')]).toEqual([opened, closed]);
    expect([sum('lamp-fault', 'opened'), sum('lamp-fault', 'closed')]).toEqual([1, 0]);
    // The cover's opened and closed events raised and cleared its cover-open alarm.
    expect([sum('cover-open', 'opened'), sum('cover-open', 'closed')]).toEqual([1, 1]);
    const none = await get<AlarmHistory>(`/api/history/alarms?step=1d&groupBy=none`);
    expect(none.body.buckets.map((b) => b.group)).toEqual(['all']);
    expect(none.body.buckets[0]).toMatchObject({ opened: opened + 2, closed: closed + 1 });
  });

  it('puts every terminal back as it was at an instant', async () => {
    const now = await get<HistorySnapshot>(`/api/history/snapshot`);
    expect(now.status, now.text).toBe(200);
    const live = server.app.live.snapshot();
    expect(new Map(now.body.terminals)).toEqual(new Map(live.terminals));
    expect(new Map(now.body.poles)).toEqual(new Map(live.poles));
    expect(now.body.alarms.map((a) => a.id).sort()).toEqual(live.alarms.map((a) => a.id).sort());
    const before = await get<HistorySnapshot>(`/api/history/snapshot?at=${T0 - MINUTE}`);
    expect(before.body.terminals.every(([, s]) => s === 'unknown')).toBe(true);
    expect(before.body.alarms).toEqual([]);
  });

  it('gives the fleet online rate per hour', async () => {
    const { body } = await get<DeviceHealthHistory>(`/api/history/devices?step=1h&from=${Date.now() - 3_600_000}`);
    const last = body.buckets.at(-1)!;
    // Three terminals were heard of: the water sensor, the cover sensor and the faulty lamp (online, in fault).
    expect(last).toMatchObject({ terminals: 3, online: 3, fault: 1, onlineRate: 1 });
  });
});
