/**
 * The case HTTP API end to end on the tiny twin (app.inject): login and roles, handler isolation,
 * the workflow with its audit trail, idempotent retries, user administration, OpenAPI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from './caseApp';

let t: CaseApp;
const garbage = { categoryId: 'garbage-pile', description: 'debris heap next to the bus stop', lon: 113.6205, lat: 22.7801 };
const lamp = { categoryId: 'lamp-out', componentCode: '441900011800000' + '2', description: 'lamp dark all night' };

beforeAll(async () => {
  t = await startCaseApp();
});
afterAll(async () => {
  await t?.close();
});

const post = (token: string | undefined, url: string, payload: object, key?: string) =>
  t.call(token, { method: 'POST', url, payload, headers: key ? { 'idempotency-key': key } : {} });
const get = (token: string | undefined, url: string) => t.call(token, { method: 'GET', url });

describe('login', () => {
  it('answers a token for the demo users and refuses wrong passwords, missing and forged tokens', async () => {
    const ok = await post(undefined, '/api/auth/login', { username: 'dispatcher', password: 'dispatcher-demo' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username: 'dispatcher', role: 'dispatcher', active: true });
    expect(ok.body.user).not.toHaveProperty('passwordHash');
    expect(ok.body.expiresAt - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    expect((await get(ok.body.token, '/api/auth/me')).body.username).toBe('dispatcher');
    expect((await post(undefined, '/api/auth/login', { username: 'dispatcher', password: 'wrong-password' })).status).toBe(401);
    expect((await post(undefined, '/api/auth/login', { username: 'nobody', password: 'whatever1' })).status).toBe(401);
    const none = await get(undefined, '/api/cases');
    expect(none).toMatchObject({ status: 401, body: { code: 'CT_UNAUTHORIZED' } });
    const [payload] = ok.body.token.split('.');
    expect((await get(`${payload}.AAAA`, '/api/cases')).status).toBe(401);
  });

  it('seeds one handler per department of the twin', async () => {
    const admin = await t.login('admin');
    const users = (await get(admin, '/api/users')).body as Array<{ username: string; departmentId?: string }>;
    expect(users.filter((u) => u.username.startsWith('handler-')).map((u) => [u.username, u.departmentId])).toEqual([
      ['handler-d-fire', 'D-FIRE'],
      ['handler-d-light', 'D-LIGHT'],
      ['handler-d-water', 'D-WATER'],
    ]);
  });
});

describe('the workflow over HTTP', () => {
  it('takes a lamp case from report to evaluation, each step by its role, with the trail', async () => {
    const [inspector, dispatcher, handler, leader] = await Promise.all(['inspector', 'dispatcher', 'handler-d-light', 'leader'].map((u) => t.login(u)));
    const created = await post(inspector, '/api/cases', lamp);
    expect(created.status).toBe(201);
    const id = created.body.case.id as string;
    // The component gives the place, grid cell and (by its class) the department.
    expect(created.body.case).toMatchObject({ kind: 'component', componentCode: lamp.componentCode, gridCode: '44190000100101', suggestedDepartmentId: 'D-LIGHT', source: 'inspector', status: 'reported' });
    expect(created.body.report.reporter).toBe('inspector');

    const act = (token: string, body: object) => post(token, `/api/cases/${id}/actions`, body);
    expect((await act(handler, { action: 'accept' })).status).toBe(404);
    expect((await act(inspector, { action: 'dispatch' })).body.message).toMatch(/role inspector may not dispatch/);
    expect((await act(dispatcher, { action: 'register' })).status).toBe(200);
    expect((await act(dispatcher, { action: 'register' })).status).toBe(409);
    // The workflow's refusals reach the client with a status, a code and the field's request path.
    expect(await act(dispatcher, { action: 'register' })).toMatchObject({ body: { statusCode: 409, code: 'CT_CONFLICT', message: expect.stringMatching(/^cannot register case/) } });
    expect(await act(dispatcher, { action: 'cancel', reason: 'invalid', note: ' ' })).toMatchObject({ status: 400, body: { code: 'CT_BAD_REQUEST', message: 'body/note is required to cancel a case' } });
    expect((await act(dispatcher, { action: 'dispatch' })).body.case.departmentId).toBe('D-LIGHT');
    const detail = await get(handler, `/api/cases/${id}`);
    expect(detail.body.allowedActions).toEqual(['accept', 'return', 'comment']);
    expect((await act(handler, { action: 'accept' })).status).toBe(200);
    expect((await act(handler, { action: 'feedback', note: 'driver replaced' })).status).toBe(200);
    expect((await act(inspector, { action: 'close' })).status).toBe(200);
    const evaluated = await act(leader, { action: 'evaluate', rating: 4 });
    expect(evaluated.body.case).toMatchObject({ status: 'evaluated', rating: 4 });

    const trail = (await get(leader, `/api/cases/${id}`)).body.events as Array<{ action: string; from?: string; to: string; actor: { username?: string } }>;
    expect(trail.map((e) => [e.action, e.from ?? null, e.to, e.actor.username ?? null])).toEqual([
      ['create', null, 'reported', 'inspector'],
      ['register', 'reported', 'registered', 'dispatcher'],
      ['dispatch', 'registered', 'dispatched', 'dispatcher'],
      ['accept', 'dispatched', 'handling', 'handler-d-light'],
      ['feedback', 'handling', 'handled', 'handler-d-light'],
      ['close', 'handled', 'closed', 'inspector'],
      ['evaluate', 'closed', 'evaluated', 'leader'],
    ]);
  });

  it('keeps handlers to their own department on every route', async () => {
    const [dispatcher, water, light] = await Promise.all(['dispatcher', 'handler-d-water', 'handler-d-light'].map((u) => t.login(u)));
    const id = (await post(dispatcher, '/api/cases', { ...garbage, lon: 113.6230, source: '12345', reporter: '138****0000' })).body.case.id as string;
    await post(dispatcher, `/api/cases/${id}/actions`, { action: 'register' });
    await post(dispatcher, `/api/cases/${id}/actions`, { action: 'dispatch', departmentId: 'D-WATER' });
    expect((await get(water, `/api/cases/${id}`)).status).toBe(200);
    expect((await get(light, `/api/cases/${id}`)).status).toBe(404);
    expect((await post(light, `/api/cases/${id}/actions`, { action: 'comment', note: 'peek' })).status).toBe(404);
    const lightList = (await get(light, '/api/cases?limit=500')).body;
    expect(lightList.items.every((c: { departmentId?: string }) => c.departmentId === 'D-LIGHT')).toBe(true);
    expect((await get(light, '/api/cases?departmentId=D-WATER')).body.total).toBe(0);
    expect((await get(water, '/api/cases?departmentId=D-WATER')).body.items.map((c: { id: string }) => c.id)).toContain(id);
    // Planners read, but take no action; only admins manage users; handlers cannot report.
    const planner = await t.login('planner');
    expect((await get(planner, `/api/cases/${id}`)).body.allowedActions).toEqual([]);
    expect((await post(planner, `/api/cases/${id}/actions`, { action: 'comment', note: 'x' })).status).toBe(403);
    expect((await get(dispatcher, '/api/users')).status).toBe(403);
    expect((await post(water, '/api/cases', garbage)).status).toBe(403);
  });

  it('filters the list by stage, source, grid prefix, text and paging', async () => {
    const dispatcher = await t.login('dispatcher');
    const hotline = await post(dispatcher, '/api/cases', { ...garbage, categoryId: 'dirty-road', description: 'Unique-Word mud', lon: 113.6232, source: '12345' });
    const id = hotline.body.case.id;
    const q = async (query: string) => (await get(dispatcher, `/api/cases?${query}`)).body;
    expect((await q('q=unique-word')).items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await q('stage=1&source=12345')).items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await q('gridCode=4419000010010')).total).toBeGreaterThanOrEqual(2);
    expect((await q('gridCode=44190000100102')).items.every((c: { gridCode: string }) => c.gridCode === '44190000100102')).toBe(true);
    const page = await q('limit=1&offset=1');
    expect(page).toMatchObject({ limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
    expect((await q('stage=9')).total).toBeUndefined();
  });
});

describe('idempotent retries', () => {
  it('answers a retried report with the first answer and creates nothing new', async () => {
    const inspector = await t.login('inspector');
    const before = (await get(inspector, '/api/cases')).body.total as number;
    const first = await post(inspector, '/api/cases', { ...garbage, lon: 113.6212 }, 'retry-key-0001');
    const again = await post(inspector, '/api/cases', { ...garbage, lon: 113.6212 }, 'retry-key-0001');
    expect(again).toEqual(first);
    expect((await get(inspector, '/api/cases')).body.total).toBe(before + 1);
    const detail = await get(inspector, `/api/cases/${first.body.case.id}`);
    expect(detail.body.reports).toHaveLength(1);
    // The same key from another user is another request.
    const other = await post(await t.login('dispatcher'), '/api/cases', { ...garbage, lon: 113.6212, source: '12345' }, 'retry-key-0001');
    expect(other.body.report.id).not.toBe(first.body.report.id);
  });

  it('answers a retried action with the first event and does not apply it twice', async () => {
    const [dispatcher, inspector] = await Promise.all(['dispatcher', 'inspector'].map((u) => t.login(u)));
    const id = (await post(inspector, '/api/cases', { ...garbage, categoryId: 'construction-nuisance', lon: 113.6216 })).body.case.id;
    const first = await post(dispatcher, `/api/cases/${id}/actions`, { action: 'comment', note: 'called the reporter' }, 'act-key-0001');
    const again = await post(dispatcher, `/api/cases/${id}/actions`, { action: 'comment', note: 'called the reporter' }, 'act-key-0001');
    expect(again.body.event.seq).toBe(first.body.event.seq);
    const events = (await get(dispatcher, `/api/cases/${id}`)).body.events;
    expect(events.filter((e: { action: string }) => e.action === 'comment')).toHaveLength(1);
    // Version 1 at creation, 2 after the one comment: a user deciding on version 1 is told to reload.
    expect(again.body.case.version).toBe(2);
    expect((await post(dispatcher, `/api/cases/${id}/actions`, { action: 'register', expectedVersion: 1 })).status).toBe(409);
    expect((await post(dispatcher, `/api/cases/${id}/actions`, { action: 'register', expectedVersion: 2 })).status).toBe(200);
    expect((await post(dispatcher, `/api/cases/${id}/actions`, { action: 'comment', note: 'x' }, 'bad key!')).status).toBe(400);
  });
});

describe('users', () => {
  it('lets an admin create, change and disable users, checking each field', async () => {
    const admin = await t.login('admin');
    const bad = await post(admin, '/api/users', { username: 'zhang.wei', displayName: 'Zhang Wei', password: 'long-enough-1', role: 'handler' });
    expect(bad).toMatchObject({ status: 400, body: { message: 'body/departmentId is required for a handler' } });
    expect((await post(admin, '/api/users', { username: 'Zhang Wei', displayName: 'Z', password: 'long-enough-1', role: 'leader' })).body.message).toMatch(/username/);
    expect((await post(admin, '/api/users', { username: 'zhang.wei', displayName: 'Z', password: 'short', role: 'leader' })).body.message).toMatch(/password/);
    const created = await post(admin, '/api/users', { username: 'zhang.wei', displayName: 'Zhang Wei', password: 'long-enough-1', role: 'handler', departmentId: 'D-FIRE' });
    expect(created.status).toBe(201);
    expect((await post(admin, '/api/users', { username: 'zhang.wei', displayName: 'Z', password: 'long-enough-1', role: 'leader' })).status).toBe(409);
    const token = await t.login('zhang.wei', 'long-enough-1');
    expect((await get(token, '/api/auth/me')).body.departmentId).toBe('D-FIRE');
    const id = created.body.id;
    const patched = await t.call(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { role: 'inspector', departmentId: null } });
    expect(patched.body).toMatchObject({ role: 'inspector', active: true });
    expect(patched.body).not.toHaveProperty('departmentId');
    await t.call(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { active: false } });
    // A disabled user's token stops working at once, and login is refused.
    expect((await get(token, '/api/auth/me')).status).toBe(401);
    expect((await post(undefined, '/api/auth/login', { username: 'zhang.wei', password: 'long-enough-1' })).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the case routes with their schemas', async () => {
    const doc = (await get(undefined, '/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.0.3');
    for (const path of ['/api/auth/login', '/api/cases/', '/api/cases/{id}', '/api/cases/{id}/actions', '/api/reports/', '/api/reports/{trackingCode}/rating', '/api/kpis/', '/api/users/{id}']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    const action = doc.paths['/api/cases/{id}/actions'].post;
    expect(action.requestBody.content['application/json'].schema.properties.action.enum).toContain('reopen');
    expect(action.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'idempotency-key']));
    expect(action.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  it('serves the category table and departments for forms', async () => {
    const meta = (await get(await t.login('planner'), '/api/cases/meta')).body;
    expect(meta.categories.find((c: { id: string }) => c.id === 'cover-missing')).toMatchObject({ kind: 'component', defaultUrgency: 'urgent' });
    expect(meta.departments.map((d: { id: string }) => d.id)).toEqual(['D-LIGHT', 'D-WATER', 'D-FIRE']);
    expect(meta.stages).toHaveLength(7);
  });
});
