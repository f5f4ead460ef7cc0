/**
 * Ingest benchmark: the device data path, device → MQTT → ingest → live state → WebSocket.
 *
 * The real server (startServer, simulator off) runs in this process on a demo twin. A forked
 * publisher (ingest/publisher.ts) sends valid telemetry for the twin's terminals at rising offered
 * rates, QoS 0 and QoS 1, a few seconds each, and watches /ws/live like a browser.
 *
 * Per phase: publisher's achieved rate; messages accepted per second by the ingest over the
 * publishing window (app.live counters); loss after the backlog drains; device publish →
 * WebSocket delta latency (p50/p95/p99, matched on terminal id + ts); this process's CPU per
 * message and event-loop utilisation.
 *
 * Baseline, same run, same rates, interleaved with the pipeline phases so that load from other
 * work on the machine hits both alike: the same publisher and the same embedded aedes broker,
 * with a bare mqtt.js subscriber that only counts (ingest/bareSubscriber.ts). The ratios say what
 * citytwin's pipeline costs over the broker alone. Micro-baseline: validatePayload alone.
 *
 * Goal (issue 4's "ingest at least half the broker's raw rate"): the pipeline's most accepted per
 * second at least half the broker-alone maximum, at QoS 0 and at QoS 1.
 */
import { startServer, type RunningServer } from '../server/index';
import { BareSubscriber } from './ingest/bareSubscriber';
import { runMicro, type MicroResults } from './ingest/micro';
import type { PhaseMode, Qos } from './ingest/protocol';
import { PublisherProcess } from './ingest/publisherProcess';
import { openDemoTwin } from './support/demoTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, median, round, sleep, type Distribution } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

/**
 * Offered rates, doubling. A QoS level's ladder stops at the first rate neither mode kept up
 * with. (The demo's 6,976 terminals at their nominal report intervals send about 210 messages/s.)
 */
export const RATES = [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000];
export const QOS_LEVELS: readonly Qos[] = [0, 1];
const PHASE_S = 3;
/** The server's default WebSocket batching interval; latency includes up to one interval of it. */
const DELTA_INTERVAL_MS = 250;
/** The publisher counts as the limit when it reaches less than this share of the offered rate. */
const PUBLISHER_LIMIT_SHARE = 0.8;
/** A backlog that has not moved for this long is not draining any more: the rest is lost. */
const DRAIN_STALL_MS = 1500;
const DRAIN_CAP_MS = 10_000;
/** Kept up: accepted at ≥ 95 % of the publisher's rate during the window, ≤ 0.1 % lost, drained. */
const KEEP_UP_SHARE = 0.95;
const MAX_LOSS_PCT = 0.1;
const GOAL_CAPACITY_RATIO = 0.5;

export interface PhaseResult {
  mode: PhaseMode;
  qos: Qos;
  offeredPerS: number;
  sent: number;
  sentPerS: number;
  /** Publisher CPU as a share of one core: near 1 means the publisher, not the server, was the limit. */
  publisherCpu: number;
  /** Delivered to the consumer (ingest or bare subscriber) by the end of the drain. */
  delivered: number;
  /** Delivered per second during the publishing window. */
  acceptedPerS: number;
  lossPct: number;
  /** After the last publish, until everything was delivered (or delivery stopped). */
  drainMs: number;
  drained: boolean;
  /** Pipeline: publish → WebSocket delta. Baseline: publish → bare subscriber. */
  latencyMs: Distribution | undefined;
  /** Pipeline: share of sent messages found in a delta by terminal id + ts. */
  wsMatchedPct: number | undefined;
  /** Pipeline: share merged into a newer reading of the same terminal within one batch (not lost). */
  wsCoalescedPct: number | undefined;
  /** Pipeline: share neither matched nor coalesced: never reached the browser. */
  wsLostPct: number | undefined;
  wsBytesPerS: number | undefined;
  /** QoS 1: PUBACKs the publisher received. */
  acked: number | undefined;
  /** This process's CPU (broker + consumer + timers) per delivered message, its idle CPU subtracted. */
  serverCpuUsPerMsg: number;
  /** The same without subtracting idle CPU. */
  serverCpuGrossUsPerMsg: number;
  /** Event-loop utilisation of this process over the window (1 = saturated). */
  serverElu: number;
  /** This process's resident memory when the last message was published (a backlog is buffered, not shed). */
  serverRssMB: number;
  keptUp: boolean;
}

