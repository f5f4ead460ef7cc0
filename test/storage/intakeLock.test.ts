/**
 * Case intake across two server instances on one PostgreSQL database: copies of one report sent
 * to both at once open one case and merge the rest into it, because each instance takes the
 * storage lock of the category before it looks for a duplicate (Storage.withLock).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';

describe.skipIf(!POSTGRES_AVAILABLE)('case intake on two instances', () => {
  let pg: TestPostgres;
  const instances: CaseApp[] = [];

  beforeAll(async () => {
    pg = await startTestPostgres();
    const url = await pg.createDatabase('intake_lock');
    const secret = randomBytes(32);
    for (const instanceId of ['a', 'b']) {
      instances.push(await startCaseApp({ instanceId, storage: { kind: 'postgres', url }, auth: { secret, passwordCostLog2: 10 } }));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((t) => t.close()));
    await pg?.stop();
  });

  it('opens one case for copies of a report sent to both at once', async () => {
    const [a, b] = instances as [CaseApp, CaseApp];
    const token = await a.login('inspector');
    const report = { categoryId: 'cover-missing', componentCode: '4419000101000001', description: 'cover gone' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).call(token, { method: 'POST', url: '/api/cases', payload: { ...report, description: `cover gone, copy ${i}` } })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    const caseIds = new Set(answers.map((r) => r.body.case.id as string));
    expect(caseIds.size).toBe(1);
    expect(answers.filter((r) => r.body.merged === false)).toHaveLength(1);
    const [id] = caseIds;
    const detail = await b.call(token, { method: 'GET', url: `/api/cases/${id}` });
    expect(detail.body.case.reportCount).toBe(8);
    expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual(['create', ...Array(7).fill('merge')]);
  });
});
