/**
 * Live benchmark: thousands of devices, each on its own authenticated MQTT connection, reporting
 * every 5 s through the real server (embedded broker with ACLs → ingest → live state → WebSocket).
 *
 * The server (startServer, simulator off, the shipped WebSocket batching unless
 * CITYTWIN_DELTA_INTERVAL_MS says otherwise) runs in this process on a synthetic twin of 10,002
 * terminals (1,667 poles × 6 types along one road). A forked fleet (live/fleet.ts) holds one
 * mqtt.js connection per device — 1,000, then 10,000, no multiplexing — and both observers.
 *
 * Phases, in this order (the baseline first, on a broker that has seen nothing else; 5 s to settle
 * after each connect):
 *   broker alone       (described below)
 *   steady 1k / 10k    each device publishes QoS 1 telemetry every 5 s, spread evenly, for 15 s,
 *                      into the server's broker with both observers attached: publish → browser
 *                      (WebSocket delta) and publish → bare subscriber latency p50/p99.
 *   pipeline alone     the same 10,000 connections publish as fast as the broker acknowledges (at
 *                      most 2,000 unacknowledged) for 5 s into the server, the bare subscriber
 *                      detached: the most the whole pipeline takes in (ingest accepted/s).
 *   broker alone       the baseline: the fleet moves its 10,000 connections to a second embedded
 *                      broker in this process (the same EmbeddedAedes, the same credentials, ACLs and
 *                      limits) whose only subscriber is a bare mqtt.js client in this process too —
 *                      where the server's ingest sits beside the server's broker, not in the busy
 *                      fleet — and saturates it the same way: the raw limit of the broker with
 *                      nothing behind it (subscriber received/s).
 * Ratio: pipeline alone ÷ broker alone (goal ≥ 0.5). Latency goal: browser p99 < 250 ms at 10k
 * devices every 5 s with the shipped batching (issue 4). The stream batches deltas every delta
 * interval, so the browser latency includes up to one interval of batching by design.
 */
import { SERVICE_USERNAME } from '../domain/devices';
import { DeviceCredentials } from '../server/devices/broker/credentials';
import { EmbeddedAedes } from '../server/devices/broker/EmbeddedAedes';
import { DEFAULT_DELTA_INTERVAL_MS } from '../server/devices/stream/plugin';
import { startServer, type RunningServer } from '../server/index';
import { INGEST_SUBSCRIPTIONS } from '../domain/topics';
import { writeTinyTwin, type TinyTwin } from '../test/fixtures/tinyTwin';
import { BareSubscriber } from './ingest/bareSubscriber';
import { FleetProcess } from './live/fleetProcess';
import type { CollectedMessage } from './live/protocol';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round, sleep, type Distribution } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

const DEVICE_COUNTS = [1000, 10_000];
const REPORT_INTERVAL_MS = 5000;
const STEADY_S = 15;
const SATURATE_S = 5;
const SATURATE_WINDOW = 2000;
/** Between phases: wait for the ingest to catch up, up to this long, or until it stops moving. */
const DRAIN_CAP_MS = 30_000;
const DRAIN_STALL_MS = 2000;
/** Terminals per pole in the synthetic twin (one of each type). */
const TERMINALS_PER_POLE = 6;
/** Both brokers derive the device passwords from this, so one fleet logs in to either. */
const DEVICE_SECRET = 'bench-live-device-secret-0001';
const GOAL_P99_MS = 250;
/** After connecting a fleet, before publishing: let the connection churn finish. */
const SETTLE_MS = 5000;
const GOAL_RATIO = 0.5;

/** Where the messages went: the whole server with both observers, the server alone, the bare broker alone. */
type Target = 'server + subscriber' | 'pipeline alone' | 'broker alone';

export interface LivePhaseResult {
  phase: string;
  target: Target;
  devices: number;
  offeredPerS: number | undefined;
  sent: number;
  sentPerS: number;
  /** Accepted by the ingest per second while publishing (0 on the broker alone). */
  ingestPerS: number;
  /** Received by the bare subscriber per second while publishing (0 when it was detached). */
  passThroughPerS: number;
  acked: number;
  wsLatencyMs: Distribution | undefined;
  passThroughLatencyMs: Distribution | undefined;
  serverRssMiB: number;
  loadAvg1m: number;
}

