/**
 * The live WebSocket has a per-address connection limit (500 reading sockets from one address
 * used to push /api/health p90 to 5.7 s), and the snapshot is serialised once and shared by the
 * sockets that connect between two delta batches, then renewed after the next batch.
 */
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_WS_PATH } from '../../domain/live';
import { terminalTopic } from '../../domain/topics';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { telemetryJson, waitFor } from '../server/helpers';

const PER_ADDRESS = 3;
let twin: TinyTwin;
let server: RunningServer;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 2 });
  server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deltaIntervalMs: 100, liveSocketsPerAddress: PER_ADDRESS });
});

afterAll(async () => {
  for (const s of sockets) s.terminate();
  await server?.close();
  await twin?.cleanup();
});

/** Opens a socket and resolves with its first message (the snapshot) as text, or rejects with the HTTP status of a refused upgrade. */
function open(): Promise<{ socket: WebSocket; snapshot: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH);
    sockets.push(socket);
    socket.once('message', (data, isBinary) => (isBinary ? reject(new Error('snapshot sent as binary')) : resolve({ socket, snapshot: String(data) })));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

describe('live sockets per address', () => {
  it('refuses the socket past the limit with 429 and admits one again after a close', async () => {
    const first = await Promise.all(Array.from({ length: PER_ADDRESS }, () => open()));
    await expect(open()).rejects.toThrow('HTTP 429');
    first[0]!.socket.close();
    await waitFor(async () => {
      try {
        sockets.push((await open()).socket);
        return true;
      } catch {
        return false;
      }
    }, 5000, 'a free slot');
    for (const s of sockets) s.terminate();
    await waitFor(() => server.app.stream.browsers() === 0, 5000, 'all closed');
  });
});

describe('the shared snapshot', () => {
  it('is the same for sockets between two batches and follows the next batch', async () => {
    const a = await open();
    const b = await open();
    expect(JSON.parse(a.snapshot)).toMatchObject({ type: 'snapshot', counters: { messagesAccepted: 0 } });
    const device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'snapshot-test', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
    try {
      await device.publishAsync(terminalTopic('P00001-lamp', 'telemetry'), telemetryJson({ on: true, powerW: 77 }), { qos: 1 });
    } finally {
      await device.endAsync();
    }
    await waitFor(() => server.app.live.terminal('P00001-lamp')?.values.powerW === 77, 5000, 'the reading');
    a.socket.terminate();
    b.socket.terminate();
    // Once a batch with the reading went out, a new socket's snapshot has it.
    const later = await waitFor(async () => {
      const c = await open();
      c.socket.terminate();
      const accepted = (JSON.parse(c.snapshot) as { counters: { messagesAccepted: number } }).counters.messagesAccepted;
      return accepted === 1 ? c.snapshot : false;
    }, 5000, 'a snapshot with the reading');
    expect(later).not.toBe(a.snapshot);
    expect(a.snapshot).toBe(b.snapshot);
  });
});
