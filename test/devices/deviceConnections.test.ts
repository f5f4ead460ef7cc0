/**
 * The simulated fleet's connections on the embedded broker: a device whose handshake fails while
 * the fleet opens (a refused or timed-out login on a loaded machine) must not stop the others and
 * must come back through `restore` — before, it stayed offline for good and its alarm never closed.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalTopic } from '../../domain/topics';
import { DeviceConnections } from '../../server/devices/simulator/DeviceConnections';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from '../server/helpers';

let twin: TinyTwin;
let server: RunningServer;
const fleets: DeviceConnections[] = [];

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 3 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deviceSecret: 'connections-test-secret-0123456789' });
});

afterAll(async () => {
  await Promise.all(fleets.map((f) => f.close()));
  await server?.close();
  await twin?.cleanup();
});

/** A fleet of the twin's terminals in which `refusedOnce` gets a wrong password on its first login. */
function fleet(refusedOnce: string): { connections: DeviceConnections; ids: string[]; errors: Error[] } {
  const ids = [...server.app.twin.terminalById.keys()];
  const errors: Error[] = [];
  let refused = false;
  const connections = new DeviceConnections({
    url: server.mqttUrl,
    terminalIds: ids,
    concurrency: 2,
    credentialFor: (id) => {
      const credential = server.app.broker.credentials.device(id);
      if (id !== refusedOnce || refused) return credential;
      refused = true;
      return { ...credential, password: 'wrong' };
    },
    onError: (err) => errors.push(err),
  });
  fleets.push(connections);
  return { connections, ids, errors };
}

describe('DeviceConnections', () => {
  it('opens the rest of the fleet past a failed handshake, and restore brings that device back', async () => {
    const { connections, ids, errors } = fleet(server.app.twin.terminalById.keys().next().value!);
    const failing = ids[0]!;
    await connections.open(Infinity, { keepGoing: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/bad username or password|Not authorized|Bad username/i);
    expect(connections.connected(failing)).toBe(false);
    for (const id of ids.slice(1)) expect(connections.connected(id), id).toBe(true);

    connections.restore(failing);
    await waitFor(() => connections.connected(failing), 10_000);
    expect(connections.size).toBe(ids.length);
    await connections.close(); // the next fleet uses the same client ids
  });

  it('restores a dropped device on one new session: repeated restores during the handshake fire no further wills', async () => {
    const { connections, ids } = fleet('none');
    await connections.open();
    const id = ids[0]!;
    const watcher = await mqtt.connectAsync(server.mqttUrl, { ...server.app.broker.serviceCredential, clientId: 'connections-test-watcher', reconnectPeriod: 0 }, false);
    const statuses: string[] = [];
    watcher.on('message', (_topic, payload) => statuses.push((JSON.parse(payload.toString()) as { status: string }).status));
    await watcher.subscribeAsync(terminalTopic(id, 'status'), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    statuses.length = 0; // the retained status

    connections.drop(id);
    await waitFor(() => !connections.connected(id) && statuses.includes('offline'), 10_000, 'the will');
    for (let i = 0; i < 5; i++) connections.restore(id);
    await waitFor(() => connections.connected(id), 10_000, 'the device back');
    // A displaced session would publish its will now; give it the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(statuses.filter((s) => s === 'offline')).toHaveLength(1);
    expect(connections.size).toBe(ids.length);
    await watcher.endAsync();
  });

  it('without keepGoing, the first failure rejects the opening (a wrong URL or secret is the caller\'s to hear)', async () => {
    const { connections, ids } = fleet([...server.app.twin.terminalById.keys()][1]!);
    await expect(connections.open(2)).rejects.toThrow();
    expect(connections.connected(ids[1]!)).toBe(false);
  });
});