export interface RatioRow {
  qos: Qos;
  offeredPerS: number;
  /** Pipeline accepted/s ÷ baseline delivered/s (1 = the pipeline keeps the broker's pace). */
  throughput: number;
  /** Pipeline CPU per message ÷ baseline CPU per message (both net of idle CPU). */
  cpuPerMsg: number;
  /** Pipeline latency minus baseline latency, ms: what ingest + batching + WebSocket add to the broker's. */
  addedP50Ms: number | undefined;
  addedP99Ms: number | undefined;
}

export interface SaturationRow {
  mode: PhaseMode;
  qos: Qos;
  /** Highest offered rate that was kept up; undefined if none was. */
  keptUpToPerS: number | undefined;
  /** First offered rate that was not kept up; undefined if all were. */
  saturatedAtPerS: number | undefined;
  maxAcceptedPerS: number;
}

export interface IngestResults {
  benchmark: 'ingest';
  machine: MachineInfo;
  loadAvg1mEnd: number;
  config: { rates: number[]; qos: readonly Qos[]; phaseS: number; deltaIntervalMs: number; twin: string; terminals: number };
  /** This process's CPU with the server up and nothing published, µs per second (timers, watchdog). */
  idleCpuUsPerS: number;
  micro: MicroResults;
  phases: PhaseResult[];
  ratios: RatioRow[];
  saturation: SaturationRow[];
  /** Max pipeline accepted/s ÷ max baseline delivered/s, per QoS. */
  capacityRatio: Record<string, number>;
  /** Median of the CPU-per-message ratios over the rates both modes kept up with, per QoS. */
  cpuRatioMedian: Record<string, number>;
  verdict: Verdict;
}

interface Sample {
  count: number;
  at: number;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
}

class IngestBench {
  private phaseId = 0;

  /** Idle CPU of this process, µs per second, subtracted from each phase's CPU. */
  idleCpuUsPerS = 0;

  constructor(
    private readonly server: RunningServer,
    private readonly subscriber: BareSubscriber,
    private readonly publisher: PublisherProcess,
  ) {}

  /** Measures this process's CPU while nothing is published. */
  async measureIdle(ms: number): Promise<number> {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(ms);
    const cpu = process.cpuUsage(cpu0);
    this.idleCpuUsPerS = (cpu.user + cpu.system) / ((performance.now() - t0) / 1000);
    return this.idleCpuUsPerS;
  }

  private delivered(mode: PhaseMode): number {
    return mode === 'pipeline' ? this.server.app.live.counters().messagesAccepted : this.subscriber.received;
  }

  async phase(mode: PhaseMode, qos: Qos, rate: number, durationS = PHASE_S): Promise<PhaseResult> {
    const id = ++this.phaseId;
    const pub = this.publisher;
    const sample = (): Sample => ({ count: this.delivered(mode), at: performance.now(), elu: performance.eventLoopUtilization() });
    this.subscriber.resetLatencies();

    const before = this.delivered(mode);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let start: Sample | undefined;
    const started = pub.next('started', id, 10_000).then(() => {
      start = sample();
    });
    const publishedAnswer = pub.next('published', id, durationS * 1000 + 60_000);
    pub.send({ type: 'phase', id, mode, qos, rate, durationS });
    await started;
    const published = await publishedAnswer;
    const end = sample();
    const rss = process.memoryUsage.rss();

    const drain = await this.drain(mode, before + published.sent);
    const delivered = this.delivered(mode) - before;
    const cpu = process.cpuUsage(cpu0);
    const cpuUs = cpu.user + cpu.system;
    const idleUs = (this.idleCpuUsPerS * (performance.now() - t0)) / 1000;

    const collectedAnswer = pub.next('collected', id, 30_000);
    pub.send({ type: 'collect', id, waitMs: mode === 'pipeline' ? 2 * DELTA_INTERVAL_MS + 100 : 0 });
    const collected = await collectedAnswer;

    const window = (end.at - start!.at) / 1000;
    const sentPerS = published.sent / Math.max(published.seconds, 1e-3);
    const acceptedPerS = (end.count - start!.count) / window;
    const lossPct = (100 * (published.sent - delivered)) / published.sent;
    return {
      mode,
      qos,
      offeredPerS: rate,
      sent: published.sent,
      sentPerS: round(sentPerS),
      publisherCpu: round(published.cpuShare, 2),
      delivered,
      acceptedPerS: round(acceptedPerS),
      lossPct: round(lossPct, 2),
      drainMs: Math.round(drain.ms),
      drained: drain.complete,
      latencyMs: mode === 'pipeline' ? collected.latencyMs : distribution(this.subscriber.latencies),
      wsMatchedPct: mode === 'pipeline' ? round((100 * collected.wsMatched) / published.sent, 2) : undefined,
      wsCoalescedPct: mode === 'pipeline' ? round((100 * collected.wsCoalesced) / published.sent, 2) : undefined,
      wsLostPct: mode === 'pipeline' ? round((100 * (published.sent - collected.wsMatched - collected.wsCoalesced)) / published.sent, 2) : undefined,
      wsBytesPerS: mode === 'pipeline' ? Math.round(published.wsBytesPerS) : undefined,
      acked: qos === 1 ? collected.acked : undefined,
      serverCpuUsPerMsg: round(Math.max(0, cpuUs - idleUs) / Math.max(delivered, 1), 2),
      serverCpuGrossUsPerMsg: round(cpuUs / Math.max(delivered, 1), 2),
      serverElu: round(performance.eventLoopUtilization(end.elu, start!.elu).utilization, 2),
      serverRssMB: Math.round(rss / 2 ** 20),
      keptUp: drain.complete && acceptedPerS >= KEEP_UP_SHARE * sentPerS && lossPct <= MAX_LOSS_PCT,
    };
  }

