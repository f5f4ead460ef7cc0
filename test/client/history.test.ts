/** The history feature's engine-free cores: CSV, time windows, terminal series, vital signs, replay. */
import { describe, expect, it } from 'vitest';
import type { AlarmHistoryBucket, HistoryPoint, HistorySnapshot, KpiSeriesBucket } from '../../domain/history';
import type { LiveCounters } from '../../domain/live';
import { LIVE_STATUSES, type LiveStatus } from '../../domain/terminals';
import { parseUrlOptions } from '../../client/src/app/core/urlOptions';
import { csvFileName, isoTime, toCsv } from '../../client/src/features/history/core/csv';
import { parseReplayAt, ReplayClock, replayCounters, snapshotDue, SNAPSHOT_INTERVAL_MS } from '../../client/src/features/history/core/replay';
import { chartFields, lineData, statusSpans, thresholds } from '../../client/src/features/history/core/terminalSeries';
import { DAY_MS, HOUR_MS, lastWindow, utcDays, zoomedWindow, zoomPercent } from '../../client/src/features/history/core/timeWindow';
import { kpiByGroup, kpiTotals, pivot, topGroups } from '../../client/src/features/history/core/vitals';

const point = (t: number, value: number): HistoryPoint => ({ t, count: 1, min: value, max: value, mean: value, last: value });
const statusPoint = (t: number, status: LiveStatus): HistoryPoint => point(t, LIVE_STATUSES.indexOf(status));

describe('CSV export', () => {
  it('quotes what needs quotes, defuses formulas, ends lines in CRLF', () => {
    const csv = toCsv(['time', 'name', 'value'], [
      [isoTime(0), 'plain', 1.5],
      [isoTime(DAY_MS), 'a "quoted", text\nwith a line', -3],
      [isoTime(2 * DAY_MS), '=HYPERLINK("x")', null],
      [isoTime(3 * DAY_MS), '-1+1', true],
    ]);
    expect(csv).toBe(
      'time,name,value\r\n' +
        '1970-01-01T00:00:00.000Z,plain,1.5\r\n' +
        '1970-01-02T00:00:00.000Z,"a ""quoted"", text\nwith a line",-3\r\n' +
        `1970-01-03T00:00:00.000Z,"'=HYPERLINK(""x"")",\r\n` +
        "1970-01-04T00:00:00.000Z,'-1+1,true\r\n",
    );
  });

  it('refuses a row that does not fit the header, and names files safely', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/1 cells under a header of 2/);
    expect(csvFileName('P00001-lamp:powerW / 1h')).toBe('P00001-lamp_powerW_1h.csv');
    expect(csvFileName('城市')).toBe('chart.csv');
  });
});

describe('time windows', () => {
  const now = Date.UTC(2026, 11, 7, 6, 30, 20);

  it('ends the default window on the next whole minute', () => {
    expect(lastWindow(now, DAY_MS)).toEqual({ from: Date.UTC(2026, 11, 6, 6, 31), to: Date.UTC(2026, 11, 7, 6, 31) });
  });

  it('turns a dataZoom position into a window of whole minutes, and back', () => {
    const span = { from: 0, to: 100 * HOUR_MS };
    const view = { from: 90 * HOUR_MS, to: 100 * HOUR_MS };
    expect(zoomPercent(span, view)).toEqual({ start: 90, end: 100 });
    expect(zoomedWindow(span, 90, 100, view)).toBeNull();
    expect(zoomedWindow(span, 50, 75, view)).toEqual({ from: 50 * HOUR_MS, to: 75 * HOUR_MS });
    // Zoomed in to nothing: still a minute, never an empty or reversed range.
    expect(zoomedWindow(span, 40, 40, view)).toEqual({ from: 40 * HOUR_MS - 60_000, to: 40 * HOUR_MS });
  });

  it('lists the UTC days a window touches', () => {
    expect(utcDays(Date.UTC(2026, 11, 5, 23), Date.UTC(2026, 11, 7, 1))).toEqual([Date.UTC(2026, 11, 5), Date.UTC(2026, 11, 6), Date.UTC(2026, 11, 7)]);
  });
});

describe('terminal series', () => {
  it('charts every telemetry field of the type and draws the alarm limits of domain/terminals.ts', () => {
    expect(chartFields('water-level').map((f) => f.field)).toEqual(['depthCm', 'batteryPct']);
    expect(thresholds('water-level', 'depthCm')).toEqual([15]);
    expect(thresholds('environment', 'pm25')).toEqual([75]);
    expect(thresholds('cover-sensor', 'open')).toEqual([1]);
    expect(thresholds('lamp', 'powerW')).toEqual([]);
    expect(lineData([{ t: 5, count: 3, min: 1, max: 9, mean: 4, last: 2 }])).toEqual([[5, 4]]);
  });

  it('marks the spans a terminal spent in warning, fault or offline, joining repeats and clipping to the window', () => {
    const points = [statusPoint(0, 'normal'), statusPoint(10, 'fault'), statusPoint(20, 'fault'), statusPoint(30, 'normal'), statusPoint(40, 'offline'), statusPoint(50, 'warning')];
    expect(statusSpans(points, 15, 55)).toEqual([
      { status: 'fault', from: 15, to: 30 },
      { status: 'offline', from: 40, to: 50 },
      { status: 'warning', from: 50, to: 55 },
    ]);
    // Points before the window that still hold inside it count from the window's start.
    expect(statusSpans([statusPoint(0, 'fault')], 5, 8)).toEqual([{ status: 'fault', from: 5, to: 8 }]);
    expect(statusSpans([], 0, 10)).toEqual([]);
  });
});

