/**
 * MQTT_URL: the server against an external broker, Debian's Mosquitto started by the test on a
 * free port. No embedded broker starts; the ingest, the simulated devices (each logging in as
 * itself, with its last will) and the video-AI simulator all dial Mosquitto. Skipped only when
 * the mosquitto binary is not installed (apt-get install mosquitto).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalTopic } from '../../domain/topics';
import { offlineWill } from '../../server/simulator/DeviceConnections';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { statusJson, waitFor } from '../server/helpers';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
if (!MOSQUITTO) console.warn('mosquitto is not installed: the external-broker tests are skipped (apt-get install mosquitto)');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let dir: string;
let broker: ChildProcess | undefined;
let brokerUrl: string;
let twin: TinyTwin;
let server: RunningServer | undefined;

describe.skipIf(!MOSQUITTO)('external broker (Mosquitto) via mqttUrl', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'citytwin-mosquitto-'));
    const port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    broker = spawn(MOSQUITTO!, ['-c', conf], { stdio: 'ignore' });
    await waitFor(() => accepting(port), 10_000, 'mosquitto to listen');
    brokerUrl = `mqtt://127.0.0.1:${port}`;
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
    broker?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
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
