/**
 * What this instance tells the other instances of a cluster: a change sink on the live state that
 * keeps the changes of local origin (what this instance's ingest and watchdog did, not what it
 * merged) until they are taken as one replica batch. A batch carries the terminals' whole state,
 * so the newest receipt wins wherever it lands, and the alarms raised or cleared.
 */
import type { Alarm } from '../../domain/live';
import type { ChangeSink } from '../devices/state/ChangeSink';
import type { ReplicaBatch, TerminalReplica, TerminalState } from '../devices/state/types';

/** What the outbox reads from the state when a batch is taken. */
export interface ReplicaSource {
  terminal(id: string): Readonly<TerminalState> | undefined;
  heardTerminals(): Iterable<Readonly<TerminalState>>;
  alarms(): Alarm[];
  lastSighting(alarmId: string): number | undefined;
  localCounts(): { accepted: number; rejected: number };
}

export class ReplicaOutbox implements ChangeSink {
  private readonly terminals = new Set<string>();
  private readonly raised = new Map<string, Alarm>();
  private readonly cleared = new Set<string>();

  constructor(private readonly source: ReplicaSource) {}

  terminalChanged(t: Readonly<TerminalState>, _values: unknown, _at: number, local: boolean): void {
    if (local) this.terminals.add(t.id);
  }

  /** Pole status follows from the terminals' state, which the other instances derive themselves. */
  poleChanged(): void {}

  alarmRaised(alarm: Alarm, local: boolean): void {
    if (!local) return;
    this.cleared.delete(alarm.id);
    this.raised.set(alarm.id, alarm);
  }

  alarmRenewed(alarm: Alarm): void {
    this.raised.set(alarm.id, alarm);
  }

  alarmCleared(id: string, local: boolean): void {
    if (!local) return;
    this.raised.delete(id);
    this.cleared.add(id);
  }

  /** Local changes since the previous call, then forgets them; undefined when there were none. */
  take(): ReplicaBatch | undefined {
    if (this.terminals.size === 0 && this.raised.size === 0 && this.cleared.size === 0) return undefined;
    const batch = this.batchOf(this.terminals, this.raised.values(), [...this.cleared]);
    this.terminals.clear();
    this.raised.clear();
    this.cleared.clear();
    return batch;
  }

  /** Everything heard so far and every open alarm: what a newly started instance needs. */
  full(): ReplicaBatch {
    const heard = [...this.source.heardTerminals()].map((t) => t.id);
    return this.batchOf(heard, this.source.alarms(), []);
  }

  private batchOf(terminalIds: Iterable<string>, raised: Iterable<Alarm>, cleared: string[]): ReplicaBatch {
    const terminals: TerminalReplica[] = [];
    for (const id of terminalIds) {
      const t = this.source.terminal(id)!;
      const r: TerminalReplica = {
        id,
        status: t.status,
        faulted: t.faulted,
        silent: t.silent,
        ts: t.ts,
        receivedAt: t.receivedAt,
        values: t.values,
        lastMessage: t.lastMessage,
      };
      if (t.reported !== undefined) r.reported = t.reported;
      if (t.faultCode !== undefined) r.faultCode = t.faultCode;
      terminals.push(r);
    }
    const alarmsRaised = [...raised];
    const videoSeen = alarmsRaised.flatMap((a): Array<[string, number]> => {
      const seenAt = this.source.lastSighting(a.id);
      return seenAt === undefined ? [] : [[a.id, seenAt]];
    });
    const { accepted, rejected } = this.source.localCounts();
    return { terminals, alarmsRaised, alarmsCleared: cleared, videoSeen, accepted, rejected };
  }
}
