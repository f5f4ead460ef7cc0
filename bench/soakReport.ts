/**
 * The soak benchmark's tables beyond the samples (bench/soak.ts, docs/staff-sim.md): each
 * simulated day's lows and highs — open cases pile up through part of the day and drain in
 * another, so "flat" is judged day by day, not between samples at different times of day — and
 * the case flow behind the level: arrivals per source and category against closures, where the
 * open cases wait, and Little's law (level = arrivals per day × days open).
 */
import type { CaseFlow, FlowLine } from '../server/staffSim/caseFlow';
import type { SoakSample } from '../server/staffSim/soakProbe';
import { dailyRanges, growth, type DayRange } from '../server/staffSim/steadyState';
import { fmt, table } from './support/table';

const MB = 2 ** 20;

interface DailyRow extends SoakSample {
  loopLagP99Ms: number;
  liveP99Ms: number | undefined;
}

function ranges<T extends DailyRow>(samples: readonly T[], pick: (s: T) => number | undefined): DayRange[] {
  return dailyRanges(samples.filter((s) => pick(s) !== undefined).map((s) => ({ simDay: s.simDay, value: pick(s)! })));
}

/** One line per simulated day: open alarms and cases low–high, where cases wait at the day's end, the rest's highs. */
export function dailyTable(samples: readonly DailyRow[]): string[] {
  const alarms = ranges(samples, (s) => s.openAlarms);
  const cases = ranges(samples, (s) => s.openCases);
  const high = (pick: (s: DailyRow) => number | undefined) => new Map(ranges(samples, pick).map((r) => [r.day, r.max]));
  const rss = high((s) => s.rssBytes);
  const heap = high((s) => s.heapBytes);
  const snapshot = high((s) => s.snapshotBytes);
  const lag = high((s) => s.loopLagP99Ms);
  const live = high((s) => s.liveP99Ms);
  const rows = cases.map((c) => {
    const a = alarms.find((r) => r.day === c.day);
    const last = [...samples].reverse().find((s) => Math.floor(s.simDay) === c.day);
    const w = last?.waiting ?? {};
    return [
      `${c.day}–${c.day + 1}`,
      a ? `${a.min}–${a.max}` : '–',
      `${c.min}–${c.max}`,
      `${w.reported ?? 0}/${w.registered ?? 0}/${w.dispatched ?? 0}/${w.handling ?? 0}/${w.handled ?? 0}`,
      fmt((rss.get(c.day) ?? 0) / MB),
      fmt((heap.get(c.day) ?? 0) / MB),
      fmt((last?.databaseBytes ?? 0) / MB, 1),
      fmt((last?.historyBytes ?? 0) / MB, 1),
      fmt((snapshot.get(c.day) ?? 0) / 1024),
      fmt(lag.get(c.day), 0),
      fmt(live.get(c.day), 0),
    ];
  });
  return table(['sim day', 'open alarms', 'open cases', 'waiting rep/reg/dis/hdl/ver', 'RSS MB max', 'heap MB max', 'db MB', 'history MB', 'snapshot KB max', 'loop p99 max', 'live p99 max'], rows);
}

/** Growth per simulated day of the daily highs and lows after the first day (the daily rhythm taken out). */
export function dailyGrowth<T extends DailyRow>(samples: readonly T[], pick: (s: T) => number | undefined): { highPerDay: number; lowPerDay: number } {
  const days = ranges(samples, pick).filter((r) => r.n >= 3);
  const slope = (value: (r: DayRange) => number) => growth(days.map((r) => ({ simDay: r.day + 0.5, value: value(r) })), { warmupDays: 1 }).perDay;
  return { highPerDay: slope((r) => r.max), lowPerDay: slope((r) => r.min) };
}

function flowRows(lines: readonly FlowLine[]): Array<Array<string>> {
  return lines.map((l) => [l.key, fmt(l.arrivalsPerDay, 1), fmt(l.closedPerDay, 1), fmt(l.open), fmt(l.meanHoursToClose, 1), fmt(l.littleLevel, 1)]);
}

/** Arrivals against closures by source and by category, where the open cases wait, Little's law. */
export function flowTables(flow: CaseFlow, topCategories = 12): string[] {
  const head = ['', 'arrivals/day', 'closed/day', 'open now', 'hours to close', 'λ·W'];
  const waiting = Object.entries(flow.openByStatus).map(([s, n]) => `${s} ${n}`).join(', ');
  return [
    `cases created after the first simulated day (${fmt(flow.days, 2)} days): ${fmt(flow.arrivalsPerDay, 1)} arrive and ${fmt(flow.closedPerDay, 1)} close per simulated day`,
    ...table(['source', ...head.slice(1)], flowRows(flow.bySource)),
    ...table(['category', ...head.slice(1)], flowRows(flow.byCategory.slice(0, topCategories))),
    `open now by step: ${waiting || 'none'}; ${flow.overdueOpen} past their step's deadline; ${fmt(flow.handledLateShare * 100, 1)} % handled late; ${flow.returned} returned, ${flow.reopened} reopened`,
  ];
}
