/**
 * Device history's queries with their rules: which fields a terminal has, how far back each step
 * reaches, how many points an answer may hold. Refusals are DomainErrors naming the query field
 * at fault (server/errors.ts turns them into 400/404). Runs without Fastify: the twin's
 * terminals, the store and the clock are passed in.
 */
import {
  EVENTS_FIELD,
  MAX_HISTORY_POINTS,
  STATUS_FIELD,
  type AlarmHistory,
  type AlarmHistoryGroup,
  type AlarmHistoryStep,
  type DeviceHealthHistory,
  type HistorySnapshot,
  type HistoryStep,
  type TerminalHistory,
} from '../../domain/history';
import { DomainError } from '../../domain/DomainError';
import { LIVE_STATUSES, TELEMETRY_FIELDS, worseStatus, type LiveStatus, type TerminalType } from '../../domain/terminals';
import { ALARM_STEP_MS, type HistoryStore } from './HistoryStore';
import { bucketStart, DAY_MS, oldestKept, resolveStep, type Retention } from './rollup';

export interface HistoryTerminal {
  id: string;
  poleId: string;
  type: TerminalType;
}

export interface HistoryServiceOptions {
  store: HistoryStore;
  terminals: ReadonlyMap<string, HistoryTerminal>;
  retention: Retention;
  now?: () => number;
}

export interface RangeQuery {
  from?: number;
  to?: number;
}

/** The fields a terminal of `type` has a history of. */
export function historyFields(type: TerminalType): string[] {
  return [...Object.keys(TELEMETRY_FIELDS[type]), STATUS_FIELD, EVENTS_FIELD];
}

export class HistoryService {
  readonly store: HistoryStore;
  readonly retention: Retention;
  private readonly now: () => number;

  constructor(private readonly opts: HistoryServiceOptions) {
    this.store = opts.store;
    this.retention = opts.retention;
    this.now = opts.now ?? Date.now;
  }

  /** `from`/`to` with their defaults (the last `defaultSpanMs`), checked against each other and the oldest data kept. */
  private range(q: RangeQuery, defaultSpanMs: number, oldest: number): { from: number; to: number } {
    const to = q.to ?? this.now();
    const from = q.from ?? Math.max(to - defaultSpanMs, oldest);
    if (from > to) throw new DomainError('invalid', `from (${from}) is after to (${to})`, ['from', 'to']);
    if (from < oldest) throw new DomainError('invalid', `from (${new Date(from).toISOString()}) is before the oldest history kept (${new Date(oldest).toISOString()})`, ['from']);
    return { from, to };
  }

  async terminalHistory(terminalId: string, field: string, q: RangeQuery & { step?: HistoryStep }): Promise<TerminalHistory> {
    const terminal = this.opts.terminals.get(terminalId);
    if (!terminal) throw new DomainError('not-found', `terminal "${terminalId}" not found`, ['id']);
    const fields = historyFields(terminal.type);
    if (!fields.includes(field)) throw new DomainError('invalid', `field "${field}" is not one of a ${terminal.type}'s: ${fields.join(', ')}`, ['field']);
    const now = this.now();
    const { from, to } = this.range(q, DAY_MS, oldestKept('1h', this.retention, now));
    const step = resolveStep(q.step ?? 'auto', from, to, this.retention, now);
    const oldest = oldestKept(step, this.retention, now);
    if (from < oldest) {
      throw new DomainError('invalid', `from (${new Date(from).toISOString()}) is before the oldest ${step} history kept (${new Date(oldest).toISOString()})`, ['from']);
    }
    let points;
    if (step === 'raw') {
      points = await this.store.raw(terminalId, field, from, to, MAX_HISTORY_POINTS + 1);
      if (points.length > MAX_HISTORY_POINTS) {
        throw new DomainError('invalid', `step raw gives more than ${MAX_HISTORY_POINTS} points between from and to: use step 1m, 1h or auto`, ['step']);
      }
    } else {
      points = await this.store.rollup(step, terminalId, field, from, to);
    }
    return { terminalId, field, step, from, to, points };
  }

  async alarms(q: RangeQuery & { step?: AlarmHistoryStep; groupBy?: AlarmHistoryGroup }): Promise<AlarmHistory> {
    const step = q.step ?? '1d';
    const groupBy = q.groupBy ?? 'kind';
    const { from, to } = this.range(q, 30 * DAY_MS, oldestKept('1h', this.retention, this.now()));
    if ((to - from) / ALARM_STEP_MS[step] > MAX_HISTORY_POINTS) {
      throw new DomainError('invalid', `step ${step} gives more than ${MAX_HISTORY_POINTS} buckets between from and to`, ['step']);
    }
    const buckets = await this.store.alarmCounts(step, groupBy, from, to);
    return { from, to, step, groupBy, buckets };
  }

  /** Every terminal's status and the open alarms at `at`: what replay draws. */
  async snapshot(at: number | undefined): Promise<HistorySnapshot> {
    const now = this.now();
    const when = at ?? now;
    const oldest = oldestKept('1h', this.retention, now);
    if (when < oldest) throw new DomainError('invalid', `at (${new Date(when).toISOString()}) is before the oldest history kept (${new Date(oldest).toISOString()})`, ['at']);
    const known = new Map((await this.store.lastValues(STATUS_FIELD, when)).map(([id, v]) => [id, LIVE_STATUSES[v] ?? 'unknown']));
    const terminals: Array<[string, LiveStatus]> = [];
    const poles = new Map<string, LiveStatus>();
    for (const t of this.opts.terminals.values()) {
      const status = known.get(t.id) ?? 'unknown';
      terminals.push([t.id, status]);
      poles.set(t.poleId, worseStatus(poles.get(t.poleId) ?? 'unknown', status));
    }
    return { at: when, poles: [...poles], terminals, alarms: await this.store.openAlarmsAt(when) };
  }

  /** The fleet's health per bucket: terminals heard of, online, in fault, from the status series. */
  async devices(q: RangeQuery & { step?: AlarmHistoryStep }): Promise<DeviceHealthHistory> {
    const step = q.step ?? '1h';
    const width = ALARM_STEP_MS[step];
    const { from, to } = this.range(q, 7 * DAY_MS, oldestKept('1h', this.retention, this.now()));
    if ((to - from) / width > MAX_HISTORY_POINTS) throw new DomainError('invalid', `step ${step} gives more than ${MAX_HISTORY_POINTS} buckets between from and to`, ['step']);
    const start = bucketStart(from, width);
    const status = new Map(await this.store.lastValues(STATUS_FIELD, start));
    const changes = await this.store.lastPerHour(STATUS_FIELD, start, to);
    const buckets = [];
    let i = 0;
    for (let t = start; t <= to; t += width) {
      for (; i < changes.length && changes[i]!.t < t + width; i++) status.set(changes[i]!.terminalId, changes[i]!.last);
      let terminals = 0;
      let online = 0;
      let fault = 0;
      for (const v of status.values()) {
        const s = LIVE_STATUSES[v];
        if (s === undefined || s === 'unknown') continue;
        terminals += 1;
        if (s !== 'offline') online += 1;
        if (s === 'fault') fault += 1;
      }
      buckets.push({ t, terminals, online, fault, onlineRate: terminals === 0 ? 0 : online / terminals });
    }
    return { from, to, step, buckets };
  }
}
