/**
 * `GET /api/kpis/series`: intake, handled, closed and on-time per day and department, from the
 * case tables. Cases and their events are committed to the real SQLite storage; the answer goes
 * through the API with the roles of `GET /api/kpis`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStatus } from '../../domain/cases/stages';
import type { KpiSeries } from '../../domain/history';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { T0, createEvent, makeCase } from '../cases/caseFactory';

const DAY = 86_400_000;
const day0 = Math.floor(T0 / DAY) * DAY;
let ctx: CaseApp;

async function caseWith(id: string, departmentId: string, createdAt: number, steps: Array<[CaseStatus, number]>, handledLate?: boolean): Promise<void> {
  const c = makeCase({ id, departmentId, createdAt, dispatchedAt: createdAt, ...(handledLate === undefined ? {} : { handledLate }) });
  await ctx.app.storage.commit({ case: c, events: [createEvent(c)] });
  let version = c.version;
  for (const [to, at] of steps) {
    const next = { ...c, status: to, version: version + 1, updatedAt: at };
    await ctx.app.storage.commit({ case: next, expectedVersion: version, events: [{ caseId: id, at, actor: { kind: 'system', name: 'test' }, action: to === 'closed' ? 'close' : 'feedback', to }] });
    version += 1;
  }
}

beforeAll(async () => {
  ctx = await startCaseApp();
  await caseWith('C00000901', 'd-light', T0, [['handled', T0 + DAY], ['closed', T0 + DAY + 1000]], false);
  await caseWith('C00000902', 'd-light', T0 + 1000, [['handled', T0 + DAY], ['closed', T0 + 2 * DAY]], true);
  await caseWith('C00000903', 'd-water', T0 + DAY, []);
});

afterAll(async () => {
  await ctx?.close();
});

describe('KPIs over time', () => {
  it('counts intake, handling, closing and on-time per day and department', async () => {
    const token = await ctx.login('leader');
    const res = await ctx.call(token, { method: 'GET', url: `/api/kpis/series?from=${day0}&to=${day0 + 3 * DAY}&by=department` });
    expect(res.status).toBe(200);
    const body = res.body as KpiSeries;
    expect(body.buckets).toEqual([
      { t: day0, group: 'd-light', created: 2, handled: 0, closed: 0, onTime: 0, onTimeRate: null },
      { t: day0 + DAY, group: 'd-light', created: 0, handled: 2, closed: 1, onTime: 1, onTimeRate: 1 },
      { t: day0 + DAY, group: 'd-water', created: 1, handled: 0, closed: 0, onTime: 0, onTimeRate: null },
      { t: day0 + 2 * DAY, group: 'd-light', created: 0, handled: 0, closed: 1, onTime: 0, onTimeRate: 0 },
    ]);
    const csv = await ctx.app.inject({ url: `/api/kpis/series?from=${day0}&to=${day0 + 3 * DAY}&format=csv`, headers: { authorization: `Bearer ${token}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('t,group,created,handled,closed,onTime,onTimeRate');
  });

  it('is for the roles that read KPIs, and names a bad range', async () => {
    expect((await ctx.call(undefined, { method: 'GET', url: '/api/kpis/series' })).status).toBe(401);
    const inspector = await ctx.login('inspector');
    expect((await ctx.call(inspector, { method: 'GET', url: '/api/kpis/series' })).status).toBe(403);
    const leader = await ctx.login('leader');
    const bad = await ctx.call(leader, { method: 'GET', url: `/api/kpis/series?from=${T0}&to=${T0 - 1}` });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/querystring\/from .* is after querystring\/to/);
  });
});
