/**
 * Plays every terminal of the twin as an MQTT device, over its own mqtt.js connection, exactly as
 * field devices would: telemetry on `…/{id}/telemetry` at the type's nominal interval divided by
 * the speed-up, and a retained `…/{id}/status` (`online` first, `fault` with a code now and then,
 * `online` again when repaired). Now and then a terminal goes silent for longer than the
 * watchdog allows, then comes back.
 *
 * Publishing is spread evenly: within each type the terminals take turns, one every
 * interval / count, so the broker sees a steady stream instead of a burst per interval.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { TelemetryPayload } from '../../domain/payloads';
import { PAYLOAD_VERSION } from '../../domain/payloads';
import { NOMINAL_REPORT_INTERVAL_S, TERMINAL_TYPES, type TerminalType } from '../../domain/terminals';
import { terminalTopic } from '../../domain/topics';
import type { TerminalRecord } from '../../domain/twinPackage';
import type { StatusPayload } from '../../domain/payloads';
import { keyOf, mulberry32 } from './noise';
import { readingFor } from './readings';

/** Speed-up used when none is given, unless the fleet would then exceed DEFAULT_MAX_RATE. */
export const DEFAULT_SPEEDUP = 5;
/** Message rate (msg/s) the default speed-up keeps the whole fleet under: a few hundred. */
export const DEFAULT_MAX_RATE = 500;
/**
 * Default probability, per report, that a terminal develops a fault. About one fault every few
 * seconds across a demo fleet of ~6 k terminals at ~500 msg/s.
 */
export const DEFAULT_FAULT_RATE = 5e-4;

export interface DeviceSimulatorOptions {
  /** Broker to publish to. */
  url: string;
  terminals: readonly TerminalRecord[];
  /** Reports come this many times faster than NOMINAL_REPORT_INTERVAL_S; the simulated day runs as fast. */
  speedup: number;
  /** Probability per report of a fault; a terminal goes silent half as often. */
  faultRate?: number;
  seed?: number;
  /** Longitude of the district, for the day/night cycle. */
  lonDeg: number;
  /** Scheduler tick; publishes due since the last tick go out at the next one. */
  tickMs?: number;
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
}

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
};

export class DeviceSimulator {
  readonly speedup: number;
  readonly faultRate: number;
  readonly seed: number;
  private readonly schedules: TypeSchedule[];
  private readonly random: () => number;
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private published = 0;
  private rateWindowStart = 0;
  private rateWindowCount = 0;
  private rate = 0;

  constructor(private readonly options: DeviceSimulatorOptions) {
    this.speedup = options.speedup;
    if (!(this.speedup > 0)) throw new RangeError(`simulator speedup must be > 0, got ${this.speedup}`);
    this.faultRate = options.faultRate ?? DEFAULT_FAULT_RATE;
    if (!(this.faultRate >= 0 && this.faultRate <= 1)) throw new RangeError(`simulator faultRate must be in 0..1, got ${this.faultRate}`);
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
        })),
      intervalMs: (NOMINAL_REPORT_INTERVAL_S[type] * 1000) / this.speedup,
      issued: 0,
    })).filter((s) => s.devices.length > 0);
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
    return nominalMessageRate(this.options.terminals, this.speedup);
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.client = await mqtt.connectAsync(
      this.options.url,
      {
        clientId: `citytwin-simulator-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`,
        clean: true,
        reconnectPeriod: 1000,
        // Readings are worthless once stale: do not pile them up while disconnected.
        queueQoSZero: false,
      },
      false,
    );
    this.client.on('error', (err) => this.options.onError?.(err));
    this.startedAt = Date.now();
    this.rateWindowStart = this.startedAt;
    const tickMs = this.options.tickMs ?? 20;
    this.timer = setInterval(() => this.tick(Date.now()), tickMs);
    this.tick(this.startedAt);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
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
    this.measure(now);
  }

  private report(device: Device, schedule: TypeSchedule, now: number): void {
    if (device.silentUntil > now) return;
    if (device.silentUntil !== 0) {
      // Back from silence: a reconnecting device announces itself again.
      device.silentUntil = 0;
      device.announced = false;
    }
    if (!device.announced) {
      this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'online' });
      device.announced = true;
    }

    if (device.faultUntil !== 0 && now >= device.faultUntil) {
      device.faultUntil = 0;
      this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'online' });
    } else if (device.faultUntil === 0 && this.random() < this.faultRate) {
      const codes = FAULT_CODES[device.record.type];
      const [code, message] = codes[Math.floor(this.random() * codes.length)]!;
      // Repaired after 5–20 reports' time.
      device.faultUntil = now + schedule.intervalMs * (5 + 15 * this.random());
      this.publishStatus(device, { v: PAYLOAD_VERSION, ts: now, status: 'fault', code, message });
    } else if (this.random() < this.faultRate / 2) {
      // Silent for 4–12 intervals: past the watchdog's 3, so it shows as offline, then returns.
      device.silentUntil = now + schedule.intervalMs * (4 + 8 * this.random());
      return;
    }

    const simTimeMs = this.startedAt + (now - this.startedAt) * this.speedup;
    const values = readingFor(device.record.type, device.key, { simTimeMs, lonDeg: this.options.lonDeg, seed: this.seed });
    if (device.faultUntil !== 0 && device.record.type === 'lamp') {
      // A faulty lamp is a dark lamp.
      Object.assign(values, { on: false, dimmingPct: 0, powerW: 0, currentA: 0 });
    }
    const payload: TelemetryPayload = { v: PAYLOAD_VERSION, ts: now, values };
    this.publish(device.topicTelemetry, JSON.stringify(payload), 0, false);
  }

  private publishStatus(device: Device, payload: StatusPayload): void {
    this.publish(device.topicStatus, JSON.stringify(payload), 1, true);
  }

  private publish(topic: string, body: string, qos: 0 | 1, retain: boolean): void {
    const client = this.client;
    if (!client) return;
    client.publish(topic, body, { qos, retain }, (err) => {
      if (err) this.options.onError?.(err);
    });
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
