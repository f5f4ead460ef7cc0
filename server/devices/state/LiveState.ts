/**
 * The live state as the server runs it (`app.live`): the state itself (LiveStateCore.ts: terminal
 * and pole status, alarm rules, merging another instance's batch) with its two standing
 * consumers registered as change sinks:
 *   - the stream's delta queue (server/devices/stream/DeltaQueue.ts): `takeDelta()`;
 *   - the cluster's outbox (server/cluster/ReplicaOutbox.ts): `takeReplica()`, `fullReplica()`,
 *     and the other instances' counters (server/cluster/InstanceCounts.ts), which `counters()`
 *     adds to this instance's.
 * The state knows its consumers only by the ChangeSink interface, so neither depends back on it.
 */
import type { LiveCounters } from '../../../domain/live';
import { InstanceCounts } from '../../cluster/InstanceCounts';
import { ReplicaOutbox } from '../../cluster/ReplicaOutbox';
import { DeltaQueue, type DeltaBatch } from '../stream/DeltaQueue';
import { LiveStateCore } from './LiveStateCore';
import type { LiveStateOptions, LiveTopology, ReplicaBatch } from './types';

export type { DeltaBatch } from '../stream/DeltaQueue';
export type * from './types';

export class LiveState extends LiveStateCore {
  private readonly deltas: DeltaQueue;
  private readonly outbox: ReplicaOutbox;
  private readonly others = new InstanceCounts();

  constructor(topology: LiveTopology, options: LiveStateOptions = {}) {
    super(topology, options);
    this.deltas = new DeltaQueue(this);
    this.outbox = new ReplicaOutbox(this);
    this.addSink(this.deltas);
    this.addSink(this.outbox);
  }

  get hasChanges(): boolean {
    return this.deltas.hasChanges;
  }

  /** Changes since the previous call, then forgets them; undefined when nothing changed. */
  takeDelta(): DeltaBatch | undefined {
    return this.deltas.take();
  }

  /** The state's counters with the other instances' messages added. */
  override counters(): LiveCounters {
    const counters = super.counters();
    const others = this.others.total();
    counters.messagesAccepted += others.accepted;
    counters.messagesRejected += others.rejected;
    return counters;
  }

  // --- replication between the instances of a cluster ----------------------------------------

  /** Local changes since the previous call, then forgets them; undefined when there were none. */
  takeReplica(): ReplicaBatch | undefined {
    return this.outbox.take();
  }

  /** Everything heard so far and every open alarm: what a newly started instance needs. */
  fullReplica(): ReplicaBatch {
    return this.outbox.full();
  }

  /** Takes in another instance's batch (see `merge`) and its message totals. */
  mergeReplica(origin: string, batch: ReplicaBatch): void {
    this.merge(batch);
    this.others.record(origin, batch);
  }

  /** Forgets a departed instance's counters (its messages stay counted nowhere else). */
  forgetInstance(origin: string): void {
    this.others.forget(origin);
  }
}
