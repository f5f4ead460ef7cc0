/**
 * The live stream plugin on its own (twin + live + stream, real sockets): a browser that stops
 * reading is dropped once its backlog passes the bound, and the others keep receiving.
 */
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_WS_PATH, type DeltaMessage, type LiveMessage } from '../../domain/live';
import clusterPlugin from '../../server/cluster/plugin';
import livePlugin from '../../server/devices/state/plugin';
import streamPlugin from '../../server/devices/stream/plugin';
import twinPlugin from '../../server/twin/plugin';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { LiveClient, waitFor } from './helpers';

let twin: TinyTwin;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  // 400 poles × 6 terminals: a delta with every terminal is ~150 kB, so a stalled reader backs up fast.
  twin = await writeTinyTwin({ poles: 400 });
  app = Fastify();
  await app.register(twinPlugin, { dir: twin.dir });
  await app.register(clusterPlugin, {});
  await app.register(livePlugin, {});
  await app.register(streamPlugin, { deltaIntervalMs: 10, maxBufferedBytes: 256 * 1024 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await twin?.cleanup();
});

describe('live stream back-pressure', () => {
  it('drops a browser that stops reading, keeps serving the others', async () => {
    const healthy = await LiveClient.connect(url);
    // A WebSocket client that completes the handshake and then never reads again.
    const stalled = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    await once(stalled, 'connect');
    stalled.write(
      `GET ${LIVE_WS_PATH} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [handshake] = (await once(stalled, 'data')) as [Buffer];
    expect(handshake.toString()).toMatch(/^HTTP\/1\.1 101/);
    stalled.pause();
    await waitFor(() => app.stream.browsers() === 2, 2000, 'two browsers');

    // Every terminal reports every few milliseconds until the stalled one is dropped.
    let n = 0;
    const feeder = setInterval(() => {
      n += 1;
      const now = Date.now();
      for (const t of twin.terminals) {
        if (t.type === 'lamp') app.live.apply(t.id, 'telemetry', { v: 1, ts: now, values: { powerW: 100 + (n % 50) } }, now);
      }
    }, 5);
    try {
      await waitFor(() => app.stream.dropped() === 1, 20_000, 'the stalled browser to be dropped');
    } finally {
      clearInterval(feeder);
    }
    expect(app.stream.browsers()).toBe(1);
    stalled.resume();
    stalled.destroy();

    // The healthy browser saw an unbroken sequence and keeps getting deltas.
    const count = healthy.messages.length;
    app.live.apply('P00001-lamp', 'telemetry', { v: 1, ts: Date.now(), values: { powerW: 222 } }, Date.now());
    const last = (await healthy.next(
      (m: LiveMessage) => m.type === 'delta' && m.terminals.some((t) => t.id === 'P00001-lamp' && t.values?.powerW === 222),
    )) as DeltaMessage;
    expect(last.seq).toBeGreaterThan(count);
    const seqs = healthy.messages.map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await healthy.close();
  });
});
