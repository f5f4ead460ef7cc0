/**
 * Scale benchmark (`npm run bench:scale -- [--steps n[@s],…] [--duration s]`): one versus two
 * `citytwin serve` instances on one Mosquitto and one PostgreSQL (scaleDeployment.ts), at rising
 * device counts, each device reporting every 5 s; past 80,000 devices the same devices report
 * more often (scaleOptions.ts).
 *
 * A forked generator (scaleGenerator.ts) publishes for the devices over a few connections. A
 * browser on each instance (scaleObserver.ts) takes the end-to-end latency: receipt of the delta
 * minus the device's publish time. Per step and configuration: offered and sent rate, accepted
 * rate (all instances, and each instance's own share, from GET /api/health), p50/p95/p99 at each
 * browser, rejected and lost messages, CPU of each instance, the broker and the generator.
 *
 * A configuration saturates at the first step where it accepts under 95 % of the offered rate or
 * a browser's p99 exceeds 1 s. Its ladder goes on until it falls behind the offered rate (a
 * latency limit alone says little about how much more it could take), and its throughput is the
 * most it accepted per second at any step. The baseline is the one-instance configuration of the
 * same run; the ratio is two-instance ÷ one-instance throughput. Goal (issue 8, "show that
 * citytwin scales out"; it names no figure): two instances take at least as much as one (ratio ≥ 1).
 */
import { cpuSeconds, machineBusySeconds, ownCpuSeconds } from './scaleCpu';
import { health, startScaleDeployment, type InstanceHealth, type ScaleDeployment, type ScaleInstance } from './scaleDeployment';
import { LoadGenerator } from './scaleLoad';
import { LiveObserver } from './scaleObserver';
import { offeredRate, parseScaleOptions, type LoadStep, type ScaleOptions } from './scaleOptions';
import { loadAvg1m, machineInfo, type MachineInfo } from './support/machine';
import { writeResults } from './support/results';
import { round, sleep, type Distribution } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine, type Verdict } from './support/verdict';

const PUBLISHER_CONNECTIONS = 4;
const WARM_UP_S = 3;
const ACCEPTED_SHARE_MIN = 0.95;
const P99_LIMIT_MS = 1000;
/** After a step: wait for the ingest to take in what was sent, up to this long or until it stops moving. */
const DRAIN_CAP_MS = 15_000;
const DRAIN_STALL_MS = 2000;
/** Then the last readings still travel: one replica interval plus one delta interval (250 ms each) and slack. */
const LAST_DELTA_MS = 800;

export interface InstanceStep {
  id: string;
  acceptedPerS: number;
  /** Share of one core over the publishing window. */
  cpu: number;
  /** Readings its browser saw and their publish → browser latency. */
  readings: number;
  latencyMs: Distribution | undefined;
  /** Publish → the instance sending the delta (without the socket and the browser's own wait). */
  serverMs: Distribution | undefined;
}

export interface StepResult {
  devices: number;
  /** Each device reports once per interval. */
  intervalS: number;
  offeredPerS: number;
  sentPerS: number;
  /** All instances together over the publishing window. */
  acceptedPerS: number;
  instances: InstanceStep[];
  /** Refused by an ingest (invalid, unknown terminal): 0 when the load is well formed. */
  rejected: number;
  /** Sent but not taken in by any instance once the drain ended. */
  lost: number;
  duplicates: number;
  acked: number;
  publishFailed: number;
  drainS: number;
  brokerCpu: number;
  generatorCpu: number;
  observersCpu: number;
  /** Cores busy with everything else on the machine (other work, PostgreSQL, the kernel). */
  othersCpu: number;
  loadAvg1m: number;
  /** Why this step counts as saturated; undefined when the configuration kept up. */
  saturated: string | undefined;
  /** Accepted under 95 % of the offered rate: the ladder ends here. */
  fellBehind: boolean;
}

export interface ConfigurationResult {
  instances: number;
  steps: StepResult[];
  /** Offered msg/s at the first saturated step; undefined when none saturated. */
  saturatedAtRate: number | undefined;
  /** Offered msg/s at the step where it fell behind the offered rate; undefined when it never did. */
  fellBehindAtRate: number | undefined;
  /** The most accepted per second at any step. */
  throughputPerS: number;
}

export interface ScaleBenchResults {
  machine: MachineInfo;
  options: ScaleOptions;
  terminals: number;
  publisherConnections: number;
  configurations: ConfigurationResult[];
  /** Two-instance ÷ one-instance throughput. */
  ratio: number | undefined;
  /** Whether both configurations fell behind, so the ratio compares limits, not a limit and a lower bound. */
  ratioIsAtSaturation: boolean;
  verdict: Verdict;
}

