/**
 * Street-lamp energy per lamp, road, grid cell and department per day (docs/energy.md): each
 * lamp's `powerW` 1-minute rollups from the history store, integrated by the pure core
 * (integrate.ts) over its lighting day (lightingDay.ts), against full rated power over the night.
 * Runs without Fastify; the energy plugin wires it to the app.
 *
 * A city-wide day reads every lamp's minute buckets of that day in one query (2,000 lamps: ≈ 2.9
 * million rows), so each lamp's figures for a day are kept: a finished day for good (the 62 most
 * recent asked for), today for a minute. Concurrent requests for one day share one read.
 */
import { DomainError } from '../../domain/DomainError';
import type { EnergyDays, EnergyFigures, EnergyGroupBy, LampEnergy } from '../../domain/energy';
import type { Place } from '../commands/schedule/scheduleEvents';
import type { FieldBucket, HistoryStore } from '../history/HistoryStore';
import { STEP_MS } from '../history/rollup';
import { integrateBuckets, type EnergyTally, type IntegrateOptions, type PowerBucket } from './integrate';
import { addDays, lightingDay, lightingDayOf, type LightingDay } from './lightingDay';

/** A lamp as energy groups it. */
export interface EnergyLamp {
  id: string;
  roadId?: string;
  gridCode?: string;
  departmentId?: string;
  /** Rated power, W: the full power the saving is measured against. */
  ratedW?: number;
}

export const POWER_FIELD = 'powerW';
/**
 * A lamp reports every 30 s: a reading stands for at most 5 minutes (ten missed reports) before
 * the silence is a gap; at or below 2 W (off, or the controller's standby) it holds across any gap.
 */
export const DEFAULT_INTEGRATION: IntegrateOptions = { method: 'step', maxHoldMs: 5 * 60_000, offAtOrBelowW: 2 };
/** Buckets read before the day starts, so a reading just before noon holds into it. */
const LEAD_IN_MS = 3_600_000;
/** Today's figures are read again when older than this. */
const TODAY_TTL_MS = 60_000;
const CACHED_DAYS = 62;
const MS_PER_H = 3_600_000;
const NONE = '(none)';

export interface EnergyServiceOptions {
  store: Pick<HistoryStore, 'fieldRollups' | 'rollup'>;
  lamps: readonly EnergyLamp[];
  place: Place;
  /** How long 1-minute rollups are kept (ms): older days are refused. */
  minuteRetentionMs: number;
  now?: () => number;
  integration?: IntegrateOptions;
}

/** One lamp on one day. */
interface LampDay {
  tally: EnergyTally;
  /** Night time its readings cover. */
  nightCoveredMs: number;
}

interface DayFigures {
  night: LightingDay;
  /** Elapsed part of the day and of its night (all of them for a finished day). */
  elapsedMs: number;
  nightElapsedMs: number;
  perLamp: Map<string, LampDay>;
  computedAt: number;
}

export class EnergyService {
  private readonly now: () => number;
  private readonly integration: IntegrateOptions;
  private readonly lampById: Map<string, EnergyLamp>;
  private readonly days = new Map<string, Promise<DayFigures>>();

  constructor(private readonly opts: EnergyServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.integration = opts.integration ?? DEFAULT_INTEGRATION;
    this.lampById = new Map(opts.lamps.map((l) => [l.id, l]));
  }

  /** The lighting day holding now. */
  today(): string {
    return lightingDayOf(this.now(), this.opts.place);
  }

  /** One day, city-wide, per lamp, road, grid cell or department, most energy first. */
  async lamps(day: string | undefined, groupBy: EnergyGroupBy): Promise<LampEnergy> {
    const d = await this.day(day ?? this.today(), 'day');
    const groups = new Map<string, EnergyLamp[]>();
    for (const lamp of this.opts.lamps) {
      const key = (groupBy === 'lamp' ? lamp.id : groupBy === 'road' ? lamp.roadId : groupBy === 'grid' ? lamp.gridCode : lamp.departmentId) || NONE;
      let members = groups.get(key);
      if (!members) groups.set(key, (members = []));
      members.push(lamp);
    }
    const out = [...groups].map(([key, members]) => ({ key, ...this.figures(d, members) }));
    out.sort((a, b) => b.kwh - a.kwh || a.key.localeCompare(b.key));
    return { ...nightOf(d.night), groupBy, total: this.figures(d, this.opts.lamps), groups: out };
  }

  /** `count` days up to `to` (default today): the city's lamps, or one lamp. */
  async perDay(to: string | undefined, count: number, terminalId?: string): Promise<EnergyDays> {
    const lamp = terminalId === undefined ? undefined : this.lampById.get(terminalId);
    if (terminalId !== undefined && !lamp) throw new DomainError('not-found', `id "${terminalId}": no lamp of this twin has this id`, ['id']);
    const last = to ?? this.today();
    const names = Array.from({ length: count }, (_, i) => addDays(last, i - count + 1));
    // Check every day before reading any (the oldest is the one retention may refuse).
    for (const name of names) this.checkDay(name, 'to');
    const days = await Promise.all(names.map((name) => (lamp ? this.oneLampDay(name, lamp) : this.day(name, 'to'))));
    return {
      ...(lamp ? { terminalId: lamp.id, ...(lamp.ratedW !== undefined ? { ratedW: lamp.ratedW } : {}) } : {}),
      days: days.map((d) => ({ ...nightOf(d.night), ...this.figures(d, lamp ? [lamp] : this.opts.lamps) })),
    };
  }

