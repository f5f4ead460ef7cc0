/**
 * The pure parts of scale-out: LiveState replicas between instances (what is handed on, how a
 * merge treats newer and older state, that merged alarms reach browsers but not alarm
 * listeners), QoS 1 resend recognition, the silence watch split by ownership, rendezvous
 * ownership, replica splitting and the cluster topic scheme.
 */
import { describe, expect, it } from 'vitest';
import { clusterTopic, isInstanceId, parseClusterTopic, SHARED_INGEST_SUBSCRIPTIONS } from '../../domain/clusterTopics';
import type { TelemetryValues } from '../../domain/terminals';
import { ownerOf } from '../../server/cluster/rendezvous';
import { splitReplica } from '../../server/cluster/replicaChunks';
import { LiveState, type ReplicaBatch } from '../../server/devices/state/LiveState';

const T0 = 1_700_000_000_000;

function topology() {
  return {
    poles: [{ id: 'P1', lon: 113.6, lat: 22.7 }, { id: 'P2' }],
    terminals: [
      { id: 'P1-lamp', poleId: 'P1', type: 'lamp' as const },
      { id: 'P1-water', poleId: 'P1', type: 'water-level' as const },
      { id: 'P2-env', poleId: 'P2', type: 'environment' as const },
    ],
  };
}
const telemetry = (values: TelemetryValues, ts = T0) => ({ v: 1 as const, ts, values });

/** Two instances' states, each hearing alarms raised by its own rules. */
function pair() {
  const a = new LiveState(topology());
  const b = new LiveState(topology());
  const heard = { a: [] as string[], b: [] as string[] };
  a.subscribeAlarms((alarm) => heard.a.push(alarm.id));
  b.subscribeAlarms((alarm) => heard.b.push(alarm.id));
  return { a, b, heard };
}

describe('live replicas between instances', () => {
  it('hands on what its own messages changed, once, and nothing it merged', () => {
    const { a, b } = pair();
    expect(a.takeReplica()).toBeUndefined();
    a.apply('P1-lamp', 'telemetry', telemetry({ on: true, powerW: 120 }), T0 + 5);
    const batch = a.takeReplica()!;
    expect(batch.terminals).toEqual([
      { id: 'P1-lamp', status: 'normal', reported: 'online', faulted: false, silent: false, ts: T0, receivedAt: T0 + 5, values: { on: true, powerW: 120 }, lastMessage: {} },
    ]);
    expect(batch.accepted).toBe(1);
    expect(a.takeReplica()).toBeUndefined();

    b.mergeReplica('a', batch);
    expect(b.terminalStatus('P1-lamp')).toBe('normal');
    expect(b.poleStatus('P1')).toBe('normal');
    expect(b.terminal('P1-lamp')!.values).toEqual({ on: true, powerW: 120 });
    // b's browsers get the change; b hands nothing back (no echo between instances).
    expect(b.takeDelta()!.terminals).toEqual([{ id: 'P1-lamp', status: 'normal', ts: T0, values: { on: true, powerW: 120 } }]);
    expect(b.takeReplica()).toBeUndefined();
    // The counters add the other instance's messages.
    expect(b.counters()).toMatchObject({ messagesAccepted: 1, terminalsReporting: 1 });
    expect(b.localCounts()).toEqual({ accepted: 0, rejected: 0, duplicates: 0 });
  });

  it('keeps the newer receipt when two instances changed one terminal', () => {
    const { a, b } = pair();
    a.apply('P1-lamp', 'telemetry', telemetry({ on: true, powerW: 100 }, T0), T0 + 10);
    b.apply('P1-lamp', 'telemetry', telemetry({ on: true, powerW: 200 }, T0 + 1), T0 + 20);
    const fromA = a.takeReplica()!;
    const fromB = b.takeReplica()!;
    a.mergeReplica('b', fromB);
    b.mergeReplica('a', fromA);
    expect(a.terminal('P1-lamp')!.values.powerW).toBe(200);
    expect(b.terminal('P1-lamp')!.values.powerW).toBe(200);
  });

  it('opens and closes merged alarms for browsers without telling the alarm listeners', () => {
    const { a, b, heard } = pair();
    a.apply('P1-water', 'telemetry', telemetry({ depthCm: 40 }), T0);
    expect(heard.a).toEqual(['P1-water:water-level']);
    b.mergeReplica('a', a.takeReplica()!);
    expect(b.alarms().map((x) => x.id)).toEqual(['P1-water:water-level']);
    expect(b.takeDelta()!.alarmsRaised.map((x) => x.id)).toEqual(['P1-water:water-level']);
    expect(heard.b).toEqual([]);

    // b takes the next reading: its rules see the merged alarm as open and clear it, once.
    b.apply('P1-water', 'telemetry', telemetry({ depthCm: 2 }, T0 + 1000), T0 + 1000);
    const fromB = b.takeReplica()!;
    expect(fromB.alarmsCleared).toEqual(['P1-water:water-level']);
    a.mergeReplica('b', fromB);
    expect(a.alarms()).toEqual([]);
    expect(a.terminalStatus('P1-water')).toBe('normal');
  });

  it('does not reopen an alarm from state older than its own', () => {
    const { a, b } = pair();
    // a saw the water rise; b, restarted, has since taken a newer reading that cleared it.
    a.apply('P1-water', 'telemetry', telemetry({ depthCm: 40 }), T0);
    b.apply('P1-water', 'telemetry', telemetry({ depthCm: 2 }, T0 + 1000), T0 + 1000);
    b.mergeReplica('a', a.fullReplica());
    expect(b.alarms()).toEqual([]);
    expect(b.terminal('P1-water')!.values.depthCm).toBe(2);
    // And the other way round: a's newer clear is not undone by b's older raise.
    const c = new LiveState(topology());
    c.apply('P1-water', 'telemetry', telemetry({ depthCm: 40 }, T0 + 2000), T0 + 2000);
    c.mergeReplica('b', { ...b.fullReplica(), alarmsCleared: ['P1-water:water-level'] });
    expect(c.alarms().map((x) => x.id)).toEqual(['P1-water:water-level']);
  });

  it('gives a newcomer everything heard and every open alarm', () => {
    const { a, b } = pair();
    a.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    a.apply('P1-water', 'telemetry', telemetry({ depthCm: 30 }), T0);
    a.takeReplica();
    const full = a.fullReplica();
    expect(full.terminals.map((t) => t.id).sort()).toEqual(['P1-lamp', 'P1-water']);
    expect(full.alarmsRaised.map((x) => x.id)).toEqual(['P1-water:water-level']);
    b.mergeReplica('a', full);
    expect(b.snapshot()).toEqual({ ...a.snapshot(), counters: { ...a.snapshot().counters } });
  });

  it('recognises a QoS 1 resend by its key, also when the first copy landed on the other instance', () => {
    const { a, b } = pair();
    const first = a.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0, 'k1')!;
    expect(first.duplicate).toBeUndefined();
    expect(a.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0 + 3, 'k1')!.duplicate).toBe(true);
    b.mergeReplica('a', a.takeReplica()!);
    expect(b.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0 + 5, 'k1')!.duplicate).toBe(true);
    // A new message of another kind with its own key is not a resend.
    expect(b.apply('P1-lamp', 'status', { v: 1, ts: T0, status: 'online' }, T0 + 6, 'k1')!.duplicate).toBeUndefined();
    expect(a.localCounts()).toEqual({ accepted: 1, rejected: 0, duplicates: 1 });
    expect(b.localCounts()).toEqual({ accepted: 1, rejected: 0, duplicates: 1 });
  });

  it('watches each terminal for silence on one instance only', () => {
    const { a, b, heard } = pair();
    a.apply('P1-lamp', 'telemetry', telemetry({ on: true }), T0);
    b.mergeReplica('a', a.takeReplica()!);
    const later = T0 + 10 * a.silenceLimitMs.lamp;
    // a does not own the lamp, b does: only b marks it offline and raises the alarm.
    expect(a.sweep(later, () => false)).toEqual([]);
    expect(b.sweep(later, (id) => id === 'P1-lamp')).toEqual(['P1-lamp']);
    expect(heard.b).toEqual(['P1-lamp:device-offline']);
    a.mergeReplica('b', b.takeReplica()!);
    expect(a.terminalStatus('P1-lamp')).toBe('offline');
    expect(a.alarms().map((x) => x.id)).toEqual(['P1-lamp:device-offline']);
    expect(heard.a).toEqual([]);
  });
});

