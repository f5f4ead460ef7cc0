/**
 * The server on PostgreSQL (`storage: {kind: 'postgres'}`, as DATABASE_URL selects): users are
 * seeded there, and a case goes through intake, merge, actions, an idempotent retry and KPIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { startCaseApp, type CaseApp } from './caseApp';

describe.skipIf(!POSTGRES_AVAILABLE)('the server on PostgreSQL', () => {
  let pg: TestPostgres;
  let t: CaseApp;

  beforeAll(async () => {
    pg = await startTestPostgres();
    t = await startCaseApp({ storage: { kind: 'postgres', url: await pg.createDatabase('api') } });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await pg?.stop();
  });

  it('runs the case workflow on PostgreSQL', async () => {
    expect(t.app.storage.kind).toBe('postgres');
    const [inspector, dispatcher, handler] = await Promise.all(['inspector', 'dispatcher', 'handler-d-water'].map((u) => t.login(u)));
    const report = { categoryId: 'cover-missing', componentCode: '4419000101000001', description: 'cover gone' };
    const first = await t.call(inspector, { method: 'POST', url: '/api/cases', payload: report, headers: { 'idempotency-key': 'pg-key-0001' } });
    const retry = await t.call(inspector, { method: 'POST', url: '/api/cases', payload: report, headers: { 'idempotency-key': 'pg-key-0001' } });
    expect(retry.body).toEqual(first.body);
    const merged = await t.call(inspector, { method: 'POST', url: '/api/cases', payload: { ...report, description: 'still gone' } });
    expect(merged.body).toMatchObject({ merged: true, case: { id: first.body.case.id, reportCount: 2 } });
    const id = first.body.case.id as string;
    for (const [token, body] of [
      [dispatcher, { action: 'register' }],
      [dispatcher, { action: 'dispatch' }],
      [handler, { action: 'accept' }],
      [handler, { action: 'feedback', note: 'fitted' }],
    ] as const) {
      const res = await t.call(token, { method: 'POST', url: `/api/cases/${id}/actions`, payload: body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const detail = (await t.call(handler, { method: 'GET', url: `/api/cases/${id}` })).body;
    expect(detail.case).toMatchObject({ status: 'handled', departmentId: 'D-WATER', handledLate: false });
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['create', 'merge', 'register', 'dispatch', 'accept', 'feedback']);
    const kpis = (await t.call(dispatcher, { method: 'GET', url: '/api/kpis' })).body;
    expect(kpis.items).toEqual([expect.objectContaining({ key: 'D-WATER', dispatched: 1, handled: 1, onTimeRate: 1 })]);
  });
});
