/**
 * Scale-out as deployed (docs/deployment.md): two `citytwin serve` processes on one Mosquitto and
 * one PostgreSQL. Device data is divided between them and each shows all of it; a case opened on
 * one is dispatched, handled and closed from the other; both browsers' streams agree, and no
 * message or case event is lost or duplicated.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../../domain/cases/case';
import type { TelemetryValues } from '../../domain/terminals';
import { ackTopic, commandTopic, terminalTopic } from '../../domain/topics';
import type { CliServer } from '../support/cliServer';
import { foldLive, telemetryJson, waitFor, type LiveClient } from '../server/helpers';
import { allCount, call, CLUSTER_TESTS_CAN_RUN, health, login, startDeployment, watch, type Deployment } from './clusterHarness';

let deployment: Deployment;
let a: CliServer;
let b: CliServer;
let devices: MqttClient;
const browsers: LiveClient[] = [];

describe.skipIf(!CLUSTER_TESTS_CAN_RUN)('two instances on Mosquitto and PostgreSQL', () => {
  beforeAll(async () => {
    deployment = await startDeployment('cluster_two');
    a = await deployment.start('a');
    b = await deployment.start('b');
    await waitFor(async () => (await health(a.httpUrl)).instance.members.length === 2 && (await health(b.httpUrl)).instance.members.length === 2, 10_000, 'the instances to find each other');
    devices = await mqtt.connectAsync(deployment.broker.url, { clientId: 'cluster-test-devices', reconnectPeriod: 0 }, false);
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await devices?.endAsync();
    await deployment?.remove();
  });

  it('divides the device messages and shows all of them on both instances', async () => {
    const [leaderA, leaderB] = [await login(a.httpUrl, 'leader'), await login(b.httpUrl, 'leader')];
    browsers.push(await watch(a.httpUrl, leaderA), await watch(b.httpUrl, leaderB));
    const t0 = Date.now();
    let sent = 0;
    for (let round = 0; round < 10; round++) {
      for (const t of deployment.twin.terminals) {
        const values: TelemetryValues | undefined = t.type === 'lamp' ? { on: true, powerW: 90 + round } : t.type === 'water-level' ? { depthCm: round === 9 && t.poleId === 'P00003' ? 35 : 1 } : undefined;
        if (!values) continue;
        await devices.publishAsync(terminalTopic(t.id, 'telemetry'), telemetryJson(values, t0 + round), { qos: 1 });
        sent += 1;
      }
    }
    await allCount([a.httpUrl, b.httpUrl], sent);
    const [ha, hb] = [await health(a.httpUrl), await health(b.httpUrl)];
    expect(ha.instance.accepted).toBeGreaterThan(0);
    expect(hb.instance.accepted).toBeGreaterThan(0);
    expect(ha.instance.accepted + hb.instance.accepted).toBe(sent);
    expect(ha.devices).toEqual(hb.devices);

    // The flooded pole raised one alarm in the cluster, which opened one case (in PostgreSQL).
    const alarmId = 'P00003-water-level:water-level';
    await waitFor(() => browsers.every((br) => foldLive(br.messages).alarms.has(alarmId)), 10_000, 'both browsers to show the alarm');
    const dispatcher = await login(b.httpUrl, 'dispatcher');
    const flooded = await waitFor(async () => {
      const list = await call(b.httpUrl, 'GET', '/api/cases?categoryId=road-flooding', { token: dispatcher });
      return list.body.total === 1 && (list.body.items[0] as Case);
    }, 10_000, 'one flooding case');
    expect(flooded.source).toBe('iot');

    // Each browser's view, folded from its snapshot and deltas, ends up the same, with every lamp normal.
    const view = (br: LiveClient) => {
      const v = foldLive(br.messages);
      return JSON.stringify([[...v.terminals].sort(), [...v.poles].sort(), [...v.alarms].sort()]);
    };
    await waitFor(() => view(browsers[0]!) === view(browsers[1]!), 5000, 'both browsers to agree').catch(() => undefined);
    expect(view(browsers[0]!)).toEqual(view(browsers[1]!));
    const lamps = deployment.twin.terminals.filter((t) => t.type === 'lamp');
    for (const lamp of lamps) expect(foldLive(browsers[0]!.messages).terminals.get(lamp.id)).toBe('normal');
  });

  it('opens a case on one instance and takes it to the end from the other; both streams see every step once', async () => {
    const inspector = await login(a.httpUrl, 'inspector');
    const dispatcher = await login(b.httpUrl, 'dispatcher');
    const handler = await login(a.httpUrl, 'handler-d-light');
    const leader = await login(b.httpUrl, 'leader');
    const created = await call(a.httpUrl, 'POST', '/api/cases', {
      token: inspector,
      body: { categoryId: 'lamp-out', componentCode: '4419000118000002', description: 'lamp dark all night' },
      key: 'cluster-case-0001',
    });
    expect(created.status).toBe(201);
    const id = created.body.case.id as string;
    const act = async (base: string, token: string, body: object) => {
      const answer = await call(base, 'POST', `/api/cases/${id}/actions`, { token, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    };
    await act(b.httpUrl, dispatcher, { action: 'register' });
    await act(b.httpUrl, dispatcher, { action: 'dispatch' });
    await act(a.httpUrl, handler, { action: 'accept' });
    await act(a.httpUrl, handler, { action: 'feedback', note: 'driver replaced' });
    await act(b.httpUrl, inspector, { action: 'close' });
    await act(a.httpUrl, leader, { action: 'evaluate', rating: 5 });

    const trail = (await call(b.httpUrl, 'GET', `/api/cases/${id}`, { token: leader })).body.events as CaseEvent[];
    expect(trail.map((e) => e.action)).toEqual(['create', 'register', 'dispatch', 'accept', 'feedback', 'close', 'evaluate']);

    const caseEvents = (br: LiveClient) =>
      foldLive(br.messages)
        .events.filter((e) => e.topic === 'case')
        .map((e) => e.data as { case: Case; event: CaseEvent })
        .filter((e) => e.case.id === id)
        .map((e) => `${e.event.seq}:${e.event.action}`);
    await waitFor(() => browsers.every((br) => caseEvents(br).length >= 7), 10_000, 'both browsers to see all seven steps');
    for (const br of browsers) expect(caseEvents(br).sort()).toEqual(trail.map((e) => `${e.seq}:${e.action}`).sort());
    // Both instances answer the same list from the one database.
    const listA = await call(a.httpUrl, 'GET', '/api/cases', { token: leader });
    const listB = await call(b.httpUrl, 'GET', '/api/cases', { token: leader });
    expect(listA.body).toEqual(listB.body);
  });

  it('serves a site photo taken through one instance from the other', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('cluster photo')]);
    const inspector = await login(a.httpUrl, 'inspector');
    const created = await call(a.httpUrl, 'POST', '/api/cases', {
      token: inspector,
      body: { categoryId: 'cover-damaged', componentCode: '4419000103000002', description: 'cover cracked', photo: `data:image/png;base64,${png.toString('base64')}` },
    });
    expect(created.status).toBe(201);
    const photoId = created.body.case.photoIds[0] as string;
    const res = await fetch(`${b.httpUrl}/api/cases/${created.body.case.id}/photos/${photoId}`, { headers: { authorization: `Bearer ${inspector}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('takes a retried case report once, whichever instance the retry reaches', async () => {
    const inspector = await login(a.httpUrl, 'inspector');
    const body = { categoryId: 'garbage-pile', description: 'debris heap by the school gate', lon: 113.6215, lat: 22.7801 };
    const first = await call(a.httpUrl, 'POST', '/api/cases', { token: inspector, body, key: 'cluster-retry-0001' });
    const retry = await call(b.httpUrl, 'POST', '/api/cases', { token: inspector, body, key: 'cluster-retry-0001' });
    expect(first.status).toBe(201);
    expect(retry.body.case.id).toBe(first.body.case.id);
    const list = await call(b.httpUrl, 'GET', '/api/cases?categoryId=garbage-pile', { token: inspector });
    expect(list.body.total).toBe(1);
  });

  it('sends a command issued on one instance to the device once, and shows its result on both', async () => {
    const token = await login(a.httpUrl, 'dispatcher');
    const lampId = 'P00004-lamp';
    const lamp = await mqtt.connectAsync(deployment.broker.url, { clientId: 'cluster-test-lamp', reconnectPeriod: 0 }, false);
    const received: string[] = [];
    lamp.on('message', (_topic, payload) => {
      const { id } = JSON.parse(payload.toString()) as { id: string };
      received.push(id);
      lamp.publish(ackTopic(lampId), JSON.stringify({ v: 1, id, ts: Date.now(), result: 'ok' }), { qos: 1 }, () => {
        lamp.publish(terminalTopic(lampId, 'telemetry'), telemetryJson({ on: false, dimmingPct: 0, powerW: 0 }), { qos: 1 });
      });
    });
    await lamp.subscribeAsync(commandTopic(lampId), { qos: 1 });
    try {
      const sent = await call(a.httpUrl, 'POST', `/api/terminals/${lampId}/commands`, { token, body: { command: 'switch', on: false } });
      expect(sent.status).toBe(202);
      const onB = await waitFor(async () => {
        const r = await call(b.httpUrl, 'GET', `/api/commands/${sent.body.id}`, { token });
        return r.status === 200 && r.body.status === 'succeeded' ? r.body : undefined;
      }, 10_000, 'the result on the other instance');
      expect(onB.history.map((h: { status: string }) => h.status)).toEqual(['sent', 'acked', 'succeeded']);
      const onA = await call(a.httpUrl, 'GET', `/api/commands/${sent.body.id}`, { token });
      expect(onA.body.status).toBe('succeeded');
      // Once: no other instance published it, and no retry was needed.
      await new Promise((r) => setTimeout(r, 500));
      expect(received).toEqual([sent.body.id]);
    } finally {
      await lamp.endAsync();
    }
  });
});
