/**
 * Plays every terminal of the twin as an MQTT device, each over its own connection with its own
 * credential and an `offline` last will (DeviceConnections), exactly as field devices would:
 * telemetry on `…/{id}/telemetry` at the type's nominal interval divided by the speed-up, and a
 * retained `…/{id}/status` (`online` first, `fault` with a code now and then, `online` again when
 * repaired), all at QoS 1. Events go on `…/{id}/events`: a lamp's fault code and its repair, a
 * manhole cover opening and closing. Now and then a street-lighting circuit fails and darkens
 * three lamps in a row along a road. Now and then a terminal goes quiet for longer than the
 * watchdog allows — half the time by losing its connection, which fires its last will at once —
 * then comes back. Beside the devices, the outside video-AI system reports detections at cameras
 * (VideoAiSimulator).
 *
 * Publishing is spread evenly: within each type the terminals take turns, one every
 * interval / count, so the broker sees a steady stream instead of a burst per interval.
 */
import { VIDEO_TERMINAL_TYPES } from '../../../domain/devices';
import { PAYLOAD_VERSION, type EventPayload, type StatusPayload, type TelemetryPayload } from '../../../domain/payloads';
import { LAMP_FAULT_CODES, NOMINAL_REPORT_INTERVAL_S, TERMINAL_TYPES, type TerminalType } from '../../../domain/terminals';
import { ackTopic, terminalTopic } from '../../../domain/topics';
import type { TerminalRecord } from '../../../domain/twinPackage';
import type { Credential } from '../broker/credentials';
import { DeviceConnections } from './DeviceConnections';
import { mulberry32 } from '../../../kernel/random';
import { keyOf } from './noise';
import { CommandResponder } from './CommandResponder';
import { lampRatedW, readingFor } from './readings';
import { VideoAiSimulator } from './VideoAiSimulator';

/** Speed-up used when none is given, unless the fleet would then exceed DEFAULT_MAX_RATE. */
export const DEFAULT_SPEEDUP = 5;
/** Message rate (msg/s) the default speed-up keeps the whole fleet under: a few hundred. */
export const DEFAULT_MAX_RATE = 500;
/**
 * Default probability, per report, that a terminal develops a fault. About one fault every few
 * seconds across a demo fleet of ~6 k terminals at ~500 msg/s.
 */
export const DEFAULT_FAULT_RATE = 5e-4;

/** Staffed world: durable device faults per terminal per simulated day (each waits for a repair case). */
export const STAFFED_FAULTS_PER_TERMINAL_DAY = 1 / 100;
/** Staffed world: spells of silence per terminal per simulated day (they end by themselves). */
export const STAFFED_SILENCES_PER_TERMINAL_DAY = 1 / 200;
/**
 * Staffed world: lost manhole covers per cover sensor per simulated day, each open until the crew
 * closes it. The busy world's brief openings (readings.ts, a few per cover per month) are left out:
 * each would open an urgent case that nobody could find on site.
 */
export const STAFFED_LOST_COVERS_PER_SENSOR_DAY = 1 / 200;
/** Staffed world: new video-AI problems per camera per simulated hour (each stands until cleared). */
export const STAFFED_VIDEO_EVENTS_PER_CAMERA_HOUR = 0.01;
/** Staffed world: the longest a problem waits for its repair before it ends anyway (simulated ms). */
export const STAFFED_PROBLEM_MAX_SIM_MS = 7 * 86_400_000;

/** What a repair crew fixes in the simulated world: terminals (faults, lost covers), camera sightings. */
export interface WorldRepair {
  terminalIds?: readonly string[];
  /** Lamps: also the dark lamps next to these along their road (a circuit). */
  circuits?: boolean;
  video?: ReadonlyArray<{ cameraId: string; category: string }>;
}