export interface LiveBenchResults {
  benchmark: 'live';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  terminals: number;
  deltaIntervalMs: number;
  shippedDeltaIntervalMs: number;
  connect: Array<{ devices: number; broker: string; seconds: number; fleetRssMiB: number; brokerClients: number }>;
  phases: LivePhaseResult[];
  /** Pipeline alone ÷ broker alone, both saturated by the same 10k connections. */
  rateRatio: number | undefined;
  verdict: Verdict;
  verdicts: { p99: Verdict; rate: Verdict };
}

/** Waits until the subscriber has stopped receiving (its backlog delivered), up to the drain cap. */
async function settleSubscriber(subscriber: BareSubscriber): Promise<void> {
  const deadline = Date.now() + DRAIN_CAP_MS;
  let last = -1;
  while (subscriber.received !== last && Date.now() < deadline) {
    last = subscriber.received;
    await sleep(DRAIN_STALL_MS);
  }
}

/** CITYTWIN_DELTA_INTERVAL_MS, as `citytwin serve` reads it; the shipped default without it. */
function deltaInterval(): number {
  const raw = process.env.CITYTWIN_DELTA_INTERVAL_MS;
  if (!raw) return DEFAULT_DELTA_INTERVAL_MS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 5000) throw new Error(`CITYTWIN_DELTA_INTERVAL_MS must be an integer from 10 to 5000, got "${raw}"`);
  return n;
}