describe('ownership', () => {
  const members = ['a', 'b', 'c'];
  const keys = Array.from({ length: 3000 }, (_, i) => `P${String(i).padStart(5, '0')}-lamp`);

  it('gives every key one owner, spread evenly', () => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(ownerOf(key, members)!, (counts.get(ownerOf(key, members)!) ?? 0) + 1);
    for (const m of members) expect(counts.get(m)! / keys.length).toBeGreaterThan(0.28);
    expect(ownerOf('x', [])).toBeUndefined();
  });

  it('moves only the keys of a member that leaves', () => {
    const before = new Map(keys.map((k) => [k, ownerOf(k, members)]));
    for (const key of keys) {
      const after = ownerOf(key, ['a', 'c']);
      if (before.get(key) !== 'b') expect(after).toBe(before.get(key));
    }
  });
});

describe('replica parts', () => {
  it('splits a big batch into parts under the limit that merge to the same state', () => {
    const terminals = Array.from({ length: 400 }, (_, i) => ({ id: `T${i}`, poleId: 'P', type: 'lamp' as const }));
    const a = new LiveState({ poles: [{ id: 'P' }], terminals });
    const b = new LiveState({ poles: [{ id: 'P' }], terminals });
    for (const t of terminals) a.apply(t.id, 'telemetry', telemetry({ on: true, powerW: 100 }), T0);
    const batch = a.takeReplica()!;
    const parts = splitReplica(batch, 8 * 1024);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(8 * 1024);
    for (const part of [...parts].reverse()) b.mergeReplica('a', part);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('always sends at least one part, so a newcomer hears from every member', () => {
    const empty: ReplicaBatch = { terminals: [], alarmsRaised: [], alarmsCleared: [], videoSeen: [], accepted: 0, rejected: 0 };
    expect(splitReplica(empty, 1024)).toEqual([empty]);
  });
});

describe('cluster topics', () => {
  it('names and parses the instance channels and refuses anything else', () => {
    expect(clusterTopic('live', 'node-1')).toBe('citytwin/v1/cluster/live/node-1');
    expect(parseClusterTopic('citytwin/v1/cluster/events/node-1')).toEqual({ channel: 'events', instanceId: 'node-1' });
    for (const bad of ['citytwin/v1/cluster/other/x', 'citytwin/v1/cluster/live/a/b', 'citytwin/v1/cluster/live/', 'citytwin/v1/terminals/x/telemetry']) {
      expect(parseClusterTopic(bad)).toBeUndefined();
    }
    expect(isInstanceId('a b')).toBe(false);
    expect(isInstanceId('x'.repeat(49))).toBe(false);
    expect(SHARED_INGEST_SUBSCRIPTIONS).toContain('$share/citytwin-ingest/citytwin/v1/terminals/+/telemetry');
  });
});
