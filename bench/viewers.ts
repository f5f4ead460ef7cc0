/**
 * `npm run bench:viewers`: what 500 live-socket viewers (an operation centre and its walls) cost
 * the API. The demo twin is served with its device simulator; `/api/health` is timed every 50 ms
 * with no viewer (the baseline, same run, same server), then while 500 sockets connect and read
 * every snapshot and delta. Goal: the health p90 with 500 viewers at most twice the baseline's
 * (before the shared snapshot and the per-address limit it was 5.7 s).
 */
import type { AddressInfo } from 'node:net';
import { LIVE_WS_PATH } from '../domain/live';
import { startServer } from '../server/index';
import { ChildHandle } from './support/childProcess';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo } from './support/machine';
import { writeResults } from './support/results';
import { type Distribution, distribution, percentile, round, sleep } from './support/stats';
import { table } from './support/table';
import { verdict as judge, verdictLine } from './support/verdict';
import type { FromViewers, ToViewers } from './viewers/protocol';

const VIEWERS = 500;
/** Loopback addresses the viewers come from: the server allows 64 sockets per address by default. */
const ADDRESSES = 10;
const PROBE_EVERY_MS = 50;
const PHASE_MS = 10_000;
const GOAL_RATIO = 2;

/** Times GET /api/health every PROBE_EVERY_MS for `ms`, one request at a time. */
async function probeHealth(url: string, ms: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/health`);
    await res.arrayBuffer();
    samples.push(performance.now() - t0);
    await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - t0)));
  }
  return samples;
}

const row = (name: string, d: Distribution | undefined): string[] => [name, String(d?.count ?? 0), ...[d?.p50, d?.p95, d?.p99, d?.max].map((v) => (v === undefined ? '–' : round(v, 1).toString()))];

export async function runViewersBench(log: (line: string) => void): Promise<unknown> {
  const machine = machineInfo();
  const twin = await openDemoTwin(log);
  log(`viewers: serving the demo twin (${twin.origin}) with its device simulator …`);
  const server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', logger: false });
  const httpUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const fleet = ChildHandle.fork<FromViewers, ToViewers>(new URL('./viewers/viewerFleet.ts', import.meta.url), { name: 'viewer fleet', stop: { type: 'stop' }, stopGraceMs: 5000 });
  try {
    await sleep(5000); // devices connect and start reporting
    log(`viewers: timing /api/health for ${PHASE_MS / 1000} s with no viewer …`);
    const baseline = await probeHealth(httpUrl, PHASE_MS);
    log(`viewers: ${VIEWERS} sockets from ${ADDRESSES} addresses connect and read; timing /api/health …`);
    const opened = fleet.ask({ type: 'open', wsUrl: httpUrl.replace(/^http/, 'ws') + LIVE_WS_PATH, sockets: VIEWERS, addresses: ADDRESSES }, 'opened', 120_000);
    const during = probeHealth(httpUrl, PHASE_MS);
    const open = await opened;
    const connecting = await during;
    const reading = await probeHealth(httpUrl, PHASE_MS);

    const base = distribution(baseline);
    const steady = distribution([...connecting, ...reading]);
    const p90 = (xs: readonly number[]): number => percentile(Float64Array.from(xs).sort(), 90);
    const baseP90 = p90(baseline);
    const withP90 = p90([...connecting, ...reading]);
    const ratio = withP90 / baseP90;
    const verdict = judge(
      `GET /api/health p90 with ${VIEWERS} live viewers ≤ ${GOAL_RATIO}× its p90 with none`,
      `${round(withP90, 1)} ms vs ${round(baseP90, 1)} ms = ${round(ratio, 2)}×`,
      ratio <= GOAL_RATIO,
      loadAvg1m(),
    );
    const lines = table(['GET /api/health (ms)', 'n', 'p50', 'p95', 'p99', 'max'], [
      row('no viewer (baseline)', base),
      row(`${VIEWERS} viewers connecting`, distribution(connecting)),
      row(`${VIEWERS} viewers reading`, distribution(reading)),
    ]);
    for (const line of lines) log(line);
    log(`viewers: ${open.sockets} sockets open with their snapshot in ${round(open.openMs / 1000, 2)} s; snapshot ${round(open.snapshotBytes / 1024, 1)} KiB; browsers seen by the server: ${server.app.stream.browsers()}`);
    log(verdictLine('viewers', verdict));
    const results = { machine, viewers: VIEWERS, addresses: ADDRESSES, baseline: base, withViewers: steady, openMs: open.openMs, snapshotBytes: open.snapshotBytes, p90Ratio: ratio, loadAvg1mEnd: loadAvg1m(), verdict };
    log(`viewers: wrote ${await writeResults('viewers', results)}`);
    return results;
  } finally {
    await fleet.stop().catch(() => undefined);
    await server.close();
    await twin.cleanup();
  }
}