export async function runLiveBench(log: (line: string) => void): Promise<LiveBenchResults> {
  const machine = machineInfo();
  const deltaIntervalMs = deltaInterval();
  log(`live: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAvg1m}; WebSocket batching ${deltaIntervalMs} ms${deltaIntervalMs === DEFAULT_DELTA_INTERVAL_MS ? ' (the shipped default)' : ` (CITYTWIN_DELTA_INTERVAL_MS; shipped ${DEFAULT_DELTA_INTERVAL_MS})`}`);
  const maxDevices = Math.max(...DEVICE_COUNTS);
  let twin: TinyTwin | undefined;
  let server: RunningServer | undefined;
  let bareBroker: EmbeddedAedes | undefined;
  let bareSubscriber: BareSubscriber | undefined;
  let fleet: FleetProcess | undefined;
  try {
    twin = await writeTinyTwin({ poles: Math.ceil(maxDevices / TERMINALS_PER_POLE) });
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      simulator: false,
      deviceSecret: DEVICE_SECRET,
      deltaIntervalMs,
      logger: false,
    });
    const app = server.app;
    const credentials = app.broker.credentials;
    // The baseline broker: the server's own broker class with the same credentials and limits, nothing subscribed but the bare subscriber.
    bareBroker = await EmbeddedAedes.start({
      port: 0,
      host: '127.0.0.1',
      maxConnections: 50_000,
      maxPacketBytes: 64 * 1024,
      credentials: new DeviceCredentials(DEVICE_SECRET),
      typeOf: (id) => app.twin.terminalById.get(id)?.type,
      log: { debug: () => undefined, error: () => undefined },
    });
    const devices = twin.terminals.slice(0, maxDevices).map((t) => ({ id: t.id, type: t.type, password: credentials.device(t.id).password }));
    log(`live: synthetic twin of ${twin.terminals.length} terminals; server on ${server.httpUrl}, broker ${server.mqttUrl}; bare broker ${bareBroker.url}`);

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
    let sentToServer = 0;

    /** Waits until the ingest has taken in everything sent to the server so far, or stops making progress. */
    const drain = async (): Promise<void> => {
      let last = -1;
      let stalledSince = Date.now();
      const deadline = Date.now() + DRAIN_CAP_MS;
      for (;;) {
        const accepted = app.live.counters().messagesAccepted;
        if (accepted >= sentToServer || Date.now() > deadline) return;
        if (accepted !== last) {
          last = accepted;
          stalledSince = Date.now();
        } else if (Date.now() - stalledSince > DRAIN_STALL_MS) {
          return;
        }
        await sleep(100);
      }
    };

    const connectFleet = async (count: number, url: string, broker: string, clients: () => number): Promise<void> => {
      const c = await fleet!.ask({ type: 'connect', count, mqttUrl: url }, 'connected', 180_000);
      connect.push({ devices: count, broker, seconds: round(c.seconds, 2), fleetRssMiB: c.rssMiB, brokerClients: clients() });
      log(`live: ${fmt(count)} devices connected to the ${broker} in ${c.seconds.toFixed(1)} s (its clients ${fmt(clients())}, fleet RSS ${c.rssMiB} MiB)`);
    };

    const runPhase = async (name: string, target: Target, count: number, mode: 'steady' | 'saturate'): Promise<LivePhaseResult> => {
      // A backlog left by the previous phase would be counted against this one.
      await drain();
      const id = ++phaseId;
      const durationS = mode === 'steady' ? STEADY_S : SATURATE_S;
      await fleet!.ask({ type: 'phase', id, mode, count, intervalMs: REPORT_INTERVAL_MS, durationS, window: SATURATE_WINDOW }, 'started', 10_000);
      const acceptedBefore = app.live.counters().messagesAccepted;
      const receivedBefore = bareSubscriber?.received ?? 0;
      bareSubscriber?.resetLatencies();
      const published = await fleet!.next('published', (durationS + 30) * 1000);
      if (target !== 'broker alone') sentToServer += published.sent;
      const acceptedInWindow = app.live.counters().messagesAccepted - acceptedBefore;
      const bareInWindow = bareSubscriber ? bareSubscriber.received - receivedBefore : published.bareInWindow;
      const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
      const collected: CollectedMessage = await fleet!.ask({ type: 'collect', id, waitMs: deltaIntervalMs + 1500 }, 'collected', 60_000);
      const result: LivePhaseResult = {
        phase: name,
        target,
        devices: count,
        offeredPerS: mode === 'steady' ? (count * 1000) / REPORT_INTERVAL_MS : undefined,
        sent: published.sent,
        sentPerS: round(published.sent / published.seconds),
        ingestPerS: round(acceptedInWindow / published.seconds),
        passThroughPerS: round(bareInWindow / published.seconds),
        acked: collected.acked,
        wsLatencyMs: target === 'broker alone' ? undefined : collected.wsLatencyMs,
        passThroughLatencyMs: bareSubscriber ? distribution(bareSubscriber.latencies) : collected.bareLatencyMs,
        serverRssMiB: rssMiB,
        loadAvg1m: loadAvg1m(),
      };
      phases.push(result);
      log(`live: ${name} (${target}): sent ${fmt(result.sentPerS)}/s, ingest ${fmt(result.ingestPerS)}/s, subscriber ${fmt(result.passThroughPerS)}/s, browser p99 ${fmt(result.wsLatencyMs?.p99)} ms, load ${result.loadAvg1m}`);
      return result;
    };

    // The baseline first, on a broker that has seen nothing else: the bare broker alone, saturated.
    bareSubscriber = await BareSubscriber.connect(bareBroker.url, credentials.account(SERVICE_USERNAME), INGEST_SUBSCRIPTIONS[0]!);
    await connectFleet(maxDevices, bareBroker.url, 'bare broker', () => bareBroker!.clientsConnected());
    await sleep(SETTLE_MS);
    const broker = await runPhase(`saturate ${maxDevices / 1000}k`, 'broker alone', maxDevices, 'saturate');
    await settleSubscriber(bareSubscriber);
    await bareSubscriber.close();
    bareSubscriber = undefined;
    await fleet.ask({ type: 'disconnect' }, 'disconnected', 120_000);

    for (const count of DEVICE_COUNTS) {
      await connectFleet(count, server.mqttUrl, "server's broker", () => app.broker.clientsConnected());
      await sleep(SETTLE_MS);
      await runPhase(`steady ${count / 1000}k`, 'server + subscriber', count, 'steady');
    }
    // Then the pipeline alone: the same 10k connections, the fleet's bare subscriber detached.
    await fleet.ask({ type: 'bare', mqttUrl: null }, 'bare-ready', 120_000);
    const pipeline = await runPhase(`saturate ${maxDevices / 1000}k`, 'pipeline alone', maxDevices, 'saturate');

    const lat = (d: Distribution | undefined, key: 'p50' | 'p99') => (d ? fmt(d[key], 0) : '–');
    log('');
    for (const line of table(
      ['phase', 'into', 'devices', 'offered/s', 'sent/s', 'ingest/s', 'subscriber/s', 'browser p50 ms', 'browser p99 ms', 'subscriber p50', 'subscriber p99', 'load'],
      phases.map((p) => [
        p.phase,
        p.target,
        p.devices,
        p.offeredPerS,
        p.sentPerS,
        p.target === 'broker alone' ? '–' : p.ingestPerS,
        p.target === 'pipeline alone' ? '–' : p.passThroughPerS,
        lat(p.wsLatencyMs, 'p50'),
        lat(p.wsLatencyMs, 'p99'),
        lat(p.passThroughLatencyMs, 'p50'),
        lat(p.passThroughLatencyMs, 'p99'),
        fmt(p.loadAvg1m, 2),
      ]),
    )) {
      log(line);
    }
    const steady10k = phases.find((p) => p.phase === `steady ${maxDevices / 1000}k`);
    const p99 = steady10k?.wsLatencyMs?.p99;
    const rateRatio = broker.passThroughPerS > 0 ? round(pipeline.ingestPerS / broker.passThroughPerS, 3) : undefined;
    const end = loadAvg1m();
    const verdicts = {
      p99: verdict(
        `browser p99 < ${GOAL_P99_MS} ms at 10k devices every 5 s (batching ${deltaIntervalMs} ms)`,
        `p99 ${fmt(p99)} ms (subscriber p99 ${fmt(steady10k?.passThroughLatencyMs?.p99)} ms)`,
        p99 === undefined ? undefined : p99 < GOAL_P99_MS,
        steady10k?.loadAvg1m ?? end,
      ),
      rate: verdict(
        `pipeline alone ≥ ${GOAL_RATIO}× the bare broker alone, saturated by 10k connections`,
        `${fmt(pipeline.ingestPerS)} ÷ ${fmt(broker.passThroughPerS)} msg/s = ${rateRatio === undefined ? '–' : `${rateRatio.toFixed(2)}×`}`,
        rateRatio === undefined ? undefined : rateRatio >= GOAL_RATIO,
        end,
      ),
    };
    const both = verdicts.p99.verdict === 'PASS' && verdicts.rate.verdict === 'PASS' ? 'PASS' : [verdicts.p99, verdicts.rate].some((v) => v.verdict === 'MISS') ? 'MISS' : 'NO RESULT';
    const overall: Verdict = { goal: `${verdicts.p99.goal}; ${verdicts.rate.goal}`, measured: `${verdicts.p99.measured}; ${verdicts.rate.measured}`, verdict: both, loadAvg1m: end };
    log('');
    log(`live: browser = publish → WebSocket delta (batched every ${deltaIntervalMs} ms: alone that gives p50 ≈ ${Math.round(deltaIntervalMs / 2)}, p99 ≈ ${Math.round(0.99 * deltaIntervalMs)} ms); subscriber = publish → bare mqtt.js subscriber`);
    log(`live: ${verdictLine('p99', verdicts.p99)}`);
    log(`live: ${verdictLine('rate', verdicts.rate)}`);
    log(verdictLine('live', overall));
    const results: LiveBenchResults = {
      benchmark: 'live',
      machine,
      loadAvg1mEnd: end,
      terminals: twin.terminals.length,
      deltaIntervalMs,
      shippedDeltaIntervalMs: DEFAULT_DELTA_INTERVAL_MS,
      connect,
      phases,
      rateRatio,
      verdict: overall,
      verdicts,
    };
    log(`live: wrote ${await writeResults('live', results)}`);
    return results;
  } finally {
    await fleet?.stop();
    await bareSubscriber?.close();
    await bareBroker?.close();
    await server?.close();
    await twin?.cleanup();
  }
}