  /** Waits until `target` messages were delivered, or delivery stalls, or the cap passes. */
  private async drain(mode: PhaseMode, target: number): Promise<{ ms: number; complete: boolean }> {
    const t0 = performance.now();
    let last = this.delivered(mode);
    let lastChange = t0;
    for (;;) {
      const now = performance.now();
      const count = this.delivered(mode);
      if (count !== last) {
        last = count;
        lastChange = now;
      }
      if (count >= target) return { ms: now - t0, complete: true };
      if (now - lastChange > DRAIN_STALL_MS || now - t0 > DRAIN_CAP_MS) return { ms: lastChange - t0, complete: false };
      await sleep(10);
    }
  }
}

export async function runIngestBench(log: (line: string) => void): Promise<IngestResults> {
  const machine = machineInfo();
  log(`ingest: device → MQTT → ingest → WebSocket, ${RATES.length} rates × QoS ${QOS_LEVELS.join('/')} × {baseline, pipeline}, ${PHASE_S} s each`);
  const twin = await openDemoTwin(log);
  let server: RunningServer | undefined;
  let subscriber: BareSubscriber | undefined;
  let publisher: PublisherProcess | undefined;
  try {
    server = await startServer({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, deltaIntervalMs: DELTA_INTERVAL_MS });
    const terminals = server.app.twin.terminals.map((t) => ({ id: t.id, type: t.type }));
    log(`  twin: ${twin.origin}, ${terminals.length} terminals; server ${server.httpUrl}, broker ${server.mqttUrl}`);

    log('  micro-baseline: validatePayload …');
    const micro = runMicro(server.app.twin);

    const credential = server.app.broker.serviceCredential;
    subscriber = await BareSubscriber.connect(server.mqttUrl, credential);
    publisher = await PublisherProcess.start({ type: 'init', mqttUrl: server.mqttUrl, mqttCredential: credential, httpUrl: server.httpUrl, terminals, seed: 42 });
    const bench = new IngestBench(server, subscriber, publisher);

    // Warm-up, not reported: every terminal heard once (steady state: all `normal`), JIT warmed.
    const warmRate = 2000;
    await bench.phase('pipeline', 0, warmRate, Math.ceil(terminals.length / warmRate) + 0.5);
    await bench.phase('baseline', 0, warmRate, 1);
    const reporting = server.app.live.counters().terminalsReporting;
    if (reporting !== terminals.length) throw new Error(`after warm-up ${reporting} of ${terminals.length} terminals are reporting`);

    const idle = await bench.measureIdle(1000);
    log(`  idle CPU of the server process: ${fmt(idle / 1e4, 1)} % of a core`);

    const phases: PhaseResult[] = [];
    for (const qos of QOS_LEVELS) {
      for (const rate of RATES) {
        const pair: PhaseResult[] = [];
        for (const mode of ['baseline', 'pipeline'] as const) {
          const result = await bench.phase(mode, qos, rate);
          pair.push(result);
          log(
            `  ${mode.padEnd(8)} QoS ${qos} ${fmt(rate).padStart(6)}/s: sent ${fmt(result.sentPerS)}/s, accepted ${fmt(result.acceptedPerS)}/s, ` +
              `loss ${fmt(result.lossPct, 2)} %, p50 ${fmt(result.latencyMs?.p50)} ms${result.keptUp ? '' : ' — not kept up'}`,
          );
        }
        phases.push(...pair);
        // Past saturation, higher rates only add backlog; the same once the publisher is the limit.
        if (pair.every((p) => !p.keptUp || p.sentPerS < PUBLISHER_LIMIT_SHARE * rate)) break;
      }
    }

    const live = server.app.live.counters();
    if (live.messagesRejected > 0) throw new Error(`the ingest rejected ${live.messagesRejected} benchmark messages: ${JSON.stringify(server.app.live.rejectReasons())}`);

    const results: IngestResults = {
      benchmark: 'ingest',
      machine,
      loadAvg1mEnd: loadAvg1m(),
      config: { rates: RATES, qos: QOS_LEVELS, phaseS: PHASE_S, deltaIntervalMs: DELTA_INTERVAL_MS, twin: twin.origin, terminals: terminals.length },
      idleCpuUsPerS: Math.round(idle),
      micro,
      phases,
      ratios: ratios(phases),
      saturation: saturation(phases),
      capacityRatio: Object.fromEntries(
        QOS_LEVELS.map((qos) => {
          const max = (mode: PhaseMode): number => Math.max(...phases.filter((p) => p.mode === mode && p.qos === qos).map((p) => p.acceptedPerS));
          return [`qos${qos}`, round(max('pipeline') / max('baseline'), 2)];
        }),
      ),
      cpuRatioMedian: cpuRatioMedian(phases),
      verdict: verdict('', '', undefined, 0),
    };
    const ratiosByQos = Object.values(results.capacityRatio);
    results.verdict = verdict(
      `pipeline's most accepted/s ≥ ${GOAL_CAPACITY_RATIO}× the broker alone's, at QoS 0 and 1`,
      Object.entries(results.capacityRatio).map(([k, v]) => `${k.replace('qos', 'QoS ')} ${fmt(v, 2)}×`).join(', '),
      ratiosByQos.every((v) => Number.isFinite(v)) ? ratiosByQos.every((v) => v >= GOAL_CAPACITY_RATIO) : undefined,
      results.loadAvg1mEnd,
    );
    report(results, log);
    log(verdictLine('ingest', results.verdict));
    log(`  wrote ${await writeResults('ingest', results)}`);
    return results;
  } finally {
    await publisher?.stop();
    await subscriber?.close();
    await server?.close();
    await twin.cleanup();
  }
}

