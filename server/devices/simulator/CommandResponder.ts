/**
 * How the demo's devices answer commands (docs/commands.md): a lamp obeys `switch` and `dim`
 * until told otherwise — a dimmed lamp draws power in proportion, a switched-off one none and
 * reports `on: false` —, a camera takes its `preset`, and a signal controller runs the `timing-plan`
 * it was sent (and reports it). Each command is acked on the device's
 * acks topic, and a lamp reports its new state at once so the server sees the effect. Now and
 * then a device answers `error` (`failRate`) or never answers a command at all (`silentRate`,
 * retries included), so the failure paths show in the demo. A repeated id (a retry after a lost
 * ack) is acked again without acting twice.
 */
import { COMMANDS_BY_TYPE, type AckPayload, type CommandMessage } from '../../../domain/commands';
import { PAYLOAD_VERSION } from '../../../domain/payloads';
import { planReadings, type TimingPlan } from '../../../domain/signalPlans';
import type { TelemetryValues, TerminalType } from '../../../domain/terminals';

export const DEFAULT_COMMAND_FAIL_RATE = 0.02;
export const DEFAULT_COMMAND_SILENT_RATE = 0.01;

/** What a lamp was told: on or off, and its light output. */
export interface LampOverride {
  on: boolean;
  dimmingPct: number;
}

export interface CommandResponderOptions {
  failRate?: number;
  silentRate?: number;
  random: () => number;
  /** Publishes the ack on the device's acks topic. */
  ack(terminalId: string, ack: AckPayload): void;
  /** The device reports its state now (after a lamp obeyed). */
  reportNow(terminalId: string): void;
}

/** What a device that failed a command says, per type. */
const FAILURE: Partial<Record<TerminalType, string>> = {
  lamp: 'driver did not respond',
  camera: 'pan-tilt head did not respond',
  'traffic-camera': 'pan-tilt head did not respond',
  'signal-controller': 'controller refused the plan: a local override is active',
};

/** Remembered answers per device: enough for a retry to find its command. */
const REMEMBERED_IDS = 16;

export class CommandResponder {
  private readonly lamps = new Map<string, LampOverride>();
  private readonly plans = new Map<string, TimingPlan>();
  private readonly answered = new Map<string, Map<string, AckPayload | 'silent'>>();
  private readonly failRate: number;
  private readonly silentRate: number;

  constructor(private readonly opts: CommandResponderOptions) {
    this.failRate = opts.failRate ?? DEFAULT_COMMAND_FAIL_RATE;
    this.silentRate = opts.silentRate ?? DEFAULT_COMMAND_SILENT_RATE;
    for (const [name, p] of [['command fail rate', this.failRate], ['command silent rate', this.silentRate]] as const) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
    }
  }

  /** Whether devices of this type listen for commands. */
  static listens(type: TerminalType): boolean {
    return COMMANDS_BY_TYPE[type].length > 0;
  }

  /** A message on the device's command topic. */
  onCommand(terminalId: string, type: TerminalType, payload: Buffer): void {
    let message: CommandMessage;
    try {
      message = JSON.parse(payload.toString()) as CommandMessage;
    } catch {
      return;
    }
    if (typeof message.id !== 'string') return;
    let seen = this.answered.get(terminalId);
    if (!seen) this.answered.set(terminalId, (seen = new Map()));
    const before = seen.get(message.id);
    if (before === 'silent') return;
    if (before) return this.opts.ack(terminalId, { ...before, ts: Date.now() });
    const answer = this.decide(terminalId, type, message);
    seen.set(message.id, answer ?? 'silent');
    if (seen.size > REMEMBERED_IDS) seen.delete(seen.keys().next().value!);
    if (!answer) return;
    this.opts.ack(terminalId, answer);
    if (answer.result === 'ok' && (type === 'lamp' || type === 'signal-controller')) this.opts.reportNow(terminalId);
  }

  private decide(terminalId: string, type: TerminalType, message: CommandMessage): AckPayload | undefined {
    const ack = (result: AckPayload['result'], text?: string): AckPayload => ({ v: PAYLOAD_VERSION, id: message.id, ts: Date.now(), result, ...(text ? { message: text } : {}) });
    if (!COMMANDS_BY_TYPE[type].includes(message.command)) return ack('error', `unsupported command ${String(message.command)}`);
    const roll = this.opts.random();
    if (roll < this.silentRate) return undefined;
    if (roll < this.silentRate + this.failRate) return ack('error', FAILURE[type] ?? 'device did not respond');
    if (message.command === 'switch') this.lamps.set(terminalId, { on: message.on === true, dimmingPct: message.on === true ? 100 : 0 });
    if (message.command === 'dim') {
      const pct = Math.max(0, Math.min(100, Number(message.percent)));
      this.lamps.set(terminalId, { on: pct > 0, dimmingPct: pct });
    }
    if (message.command === 'timing-plan') {
      const m = message as CommandMessage & TimingPlan;
      if (!Array.isArray(m.splitsS)) return ack('error', 'timing plan without splits');
      this.plans.set(terminalId, { cycleS: m.cycleS, splitsS: m.splitsS, offsetS: m.offsetS, lostTimeS: m.lostTimeS });
    }
    return ack('ok');
  }

  /** A lamp's readings as its last command left it, a signal controller's plan; other terminals' unchanged. */
  adjust(terminalId: string, values: TelemetryValues, ratedW: number): TelemetryValues {
    const plan = this.plans.get(terminalId);
    if (plan) {
      // Phases the new plan does not have are not reported.
      const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !/^split\d+S$/.test(k)));
      return { ...kept, ...planReadings(plan) };
    }
    const told = this.lamps.get(terminalId);
    if (!told) return values;
    if (!told.on || told.dimmingPct === 0) return { ...values, on: false, dimmingPct: 0, powerW: 0, currentA: 0 };
    const voltageV = typeof values.voltageV === 'number' ? values.voltageV : 220;
    const powerW = Math.round(ratedW * (told.dimmingPct / 100) * 10) / 10;
    // LED drivers run at a power factor of about 0.95 (as readings.ts).
    return { ...values, on: true, dimmingPct: told.dimmingPct, powerW, currentA: Math.round((powerW / (voltageV * 0.95)) * 1000) / 1000 };
  }
}
