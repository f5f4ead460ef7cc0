/**
 * Live benchmark: thousands of devices, each on its own authenticated MQTT connection, reporting
 * every 5 s through the real server (embedded broker with ACLs → ingest → live state → WebSocket).
 *
 * The server (startServer, simulator off) runs in this process on a synthetic twin of 10,002
 * terminals (1,667 poles × 6 types along one road). A forked fleet (live/fleet.ts) holds one
 * mqtt.js connection per device — 1,000, then 10,000, no multiplexing — and both observers.
 *
 * Phases:
 *   steady 1k / 10k   each device publishes QoS 1 telemetry every 5 s, spread evenly, for 15 s.
 *                     Reported: ingest accepted msg/s (app.live counters over the publishing
 *                     window) and publish → WebSocket-delta latency p50/p99 at a browser.
 *   saturate 10k      the same 10,000 connections publish as fast as the broker acknowledges (at
 *                     most 2,000 unacknowledged) for 5 s: the most the pipeline takes in.
 * Baseline, measured in the same phases on the same broker: a bare mqtt.js subscriber on the
 * same topics (the raw broker pass-through), its message rate and publish → receipt latency.
 * Ratios: ingest msg/s ÷ pass-through msg/s (target ≥ 0.5) and WebSocket p99 beside the
 * pass-through p99 (target: WebSocket p99 < 250 ms at 10k devices every 5 s).
 *
 * The live stream batches deltas every DELTA_INTERVAL_MS, so the browser latency includes up to
 * one interval of batching by design.
 */
import { SERVICE_USERNAME } from '../domain/devices';
import { startServer, type RunningServer } from '../server/index';
import { writeTinyTwin, type TinyTwin } from '../test/fixtures/tinyTwin';
import { FleetProcess } from './live/fleetProcess';
import type { CollectedMessage } from './live/protocol';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { round, sleep, type Distribution } from './support/stats';
import { fmt, table } from './support/table';

const DEVICE_COUNTS = [1000, 10_000];
const REPORT_INTERVAL_MS = 5000;
const STEADY_S = 15;
const SATURATE_S = 5;
const SATURATE_WINDOW = 2000;
const DELTA_INTERVAL_MS = 100;
/** Between phases: wait for the ingest to catch up, up to this long, or until it stops moving. */
const DRAIN_CAP_MS = 30_000;
const DRAIN_STALL_MS = 2000;
/** Terminals per pole in the synthetic twin (one of each type). */
const TERMINALS_PER_POLE = 6;

export interface LivePhaseResult {
  phase: string;
  devices: number;
  offeredPerS: number | undefined;
  sent: number;
  sentPerS: number;
  ingestPerS: number;
  passThroughPerS: number;
  /** ingest ÷ pass-through; undefined when the pass-through received nothing in the window. */
  rateRatio: number | undefined;
  acked: number;
  wsLatencyMs: Distribution | undefined;
  passThroughLatencyMs: Distribution | undefined;
  serverRssMiB: number;
  loadAvg1m: number;
}

export interface LiveBenchResults {
  machine: MachineInfo;
  terminals: number;
  deltaIntervalMs: number;
  connect: Array<{ devices: number; seconds: number; fleetRssMiB: number; brokerClients: number }>;
  phases: LivePhaseResult[];
  targets: { p99Under250msAt10k: boolean; ingestAtLeastHalfOfPassThrough: boolean };
}

