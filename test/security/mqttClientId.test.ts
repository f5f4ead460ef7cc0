/**
 * MQTT client ids are bound to the account on the embedded broker: a device's client id is its
 * terminal id (or `<terminal id>:<suffix>`), and no other account may use an id that names a
 * terminal. Before, a device could squat another's id (the real device then got "not authorised"
 * for as long as it stayed) and, with clean=false, take over its persistent session and receive
 * the messages queued for it — with device commands, its commands.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIDEO_AI_USERNAME } from '../../domain/devices';
import { commandTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from '../server/helpers';

let twin: TinyTwin;
let server: RunningServer;
const clients: MqttClient[] = [];

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 3 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deviceSecret: 'client-id-test-secret-0123' });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await server?.close();
  await twin?.cleanup();
});

async function connect(options: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(server.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...options }, false);
  clients.push(client);
  return client;
}

const device = (id: string) => server.app.broker.credentials.device(id);

describe('client ids bound to accounts', () => {
  it("refuses a device squatting another device's id while that device is away, and lets the owner in", async () => {
    await expect(connect({ clientId: 'P00001-lamp', ...device('P00002-lamp') })).rejects.toThrow(/Not authorized/i);
    await expect(connect({ clientId: 'P00001-lamp:spare', ...device('P00002-lamp') })).rejects.toThrow(/Not authorized/i);
    await expect(connect({ clientId: 'anything-else', ...device('P00002-lamp') })).rejects.toThrow(/Not authorized/i);
    const owner = await connect({ clientId: 'P00001-lamp', ...device('P00001-lamp') });
    expect(owner.connected).toBe(true);
    const second = await connect({ clientId: 'P00001-lamp:2', ...device('P00001-lamp') });
    expect(second.connected).toBe(true);
  });

  it('refuses the service and video-AI accounts an id that names a terminal', async () => {
    await expect(connect({ clientId: 'P00003-camera', ...server.app.broker.serviceCredential })).rejects.toThrow(/Not authorized/i);
    await expect(connect({ clientId: 'P00003-camera', ...server.app.broker.credentials.account(VIDEO_AI_USERNAME) })).rejects.toThrow(/Not authorized/i);
  });

  it("does not hand a device's persistent session, and the messages queued in it, to another device", async () => {
    const victimId = 'P00003-lamp';
    const victim = await connect({ clientId: victimId, clean: false, ...device(victimId) });
    await victim.subscribeAsync(commandTopic(victimId), { qos: 1 });
    await victim.endAsync();

    const service = await connect({ clientId: 'citytwin-test-service', ...server.app.broker.serviceCredential });
    await service.publishAsync(commandTopic(victimId), JSON.stringify({ v: 1, id: 'cmd-1', command: 'switch', on: false }), { qos: 1 });

    const stolen: string[] = [];
    await expect(
      (async () => {
        const thief = await connect({ clientId: victimId, clean: false, ...device('P00002-lamp') });
        thief.on('message', (_topic, payload) => stolen.push(String(payload)));
      })(),
    ).rejects.toThrow(/Not authorized/i);

    const received: string[] = [];
    const back = mqtt.connect(server.mqttUrl, { clientId: victimId, clean: false, reconnectPeriod: 0, ...device(victimId) });
    clients.push(back);
    back.on('message', (_topic, payload) => received.push(String(payload)));
    await waitFor(() => received.length > 0, 5000, 'the queued command');
    expect(JSON.parse(received[0]!)).toMatchObject({ id: 'cmd-1' });
    expect(stolen).toEqual([]);
  });
});