export interface DeviceSimulatorOptions {
  /** Broker to publish to. */
  url: string;
  terminals: readonly TerminalRecord[];
  /** The simulated clock runs this many times faster than real time (day and night, faults, video AI). */
  speedup: number;
  /**
   * Reports come this many times faster than NOMINAL_REPORT_INTERVAL_S; default `speedup`. A soak
   * run sets it lower than `speedup` so that days pass quickly without the fleet's message rate
   * growing with them (each device then reports less often per simulated hour).
   */
  reportSpeedup?: number;
  /**
   * The staffed world (docs/staff-sim.md): a device fault, a lost manhole cover and a video-AI
   * problem stay until `repairWorld` is called for them (the simulated staff's handler fixed them), at
   * rates per simulated day that a district's staff can keep up with. Otherwise faults heal after a
   * few report intervals and detections are one-off, at the demo's busy default rates.
   */
  staffed?: boolean;
  /** Probability per report of a fault; a terminal goes silent half as often. */
  faultRate?: number;
  seed?: number;
  /** Longitude of the district, for the day/night cycle. */
  lonDeg: number;
  /** Scheduler tick; publishes due since the last tick go out at the next one. */
  tickMs?: number;
  /** Each device's login (username = terminal id). */
  credentialFor: (terminalId: string) => Credential;
  /** The video-AI system's login; without it no video-AI events are simulated. */
  videoAi?: { credential: Credential; eventsPerCameraHour?: number };
  /** Each road's pole ids in order along it, for circuit failures that darken lamps in a row. */
  polesAlongRoad?: ReadonlyMap<string, readonly string[]>;
  /** How devices answer commands (CommandResponder): the share that answer error, and that never answer. */
  commandFailRate?: number;
  commandSilentRate?: number;
  onError?: (err: Error) => void;
}

/** Messages per second the fleet sends at a speed-up (telemetry only; status messages are rare). */
export function nominalMessageRate(terminals: readonly { type: TerminalType }[], speedup: number): number {
  let perSecond = 0;
  for (const t of terminals) perSecond += 1 / NOMINAL_REPORT_INTERVAL_S[t.type];
  return perSecond * speedup;
}

/**
 * The speed-up to run at: the requested one, else DEFAULT_SPEEDUP lowered so the fleet stays under
 * DEFAULT_MAX_RATE — never below real time, since a real fleet of that size sends as much anyway.
 */
export function resolveSpeedup(terminals: readonly { type: TerminalType }[], requested?: number): number {
  if (requested !== undefined) {
    if (!(requested > 0) || !Number.isFinite(requested)) throw new RangeError(`simulator speedup must be > 0, got ${requested}`);
    return requested;
  }
  const base = nominalMessageRate(terminals, 1);
  if (base === 0) return DEFAULT_SPEEDUP;
  // Rounded down to a tenth: a readable number in /api/health, still under the rate.
  return Math.max(1, Math.min(DEFAULT_SPEEDUP, Math.floor((DEFAULT_MAX_RATE / base) * 10) / 10));
}

interface Device {
  record: TerminalRecord;
  key: number;
  topicTelemetry: string;
  topicStatus: string;
  announced: boolean;
  /** Real time until which the device is faulty / silent (0: not). */
  faultUntil: number;
  silentUntil: number;
  /** The cover's last reported open state, to send opened/closed events on change. */
  coverOpen: boolean;
  /** Staffed world: the cover is lost and reads open until repaired. */
  coverLost: boolean;
}

/** Staffed world: lost covers per cover-sensor fault, so that both come at their daily rates from one draw's scale. */
const COVER_LOSS_PER_FAULT = STAFFED_LOST_COVERS_PER_SENSOR_DAY / STAFFED_FAULTS_PER_TERMINAL_DAY;

/** Lamps darkened together by a circuit failure. */
const CIRCUIT_RUN = 3;

interface TypeSchedule {
  type: TerminalType;
  devices: Device[];
  /** Real ms between two reports of one device. */
  intervalMs: number;
  /** Reports issued so far for this type; device `issued % n` is next. */
  issued: number;
}

