/**
 * Live publish → browser latency with and without device history, at a steady 2,000 msg/s: the
 * ingest benchmark's forked publisher (bench/ingest/publisher.ts: one MQTT client, one WebSocket
 * client matching each delta entry to its publish by terminal and device time) against a server
 * on a synthetic twin of 10,002 terminals, first with history off, then on (SQLite history.db).
 * Fewer connections than bench:live's 10,000 (one client carries all the traffic), so it measures
 * what history adds to the server's path, not the broker's connection handling.
 */
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin } from '../../test/fixtures/tinyTwin';
import { PublisherProcess } from '../ingest/publisherProcess';
import type { Distribution } from '../support/stats';
import { sleep } from '../support/stats';

export interface LiveLatency {
  history: boolean;
  sent: number;
  matched: number;
  latencyMs: Distribution | undefined;
}

const RATE = 2000;
const WARM_S = 5;

export async function liveLatency(history: boolean, durationS: number): Promise<LiveLatency> {
  const twin = await writeTinyTwin({ poles: 1667 });
  let server: RunningServer | undefined;
  let publisher: PublisherProcess | undefined;
  try {
    server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, history: history ? {} : false, logger: false });
    const terminals = server.app.twin.terminals.map((t) => ({ id: t.id, type: t.type }));
    const credential = server.app.broker.serviceCredential;
    publisher = await PublisherProcess.start({ type: 'init', mqttUrl: server.mqttUrl, mqttCredential: credential, httpUrl: server.httpUrl, terminals, seed: 42 });
    let id = 0;
    const run = async (seconds: number) => {
      const phase = ++id;
      const published = publisher!.next('published', phase, seconds * 1000 + 60_000);
      publisher!.send({ type: 'phase', id: phase, mode: 'pipeline', qos: 1, rate: RATE, durationS: seconds });
      const p = await published;
      const collected = publisher!.next('collected', phase, 30_000);
      publisher!.send({ type: 'collect', id: phase, waitMs: 1000 });
      return { sent: p.sent, c: await collected };
    };
    await run(WARM_S);
    await sleep(1000);
    const { sent, c } = await run(durationS);
    return { history, sent, matched: c.wsMatched, latencyMs: c.latencyMs };
  } finally {
    await publisher?.stop();
    await server?.close();
    await twin.cleanup();
  }
}
