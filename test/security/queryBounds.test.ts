/**
 * Every numeric query parameter is bounded in its schema: an integer past what the database can
 * bind (≥ 2^63 for SQLite) is a 400 naming the parameter, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

let t: CaseApp;
let leader: string;

beforeAll(async () => {
  t = await startCaseApp();
  leader = await t.login('leader');
});

afterAll(async () => {
  await t?.close();
});

const HUGE = ['1e19', '9223372036854775808', '18446744073709551616', '99999999999999999999999'];

describe('numeric query parameters', () => {
  it('refuse huge offsets with a 400 naming the parameter on every paged list', async () => {
    for (const base of ['/api/cases', '/api/poles', '/api/terminals', '/api/components', '/api/alarms']) {
      for (const n of HUGE) {
        const res = await t.call(leader, { method: 'GET', url: `${base}?offset=${n}` });
        expect(res.status, `${base}?offset=${n}`).toBe(400);
        expect(res.body.message, `${base}?offset=${n}`).toMatch(/offset/);
      }
      expect((await t.call(leader, { method: 'GET', url: `${base}?offset=5` })).status, base).toBe(200);
    }
  });

  it('refuse times past what a date holds', async () => {
    for (const q of ['from=1e19', 'to=9223372036854775808']) {
      const res = await t.call(leader, { method: 'GET', url: `/api/kpis?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.body.message, q).toMatch(/from|to/);
    }
  });
});
