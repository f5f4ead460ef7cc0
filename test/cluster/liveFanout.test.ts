/**
 * Two server instances on one Mosquitto (in this process, SQLite each): the device messages are
 * divided between them by the shared subscription, each instance's changes reach the other, and
 * both instances' browsers end up seeing the same city. A QoS 1 resend is counted once, an alarm
 * is raised once in the cluster, and a restarted instance learns the state from the other.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../domain/live';
import { terminalTopic } from '../../domain/topics';
import { startServer, type RunningServer, type ServerOptions } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { foldLive, LiveClient, telemetryJson, waitFor } from '../server/helpers';

let broker: TestMosquitto;
let twin: TinyTwin;
let a: RunningServer;
let b: RunningServer;
let device: MqttClient;
const raised: Array<{ instance: string; alarm: Alarm }> = [];

const options = (instanceId: string): ServerOptions => ({
  twinDir: twin.dir,
  port: 0,
  mqttPort: 0,
  host: '127.0.0.1',
  mqttUrl: broker.url,
  instanceId,
  simulator: false,
  deltaIntervalMs: 50,
  auth: { passwordCostLog2: 10 },
});

async function start(instanceId: string): Promise<RunningServer> {
  const server = await startServer(options(instanceId));
  server.app.live.subscribeAlarms((alarm) => raised.push({ instance: instanceId, alarm }));
  return server;
}

describe.skipIf(!MOSQUITTO_AVAILABLE)('two instances on one broker', () => {
  beforeAll(async () => {
    broker = await startTestMosquitto();
    twin = await writeTinyTwin({ poles: 4 });
    a = await start('a');
    b = await start('b');
    await waitFor(() => a.app.cluster.members().length === 2 && b.app.cluster.members().length === 2, 5000, 'both instances to see each other');
    device = await mqtt.connectAsync(broker.url, { clientId: 'fanout-test-devices', reconnectPeriod: 0 }, false);
  });

  afterAll(async () => {
    await device?.endAsync();
    await a?.close();
    await b?.close();
    await twin?.cleanup();
    await broker?.remove();
  });

  it('divides the device messages between the instances and shows every change on both', async () => {
    const lamps = twin.terminals.filter((t) => t.type === 'lamp');
    const browserA = await LiveClient.connect(a.httpUrl);
    const browserB = await LiveClient.connect(b.httpUrl);
    const t0 = Date.now();
    let sent = 0;
    for (let round = 0; round < 25; round++) {
      for (const lamp of lamps) {
        await device.publishAsync(terminalTopic(lamp.id, 'telemetry'), telemetryJson({ on: true, powerW: 100 + round }, t0 + round), { qos: 1 });
        sent += 1;
      }
    }
    const health = async (server: RunningServer) => (await server.app.inject({ url: '/api/health' })).json();
    await waitFor(async () => (await health(a)).mqtt.messagesAccepted === sent && (await health(b)).mqtt.messagesAccepted === sent, 5000, 'both instances to count every message');
    const [ha, hb] = [await health(a), await health(b)];
    // Each took a share, and together exactly what was sent: none lost, none taken twice.
    expect(ha.instance.accepted).toBeGreaterThan(0);
    expect(hb.instance.accepted).toBeGreaterThan(0);
    expect(ha.instance.accepted + hb.instance.accepted).toBe(sent);
    expect(ha.instance.members).toEqual(['a', 'b']);

    for (const lamp of lamps) {
      for (const server of [a, b]) {
        const state = server.app.live.terminal(lamp.id)!;
        expect(state.status).toBe('normal');
        expect(state.values.powerW).toBe(124);
      }
    }
    await waitFor(() => lamps.every((l) => foldLive(browserA.messages).terminals.get(l.id) === 'normal' && foldLive(browserB.messages).terminals.get(l.id) === 'normal'), 5000, 'both browsers to show every lamp normal');
    await browserA.close();
    await browserB.close();
  });

  it('counts a QoS 1 resend once, on whichever instance it lands', async () => {
    const lamp = twin.terminals.find((t) => t.type === 'lamp')!;
    const payload = telemetryJson({ on: true, powerW: 140 }, Date.now());
    const before = a.app.live.counters().messagesAccepted;
    await device.publishAsync(terminalTopic(lamp.id, 'telemetry'), payload, { qos: 1 });
    await waitFor(() => a.app.live.counters().messagesAccepted === before + 1 && b.app.live.counters().messagesAccepted === before + 1, 5000, 'the first copy on both');
    // A resend comes after a lost acknowledgement, so later than the instances hand changes across.
    for (let i = 0; i < 3; i++) await device.publishAsync(terminalTopic(lamp.id, 'telemetry'), payload, { qos: 1 });
    await waitFor(() => a.app.live.localCounts().duplicates + b.app.live.localCounts().duplicates === 3, 5000, 'three resends recognised');
    await waitFor(() => a.app.live.counters().messagesAccepted === before + 1, 5000, 'one message counted');
  });

  it('raises an alarm once in the cluster and shows it on both instances', async () => {
    const water = twin.terminals.find((t) => t.type === 'water-level')!;
    raised.length = 0;
    await device.publishAsync(terminalTopic(water.id, 'telemetry'), telemetryJson({ depthCm: 40 }), { qos: 1 });
    const id = `${water.id}:water-level`;
    await waitFor(() => a.app.live.alarms().some((x) => x.id === id) && b.app.live.alarms().some((x) => x.id === id), 5000, 'the alarm on both');
    // Listeners (the case intake) hear it only where it was raised.
    expect(raised.filter((r) => r.alarm.id === id)).toHaveLength(1);
    await device.publishAsync(terminalTopic(water.id, 'telemetry'), telemetryJson({ depthCm: 2 }), { qos: 1 });
    await waitFor(() => !a.app.live.alarms().some((x) => x.id === id) && !b.app.live.alarms().some((x) => x.id === id), 5000, 'the alarm cleared on both');
  });

  it('lets a restarted instance learn the city from the other and share the work again', async () => {
    await b.close();
    await waitFor(() => a.app.cluster.members().length === 1, 5000, 'a to see b leave');
    const lamp = twin.terminals.find((t) => t.type === 'lamp')!;
    // While b is away a takes everything.
    await device.publishAsync(terminalTopic(lamp.id, 'telemetry'), telemetryJson({ on: true, powerW: 150 }), { qos: 1 });
    await waitFor(() => a.app.live.terminal(lamp.id)!.values.powerW === 150, 5000, 'a to take the message alone');
    b = await start('b');
    const known = twin.terminals.filter((t) => a.app.live.terminal(t.id)!.receivedAt > 0);
    await waitFor(() => known.every((t) => b.app.live.terminalStatus(t.id) === a.app.live.terminalStatus(t.id)), 5000, 'b to learn every terminal from a');
    expect(b.app.live.terminal(lamp.id)!.values.powerW).toBe(150);
    expect(b.app.live.counters().openAlarms).toBe(a.app.live.counters().openAlarms);
  });
});