describe('vital signs', () => {
  const d0 = Date.UTC(2026, 11, 1);
  const days = [d0, d0 + DAY_MS, d0 + 2 * DAY_MS];
  const alarm = (t: number, group: string, opened: number): AlarmHistoryBucket => ({ t, group, opened, closed: 0, meanTimeToCloseMs: null });

  it('pivots buckets per group on the day axis, biggest group first, and ranks the worst groups', () => {
    const buckets = [alarm(d0, 'noise', 1), alarm(d0 + DAY_MS, 'water-level', 4), alarm(d0 + 2 * DAY_MS, 'noise', 2), alarm(d0 + 9 * DAY_MS, 'noise', 100)];
    expect(pivot(buckets, (b) => b.opened, days)).toEqual({ times: days, groups: ['water-level', 'noise'], values: [[0, 4, 0], [1, 0, 2]] });
    const grids = [alarm(d0, 'G2', 3), alarm(d0 + DAY_MS, 'G1', 3), alarm(d0, 'G3', 5), alarm(d0, 'G4', 0), alarm(d0 + DAY_MS, 'G2', 1)];
    expect(topGroups(grids, (b) => b.opened, 3)).toEqual([{ group: 'G3', total: 5 }, { group: 'G2', total: 4 }, { group: 'G1', total: 3 }]);
  });

  it('adds case KPIs up per day and per department, on-time rate over closed cases', () => {
    const kpi = (t: number, group: string, created: number, closed: number, onTime: number): KpiSeriesBucket => ({ t, group, created, handled: closed, closed, onTime, onTimeRate: closed ? onTime / closed : null });
    const buckets = [kpi(d0, 'A', 5, 4, 3), kpi(d0, 'B', 2, 0, 0), kpi(d0 + DAY_MS, 'B', 1, 1, 1)];
    expect(kpiTotals(buckets, days)).toEqual([
      { t: d0, created: 7, handled: 4, closed: 4, onTime: 3, onTimeRate: 0.75 },
      { t: d0 + DAY_MS, created: 1, handled: 1, closed: 1, onTime: 1, onTimeRate: 1 },
      { t: d0 + 2 * DAY_MS, created: 0, handled: 0, closed: 0, onTime: 0, onTimeRate: null },
    ]);
    expect(kpiByGroup(buckets).map((g) => [g.group, g.created, g.onTimeRate])).toEqual([['A', 5, 0.75], ['B', 3, 1]]);
  });
});

describe('replay', () => {
  it('plays forward at the chosen speed from where it was sought, pauses, never passes the limit', () => {
    const clock = new ReplayClock(1_000_000, 0);
    expect(clock.at(5_000)).toBe(1_000_000);
    clock.play(60, 5_000);
    expect(clock.at(6_000)).toBe(1_060_000);
    clock.play(600, 6_000);
    expect(clock.at(7_000)).toBe(1_660_000);
    clock.pause(7_000);
    expect(clock.at(99_000)).toBe(1_660_000);
    clock.seek(500, 99_000);
    expect(clock.at(100_000)).toBe(500);
    clock.play(1, 100_000);
    expect(clock.at(200_000, 10_000)).toBe(10_000);
  });

  it('asks for one snapshot at a time, at most one per interval', () => {
    expect(snapshotDue(false, null, 0)).toBe(true);
    expect(snapshotDue(true, null, 0)).toBe(false);
    expect(snapshotDue(false, 1_000, 1_000 + SNAPSHOT_INTERVAL_MS - 1)).toBe(false);
    expect(snapshotDue(false, 1_000, 1_000 + SNAPSHOT_INTERVAL_MS)).toBe(true);
  });

  it('counts statuses and alarms of the moment replayed, keeping live message counts', () => {
    const snapshot: HistorySnapshot = {
      at: 1,
      poles: [['P1', 'fault']],
      terminals: [['a', 'normal'], ['b', 'fault'], ['c', 'offline'], ['d', 'unknown'], ['e', 'warning']],
      alarms: [{ id: 'b:device-fault', kind: 'device-fault', severity: 'warning', terminalId: 'b', terminalType: 'lamp', poleId: 'P1', raisedAt: 0 }],
    };
    const live: LiveCounters = { terminalsReporting: 9, terminalsOffline: 9, terminalsFault: 9, openAlarms: 9, messagesAccepted: 123, messagesRejected: 4 };
    expect(replayCounters(snapshot, live)).toEqual({ terminalsReporting: 3, terminalsOffline: 1, terminalsFault: 1, openAlarms: 1, messagesAccepted: 123, messagesRejected: 4 });
  });

  it('reads ?at= as an ISO time with a zone in the past, and names it when wrong', () => {
    const now = Date.UTC(2026, 11, 7, 6);
    expect(parseReplayAt('2026-12-07T03:00:00+08:00', now)).toEqual({ at: Date.UTC(2026, 11, 6, 19) });
    expect(parseReplayAt('2026-12-07T05:00Z', now)).toEqual({ at: Date.UTC(2026, 11, 7, 5) });
    expect(parseReplayAt('2026-12-07T03:00:00', now)).toMatchObject({ error: expect.stringMatching(/^\?at=.*zone/) });
    expect(parseReplayAt('yesterday', now)).toMatchObject({ error: expect.stringMatching(/^\?at=yesterday/) });
    expect(parseReplayAt('2026-12-08T00:00Z', now)).toMatchObject({ error: expect.stringMatching(/in the past/) });
    const options = parseUrlOptions('?at=2026-12-07T05:00:00Z&level=L9', 'http://localhost', now);
    expect(options.replayAt).toBe(Date.UTC(2026, 11, 7, 5));
    expect(options.errors).toEqual(['?level=L9: expected L1 to L5']);
    expect(parseUrlOptions('?at=soon', 'http://localhost', now).errors).toEqual([expect.stringMatching(/^\?at=soon/)]);
  });
});