const FAULT_CODES: Record<TerminalType, Array<[string, string]>> = {
  lamp: [
    ['LAMP_OPEN_CIRCUIT', 'lamp open circuit'],
    ['DRIVER_FAULT', 'LED driver failure'],
  ],
  camera: [['VIDEO_LOSS', 'video signal lost']],
  'cover-sensor': [['SENSOR_FAULT', 'tilt sensor not responding']],
  'water-level': [['PROBE_FAULT', 'ultrasonic probe blocked']],
  environment: [['SENSOR_DRIFT', 'particle sensor out of calibration']],
  'traffic-camera': [['VIDEO_LOSS', 'video signal lost']],
  'signal-controller': [['LAMP_GROUP_FAULT', 'signal head lamp group failed']],
};

export class DeviceSimulator {
  readonly speedup: number;
  readonly reportSpeedup: number;
  readonly faultRate: number;
  readonly seed: number;
  readonly staffed: boolean;
  private readonly schedules: TypeSchedule[];
  private readonly random: () => number;
  private readonly connections: DeviceConnections;
  private readonly videoAi: VideoAiSimulator | undefined;
  /** Per lamp terminal id: the lamps of its road in order, and its index there. */
  private readonly lampRoad = new Map<string, { lamps: Device[]; index: number }>();
  private readonly deviceById = new Map<string, Device>();
  private readonly responder: CommandResponder;
  private started = false;
  /** The background opening of the fleet's connections. */
  private connecting: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private published = 0;
  private rateWindowStart = 0;
  private rateWindowCount = 0;
  private rate = 0;

  constructor(private readonly options: DeviceSimulatorOptions) {
    this.speedup = options.speedup;
    if (!(this.speedup > 0)) throw new RangeError(`simulator speedup must be > 0, got ${this.speedup}`);
    this.reportSpeedup = options.reportSpeedup ?? this.speedup;
    if (!(this.reportSpeedup > 0 && this.reportSpeedup <= this.speedup)) {
      throw new RangeError(`simulator reportSpeedup must be in (0, speedup ${this.speedup}], got ${this.reportSpeedup}`);
    }
    this.faultRate = options.faultRate ?? DEFAULT_FAULT_RATE;
    if (!(this.faultRate >= 0 && this.faultRate <= 1)) throw new RangeError(`simulator faultRate must be in 0..1, got ${this.faultRate}`);
    this.staffed = options.staffed ?? false;
    this.seed = options.seed ?? 1;
    this.random = mulberry32(this.seed);
    this.schedules = TERMINAL_TYPES.map((type) => ({
      type,
      devices: options.terminals
        .filter((t) => t.type === type)
        .map((record) => ({
          record,
          key: keyOf(record.id),
          topicTelemetry: terminalTopic(record.id, 'telemetry'),
          topicStatus: terminalTopic(record.id, 'status'),
          announced: false,
          faultUntil: 0,
          silentUntil: 0,
          coverOpen: false,
          coverLost: false,
        })),
      intervalMs: (NOMINAL_REPORT_INTERVAL_S[type] * 1000) / this.reportSpeedup,
      issued: 0,
    })).filter((s) => s.devices.length > 0);
    for (const s of this.schedules) for (const d of s.devices) this.deviceById.set(d.record.id, d);
    this.responder = new CommandResponder({
      failRate: options.commandFailRate,
      silentRate: options.commandSilentRate,
      random: this.random,
      ack: (id, ack) => this.connections.publish(id, ackTopic(id), JSON.stringify(ack), false),
      reportNow: (id) => {
        const device = this.deviceById.get(id);
        if (device && device.faultUntil === 0) this.publishTelemetry(device, Date.now());
      },
    });
    this.connections = new DeviceConnections({
      url: options.url,
      terminalIds: options.terminals.map((t) => t.id),
      credentialFor: options.credentialFor,
      onError: options.onError,
      commands: {
        listens: (id) => CommandResponder.listens(this.deviceById.get(id)?.record.type ?? 'cover-sensor'),
        onCommand: (id, payload) => {
          const device = this.deviceById.get(id);
          if (device) this.responder.onCommand(id, device.record.type, payload);
        },
      },
    });
    if (options.videoAi) {
      this.videoAi = new VideoAiSimulator({
        url: options.url,
        credential: options.videoAi.credential,
        cameraIds: options.terminals.filter((t) => VIDEO_TERMINAL_TYPES.includes(t.type)).map((t) => t.id),
        speedup: this.speedup,
        eventsPerCameraHour: options.videoAi.eventsPerCameraHour ?? (this.staffed ? STAFFED_VIDEO_EVENTS_PER_CAMERA_HOUR : undefined),
        persistent: this.staffed ? { maxMs: STAFFED_PROBLEM_MAX_SIM_MS / this.speedup } : undefined,
        random: this.random,
        onError: options.onError,
      });
    }
    this.indexLampRoads(options.polesAlongRoad);
  }

