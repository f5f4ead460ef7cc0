/**
 * Emergency command on a running server (tiny twin with resources, embedded broker, real MQTT
 * clients as the units): the units' ACL, plans only admins change, and a dispatch whose order
 * reaches the unit and whose reports move the response to on site, each step on the case.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitTopic, type EmergencyResponse, type Incident, type Proposal, type UnitOrder } from '../../domain/emergency';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { waitFor } from '../server/helpers';

let h: CaseApp;
const clients: MqttClient[] = [];
const site: Incident = { source: 'manual', eventType: 'waterlogging', level: 'III', lon: 113.6219, lat: 22.78, note: 'water over the kerb' };

beforeAll(async () => {
  h = await startCaseApp({}, { emergency: true });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await h?.close();
});

async function connect(options: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(h.app.broker.url, { reconnectPeriod: 0, connectTimeout: 5000, ...options }, false);
  clients.push(client);
  return client;
}

const asUnit = (id: string) => connect({ clientId: id, ...h.app.broker.credentials.unit(id) });
const status = (orderId: string, s: 'en-route' | 'on-site' | 'done') => JSON.stringify({ v: 1, ts: Date.now(), orderId, status: s });

describe('unit accounts on the broker', () => {
  it('log in with their own credential only', async () => {
    expect((await asUnit('RT-1')).connected).toBe(true);
    const other = h.app.broker.credentials.unit('RT-2').password;
    await expect(connect({ clientId: 'RT-1:x', username: 'RT-1', password: other })).rejects.toThrow(/Bad username or password/i);
    // A depot sends no unit: it has no account.
    await expect(connect({ clientId: 'SD-1', ...h.app.broker.credentials.unit('SD-1') })).rejects.toThrow(/Bad username or password/i);
  });

  it("read only their own orders and cannot publish another unit's position or status", async () => {
    const unit = await asUnit('PS-1');
    expect((await unit.subscribeAsync(unitTopic('PS-1', 'orders'), { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    // Refused with 0x80 for that filter.
    await expect(unit.subscribeAsync(unitTopic('FS-1', 'orders'), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const before = h.app.broker.refusals().publishes;
    // MQTT 3.1.1 has no negative PUBACK: the broker drops the client.
    const closed = new Promise<void>((resolve) => unit.once('close', () => resolve()));
    unit.publish(unitTopic('FS-1', 'status'), status('forged', 'on-site'), { qos: 1 });
    await closed;
    expect(h.app.broker.refusals().publishes).toBe(before + 1);
  });

  it('are not open to devices: a lamp cannot report as a unit', async () => {
    const lamp = await connect({ clientId: 'P00001-lamp', ...h.app.broker.credentials.device('P00001-lamp') });
    const before = h.app.broker.refusals().publishes;
    const closed = new Promise<void>((resolve) => lamp.once('close', () => resolve()));
    lamp.publish(unitTopic('RT-1', 'position'), JSON.stringify({ v: 1, ts: Date.now(), lon: 113.62, lat: 22.78 }), { qos: 1 });
    await closed;
    expect(h.app.broker.refusals().publishes).toBe(before + 1);
  });
});

describe('plans', () => {
  it('are seeded, and an admin changes one; an unknown department is refused with its field named', async () => {
    const admin = await h.login('admin');
    const plans = await h.call(admin, { method: 'GET', url: '/api/emergency/plans' });
    expect(plans.body).toHaveLength(24);
    const body = { ...plans.body.find((p: { id: string }) => p.id === 'fire-IV'), departments: ['D-FIRE'] };
    for (const key of ['id', 'updatedAt', 'updatedBy']) delete body[key];
    const saved = await h.call(admin, { method: 'PUT', url: '/api/emergency/plans', payload: body });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: 'fire-IV', departments: ['D-FIRE'], updatedBy: 'admin' });
    const bad = await h.call(admin, { method: 'PUT', url: '/api/emergency/plans', payload: { ...body, departments: ['nobody'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('departments: "nobody" is not a department');
  });
});

describe('a dispatch', () => {
  it('is refused to a handler, changing nothing', async () => {
    const handler = await h.login('handler-d-water');
    const res = await h.call(handler, { method: 'POST', url: '/api/emergency/dispatches', payload: { incident: site, resourceIds: ['RT-2'] } });
    expect(res.status).toBe(403);
    expect((await h.call(handler, { method: 'GET', url: '/api/emergency/responses' })).body).toEqual([]);
  });

  it('sends the order to the unit, follows it to on site, and records each step on the case', async () => {
    const dispatcher = await h.login('dispatcher');
    const unit = await asUnit('RT-2');
    const orders: UnitOrder[] = [];
    unit.on('message', (_t, payload) => orders.push(JSON.parse(payload.toString()) as UnitOrder));
    await unit.subscribeAsync(unitTopic('RT-2', 'orders'), { qos: 1 });

    const proposal = (await h.call(dispatcher, { method: 'POST', url: '/api/emergency/proposals', payload: site })).body as Proposal;
    expect(proposal.planId).toBe('waterlogging-III');
    expect(proposal.units.map((u) => u.resourceId)).toContain('RT-2');

    const res = await h.call(dispatcher, { method: 'POST', url: '/api/emergency/dispatches', payload: { incident: site, resourceIds: ['RT-2'] } });
    expect(res.status).toBe(201);
    const response = res.body as EmergencyResponse;
    expect(response.units).toEqual([expect.objectContaining({ resourceId: 'RT-2', status: 'dispatched' })]);
    const order = await waitFor(() => orders[0], 5000, 'the order');
    expect(order).toMatchObject({ id: response.units[0]!.orderId, responseId: response.id, site: { lon: site.lon, lat: site.lat } });
    expect(order.route.length).toBeGreaterThanOrEqual(2);

    // Busy now: a second dispatch of the same unit is a conflict; a depot is no unit.
    const again = await h.call(dispatcher, { method: 'POST', url: '/api/emergency/dispatches', payload: { incident: site, resourceIds: ['RT-2'] } });
    expect(again.status).toBe(409);
    const depot = await h.call(dispatcher, { method: 'POST', url: '/api/emergency/dispatches', payload: { incident: site, resourceIds: ['SD-1'] } });
    expect(depot.status).toBe(400);
    expect(depot.body.message).toMatch(/^body\/resourceIds\[0\]: "SD-1" is a supply-depot/);

    await unit.publishAsync(unitTopic('RT-2', 'status'), status(order.id, 'en-route'), { qos: 1 });
    const [lon, lat] = order.route[1]!;
    await unit.publishAsync(unitTopic('RT-2', 'position'), JSON.stringify({ v: 1, ts: Date.now(), lon, lat }), { qos: 1 });
    await unit.publishAsync(unitTopic('RT-2', 'status'), status(order.id, 'on-site'), { qos: 1 });
    const onSite = await waitFor(async () => {
      const r = (await h.call(dispatcher, { method: 'GET', url: `/api/emergency/responses/${response.id}` })).body as EmergencyResponse;
      return r.units[0]!.status === 'on-site' ? r : undefined;
    }, 5000, 'on site');
    expect(onSite.units[0]).toMatchObject({ lon, lat });

    const detail = await waitFor(async () => {
      const d = (await h.call(dispatcher, { method: 'GET', url: `/api/cases/${response.caseId}` })).body as { events: Array<{ action: string; note?: string }> };
      return d.events.filter((e) => e.action === 'emergency').length >= 3 ? d : undefined;
    }, 5000, 'case timeline');
    const notes = detail.events.filter((e) => e.action === 'emergency').map((e) => e.note);
    expect(notes[0]).toMatch(/^Emergency response ER-.* dispatched 救援二队/);
    expect(notes.slice(1)).toEqual(['救援二队 is on its way', '救援二队 is on site']);
  });
});
