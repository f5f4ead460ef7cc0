/**
 * Replay: the twin shown at a past moment, then played forward. The clock is pure (wall time
 * passed in); what to fetch and when is decided here, the store only does the I/O.
 *
 * Cadence: one `GET /api/history/snapshot?at=` at a time, the next at least SNAPSHOT_INTERVAL_MS
 * of wall time after the previous one was asked for. At 1× a snapshot is a second of city time
 * apart, at 60× a minute, at 600× ten minutes — a snapshot is the whole city's state, so nothing
 * between two of them is drawn (a fault shorter than the gap can be skipped at 600×).
 */
import type { HistorySnapshot } from '../../../../../domain/history';
import type { LiveCounters } from '../../../../../domain/live';

export const REPLAY_SPEEDS = [1, 60, 600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export const SNAPSHOT_INTERVAL_MS = 1000;

/** How far back the slider reaches: raw history (status changes) is kept 7 days by default. */
export const REPLAY_SPAN_MS = 7 * 24 * 3_600_000;

export class ReplayClock {
  private baseAt: number;
  private baseWall: number;
  private speed: ReplaySpeed = 1;
  private playing = false;

  constructor(at: number, wallNow: number) {
    this.baseAt = at;
    this.baseWall = wallNow;
  }

  /** The replayed moment at wall time `wallNow`; never past `limit` (the present: replay cannot run ahead). */
  at(wallNow: number, limit = Number.POSITIVE_INFINITY): number {
    const t = this.playing ? this.baseAt + (wallNow - this.baseWall) * this.speed : this.baseAt;
    return Math.min(t, limit);
  }

  get state(): { playing: boolean; speed: ReplaySpeed } {
    return { playing: this.playing, speed: this.speed };
  }

  seek(at: number, wallNow: number): void {
    this.baseAt = at;
    this.baseWall = wallNow;
  }

  play(speed: ReplaySpeed, wallNow: number): void {
    this.rebase(wallNow);
    this.speed = speed;
    this.playing = true;
  }

  pause(wallNow: number): void {
    this.rebase(wallNow);
    this.playing = false;
  }

  private rebase(wallNow: number): void {
    this.baseAt = this.at(wallNow);
    this.baseWall = wallNow;
  }
}

/** Whether to ask for the next snapshot now: none in flight and the cadence's interval has passed. */
export function snapshotDue(inFlight: boolean, lastRequestWall: number | null, wallNow: number): boolean {
  return !inFlight && (lastRequestWall === null || wallNow - lastRequestWall >= SNAPSHOT_INTERVAL_MS);
}

/**
 * The counters a replayed moment shows (the live stream's shape): statuses and open alarms from
 * the snapshot. Message counts are not history; they keep the live figures.
 */
export function replayCounters(snapshot: HistorySnapshot, live: LiveCounters): LiveCounters {
  let offline = 0;
  let fault = 0;
  let reporting = 0;
  for (const [, status] of snapshot.terminals) {
    if (status === 'offline') offline++;
    else if (status === 'fault') fault++;
    if (status !== 'offline' && status !== 'unknown') reporting++;
  }
  return { ...live, terminalsReporting: reporting, terminalsOffline: offline, terminalsFault: fault, openAlarms: snapshot.alarms.length };
}

/**
 * `?at=<ISO time>`: the moment a page opens replayed at. A time zone is required (an ISO string
 * without one is local time in one browser and another in the next wall PC); the moment must be
 * in the past. Returns the ms, or an error that names the parameter.
 */
export function parseReplayAt(raw: string, now: number): { at: number } | { error: string } {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const at = iso.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(at)) return { error: `?at=${raw}: expected an ISO 8601 time with a zone, e.g. 2026-12-07T03:00:00+08:00` };
  if (at > now) return { error: `?at=${raw}: a replay time must be in the past` };
  return { at };
}
