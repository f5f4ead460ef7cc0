/**
 * What the browsers have not been sent yet: a change sink on the live state that collects every
 * change (local or merged from another instance) until the stream takes them as one delta batch.
 * A terminal's readings accumulate field by field; its status and device time are read when the
 * batch is taken, so a batch always shows the latest.
 */
import type { Alarm, DeltaMessage, LiveCounters, TerminalLive } from '../../../domain/live';
import type { LiveStatus, TelemetryValues } from '../../../domain/terminals';
import type { ChangeSink } from '../state/ChangeSink';
import type { TerminalState } from '../state/types';

/** The delta message without its per-connection envelope (`type`, `seq`, `serverTime`). */
export type DeltaBatch = Omit<DeltaMessage, 'type' | 'seq' | 'serverTime'>;

/** What the queue reads from the state when a batch is taken. */
export interface DeltaSource {
  terminal(id: string): Readonly<TerminalState> | undefined;
  poleStatus(id: string): LiveStatus;
  counters(): LiveCounters;
}

export class DeltaQueue implements ChangeSink {
  private readonly terminals = new Map<string, TelemetryValues | undefined>();
  private readonly poles = new Set<string>();
  private readonly raised = new Map<string, Alarm>();
  private readonly cleared = new Set<string>();
  private oldestAt = Infinity;

  constructor(private readonly source: DeltaSource) {}

  terminalChanged(t: Readonly<TerminalState>, values: TelemetryValues | undefined, at: number): void {
    if (values) {
      const pending = this.terminals.get(t.id);
      this.terminals.set(t.id, pending ? Object.assign(pending, values) : { ...values });
    } else if (!this.terminals.has(t.id)) {
      this.terminals.set(t.id, undefined);
    }
    if (at < this.oldestAt) this.oldestAt = at;
  }

  poleChanged(poleId: string): void {
    this.poles.add(poleId);
  }

  alarmRaised(alarm: Alarm): void {
    this.cleared.delete(alarm.id);
    this.raised.set(alarm.id, alarm);
    if (alarm.raisedAt < this.oldestAt) this.oldestAt = alarm.raisedAt;
  }

  /** Browsers hold the alarm already; renewals are for the other instances. */
  alarmRenewed(): void {}

  alarmCleared(id: string): void {
    // Raised and cleared within one batch: the client may never have seen it, and a clear of an
    // id it does not hold is a no-op for it, so sending only the clear is safe either way.
    this.raised.delete(id);
    this.cleared.add(id);
  }

  get hasChanges(): boolean {
    return this.terminals.size > 0 || this.poles.size > 0 || this.raised.size > 0 || this.cleared.size > 0;
  }

  /** Changes since the previous call, then forgets them; undefined when nothing changed. */
  take(): DeltaBatch | undefined {
    if (!this.hasChanges) return undefined;
    const terminals: TerminalLive[] = [];
    for (const [id, values] of this.terminals) {
      const t = this.source.terminal(id)!;
      terminals.push(values ? { id, status: t.status, ts: t.ts, values } : { id, status: t.status, ts: t.ts });
    }
    const batch: DeltaBatch = {
      oldestIngestTime: this.oldestAt,
      poles: [...this.poles].map((id): [string, LiveStatus] => [id, this.source.poleStatus(id)]),
      terminals,
      alarmsRaised: [...this.raised.values()],
      alarmsCleared: [...this.cleared],
      counters: this.source.counters(),
    };
    this.terminals.clear();
    this.poles.clear();
    this.raised.clear();
    this.cleared.clear();
    this.oldestAt = Infinity;
    return batch;
  }
}
