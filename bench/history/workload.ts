/**
 * The history benchmark's data: one-second write batches as the recorder sends them (readings;
 * each store folds them into its 1m/1h buckets), and the seed of a city's
 * past generated straight into a store (1-hour rollups of every device, alarms, raw readings of the
 * last day for a sample of devices).
 */
import type { Alarm } from '../../domain/live';
import { emptyBatch, type HistoryBatch, type HistoryStore, type Reading } from '../../server/history/HistoryStore';
import type { RollupRow } from '../../server/history/rollup';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const terminalId = (i: number): string => `T${String(i).padStart(6, '0')}`;
/** Every device reports one numeric field in the benchmark. */
export const FIELD = 'v';

/** A reading value that varies by device and time, deterministically. */
export const valueAt = (device: number, t: number): number => Math.round((50 + 40 * Math.sin(device * 0.7 + t / 3.7e6)) * 10) / 10;

/**
 * Batch `k` of a sustained write: `perSecond` readings spread over `devices`, one second's worth
 * starting at `start + k s`.
 */
export function writeBatch(k: number, start: number, devices: number, perSecond: number): HistoryBatch {
  const readings: Reading[] = new Array(perSecond);
  const t0 = start + k * 1000;
  for (let j = 0; j < perSecond; j++) {
    const n = k * perSecond + j;
    const device = n % devices;
    const t = t0 + Math.floor((j * 1000) / perSecond);
    const r = { terminalId: terminalId(device), field: FIELD, t, value: valueAt(device, t) };
    readings[j] = r;
  }
  return { ...emptyBatch(), readings };
}

/**
 * The 1-hour buckets of `devices` over `days` before `end`, in batches of about `batchRows` rows;
 * none for the hours whose raw readings `rawSeed` writes (the store folds those itself).
 */
export function* hourSeed(devices: number, days: number, end: number, rawDevices = 0, batchRows = 50_000): Generator<RollupRow[]> {
  const first = Math.floor((end - days * DAY) / HOUR) * HOUR;
  const rawFrom = end - DAY;
  let rows: RollupRow[] = [];
  for (let t = first; t < end; t += HOUR) {
    for (let d = 0; d < devices; d++) {
      if (d < rawDevices && t + HOUR > rawFrom) continue;
      const v = valueAt(d, t);
      // A device reporting every 30 s: 120 readings an hour.
      rows.push({ terminalId: terminalId(d), field: FIELD, t, count: 120, min: v - 5, max: v + 5, sum: v * 120, last: v, lastT: t + HOUR - 30_000 });
      if (rows.length >= batchRows) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield rows;
}

/** Raw readings every 30 s over the last day before `end` for devices 0 .. `devices`-1. */
export function* rawSeed(devices: number, end: number, batchRows = 50_000): Generator<Reading[]> {
  let rows: Reading[] = [];
  for (let t = end - DAY; t < end; t += 30_000) {
    for (let d = 0; d < devices; d++) {
      rows.push({ terminalId: terminalId(d), field: FIELD, t, value: valueAt(d, t) });
      if (rows.length >= batchRows) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield rows;
}

const KINDS: Alarm['kind'][] = ['water-level', 'lamp-fault', 'device-offline', 'cover-open', 'noise'];

/** About one alarm per device every two days over `days` before `end`, most closed within hours. */
export function alarmSeed(devices: number, days: number, end: number): HistoryBatch['alarmsOpened'] {
  const count = Math.round((devices * days) / 2);
  const span = days * DAY;
  const out: HistoryBatch['alarmsOpened'] = [];
  for (let i = 0; i < count; i++) {
    const device = (i * 7919) % devices;
    const raisedAt = end - span + Math.floor((((i * 2654435761) >>> 0) / 2 ** 32) * span);
    const kind = KINDS[i % KINDS.length]!;
    const alarm: Alarm = { id: `${terminalId(device)}:${kind}`, kind, severity: 'warning', terminalId: terminalId(device), terminalType: 'water-level', poleId: `P${device}`, raisedAt, gridCode: `44190${device % 40}` };
    const clearedAt = i % 10 === 0 ? undefined : Math.min(end - 1, raisedAt + 60_000 + ((i * 37) % 6) * HOUR);
    out.push({ alarm, department: `D${device % 6}`, clearedAt });
  }
  return out;
}

/** Seeds a store with `days` of `devices` before `end` (hour buckets, raw of `rawDevices`, alarms) through its write path. */
export async function seedStore(store: HistoryStore, devices: number, days: number, end: number, rawDevices: number): Promise<void> {
  for (const rows of hourSeed(devices, days, end, rawDevices)) await store.write({ ...emptyBatch(), rollups: { '1m': [], '1h': rows } });
  for (const readings of rawSeed(rawDevices, end)) await store.write({ ...emptyBatch(), readings });
  await store.write({ ...emptyBatch(), alarmsOpened: alarmSeed(devices, days, end) });
}
