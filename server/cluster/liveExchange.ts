/**
 * The live state across the instances of a cluster: every `intervalMs` this instance sends what
 * its own messages changed (its LiveState outbox) to the others, merges what they send, answers
 * a newcomer with its whole state, and forgets the counters of an instance that left. Batches
 * travel split into parts that each fit one cluster message (replicaChunks.ts).
 */
import type { LiveState } from '../devices/state/LiveState';
import type { ReplicaBatch } from '../devices/state/types';
import type { ClusterBus } from './ClusterBus';
import { splitReplica } from './replicaChunks';

export interface LiveExchangeOptions {
  /** How often local changes go out; at least 10 ms. */
  intervalMs: number;
  log: { warn(obj: object, msg: string): void };
}

type ReplicatedState = Pick<LiveState, 'takeReplica' | 'fullReplica' | 'mergeReplica' | 'forgetInstance'>;

/** Starts the exchange over `bus`; returns the function that stops sending. */
export function exchangeLiveState(live: ReplicatedState, bus: ClusterBus, opts: LiveExchangeOptions): () => void {
  const send = (batch: ReplicaBatch): void => bus.publishLive(splitReplica(batch, bus.messageBudget));
  bus.onLive((origin, body) => {
    try {
      live.mergeReplica(origin, body as ReplicaBatch);
    } catch (err) {
      opts.log.warn({ err, origin }, 'could not merge a live batch from another instance');
    }
  });
  bus.onJoin(() => send(live.fullReplica()));
  bus.onLeave((origin) => live.forgetInstance(origin));
  const timer = setInterval(() => {
    const batch = live.takeReplica();
    if (batch) send(batch);
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