  private indexLampRoads(polesAlongRoad: ReadonlyMap<string, readonly string[]> | undefined): void {
    if (!polesAlongRoad) return;
    const lampOfPole = new Map<string, Device>();
    for (const d of this.schedules.find((s) => s.type === 'lamp')?.devices ?? []) lampOfPole.set(d.record.poleId, d);
    for (const poleIds of polesAlongRoad.values()) {
      const lamps = poleIds.map((id) => lampOfPole.get(id)).filter((d): d is Device => d !== undefined);
      lamps.forEach((d, index) => this.lampRoad.set(d.record.id, { lamps, index }));
    }
  }

  /** Devices connected to the broker now. */
  get devicesConnected(): number {
    return this.connections.size;
  }

  /** Resolves when every device has been connected (or the simulator stopped). */
  whenConnected(): Promise<void> {
    return this.connecting;
  }

  /** Video-AI detections published so far. */
  get videoEventsSent(): number {
    return this.videoAi?.eventsSent ?? 0;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  get terminalCount(): number {
    return this.options.terminals.length;
  }

  /** Messages published in total. */
  get messagesPublished(): number {
    return this.published;
  }

  /** Measured over the last few seconds. */
  get messagesPerSecond(): number {
    return this.rate;
  }

  /** What the schedule should send, telemetry only. */
  get nominalMessagesPerSecond(): number {
    return nominalMessageRate(this.options.terminals, this.reportSpeedup);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      // The first device proves the URL and the credentials; a city's thousands follow in the
      // background (a few seconds per thousand), each reporting from when it is connected.
      await this.connections.open(1);
      await this.videoAi?.start(Date.now());
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.connecting = this.connections.open(Infinity, { keepGoing: true }).catch((err: Error) => this.options.onError?.(err));
    this.startedAt = Date.now();
    this.rateWindowStart = this.startedAt;
    const tickMs = this.options.tickMs ?? 20;
    this.timer = setInterval(() => this.tick(Date.now()), tickMs);
    this.tick(this.startedAt);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([this.connections.close(), this.videoAi?.stop()]);
    await this.connecting;
  }

  /** Issues every report due by `now`. */
  private tick(now: number): void {
    const elapsed = now - this.startedAt;
    for (const s of this.schedules) {
      const n = s.devices.length;
      // Device i of n is due at (i + k·n) · interval/n: one report every interval/n, evenly spaced.
      const due = Math.floor((elapsed * n) / s.intervalMs) + 1;
      // After a stall (GC, a blocked loop) send each device at most once rather than a backlog.
      if (due - s.issued > n) s.issued = due - n;
      while (s.issued < due) {
        this.report(s.devices[s.issued % n]!, s, now);
        s.issued += 1;
      }
    }
    this.videoAi?.tick(now);
    this.measure(now);
  }

  private report(device: Device, schedule: TypeSchedule, now: number): void {
    const id = device.record.id;
    if (device.silentUntil > now) return;
    if (device.silentUntil !== 0) {
      // Back from silence: a reconnecting device announces itself again.
      device.silentUntil = 0;
      device.announced = false;
    }
    // Not connected (still handshaking, or a reconnect failed): the report is lost, as it would be
    // in the field, and the device tries again.
    if (!this.connections.connected(id)) {
      this.connections.restore(id);
      return;
    }
    if (!device.announced) {
      this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'online' });
      device.announced = true;
    }

