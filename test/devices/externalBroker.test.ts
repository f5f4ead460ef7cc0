/**
 * MQTT_URL: the server against an external broker, Debian's Mosquitto started by the test on a
 * free port. No embedded broker starts; the ingest, the simulated devices (each logging in as
 * itself, with its last will) and the video-AI simulator all dial Mosquitto. Skipped only when
 * the mosquitto binary is not installed (apt-get install mosquitto).
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalTopic } from '../../domain/topics';
import { offlineWill } from '../../server/devices/simulator/DeviceConnections';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { statusJson, waitFor } from '../server/helpers';

let broker: TestMosquitto | undefined;
let brokerUrl: string;
let twin: TinyTwin;
let server: RunningServer | undefined;

describe.skipIf(!MOSQUITTO_AVAILABLE)('external broker (Mosquitto) via mqttUrl', () => {
  beforeAll(async () => {
    broker = await startTestMosquitto();
    brokerUrl = broker.url;
    twin = await writeTinyTwin({ poles: 4 });
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      mqttUrl: brokerUrl,
      simulator: { speedup: 100, faultRate: 0, seed: 5 },
    });
  });

  afterAll(async () => {
    await server?.close();
    await twin?.cleanup();
    await broker?.remove();
  });

  it('starts no embedded broker and ingests what the simulated devices send through Mosquitto', async () => {
    expect(server!.app.broker).toMatchObject({ embedded: false, url: brokerUrl, port: 0 });
    expect(server!.mqttUrl).toBe(brokerUrl);
    await waitFor(() => server!.app.live.counters().terminalsReporting === twin.terminals.length, 10_000, 'every terminal reporting');
    expect(server!.app.live.counters().messagesRejected).toBe(0);
  });

  it('marks a device offline by its last will through Mosquitto', async () => {
    const id = 'P00004-environment';
    const device = await mqtt.connectAsync(brokerUrl, { clientId: 'will-test', reconnectPeriod: 0, will: offlineWill(id) }, false);
    await device.publishAsync(terminalTopic(id, 'status'), statusJson('online'), { qos: 1, retain: true });
    // The simulated device with the same id keeps publishing; the will's retained `offline` lands in between.
    const seenOffline = new Promise<void>((resolve) => {
      const unsubscribe = server!.app.live.subscribeAlarms((a) => {
        if (a.id === `${id}:device-offline`) {
          unsubscribe();
          resolve();
        }
      });
    });
    device.stream.destroy();
    await seenOffline;
  });
});
