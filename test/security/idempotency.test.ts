/**
 * Idempotency keys are scoped to their route and tied to their request body: a retry gets the
 * first answer, the same key with another body is a 422, and a key used on one route means
 * nothing on another. (Before, another citizen's report with a used key got the first one's
 * tracking code.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

let t: CaseApp;

beforeAll(async () => {
  t = await startCaseApp();
});

afterAll(async () => {
  await t?.close();
});

const report = (description: string) => ({ categoryId: 'dirty-road', description, lon: 113.621, lat: 22.78 });

describe('citizen report idempotency', () => {
  it('replays a retry, refuses the key with another body, and keeps keys apart per route', async () => {
    const key = 'citizen-key-0001';
    const post = (url: string, body: object, token?: string) => t.call(token, { method: 'POST', url, payload: body, headers: { 'idempotency-key': key } });
    const first = await post('/api/reports', report('mud on the road'));
    expect(first.status).toBe(201);
    const retry = await post('/api/reports', report('mud on the road'));
    expect(retry.status).toBe(201);
    expect(retry.body.trackingCode).toBe(first.body.trackingCode);

    const other = await post('/api/reports', report('a different problem somewhere else'));
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/headers\/idempotency-key/);
    expect(JSON.stringify(other.body)).not.toContain(first.body.trackingCode);

    // The same key on the inspectors' route is a key of its own.
    const inspector = await t.login('inspector');
    const own = await post('/api/cases', report('mud on the road'), inspector);
    expect(own.status).toBe(201);
    expect(own.body.report.trackingCode).toBeUndefined();
  });
});
