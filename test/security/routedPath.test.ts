/**
 * Limits, headers and cache rules follow the path the router resolved, not the raw URL: a
 * percent-encoded `/%61pi/…` is routed to `/api/…` and must meet every rule `/api/…` meets.
 * (Before the fix, 200 wrong passwords through `/%61pi/auth/login` got no 429.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedPath } from '../../server/http/routedPath';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

const LOGIN_MAX = 3;
const REPORT_MAX = 2;
let t: CaseApp;

beforeAll(async () => {
  t = await startCaseApp({
    security: { loginRateLimit: { max: LOGIN_MAX, timeWindowMs: 60_000 }, env: {} },
    cases: { publicReportsPerMinute: REPORT_MAX },
  });
});

afterAll(async () => {
  await t?.close();
});

describe('decisions on the routed path', () => {
  it('decodes the path and drops the query', () => {
    expect(decodedPath('/%61pi/auth/login?x=%2F')).toBe('/api/auth/login');
    expect(decodedPath('/%E0%A4%A')).toBe('/%E0%A4%A');
  });

  it('rate-limits logins through an encoded path like the plain one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_MAX + 2; i++) {
      const url = i % 2 === 0 ? '/%61pi/auth/login' : '/api/auth/%6Cogin';
      const res = await t.app.inject({ method: 'POST', url, payload: { username: 'admin', password: `wrong-password-${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, LOGIN_MAX)).toEqual(Array(LOGIN_MAX).fill(401));
    expect(statuses.slice(LOGIN_MAX)).toEqual([429, 429]);
    // The right password is refused too while the address is over its limit.
    const right = await t.app.inject({ method: 'POST', url: '/%61pi/auth/login', payload: { username: 'admin', password: 'admin-demo' } });
    expect(right.statusCode).toBe(429);
  });

  it('limits citizen reports through an encoded path', async () => {
    const body = { categoryId: 'dirty-road', description: 'mud on the road', lon: 113.621, lat: 22.78 };
    const statuses: number[] = [];
    for (let i = 0; i < REPORT_MAX + 2; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: '/%61pi/reports', payload: { ...body, description: `mud ${i}` } })).statusCode);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(REPORT_MAX);
    expect(statuses.slice(REPORT_MAX)).toEqual([429, 429]);
  });

  it('gives encoded API paths the API headers and no-store', async () => {
    for (const url of ['/%61pi/health', '/api/%68ealth']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy'], url).toMatch(/^default-src 'none'/);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });
});
