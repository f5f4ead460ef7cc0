/**
 * The live state's consumers on their own: a LiveStateCore tells each registered change sink
 * what changed, the stream's DeltaQueue batches all of it, the cluster's ReplicaOutbox only what
 * this instance's own messages changed, and InstanceCounts sums the other instances' totals.
 */
import { describe, expect, it } from 'vitest';
import type { TelemetryValues } from '../../domain/terminals';
import { InstanceCounts } from '../../server/cluster/InstanceCounts';
import { ReplicaOutbox } from '../../server/cluster/ReplicaOutbox';
import { LiveStateCore } from '../../server/devices/state/LiveStateCore';
import { DeltaQueue } from '../../server/devices/stream/DeltaQueue';

const T0 = 1_700_000_000_000;
const topology = {
  poles: [{ id: 'P1' }],
  terminals: [
    { id: 'P1-lamp', poleId: 'P1', type: 'lamp' as const },
    { id: 'P1-water', poleId: 'P1', type: 'water-level' as const },
  ],
};
const telemetry = (values: TelemetryValues, ts = T0) => ({ v: 1 as const, ts, values });

describe('change sinks', () => {
  it('runs without any consumer, and a delta queue alone sees every change', () => {
    const bare = new LiveStateCore(topology);
    bare.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    expect(bare.terminalStatus('P1-lamp')).toBe('normal');

    const state = new LiveStateCore(topology);
    const deltas = new DeltaQueue(state);
    state.addSink(deltas);
    expect(deltas.take()).toBeUndefined();
    state.apply('P1-water', 'telemetry', telemetry({ depthCm: 40 }), T0 + 1);
    const batch = deltas.take()!;
    expect(batch.terminals).toEqual([{ id: 'P1-water', status: 'warning', ts: T0, values: { depthCm: 40 } }]);
    expect(batch.poles).toEqual([['P1', 'warning']]);
    expect(batch.alarmsRaised.map((a) => a.id)).toEqual(['P1-water:water-level']);
    expect(batch.oldestIngestTime).toBe(T0 + 1);
    expect(deltas.hasChanges).toBe(false);
  });

  it('keeps only local changes in the outbox, while merged ones still reach the delta queue', () => {
    const a = new LiveStateCore(topology);
    const outboxA = new ReplicaOutbox(a);
    a.addSink(outboxA);
    a.apply('P1-water', 'telemetry', telemetry({ depthCm: 40 }), T0);
    const batch = outboxA.take()!;
    expect(batch.terminals.map((t) => t.id)).toEqual(['P1-water']);
    expect(batch.alarmsRaised.map((x) => x.id)).toEqual(['P1-water:water-level']);
    expect(outboxA.take()).toBeUndefined();

    const b = new LiveStateCore(topology);
    const deltasB = new DeltaQueue(b);
    const outboxB = new ReplicaOutbox(b);
    b.addSink(deltasB);
    b.addSink(outboxB);
    b.merge(batch);
    expect(deltasB.take()!.alarmsRaised.map((x) => x.id)).toEqual(['P1-water:water-level']);
    expect(outboxB.take()).toBeUndefined();
    expect(outboxB.full().terminals.map((t) => t.id)).toEqual(['P1-water']);
  });

  it('sums the latest totals of the other instances and forgets one that left', () => {
    const others = new InstanceCounts();
    others.record('a', { accepted: 3, rejected: 1 });
    others.record('a', { accepted: 5, rejected: 1 });
    others.record('b', { accepted: 2, rejected: 0 });
    expect(others.total()).toEqual({ accepted: 7, rejected: 1 });
    others.forget('a');
    expect(others.total()).toEqual({ accepted: 2, rejected: 0 });
  });
});
