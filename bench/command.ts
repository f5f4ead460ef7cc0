/**
 * Command benchmark (`npm run bench:command`): the round trip of a device command through the
 * real server — API (POST, auth, checks, audit record stored) → MQTT publish → device → ack →
 * device's telemetry → ingest → live state → record `succeeded` — for one lamp and for a group
 * of 2,000 lamps (one POST /api/commands).
 *
 * The server (startServer, simulator off, SQLite) runs in this process on a synthetic twin of
 * 2,000 poles along one road (12,000 terminals). 2,000 lamp devices, each on its own
 * authenticated MQTT connection (the simulator's DeviceConnections), subscribe to their commands
 * and answer each at once: an ack, then a telemetry report showing the new state.
 *
 * Baseline, on the same broker with the same devices: the bare MQTT round trip — a service client
 * publishes a command message (QoS 1) and waits for the device's ack — the floor under any
 * command path. Ratio: command p50 ÷ bare p50. Goal (docs/commands.md): one lamp confirmed in
 * p99 < 250 ms; 2,000 lamps all confirmed in p99 < 5 s.
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import type { CommandMessage, CommandRecord } from '../domain/commands';
import { PAYLOAD_VERSION } from '../domain/payloads';
import { ACK_SUBSCRIPTION, ackTopic, commandTopic, parseAckTopic, terminalTopic } from '../domain/topics';
import { DeviceConnections } from '../server/devices/simulator/DeviceConnections';
import { startServer, type RunningServer } from '../server/index';
import { writeTinyTwin, type TinyTwin } from '../test/fixtures/tinyTwin';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round, sleep, type Distribution } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

const LAMPS = 2000;
const SINGLE_RUNS = 60;
const GROUP_RUNS = 5;
const GOAL_SINGLE_P99_MS = 250;
const GOAL_GROUP_P99_MS = 5000;

export interface CommandBenchResults {
  benchmark: 'command';
  machine: MachineInfo;
  lamps: number;
  single: { command: Distribution | undefined; bare: Distribution | undefined; ratioP50: number | undefined };
  group: {
    /** Per lamp: POST sent → that lamp's record succeeded. */
    perLamp: Distribution | undefined;
    /** POST sent → every lamp succeeded. */
    all: Distribution | undefined;
    /** Bare: 2,000 publishes → every ack. */
    bareAll: Distribution | undefined;
    failedOrTimedOut: number;
  };
  verdict: Verdict;
  verdicts: { single: Verdict; group: Verdict };
}