export async function runScaleBench(log: (line: string) => void, args: readonly string[] = []): Promise<ScaleBenchResults> {
  const options = parseScaleOptions(args);
  const machine = machineInfo();
  log(`scale: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAvg1m}`);
  const maxDevices = Math.max(...options.steps.map((s) => s.devices));
  const top = options.steps[options.steps.length - 1]!;
  let deployment: ScaleDeployment | undefined;
  let generator: LoadGenerator | undefined;
  try {
    deployment = await startScaleDeployment(maxDevices);
    const devices = deployment.twin.terminals.slice(0, maxDevices).map((t) => ({ id: t.id, type: t.type }));
    log(`scale: Mosquitto ${deployment.mqttUrl}, PostgreSQL, synthetic twin of ${fmt(deployment.twin.terminals.length)} terminals`);
    generator = await LoadGenerator.start({ type: 'init', mqttUrl: deployment.mqttUrl, connections: PUBLISHER_CONNECTIONS, devices, seed: 42 });

    const configurations: ConfigurationResult[] = [];
    for (const count of [1, 2]) {
      configurations.push(await runConfiguration(deployment, generator, count, options, log));
    }
    const [one, two] = configurations as [ConfigurationResult, ConfigurationResult];
    const ratio = one.throughputPerS > 0 ? round(two.throughputPerS / one.throughputPerS, 2) : undefined;
    const ratioIsAtSaturation = one.fellBehindAtRate !== undefined && two.fellBehindAtRate !== undefined;

    log('');
    for (const c of configurations) {
      const first = c.steps.find((s) => s.saturated !== undefined);
      const where = first === undefined
        ? `not saturated up to ${fmt(offeredRate(top))} msg/s`
        : `saturates at ${fmt(first.offeredPerS)} msg/s offered (${fmt(first.devices)} devices every ${first.intervalS} s; ${first.saturated})`;
      const behind = c.fellBehindAtRate === undefined ? 'never fell behind the offered rate' : `fell behind at ${fmt(c.fellBehindAtRate)} msg/s`;
      log(`scale: ${c.instances} instance${c.instances > 1 ? 's' : ''}: ${where}; ${behind}; most accepted ${fmt(c.throughputPerS)} msg/s`);
    }
    const bound = ratioIsAtSaturation ? '' : ' (not both fell behind: the ratio compares the highest rates reached, not limits)';
    log(`scale: throughput two instances ÷ one instance = ${ratio === undefined ? '–' : `${ratio.toFixed(2)}×`}${bound}`);
    log(
      `scale: note — all of this ran on one machine with ${machine.cores} cores: the instances compete for them with the broker, ` +
        'PostgreSQL, the load generator and whatever else runs (load average above). The ratio shows the fan-out overhead ' +
        'and the division of the ingest, not the scale-out a second machine gives.',
    );
    const results: ScaleBenchResults = {
      machine,
      options,
      terminals: deployment.twin.terminals.length,
      publisherConnections: PUBLISHER_CONNECTIONS,
      configurations,
      ratio,
      ratioIsAtSaturation,
      verdict: verdict(
        'two instances take in at least as many msg/s as one (ratio ≥ 1), both at saturation',
        `${fmt(two.throughputPerS)} ÷ ${fmt(one.throughputPerS)} msg/s = ${ratio === undefined ? '–' : `${ratio.toFixed(2)}×`}${ratioIsAtSaturation ? '' : ' (not both saturated: a lower bound)'}`,
        ratio === undefined ? undefined : ratio >= 1,
        loadAvg1m(),
      ),
    };
    log(verdictLine('scale', results.verdict));
    log(`scale: wrote ${await writeResults('scale', results)}`);
    return results;
  } finally {
    await generator?.stop();
    await deployment?.remove();
  }
}

