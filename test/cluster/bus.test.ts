/**
 * The cluster bus on Debian's Mosquitto: members find each other, a killed one leaves by its last
 * will, a presence nobody refreshes (an instance that died while the broker was down) is dropped
 * after three heartbeats, and a newcomer's `synced()` waits for the others' state.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterTopic } from '../../domain/clusterTopics';
import { ClusterBus } from '../../server/cluster/ClusterBus';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { waitFor } from '../server/helpers';

let broker: TestMosquitto;
const buses: ClusterBus[] = [];
const log = { warn: () => undefined, info: () => undefined };

async function bus(instanceId: string): Promise<ClusterBus> {
  const b = await ClusterBus.connect({ url: broker.url, instanceId, log, heartbeatMs: 200 });
  buses.push(b);
  return b;
}

describe.skipIf(!MOSQUITTO_AVAILABLE)('cluster bus', () => {
  beforeAll(async () => {
    broker = await startTestMosquitto();
  });
  afterAll(async () => {
    for (const b of buses) await b.close().catch(() => undefined);
    await broker?.remove();
  });

  it('finds the other members, answers a newcomer with state and forgets a killed member', async () => {
    const a = await bus('a');
    a.onJoin(() => a.publishLive([{ from: 'a' }]));
    await a.start();
    const b = await bus('b');
    const received: unknown[] = [];
    b.onLive((origin, body) => received.push([origin, body]));
    await b.start();
    await b.synced(5000);
    expect(received).toEqual([['a', { from: 'a' }]]);
    await waitFor(() => a.members().join() === 'a,b' && b.members().join() === 'a,b', 5000, 'both to list a and b');

    const left: string[] = [];
    a.onLeave((id) => left.push(id));
    // A crash: the socket goes without a DISCONNECT, so the broker sends b's last will.
    (b as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
    await waitFor(() => left.includes('b'), 5000, 'a to see b leave');
    expect(a.members()).toEqual(['a']);
  });

  it('drops a retained presence that nobody refreshes', async () => {
    const c = await bus('c');
    await c.start();
    const ghost = await mqtt.connectAsync(broker.url, { clientId: 'ghost-writer', reconnectPeriod: 0 }, false);
    await ghost.publishAsync(clusterTopic('members', 'ghost'), JSON.stringify({ instanceId: 'ghost', epoch: 1 }), { qos: 1, retain: true });
    await ghost.endAsync();
    await waitFor(() => c.members().includes('ghost'), 5000, 'c to count the ghost');
    await waitFor(() => !c.members().includes('ghost'), 5000, 'c to drop the ghost after three heartbeats');
    // Its retained presence is gone too, so a newcomer does not count it.
    const d = await bus('d');
    await d.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(d.members()).not.toContain('ghost');
  });
});