  private checkDay(name: string, field: string): LightingDay {
    const night = lightingDay(name, this.opts.place, field);
    const now = this.now();
    if (night.from > now) throw new DomainError('invalid', `${field} ${name} has not begun (a lamp's day starts at local noon)`, [field]);
    if (night.to < now - this.opts.minuteRetentionMs) {
      throw new DomainError('invalid', `${field} ${name} is older than the minute history kept (${Math.round(this.opts.minuteRetentionMs / 86_400_000)} days)`, [field]);
    }
    return night;
  }

  private day(name: string, field: string): Promise<DayFigures> {
    const night = this.checkDay(name, field);
    const now = this.now();
    const cached = this.days.get(name);
    if (cached) {
      // Refresh an unfinished day once its figures are a minute old; a finished one stays.
      const fresh = cached.then((d) => d.elapsedMs === d.night.to - d.night.from || now - d.computedAt < TODAY_TTL_MS);
      return fresh.then((ok) => (ok ? cached : this.load(name, night)));
    }
    return this.load(name, night);
  }

  private load(name: string, night: LightingDay): Promise<DayFigures> {
    const loading = (async (): Promise<DayFigures> => {
      const now = this.now();
      const end = Math.min(night.to, now);
      const rows = await this.opts.store.fieldRollups('1m', POWER_FIELD, night.from - LEAD_IN_MS, end);
      const perLamp = new Map<string, LampDay>();
      for (const [id, buckets] of byTerminal(rows)) if (this.lampById.has(id)) perLamp.set(id, this.integrate(buckets, night, end));
      return { night, elapsedMs: end - night.from, nightElapsedMs: Math.max(0, Math.min(night.sunrise, end) - night.sunset), perLamp, computedAt: now };
    })();
    this.days.set(name, loading);
    loading.catch(() => this.days.delete(name));
    while (this.days.size > CACHED_DAYS) this.days.delete(this.days.keys().next().value!);
    return loading;
  }

  private async oneLampDay(name: string, lamp: EnergyLamp): Promise<DayFigures> {
    const night = this.checkDay(name, 'to');
    const now = this.now();
    const end = Math.min(night.to, now);
    const points = await this.opts.store.rollup('1m', lamp.id, POWER_FIELD, night.from - LEAD_IN_MS, end - 1);
    const perLamp = new Map([[lamp.id, this.integrate(points, night, end)]]);
    return { night, elapsedMs: end - night.from, nightElapsedMs: Math.max(0, Math.min(night.sunrise, end) - night.sunset), perLamp, computedAt: now };
  }

  private integrate(buckets: readonly PowerBucket[], night: LightingDay, end: number): LampDay {
    const step = STEP_MS['1m'];
    const tally = integrateBuckets(buckets, step, night.from, end, this.integration);
    const nightTally = integrateBuckets(buckets, step, night.sunset, Math.min(night.sunrise, end), this.integration);
    return { tally, nightCoveredMs: nightTally.coveredMs };
  }

  private figures(d: DayFigures, lamps: readonly EnergyLamp[]): EnergyFigures {
    let wh = 0;
    let ratedWh = 0;
    let fullWh = 0;
    let baselineWh = 0;
    let coveredMs = 0;
    let litMs = 0;
    for (const lamp of lamps) {
      const f = d.perLamp.get(lamp.id);
      if (lamp.ratedW !== undefined) baselineWh += (lamp.ratedW * d.nightElapsedMs) / MS_PER_H;
      if (!f) continue;
      wh += f.tally.wh;
      coveredMs += f.tally.coveredMs;
      litMs += f.tally.litMs;
      if (lamp.ratedW !== undefined) {
        ratedWh += f.tally.wh;
        fullWh += (lamp.ratedW * f.nightCoveredMs) / MS_PER_H;
      }
    }
    const possibleMs = lamps.length * d.elapsedMs;
    return {
      lamps: lamps.length,
      kwh: round(wh / 1000, 3),
      baselineKwh: round(baselineWh / 1000, 3),
      savingPct: fullWh > 0 ? round(100 * (1 - ratedWh / fullWh), 1) : null,
      coverage: possibleMs > 0 ? round(coveredMs / possibleMs, 3) : 0,
      litHours: round(litMs / MS_PER_H, 2),
    };
  }
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

const nightOf = (n: LightingDay) => ({ day: n.day, from: n.from, to: n.to, sunset: Math.round(n.sunset), sunrise: Math.round(n.sunrise) });

/** Rows of one query (grouped by series, oldest first) split per terminal. */
function byTerminal(rows: readonly FieldBucket[]): Map<string, FieldBucket[]> {
  const out = new Map<string, FieldBucket[]>();
  for (const row of rows) {
    let list = out.get(row.terminalId);
    if (!list) out.set(row.terminalId, (list = []));
    list.push(row);
  }
  return out;
}
