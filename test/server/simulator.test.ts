/**
 * The device simulator against the real server: every terminal reports, every payload validates,
 * reports are spread out rather than bunched, and with a high fault rate the faults, the silences
 * (caught by the watchdog, which runs on the sped-up clock) and the recoveries all show up.
 */
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { validatePayload } from '../../domain/payloads';
import { INGEST_SUBSCRIPTIONS, parseTerminalTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from './helpers';

let twin: TinyTwin | undefined;
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  await twin?.cleanup();
  server = undefined;
  twin = undefined;
});

interface Health {
  mqtt: { messagesAccepted: number; messagesRejected: number };
  devices: { connected: number; offline: number; fault: number };
  simulator: { running: boolean; terminals: number; speedup: number; messagesPerSecond: number };
}

/** A tiny twin of 10 poles (one terminal of every type on each) served with the simulator on. */
async function serveWithSimulator(simulator: { speedup: number; faultRate: number; seed: number; videoEventsPerCameraHour?: number }): Promise<void> {
  twin = await writeTinyTwin({ poles: 10 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator });
}

async function health(): Promise<Health> {
  return (await (await fetch(`${server!.httpUrl}/api/health`)).json()) as Health;
}

describe('device simulator', () => {
  it('publishes valid telemetry for every terminal, evenly spread', async () => {
    await serveWithSimulator({ speedup: 50, faultRate: 0, seed: 3 });
    // Listen as a second, independent subscriber to see exactly what the devices send.
    const observer = await mqtt.connectAsync(server!.mqttUrl, { clientId: 'test-observer', ...server!.app.broker.serviceCredential, reconnectPeriod: 0 });
    const seen = new Map<string, number>();
    // Distinct status payloads per terminal: a retained copy delivered on subscribe can duplicate
    // a live one published at the same moment, so count payloads, not deliveries.
    const statuses = new Map<string, Set<string>>();
    const publishTimes: number[] = [];
    const invalid: string[] = [];
    observer.on('message', (topic, payload) => {
      const parsed = parseTerminalTopic(topic)!;
      const terminal = twin!.terminals.find((t) => t.id === parsed.terminalId)!;
      const result = validatePayload(parsed.kind, terminal.type, payload);
      if (!result.ok) invalid.push(`${topic}: ${result.error}`);
      if (parsed.kind === 'status') statuses.set(terminal.id, (statuses.get(terminal.id) ?? new Set()).add(String(payload)));
      if (parsed.kind === 'telemetry') {
        seen.set(terminal.id, (seen.get(terminal.id) ?? 0) + 1);
        // The device's own publish time: spreading is the simulator's job, delivery jitter is not.
        publishTimes.push((JSON.parse(String(payload)) as { ts: number }).ts);
      }
    });
    await observer.subscribeAsync(INGEST_SUBSCRIPTIONS, { qos: 1 });
    try {
      // Cover sensors report least often: 60 s / 50 = 1.2 s; devices connect in the background first.
      await waitFor(() => seen.size === twin!.terminals.length, 15_000, 'a report from every terminal');
      const steadyFrom = publishTimes.length;
      await new Promise((r) => setTimeout(r, 2000));
      expect(invalid).toEqual([]);

      const h = await health();
      expect(h.simulator).toMatchObject({ running: true, terminals: twin!.terminals.length, speedup: 50 });
      expect(h.devices.connected).toBe(twin!.terminals.length);
      expect(h.mqtt.messagesRejected).toBe(0);
      expect(h.mqtt.messagesAccepted).toBeGreaterThan(200);
      // Each device announces itself once (retained `online`), then sends only telemetry.
      expect(statuses.size).toBe(twin!.terminals.length);
      for (const payloads of statuses.values()) {
        expect([...payloads].map((p) => (JSON.parse(p) as { status: string }).status)).toEqual(['online']);
      }

      // Evenly spread once every device is connected: no 250 ms window holds much more than the
      // average (a window that long absorbs the scheduler's catching up after a stall of this loaded process).
      const steady = publishTimes.slice(steadyFrom).sort((a, b) => a - b);
      const first = steady[0]!;
      const windows = new Map<number, number>();
      for (const t of steady) windows.set(Math.floor((t - first) / 250), (windows.get(Math.floor((t - first) / 250)) ?? 0) + 1);
      const counts = [...windows.values()];
      const mean = steady.length / (Math.floor((steady.at(-1)! - first) / 250) + 1);
      expect(Math.max(...counts)).toBeLessThan(3 * mean + 3);
      // Traffic cameras (15 s / 50) report about 4× as often as cover sensors (60 s / 50).
      const traffic = seen.get('P00001-traffic-camera')!;
      const cover = seen.get('P00001-cover-sensor')!;
      expect(traffic / cover).toBeGreaterThan(2.5);
    } finally {
      await observer.endAsync();
    }
  });

  it('connects every device as itself, and simulates the video-AI system at cameras', async () => {
    // 36 detections per camera-hour × 20 cameras × 50 speed-up: 10 a second.
    await serveWithSimulator({ speedup: 50, faultRate: 0, seed: 7, videoEventsPerCameraHour: 36 });
    // One connection per terminal, the ingest's, the command service's, the emergency service's and the video-AI system's.
    await waitFor(() => server!.app.simulator.devicesConnected() === twin!.terminals.length, 30_000, 'every device connected');
    expect(server!.app.broker.clientsConnected()).toBe(twin!.terminals.length + 4);
    expect(server!.app.broker.refusals()).toEqual({ connections: 0, oversizePackets: 0, logins: 0, publishes: 0, subscriptions: 0 });
    const alarm = await waitFor(() => server!.app.live.alarms().find((a) => a.kind === 'video-ai'), 10_000, 'a video-ai alarm');
    expect(alarm.terminalType === 'camera' || alarm.terminalType === 'traffic-camera').toBe(true);
    expect(alarm.category).toBeDefined();
    expect(alarm.eventCode).toMatch(/^\d{4}$/);
    expect(server!.app.live.rejectReasons()).toEqual({});
  });

  it('faults, silences and recoveries flow through to the live state and alarms', async () => {
    await serveWithSimulator({ speedup: 200, faultRate: 0.05, seed: 11 });
    const live = server!.app.live;
    const kindsSeen = new Set<string>();
    let sawFault = false;
    let sawOffline = false;
    let sawRecovery = false;
    const openOffline = new Set<string>();
    await waitFor(
      () => {
        const c = live.counters();
        sawFault ||= c.terminalsFault > 0;
        sawOffline ||= c.terminalsOffline > 0;
        for (const a of live.alarms()) {
          kindsSeen.add(a.kind);
          if (a.kind === 'device-offline') openOffline.add(a.id);
        }
        // An offline alarm seen earlier that is no longer open: the terminal came back.
        const open = new Set(live.alarms().map((a) => a.id));
        sawRecovery ||= [...openOffline].some((id) => !open.has(id));
        return sawFault && sawOffline && sawRecovery;
      },
      15_000,
      'a fault, an offline terminal and a recovery',
    );
    expect(kindsSeen.has('device-offline')).toBe(true);
    expect([...kindsSeen].some((k) => k === 'lamp-fault' || k === 'device-fault')).toBe(true);
    expect((await health()).mqtt.messagesRejected).toBe(0);
  });
});