async function runConfiguration(
  deployment: ScaleDeployment,
  generator: LoadGenerator,
  count: number,
  options: ScaleOptions,
  log: (line: string) => void,
): Promise<ConfigurationResult> {
  const started = performance.now();
  const instances = await deployment.startInstances(count);
  const observers: LiveObserver[] = [];
  const steps: StepResult[] = [];
  try {
    for (const instance of instances) {
      const { observer, terminals } = await LiveObserver.connect(instance.httpUrl);
      observers.push(observer);
      if (terminals !== deployment.twin.terminals.length) throw new Error(`${instance.id}'s snapshot has ${terminals} terminals, the twin ${deployment.twin.terminals.length}`);
    }
    log('');
    log(`scale: ${count} instance${count > 1 ? 's' : ''} (${instances.map((i) => i.id).join(', ')}) up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Warm-up (JIT, connection buffers), not reported.
    await runStep({ deployment, generator, instances, observers }, options.steps[0]!, WARM_UP_S);
    for (const load of options.steps) {
      const step = await runStep({ deployment, generator, instances, observers }, load, options.durationS);
      steps.push(step);
      log(`scale: ${count}× ${fmt(load.devices)} devices every ${load.intervalMs / 1000} s: accepted ${fmt(step.acceptedPerS)} of ${fmt(step.offeredPerS)} msg/s, p99 ${instances.map((_, k) => fmt(step.instances[k]!.latencyMs?.p99)).join(' / ')} ms${step.saturated ? ` — saturated (${step.saturated})` : ''}`);
      if (step.fellBehind) break;
    }
  } finally {
    await Promise.all(observers.map((o) => o.close()));
    await deployment.stopInstances(instances);
  }
  printConfiguration(count, instances, steps, log);
  return {
    instances: count,
    steps,
    saturatedAtRate: steps.find((s) => s.saturated !== undefined)?.offeredPerS,
    fellBehindAtRate: steps.find((s) => s.fellBehind)?.offeredPerS,
    throughputPerS: Math.max(0, ...steps.map((s) => s.acceptedPerS)),
  };
}

interface StepContext {
  deployment: ScaleDeployment;
  generator: LoadGenerator;
  instances: readonly ScaleInstance[];
  observers: readonly LiveObserver[];
}

let loadId = 0;

async function runStep(ctx: StepContext, load: LoadStep, durationS: number): Promise<StepResult> {
  const { devices, intervalMs } = load;
  const { generator, instances, observers } = ctx;
  const id = ++loadId;
  const before = await Promise.all(instances.map(health));
  const published = generator.next('published', (durationS + 60) * 1000);
  const start = await generator.ask({ type: 'load', id, devices, intervalMs, durationS }, 'started', 10_000);
  for (const o of observers) o.open(start.at);
  const cpu0 = cpuSample(ctx);
  const done = await published;
  const cpu1 = cpuSample(ctx);
  const atEnd = await Promise.all(instances.map(health));
  const drainStarted = performance.now();
  const drained = await drain(instances, before, done.sent);
  const drainS = (performance.now() - drainStarted) / 1000;
  await sleep(LAST_DELTA_MS);
  const acks = await generator.ask({ type: 'acks', id, waitMs: 2000 }, 'acks', 10_000);

  const windows = observers.map((o) => o.window());
  const seconds = done.seconds;
  const local = (h: readonly InstanceHealth[], k: number): number => h[k]!.instance.accepted - before[k]!.instance.accepted;
  const acceptedInWindow = instances.reduce((sum, _, k) => sum + local(atEnd, k), 0);
  const acceptedAfterDrain = instances.reduce((sum, _, k) => sum + local(drained, k), 0);
  const offeredPerS = offeredRate(load);
  const acceptedPerS = acceptedInWindow / seconds;
  const worstP99 = Math.max(...windows.map((w) => w.latencyMs?.p99 ?? Infinity));
  const fellBehind = acceptedPerS < ACCEPTED_SHARE_MIN * offeredPerS;
  // On a shared machine the generator may be what falls behind: say so rather than blame the servers.
  const generatorBehind = done.sent / seconds < ACCEPTED_SHARE_MIN * offeredPerS;
  const saturated =
    fellBehind
      ? `accepted ${Math.round((100 * acceptedPerS) / offeredPerS)} % of offered${generatorBehind ? `, the generator sent ${Math.round((100 * done.sent) / seconds / offeredPerS)} %` : ''}`
      : worstP99 > P99_LIMIT_MS
        ? `p99 ${Number.isFinite(worstP99) ? `${fmt(worstP99)} ms` : 'not measured: no reading reached a browser'}`
        : undefined;
  const share = (k: number): number => (cpu1.instances[k]! - cpu0.instances[k]!) / seconds;
  const ours = instances.reduce((sum, _, k) => sum + share(k), 0) + (cpu1.broker - cpu0.broker + cpu1.observers - cpu0.observers) / seconds + done.cpuShare;
  return {
    devices,
    intervalS: intervalMs / 1000,
    offeredPerS,
    sentPerS: round(done.sent / seconds),
    acceptedPerS: round(acceptedPerS),
    instances: instances.map((instance, k) => ({
      id: instance.id,
      acceptedPerS: round(local(atEnd, k) / seconds),
      cpu: round(share(k), 2),
      readings: windows[k]!.readings,
      latencyMs: windows[k]!.latencyMs,
      serverMs: windows[k]!.serverMs,
    })),
    rejected: instances.reduce((sum, _, k) => sum + drained[k]!.instance.rejected - before[k]!.instance.rejected, 0),
    lost: Math.max(0, done.sent - acceptedAfterDrain),
    duplicates: instances.reduce((sum, _, k) => sum + drained[k]!.instance.duplicates - before[k]!.instance.duplicates, 0),
    acked: acks.acked,
    publishFailed: acks.failed,
    drainS: round(drainS, 1),
    brokerCpu: round((cpu1.broker - cpu0.broker) / seconds, 2),
    generatorCpu: round(done.cpuShare, 2),
    observersCpu: round((cpu1.observers - cpu0.observers) / seconds, 2),
    othersCpu: round(Math.max(0, (cpu1.machine - cpu0.machine) / seconds - ours), 2),
    loadAvg1m: loadAvg1m(),
    saturated,
    fellBehind,
  };
}

/** Waits until the instances together have taken in `sent` messages since `before`, or stop making progress. */
async function drain(instances: readonly ScaleInstance[], before: readonly InstanceHealth[], sent: number): Promise<InstanceHealth[]> {
  const deadline = Date.now() + DRAIN_CAP_MS;
  let last = -1;
  let stalledSince = Date.now();
  for (;;) {
    const now = await Promise.all(instances.map(health));
    const taken = now.reduce((sum, h, k) => sum + h.instance.accepted + h.instance.rejected - before[k]!.instance.accepted - before[k]!.instance.rejected, 0);
    if (taken >= sent || Date.now() > deadline) return now;
    if (taken !== last) {
      last = taken;
      stalledSince = Date.now();
    } else if (Date.now() - stalledSince > DRAIN_STALL_MS) {
      return now;
    }
    await sleep(100);
  }
}

function cpuSample(ctx: StepContext): { instances: number[]; broker: number; observers: number; machine: number } {
  return {
    instances: ctx.instances.map((i) => cpuSeconds(i.pid)),
    broker: cpuSeconds(ctx.deployment.brokerPid),
    observers: ownCpuSeconds(),
    machine: machineBusySeconds(),
  };
}

function printConfiguration(count: number, instances: readonly ScaleInstance[], steps: readonly StepResult[], log: (line: string) => void): void {
  const each = (values: Array<number | undefined>, digits = 0): string => values.map((v) => fmt(v, digits)).join(' / ');
  const names = instances.map((i) => i.id.slice(-1)).join(' / ');
  log('');
  log(`scale: ${count} instance${count > 1 ? 's' : ''}${count > 1 ? ` (per-instance columns: ${names})` : ''}`);
  for (const line of table(
    ['devices', 'every s', 'offered/s', 'sent/s', 'accepted/s', ...(count > 1 ? ['own/s'] : []), 'p50 ms', 'p95 ms', 'p99 ms', 'sent p99', 'lost', 'rejected', 'CPU', 'broker CPU', 'gen CPU', 'other CPU', 'saturated'],
    steps.map((s) => [
      s.devices,
      fmt(s.intervalS, 1),
      s.offeredPerS,
      s.sentPerS,
      s.acceptedPerS,
      ...(count > 1 ? [each(s.instances.map((i) => i.acceptedPerS))] : []),
      each(s.instances.map((i) => i.latencyMs?.p50)),
      each(s.instances.map((i) => i.latencyMs?.p95)),
      each(s.instances.map((i) => i.latencyMs?.p99)),
      each(s.instances.map((i) => i.serverMs?.p99)),
      s.lost,
      s.rejected,
      each(s.instances.map((i) => i.cpu), 2),
      fmt(s.brokerCpu, 2),
      fmt(s.generatorCpu, 2),
      fmt(s.othersCpu, 2),
      s.saturated ?? 'no',
    ]),
  )) {
    log(line);
  }
  log('scale: latency = device publish → delta at a browser on that instance (batched every 250 ms; with two, half the readings come through the other instance)');
  log('scale: sent p99 = publish → the instance sending the delta: the server\'s part of the p99, without the socket and the browser');
  log('scale: CPU = cores used over the publishing window (1 = one core); gen = the load generator; other = everything else on the machine');
}
