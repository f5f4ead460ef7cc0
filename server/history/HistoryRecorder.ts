/**
 * Device history's writer: a ChangeSink on the live state that queues what this instance
 * ingested — every accepted telemetry reading, status message and device event, each status
 * change (the watchdog's too), every alarm opened and closed — and hands the queue to the store
 * in one batch every `flushIntervalMs` (default 1 s). The sink's calls only append to arrays
 * (O(1) each; the store folds the readings into rollups, the SQLite one on its writer thread),
 * so the live path never waits for the disk; a process killed between two flushes loses at most
 * that window.
 *
 * What each series holds (t in ms since the epoch):
 *   <field>  each telemetry reading at its device time; booleans as 0/1
 *   status   the terminal's derived status (index in LIVE_STATUSES) at server time, on every
 *            change (messages, readings over a limit, the offline watchdog) and every status message
 *   events   1 per device event at its device time (video-AI sightings included)
 * Only local changes are written: in a cluster each instance writes what it ingested itself, and
 * all of them read the one shared database.
 *
 * Commands (issue 16: "every command, when commands exist") have no source yet: `recordCommand`
 * is the hook they will call.
 */
import { EVENTS_FIELD, STATUS_FIELD } from '../../domain/history';
import type { Alarm } from '../../domain/live';
import type { DevicePayload, EventPayload, TelemetryPayload } from '../../domain/payloads';
import { LIVE_STATUSES, type LiveStatus } from '../../domain/terminals';
import type { TopicKind } from '../../domain/topics';
import type { ChangeSink } from '../devices/state/ChangeSink';
import type { TerminalState } from '../devices/state/types';
import { emptyBatch, type AlarmOpened, type HistoryBatch, type HistoryStore } from './HistoryStore';

export interface HistoryRecorderOptions {
  store: HistoryStore;
  /** Default 1000 ms: the most a crash may lose. */
  flushIntervalMs?: number;
  /** Readings queued beyond this (the store cannot keep up) are dropped and counted; default 500,000. */
  maxQueued?: number;
  /** The department an alarm falls to, for `groupBy=department`. */
  departmentOf?: (alarm: Alarm) => string | undefined;
  now?: () => number;
  onError?: (err: unknown) => void;
}

const STATUS_INDEX = Object.fromEntries(LIVE_STATUSES.map((s, i) => [s, i])) as Record<LiveStatus, number>;

export class HistoryRecorder implements ChangeSink {
  private batch: HistoryBatch = emptyBatch();
  /** Alarms raised in the batch being filled, by id. */
  private readonly openInBatch = new Map<string, AlarmOpened>();
  private readonly lastStatus = new Map<string, LiveStatus>();
  /** The status change the message being applied already recorded: [terminal, server time]. */
  private statusRecorded: [string, number] | undefined;
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private readonly maxQueued: number;
  private readonly now: () => number;
  /** Readings written, and dropped because the store fell behind. */
  written = 0;
  dropped = 0;

  constructor(private readonly opts: HistoryRecorderOptions) {
    const interval = opts.flushIntervalMs ?? 1000;
    if (!(interval >= 10 && interval <= 1000)) throw new RangeError('history: flushIntervalMs must be within 10..1000 ms');
    this.maxQueued = opts.maxQueued ?? 500_000;
    this.now = opts.now ?? Date.now;
    this.timer = setInterval(() => void this.flush(), interval);
    this.timer.unref();
  }

  // --- ChangeSink ------------------------------------------------------------------------------

  terminalChanged(t: Readonly<TerminalState>, _values: unknown, at: number, local: boolean): void {
    if (this.lastStatus.get(t.id) === t.status) return;
    this.lastStatus.set(t.id, t.status);
    if (!local) return;
    this.record(t.id, STATUS_FIELD, at, STATUS_INDEX[t.status]);
    this.statusRecorded = [t.id, at];
  }

  poleChanged(): void {}

  alarmRaised(alarm: Alarm, local: boolean): void {
    if (!local) return;
    const opened = { alarm: { ...alarm }, department: this.opts.departmentOf?.(alarm) };
    this.batch.alarmsOpened.push(opened);
    this.openInBatch.set(alarm.id, opened);
  }

  alarmRenewed(): void {}

  alarmCleared(id: string, local: boolean): void {
    if (!local) return;
    // An alarm raised and cleared within one batch is written whole: a close must meet its own raise.
    const opened = this.openInBatch.get(id);
    if (opened) {
      opened.clearedAt = this.now();
      this.openInBatch.delete(id);
    } else {
      this.batch.alarmsClosed.push({ id, at: this.now() });
    }
  }

  messageAccepted(t: Readonly<TerminalState>, kind: TopicKind, payload: DevicePayload, receivedAt: number): void {
    const recorded = this.statusRecorded?.[0] === t.id && this.statusRecorded[1] === receivedAt;
    this.statusRecorded = undefined;
    if (kind === 'telemetry') {
      const { ts, values } = payload as TelemetryPayload;
      for (const field in values) {
        const v = values[field]!;
        this.record(t.id, field, ts, typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
    } else if (kind === 'events') {
      this.record(t.id, EVENTS_FIELD, (payload as EventPayload).ts, 1);
    } else if (!recorded) {
      this.record(t.id, STATUS_FIELD, receivedAt, STATUS_INDEX[t.status]);
    }
  }

  /** The hook for device commands once they exist: a command is a reading of its own field. */
  recordCommand(terminalId: string, command: string, at: number): void {
    this.record(terminalId, `command:${command}`, at, 1);
  }

  // --- batching --------------------------------------------------------------------------------

  private record(terminalId: string, field: string, t: number, value: number): void {
    if (this.batch.readings.length >= this.maxQueued) {
      this.dropped += 1;
      return;
    }
    this.batch.readings.push({ terminalId, field, t, value });
  }

  /** Writes what is queued; resolves when it is stored. Flushes never overlap. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const batch = this.batch;
      if (batch.readings.length === 0 && batch.alarmsOpened.length === 0 && batch.alarmsClosed.length === 0) return;
      this.batch = emptyBatch();
      this.openInBatch.clear();
      try {
        await this.opts.store.write(batch);
        this.written += batch.readings.length;
      } catch (err) {
        this.opts.onError?.(err);
      }
    });
    return this.writing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