function ratios(phases: readonly PhaseResult[]): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const qos of QOS_LEVELS) {
    for (const rate of RATES) {
      const find = (mode: PhaseMode): PhaseResult | undefined => phases.find((p) => p.mode === mode && p.qos === qos && p.offeredPerS === rate);
      const pipe = find('pipeline');
      const base = find('baseline');
      if (!pipe || !base) continue;
      rows.push({
        qos,
        offeredPerS: rate,
        throughput: round(pipe.acceptedPerS / base.acceptedPerS, 2),
        cpuPerMsg: round(pipe.serverCpuUsPerMsg / base.serverCpuUsPerMsg, 2),
        addedP50Ms: pipe.latencyMs && base.latencyMs ? pipe.latencyMs.p50 - base.latencyMs.p50 : undefined,
        addedP99Ms: pipe.latencyMs && base.latencyMs ? pipe.latencyMs.p99 - base.latencyMs.p99 : undefined,
      });
    }
  }
  return rows;
}

function cpuRatioMedian(phases: readonly PhaseResult[]): Record<string, number> {
  const bothKeptUp = ratios(phases.filter((p) => p.keptUp));
  return Object.fromEntries(
    QOS_LEVELS.map((qos) => [`qos${qos}`, round(median(bothKeptUp.filter((r) => r.qos === qos).map((r) => r.cpuPerMsg)), 2)]),
  );
}

function saturation(phases: readonly PhaseResult[]): SaturationRow[] {
  const rows: SaturationRow[] = [];
  for (const mode of ['baseline', 'pipeline'] as const) {
    for (const qos of QOS_LEVELS) {
      const own = phases.filter((p) => p.mode === mode && p.qos === qos).sort((a, b) => a.offeredPerS - b.offeredPerS);
      const firstMiss = own.find((p) => !p.keptUp);
      const keptUp = own.filter((p) => p.keptUp && (!firstMiss || p.offeredPerS < firstMiss.offeredPerS));
      rows.push({
        mode,
        qos,
        keptUpToPerS: keptUp.at(-1)?.offeredPerS,
        saturatedAtPerS: firstMiss?.offeredPerS,
        maxAcceptedPerS: Math.max(...own.map((p) => p.acceptedPerS)),
      });
    }
  }
  return rows;
}

