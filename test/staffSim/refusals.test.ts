/**
 * The simulated staff are real users: their requests go through the routes with their own logins,
 * so what their role or department may not do is refused to them as to anyone. Here an admin
 * changes two of their accounts behind the runner's back (through the users API), and the runner's
 * next steps are refused by the server and counted, leaving the cases as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAccounts, staffActors } from '../../server/staffSim/actors';
import { SimClock } from '../../server/staffSim/SimClock';
import { StaffRunner, type StaffHttp } from '../../server/staffSim/StaffRunner';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

const garbage = { categoryId: 'garbage-pile', description: 'debris heap next to the bus stop', lon: 113.6205, lat: 22.7801, source: '12345' };

describe('simulated staff are refused like real users', () => {
  let t: CaseApp;
  let passwords: Map<string, string>;
  const actors = (): ReturnType<typeof staffActors> => staffActors(t.app.twin.departments);

  beforeAll(async () => {
    t = await startCaseApp();
    passwords = await ensureAccounts(actors(), t.app.users, t.app.storage);
  });
  afterAll(async () => t?.close());

  /** A runner whose plans are all due (its clock is days ahead of the cases' wall clock). */
  const runner = (): StaffRunner => {
    const http: StaffHttp = async (req) => {
      const res = await t.call(req.token, { method: req.method, url: req.url, payload: req.payload, remoteAddress: req.from === 'staff' ? '127.0.0.2' : '127.0.0.3' });
      return { status: res.status, body: res.body };
    };
    return new StaffRunner({
      http,
      clock: new SimClock(1, Date.now() + 10 * 86_400_000),
      seed: 1,
      actors: actors(),
      passwords,
      departmentIds: new Set(t.app.twin.departments.map((d) => d.id)),
      poles: [],
      repair: () => 0,
      log: { warn: () => undefined, debug: () => undefined },
    });
  };

  const userId = async (admin: string, username: string): Promise<string> => {
    const list = await t.call(admin, { method: 'GET', url: '/api/users' });
    return (list.body as Array<{ id: string; username: string }>).find((u) => u.username === username)!.id;
  };

  it('their accounts are real users with real roles and say they are simulated', async () => {
    const admin = await t.login('admin');
    const list = (await t.call(admin, { method: 'GET', url: '/api/users' })).body as Array<{ username: string; role: string; displayName: string; departmentId?: string }>;
    const sim = list.filter((u) => u.username.startsWith('sim-'));
    expect(sim.map((u) => u.role).sort()).toEqual(['dispatcher', 'handler', 'handler', 'handler', 'inspector']);
    for (const u of sim) expect(u.displayName).toMatch(/模拟.*Simulated/);
    expect(sim.find((u) => u.username === 'sim-handler-d-light')?.departmentId).toBe('D-LIGHT');
  });

  it('a dispatcher turned inspector may still register but is refused the dispatch', async () => {
    const admin = await t.login('admin');
    const dispatcher = await t.login('dispatcher');
    const id = (await t.call(dispatcher, { method: 'POST', url: '/api/cases', payload: garbage })).body.case.id as string;
    expect((await t.call(admin, { method: 'PATCH', url: `/api/users/${await userId(admin, 'sim-dispatcher')}`, payload: { role: 'inspector' } })).status).toBe(200);

    const r = runner();
    await r.tick(); // registers, and plans the dispatch
    await r.tick(); // tries to dispatch
    expect(r.stats.actions.register).toBe(1);
    expect(r.stats.refused['403']).toBeGreaterThanOrEqual(1);
    expect(r.stats.actions.dispatch).toBeUndefined();
    const c = (await t.call(dispatcher, { method: 'GET', url: `/api/cases/${id}` })).body.case;
    expect(c.status).toBe('registered');
    await t.call(admin, { method: 'PATCH', url: `/api/users/${await userId(admin, 'sim-dispatcher')}`, payload: { role: 'dispatcher' } });
  });

  it("a handler moved to another department cannot see, let alone accept, the first department's case", async () => {
    const admin = await t.login('admin');
    const dispatcher = await t.login('dispatcher');
    const { body } = await t.call(dispatcher, { method: 'POST', url: '/api/cases', payload: { ...garbage, lon: 113.6225, description: 'another heap' } });
    const id = body.case.id as string;
    await t.call(dispatcher, { method: 'POST', url: `/api/cases/${id}/actions`, payload: { action: 'register' } });
    expect((await t.call(dispatcher, { method: 'POST', url: `/api/cases/${id}/actions`, payload: { action: 'dispatch', departmentId: 'D-LIGHT' } })).status).toBe(200);
    const moved = await t.call(admin, { method: 'PATCH', url: `/api/users/${await userId(admin, 'sim-handler-d-light')}`, payload: { departmentId: 'D-WATER' } });
    expect(moved.status).toBe(200);

    const r = runner();
    await r.tick();
    expect(r.stats.refused['404']).toBeGreaterThanOrEqual(1);
    expect((await t.call(dispatcher, { method: 'GET', url: `/api/cases/${id}` })).body.case.status).toBe('dispatched');
  });

  it('a disabled actor cannot log in and stops', async () => {
    const admin = await t.login('admin');
    await t.call(admin, { method: 'PATCH', url: `/api/users/${await userId(admin, 'sim-dispatcher')}`, payload: { active: false } });
    const r = runner();
    await r.tick();
    expect(r.stats.actions).toEqual({});
  });
});