    const { faultChance, silenceChance } = this.chancesPerReport(schedule);
    if (device.faultUntil !== 0 && now >= device.faultUntil) {
      this.repair(device, now);
    } else if (this.staffed && device.record.type === 'cover-sensor' && !device.coverLost && this.random() < faultChance * COVER_LOSS_PER_FAULT) {
      device.coverLost = true;
    } else if (device.faultUntil === 0 && this.random() < faultChance) {
      // Staffed: the fault stays until its repair case is handled (or, unattended, for days).
      const until = this.staffed ? now + STAFFED_PROBLEM_MAX_SIM_MS / this.speedup : now + schedule.intervalMs * (5 + 15 * this.random());
      // A quarter of lamp failures are the circuit's: the lamp and the next ones along the road go dark.
      const run = device.record.type === 'lamp' && this.random() < 0.25 ? this.circuitOf(device) : [device];
      for (const d of run) if (d.faultUntil === 0) this.fail(d, now, until, run.length > 1);
    } else if (this.random() < silenceChance) {
      // Silent for 4–12 intervals: past the watchdog's 3, so it shows as offline, then returns.
      device.silentUntil = now + schedule.intervalMs * (4 + 8 * this.random());
      // Half the time by losing the connection: the broker then publishes the last will.
      if (this.random() < 0.5) this.connections.drop(id);
      return;
    }