function report(r: IngestResults, log: (line: string) => void): void {
  const interval = r.config.deltaIntervalMs;
  log('');
  log(`Ingest — ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, load avg ${r.machine.loadAvg1m} → ${r.loadAvg1mEnd}`);
  log(`twin ${r.config.twin} (${r.config.terminals} terminals), ${r.config.phaseS} s per phase, WebSocket batching ${interval} ms`);
  log('');
  log('Micro-baseline (one core, no I/O): ops/s');
  const microRows = r.micro.perType.map((m) => [m.type, m.payloadBytes, m.jsonParseOpsPerS, m.validateOpsPerS, fmt(m.validateVsParse, 2) + '×']);
  for (const line of table(['terminal type', 'bytes', 'JSON.parse', 'validatePayload', 'validate ÷ parse'], microRows)) log(`  ${line}`);
  log(`  ingest handler (topic + look-up + validatePayload + LiveState.apply): ${fmt(r.micro.handlerOpsPerS)} ops/s`);
  log('');
  log('Phases. accepted/s: delivered to the ingest (pipeline) or the bare subscriber (baseline) per second while');
  log('publishing; loss: sent − delivered after the drain. Latency: publish → WebSocket delta (pipeline), publish →');
  log(`subscriber (baseline); ${interval} ms batching alone gives p50 ${fmt(interval * 0.5)}, p95 ${fmt(interval * 0.95)}, p99 ${fmt(interval * 0.99)} ms.`);
  log('WS merged: superseded within a batch by a newer reading of the same terminal (above ~28,000/s every');
  log('terminal repeats within 250 ms; latency is then that of the newest reading, so it reads lower).');
  log('WS lost: sent but in no delta. WS MB/s: what one browser receives. srv µs/msg: server-process CPU per');
  log('message, idle subtracted; srv ELU: its event-loop utilisation; pub CPU: the publisher process, in cores.');
  const phaseRows = r.phases.map((p) => [
    p.mode,
    p.qos,
    p.offeredPerS,
    p.sentPerS,
    p.acceptedPerS,
    fmt(p.lossPct, 2),
    p.drainMs,
    p.latencyMs?.p50,
    p.latencyMs?.p95,
    p.latencyMs?.p99,
    p.wsCoalescedPct === undefined ? '' : fmt(p.wsCoalescedPct, 1),
    p.wsLostPct === undefined ? '' : fmt(p.wsLostPct, 2),
    p.wsBytesPerS === undefined ? '' : fmt(p.wsBytesPerS / 1e6, 2),
    fmt(p.serverCpuUsPerMsg, 1),
    fmt(p.serverElu, 2),
    fmt(p.publisherCpu, 2),
    p.keptUp ? 'yes' : 'NO',
  ]);
  const columns = ['mode', 'QoS', 'offered/s', 'sent/s', 'accepted/s', 'loss %', 'drain ms', 'p50 ms', 'p95 ms', 'p99 ms', 'WS merged %', 'WS lost %', 'WS MB/s', 'srv µs/msg', 'srv ELU', 'pub CPU', 'kept up'];
  for (const line of table(columns, phaseRows)) log(`  ${line}`);
  log('');
  log('Pipeline vs baseline at the same offered rate: throughput and CPU per message as ratios');
  log("(throughput 1.00× = keeps the broker's pace), latency as what the pipeline adds to the broker's");
  const ratioRows = r.ratios.map((x) => [x.qos, x.offeredPerS, fmt(x.throughput, 2) + '×', fmt(x.cpuPerMsg, 2) + '×', x.addedP50Ms, x.addedP99Ms]);
  for (const line of table(['QoS', 'offered/s', 'throughput', 'CPU per msg', '+p50 ms', '+p99 ms'], ratioRows)) log(`  ${line}`);
  log('');
  log('Saturation (kept up: accepted ≥ 95 % of sent/s while publishing, ≤ 0.1 % lost, backlog drained)');
  const satRows = r.saturation.map((s) => [s.mode, s.qos, s.keptUpToPerS ?? 'none', s.saturatedAtPerS ?? 'not reached', s.maxAcceptedPerS]);
  for (const line of table(['mode', 'QoS', 'kept up to /s', 'saturated at /s', 'max accepted/s'], satRows)) log(`  ${line}`);
  const perQos = (x: Record<string, number>): string => Object.entries(x).map(([k, v]) => `${k.replace('qos', 'QoS ')} ${fmt(v, 2)}×`).join(', ');
  log(`  capacity ratio (max pipeline ÷ max baseline accepted/s): ${perQos(r.capacityRatio)}`);
  log(`  CPU per message, pipeline ÷ baseline, median over the rates both kept up with: ${perQos(r.cpuRatioMedian)}`);
}