export async function runLiveBench(log: (line: string) => void): Promise<LiveBenchResults> {
  const machine = machineInfo();
  log(`live: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAvg1m}`);
  const maxDevices = Math.max(...DEVICE_COUNTS);
  let twin: TinyTwin | undefined;
  let server: RunningServer | undefined;
  let fleet: FleetProcess | undefined;
  try {
    twin = await writeTinyTwin({ poles: Math.ceil(maxDevices / TERMINALS_PER_POLE) });
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      simulator: false,
      deltaIntervalMs: DELTA_INTERVAL_MS,
      logger: false,
    });
    const app = server.app;
    const credentials = app.broker.credentials;
    const devices = twin.terminals.slice(0, maxDevices).map((t) => ({ id: t.id, type: t.type, password: credentials.device(t.id).password }));
    log(`live: synthetic twin of ${twin.terminals.length} terminals; server on ${server.httpUrl}, broker ${server.mqttUrl}`);

    fleet = new FleetProcess();
    const ready = await fleet.ask(
      { type: 'init', mqttUrl: server.mqttUrl, httpUrl: server.httpUrl, devices, service: credentials.account(SERVICE_USERNAME), seed: 42 },
      'ready',
      30_000,
    );
    if (ready.snapshotTerminals !== twin.terminals.length) throw new Error(`snapshot has ${ready.snapshotTerminals} terminals, the twin ${twin.terminals.length}`);

    const connect: LiveBenchResults['connect'] = [];
    const phases: LivePhaseResult[] = [];
    let phaseId = 0;
    let sentSoFar = 0;

    /** Waits until the ingest has taken in everything sent so far, or stops making progress. */
    const drain = async (): Promise<void> => {
      let last = -1;
      let stalledSince = Date.now();
      const deadline = Date.now() + DRAIN_CAP_MS;
      for (;;) {
        const accepted = app.live.counters().messagesAccepted;
        if (accepted >= sentSoFar || Date.now() > deadline) return;
        if (accepted !== last) {
          last = accepted;
          stalledSince = Date.now();
        } else if (Date.now() - stalledSince > DRAIN_STALL_MS) {
          return;
        }
        await sleep(100);
      }
    };

    const runPhase = async (name: string, count: number, mode: 'steady' | 'saturate'): Promise<void> => {
      // A backlog left by the previous phase would be counted against this one.
      await drain();
      const id = ++phaseId;
      const durationS = mode === 'steady' ? STEADY_S : SATURATE_S;
      const started = fleet!.ask(
        { type: 'phase', id, mode, count, intervalMs: REPORT_INTERVAL_MS, durationS, window: SATURATE_WINDOW },
        'started',
        10_000,
      );
      await started;
      const acceptedBefore = app.live.counters().messagesAccepted;
      const published = await fleet!.next('published', (durationS + 30) * 1000);
      sentSoFar += published.sent;
      const acceptedInWindow = app.live.counters().messagesAccepted - acceptedBefore;
      const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
      const collected: CollectedMessage = await fleet!.ask({ type: 'collect', id, waitMs: 1500 }, 'collected', 60_000);
      const ingestPerS = acceptedInWindow / published.seconds;
      const passThroughPerS = published.bareInWindow / published.seconds;
      phases.push({
        phase: name,
        devices: count,
        offeredPerS: mode === 'steady' ? (count * 1000) / REPORT_INTERVAL_MS : undefined,
        sent: published.sent,
        sentPerS: round(published.sent / published.seconds),
        ingestPerS: round(ingestPerS),
        passThroughPerS: round(passThroughPerS),
        rateRatio: passThroughPerS > 0 ? round(ingestPerS / passThroughPerS, 3) : undefined,
        acked: collected.acked,
        wsLatencyMs: collected.wsLatencyMs,
        passThroughLatencyMs: collected.bareLatencyMs,
        serverRssMiB: rssMiB,
        loadAvg1m: loadAvg1m(),
      });
    };

    for (const count of DEVICE_COUNTS) {
      const c = await fleet.ask({ type: 'connect', count }, 'connected', 180_000);
      connect.push({ devices: count, seconds: round(c.seconds, 2), fleetRssMiB: c.rssMiB, brokerClients: app.broker.clientsConnected() });
      log(`live: ${fmt(count)} devices connected in ${c.seconds.toFixed(1)} s (broker clients ${fmt(app.broker.clientsConnected())}, fleet RSS ${c.rssMiB} MiB)`);
      await runPhase(`steady ${count / 1000}k`, count, 'steady');
    }
    await runPhase(`saturate ${maxDevices / 1000}k`, maxDevices, 'saturate');

    const lat = (d: Distribution | undefined, key: 'p50' | 'p99') => (d ? fmt(d[key], 0) : '–');
    log('');
    for (const line of table(
      ['phase', 'devices', 'offered/s', 'sent/s', 'ingest/s', 'broker/s', 'ingest÷broker', 'WS p50 ms', 'WS p99 ms', 'broker p50', 'broker p99'],
      phases.map((p) => [
        p.phase,
        p.devices,
        p.offeredPerS,
        p.sentPerS,
        p.ingestPerS,
        p.passThroughPerS,
        p.rateRatio === undefined ? '–' : `${p.rateRatio.toFixed(2)}×`,
        lat(p.wsLatencyMs, 'p50'),
        lat(p.wsLatencyMs, 'p99'),
        lat(p.passThroughLatencyMs, 'p50'),
        lat(p.passThroughLatencyMs, 'p99'),
      ]),
    )) {
      log(line);
    }
    const steady10k = phases.find((p) => p.phase === `steady ${maxDevices / 1000}k`);
    const saturate = phases.find((p) => p.phase.startsWith('saturate'));
    const targets = {
      p99Under250msAt10k: (steady10k?.wsLatencyMs?.p99 ?? Infinity) < 250,
      ingestAtLeastHalfOfPassThrough: (saturate?.rateRatio ?? 0) >= 0.5,
    };
    log('');
    log(`live: WebSocket batching ${DELTA_INTERVAL_MS} ms; broker = bare subscriber on the same broker, same run`);
    log(`live: targets — WS p99 < 250 ms at 10k: ${targets.p99Under250msAt10k ? 'met' : 'NOT met'}; ingest ≥ ½ broker rate when saturated: ${targets.ingestAtLeastHalfOfPassThrough ? 'met' : 'NOT met'}`);
    const results: LiveBenchResults = { machine, terminals: twin.terminals.length, deltaIntervalMs: DELTA_INTERVAL_MS, connect, phases, targets };
    log(`live: wrote ${await writeResults('live', results)}`);
    return results;
  } finally {
    await fleet?.stop();
    await server?.close();
    await twin?.cleanup();
  }
}