export async function runCommandBench(log: (line: string) => void): Promise<CommandBenchResults> {
  const machine = machineInfo();
  log(`command: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAvg1m}`);
  let twin: TinyTwin | undefined;
  let server: RunningServer | undefined;
  let devices: DeviceConnections | undefined;
  let bare: mqtt.MqttClient | undefined;
  try {
    twin = await writeTinyTwin({ poles: LAMPS });
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      simulator: false,
      auth: { passwordCostLog2: 10 },
      commands: { perDevice: { max: 1_000_000, windowMs: 60_000 }, perUser: { max: 1_000_000, windowMs: 60_000 } },
      security: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
    });
    const { app } = server;
    const lampIds = twin.terminals.filter((t) => t.type === 'lamp').map((t) => t.id);

    // The devices: ack every command at once, then report the state it asked for.
    const conns: DeviceConnections = new DeviceConnections({
      url: server.mqttUrl,
      terminalIds: lampIds,
      credentialFor: (id) => app.broker.credentials.device(id),
      concurrency: 50,
      commands: {
        listens: () => true,
        onCommand: (id, payload) => {
          const cmd = JSON.parse(payload.toString()) as CommandMessage;
          conns.publish(id, ackTopic(id), JSON.stringify({ v: PAYLOAD_VERSION, id: cmd.id, ts: Date.now(), result: 'ok' }), false);
          if (cmd.command !== 'dim' && cmd.command !== 'switch') return;
          const pct = cmd.command === 'dim' ? (cmd.percent ?? 0) : cmd.on ? 100 : 0;
          const values = { on: pct > 0, dimmingPct: pct, powerW: 1.5 * pct };
          conns.publish(id, terminalTopic(id, 'telemetry'), JSON.stringify({ v: PAYLOAD_VERSION, ts: Date.now(), values }), false);
        },
      },
    });
    devices = conns;
    const t0 = performance.now();
    await conns.open();
    log(`command: ${lampIds.length} lamp devices connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(2000);

    // Completion of each command, from the service's own sink (what the API then shows).
    const done = new Map<string, (r: Readonly<CommandRecord>) => void>();
    app.commands.addSink({
      commandCreated: () => undefined,
      commandUpdated: (r) => {
        if (r.status === 'sent' || r.status === 'acked') return;
        done.get(r.id)?.(r);
      },
    });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-demo' } });
    const token = (login.json() as { token: string }).token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    // Bare MQTT: publish a command message, wait for the ack.
    const bareClient = await mqtt.connectAsync(server.mqttUrl, { clientId: `bench-bare-${process.pid}`, ...app.broker.serviceCredential });
    bare = bareClient;
    const acks = new Map<string, () => void>();
    bareClient.on('message', (topic, payload) => {
      if (!parseAckTopic(topic)) return;
      const id = (JSON.parse(payload.toString()) as { id: string }).id;
      acks.get(id)?.();
    });
    await bareClient.subscribeAsync(ACK_SUBSCRIPTION, { qos: 1 });
    const bareRound = (ids: readonly string[]): Promise<number> => {
      const start = performance.now();
      return Promise.all(
        ids.map(
          (terminalId) =>
            new Promise<void>((resolve) => {
              const id = randomUUID();
              acks.set(id, () => {
                acks.delete(id);
                resolve();
              });
              bareClient.publish(commandTopic(terminalId), JSON.stringify({ v: PAYLOAD_VERSION, id, ts: Date.now(), command: 'ping' }), { qos: 1 });
            }),
        ),
      ).then(() => performance.now() - start);
    };

    /** POST, then the time until each record is final (ms from the POST). */
    const commandRound = async (url: string, body: object, count: number): Promise<{ each: number[]; all: number; bad: number }> => {
      const start = performance.now();
      const finals = new Map<string, { ms: number; status: string }>();
      let resolveAll!: () => void;
      const allDone = new Promise<void>((r) => (resolveAll = r));
      const early: Array<Readonly<CommandRecord>> = [];
      const collector = (r: Readonly<CommandRecord>): void => {
        finals.set(r.id, { ms: performance.now() - start, status: r.status });
        if (finals.size === count) resolveAll();
      };
      const res = await fetch(`${server!.httpUrl}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 202) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      const answer = (await res.json()) as CommandRecord | { commands: CommandRecord[] };
      const records = 'commands' in answer ? answer.commands : [answer];
      for (const r of records) {
        done.set(r.id, collector);
        // Settled before the answer came back (possible for one fast lamp): look it up.
        const now = await app.commands.get(r.id);
        if (now && now.status !== 'sent' && now.status !== 'acked' && !finals.has(r.id)) early.push(now);
      }
      for (const r of early) collector(r);
      await Promise.race([allDone, sleep(60_000)]);
      for (const r of records) done.delete(r.id);
      const each = [...finals.values()].map((f) => f.ms);
      return { each, all: Math.max(...each), bad: [...finals.values()].filter((f) => f.status !== 'succeeded').length + (count - finals.size) };
    };

    // Baseline first: one lamp, then the group.
    const bareSingle: number[] = [];
    for (let i = 0; i < SINGLE_RUNS; i++) bareSingle.push(await bareRound([lampIds[i % lampIds.length]!]));
    const single: number[] = [];
    let bad = 0;
    for (let i = 0; i < SINGLE_RUNS; i++) {
      const r = await commandRound(`/api/terminals/${lampIds[i % lampIds.length]}/commands`, { command: 'dim', percent: 10 + (i % 80) }, 1);
      single.push(r.all);
      bad += r.bad;
    }
    const bareAll: number[] = [];
    for (let i = 0; i < GROUP_RUNS; i++) bareAll.push(await bareRound(lampIds));
    const perLamp: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < GROUP_RUNS; i++) {
      const r = await commandRound('/api/commands', { target: { roadId: 'R001', type: 'lamp' }, command: { command: 'dim', percent: 20 + 10 * i }, confirm: true }, lampIds.length);
      perLamp.push(...r.each);
      all.push(r.all);
      bad += r.bad;
      await sleep(500);
    }

    const singleD = distribution(single);
    const bareD = distribution(bareSingle);
    const ratioP50 = singleD && bareD ? round(singleD.p50 / bareD.p50, 1) : undefined;
    const allD = distribution(all);
    const load = loadAvg1m();
    const vSingle = verdict(`one lamp confirmed in p99 < ${GOAL_SINGLE_P99_MS} ms`, singleD ? `p99 ${fmt(singleD.p99, 1)} ms` : 'no result', singleD ? singleD.p99 < GOAL_SINGLE_P99_MS : undefined, load);
    const vGroup = verdict(`${LAMPS} lamps all confirmed in p99 < ${GOAL_GROUP_P99_MS} ms`, allD ? `p99 ${fmt(allD.p99)} ms over ${GROUP_RUNS} runs` : 'no result', allD ? allD.p99 < GOAL_GROUP_P99_MS : undefined, load);
    const overall = verdict(`${vSingle.goal}; ${vGroup.goal}`, `${vSingle.measured}; ${vGroup.measured}; failed or timed out ${bad}`, vSingle.verdict === 'PASS' && vGroup.verdict === 'PASS' && bad === 0, load);

    const row = (name: string, d: Distribution | undefined) => [name, d?.count, fmt(d?.p50, 1), fmt(d?.p99, 1), fmt(d?.max, 1)];
    for (const line of table(
      ['round trip (ms)', 'n', 'p50', 'p99', 'max'],
      [
        row('bare MQTT publish → ack, 1 lamp (floor)', bareD),
        row('API → device → ack → state, 1 lamp', singleD),
        row(`bare MQTT, ${LAMPS} lamps, all acked`, distribution(bareAll)),
        row(`API group → each of ${LAMPS} lamps confirmed`, distribution(perLamp)),
        row(`API group → all ${LAMPS} lamps confirmed`, allD),
      ],
    )) log(`command: ${line}`);
    log(`command: one lamp ${ratioP50 ?? '—'}× the bare MQTT round trip at p50; failed or timed out: ${bad}`);
    log(verdictLine('command', overall));

    const results: CommandBenchResults = {
      benchmark: 'command',
      machine,
      lamps: lampIds.length,
      single: { command: singleD, bare: bareD, ratioP50 },
      group: { perLamp: distribution(perLamp), all: allD, bareAll: distribution(bareAll), failedOrTimedOut: bad },
      verdict: overall,
      verdicts: { single: vSingle, group: vGroup },
    };
    log(`command: results in ${await writeResults('command', results)}`);
    return results;
  } finally {
    await bare?.endAsync().catch(() => undefined);
    await devices?.close();
    await server?.close();
    await twin?.cleanup();
  }
}