    this.publishTelemetry(device, now);
  }

  /** Chance per report of a new fault and of a spell of silence. */
  private chancesPerReport(schedule: TypeSchedule): { faultChance: number; silenceChance: number } {
    if (!this.staffed) return { faultChance: this.faultRate, silenceChance: this.faultRate / 2 };
    // Rates per simulated day, whatever the report interval: one report covers intervalMs·speedup simulated ms.
    const simDays = (schedule.intervalMs * this.speedup) / 86_400_000;
    return { faultChance: STAFFED_FAULTS_PER_TERMINAL_DAY * simDays, silenceChance: STAFFED_SILENCES_PER_TERMINAL_DAY * simDays };
  }

  /**
   * The repair crew was there (the simulated staff handled the case): the named faults end at the
   * device's next report, lost covers are closed, camera problems cleared away. Returns how many
   * things it fixed.
   */
  repairWorld(target: WorldRepair): number {
    let fixed = 0;
    const now = Date.now();
    const devices = (target.terminalIds ?? []).map((id) => this.deviceById.get(id)).filter((d): d is Device => d !== undefined);
    const lamps = target.circuits ? devices.flatMap((d) => this.darkRunAround(d)) : [];
    for (const d of new Set([...devices, ...lamps])) {
      if (d.faultUntil > now) {
        d.faultUntil = now;
        fixed += 1;
      }
      if (d.coverLost) {
        d.coverLost = false;
        fixed += 1;
      }
      // An offline terminal: the crew power-cycles it or re-seats its link, and it reports again.
      if (d.silentUntil > now || !this.connections.connected(d.record.id)) {
        d.silentUntil = 0;
        this.connections.restore(d.record.id);
        fixed += 1;
      }
    }
    for (const v of target.video ?? []) if (this.videoAi?.resolve(v.cameraId, v.category)) fixed += 1;
    return fixed;
  }

  /** The faulty lamps next to `device` along its road, both ways, and it. */
  private darkRunAround(device: Device): Device[] {
    const place = this.lampRoad.get(device.record.id);
    if (!place) return [device];
    let first = place.index;
    let last = place.index;
    while (first > 0 && place.lamps[first - 1]!.faultUntil !== 0) first -= 1;
    while (last < place.lamps.length - 1 && place.lamps[last + 1]!.faultUntil !== 0) last += 1;
    return place.lamps.slice(first, last + 1);
  }

  /** The device's readings now: its type's day, a fault's darkness, what its last command set. */
  private publishTelemetry(device: Device, now: number): void {
    const simTimeMs = this.startedAt + (now - this.startedAt) * this.speedup;
    let values = readingFor(device.record.type, device.key, { simTimeMs, lonDeg: this.options.lonDeg, seed: this.seed, ratedW: device.record.ratedW });
    if (device.faultUntil !== 0 && device.record.type === 'lamp') {
      // A faulty lamp is a dark lamp.
      Object.assign(values, { on: false, dimmingPct: 0, powerW: 0, currentA: 0 });
    } else if (device.record.type === 'lamp' || device.record.type === 'signal-controller') {
      values = this.responder.adjust(device.record.id, values, device.record.ratedW ?? lampRatedW(device.key, this.seed));
    }
    if (device.record.type === 'cover-sensor') this.coverLostOrNot(device, values);
    if (device.record.type === 'cover-sensor' && values.open !== device.coverOpen) {
      device.coverOpen = values.open === true;
      this.publishEvent(device, { v: PAYLOAD_VERSION, ts: now, event: device.coverOpen ? 'cover-opened' : 'cover-closed' });
    }
    const payload: TelemetryPayload = { v: PAYLOAD_VERSION, ts: now, values };
    this.publish(device, device.topicTelemetry, JSON.stringify(payload), false);
  }

  /** Staffed world: a cover reads open exactly while it is lost (until the crew closes it), level otherwise. */
  private coverLostOrNot(device: Device, values: TelemetryPayload['values']): void {
    if (!this.staffed) return;
    if (values.open === true && !device.coverLost) Object.assign(values, { open: false, tiltDeg: 1 });
    if (device.coverLost) values.open = true;
  }

  /** The lamp and the next CIRCUIT_RUN − 1 along its road (fewer at the road's end). */
  private circuitOf(device: Device): Device[] {
    const place = this.lampRoad.get(device.record.id);
    if (!place) return [device];
    return place.lamps.slice(place.index, place.index + CIRCUIT_RUN);
  }

  private fail(device: Device, now: number, until: number, circuit: boolean): void {
    device.faultUntil = until;
    if (device.record.type === 'lamp') {
      const code = circuit ? 'POWER_LOSS' : LAMP_FAULT_CODES[Math.floor(this.random() * 3)]!;
      this.publishEvent(device, { v: PAYLOAD_VERSION, ts: now, event: 'lamp-fault', code });
      this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'fault', code });
      return;
    }
    const codes = FAULT_CODES[device.record.type];
    const [code, message] = codes[Math.floor(this.random() * codes.length)]!;
    this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'fault', code, message });
  }

  private repair(device: Device, now: number): void {
    device.faultUntil = 0;
    if (device.record.type === 'lamp') this.publishEvent(device, { v: PAYLOAD_VERSION, ts: now, event: 'lamp-restored' });
    this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'online' });
  }

  private publishStatus(device: Device, payload: StatusPayload): void {
    this.publish(device, device.topicStatus, JSON.stringify(payload), true);
  }

  private publishEvent(device: Device, payload: EventPayload): void {
    this.publish(device, terminalTopic(device.record.id, 'events'), JSON.stringify(payload), false);
  }

  private publish(device: Device, topic: string, body: string, retain: boolean): void {
    if (!this.connections.publish(device.record.id, topic, body, retain)) return;
    this.published += 1;
    this.rateWindowCount += 1;
  }

  private measure(now: number): void {
    const span = now - this.rateWindowStart;
    if (span >= 5000) {
      this.rate = (this.rateWindowCount * 1000) / span;
      this.rateWindowStart = now;
      this.rateWindowCount = 0;
    } else if (this.rate === 0 && span >= 1000) {
      // Before the first full window, report the partial one rather than 0.
      this.rate = (this.rateWindowCount * 1000) / span;
    }
  }
}
