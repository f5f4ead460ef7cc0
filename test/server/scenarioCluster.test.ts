/**
 * Scenarios as one queue for two server instances on one PostgreSQL schema (each with its own
 * data folder and embedded broker, as two machines would have): a scenario submitted on one is
 * run by whichever claims it and its result is served by both; two runs go to two instances at
 * once; a cancel or a delete sent to one instance stops the run on the other; a run whose
 * instance went silent is failed by the one still alive.
 *
 * The kind is a small real computation (scenarioSumKind.ts).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../domain/scenarios';
import { buildApp } from '../../server/index';
import { ScenarioStore } from '../../server/scenarios/ScenarioStore';
import { PostgresStorage } from '../../server/storage/PostgresStorage';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { waitFor } from './helpers';
import { sumKind, type SumParams } from './scenarioSumKind';

describe.skipIf(!POSTGRES_AVAILABLE)('scenarios shared by two instances', () => {
  let pg: TestPostgres;
  let twin: TinyTwin;
  let databaseUrl: string;
  const apps: Record<'a' | 'b', FastifyInstance> = {} as Record<'a' | 'b', FastifyInstance>;
  let token: string;

  beforeAll(async () => {
    [pg, twin] = await Promise.all([startTestPostgres(), writeTinyTwin({ poles: 4 })]);
    databaseUrl = await pg.createSchema('scenario_queue');
    // One deployment: one database and one login secret, a data folder per machine.
    const secret = randomBytes(32);
    for (const id of ['a', 'b'] as const) {
      apps[id] = await buildApp({
        twinDir: twin.dir,
        host: '127.0.0.1',
        port: 0,
        mqttPort: 0,
        dataDir: path.join(twin.dir, `state-${id}`),
        instanceId: id,
        simulator: false,
        storage: { kind: 'postgres', url: databaseUrl },
        auth: { secret, passwordCostLog2: 10 },
        scenarios: { kinds: [sumKind], pollMs: 200 },
      });
    }
    const login = await apps.a.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner', password: 'planner-demo' } });
    token = (login.json() as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await pg?.stop();
    await twin?.cleanup();
  });

  const call = async (on: 'a' | 'b', method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const res = await apps[on].inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, headers: res.headers, body: res.body, json: <T>() => res.json() as T };
  };
  const submit = async (on: 'a' | 'b', name: string, params: Partial<SumParams>): Promise<Scenario> => {
    const res = await call(on, 'POST', '/api/scenarios', { kind: 'flood', name, params });
    expect(res.status).toBe(202);
    return res.json<Scenario>();
  };
  const statusOn = async (on: 'a' | 'b', id: string): Promise<Scenario | undefined> => {
    const res = await call(on, 'GET', `/api/scenarios/${id}`);
    return res.status === 200 ? res.json<Scenario>() : undefined;
  };
  /** Which instance runs the scenario now. */
  const runner = (id: string): 'a' | 'b' | undefined =>
    (['a', 'b'] as const).find((on) => apps[on].scenarios.runner.runningId() === id);

  it('runs a scenario submitted on one instance and serves its result from the other', async () => {
    const submitted = await submit('a', 'sum to 30', { upTo: 30, stepMs: 5 });
    const done = await waitFor(async () => {
      const now = await statusOn('b', submitted.id);
      return now?.status === 'done' && now;
    }, 10_000, 'the run done, seen from b');
    expect(done).toMatchObject({ progress: 1, summary: { sum: 465 }, files: ['sum.json'] });
    expect((await call('b', 'GET', '/api/scenarios')).json<Scenario[]>().map((s) => s.id)).toContain(submitted.id);
    for (const on of ['a', 'b'] as const) {
      const file = await call(on, 'GET', `/api/scenarios/${submitted.id}/files/sum.json`);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(file.body)).toEqual({ sum: 465 });
    }
  });

  it('runs two scenarios on two instances at once, and a cancel sent to either stops the run on the other', async () => {
    const first = await submit('a', 'slow 1', { upTo: 1000, stepMs: 20 });
    const second = await submit('a', 'slow 2', { upTo: 1000, stepMs: 20 });
    // One instance runs one scenario at a time, so the second is claimed by the other one.
    await waitFor(() => runner(first.id) && runner(second.id), 5000, 'both runs claimed');
    expect(runner(first.id)).not.toBe(runner(second.id));

    for (const scenario of [first, second]) {
      const ranOn = runner(scenario.id)!;
      const other = ranOn === 'a' ? 'b' : 'a';
      const answer = await call(other, 'POST', `/api/scenarios/${scenario.id}/cancel`);
      expect(answer.status).toBe(200);
      const stopped = await waitFor(async () => {
        const now = await statusOn(ranOn, scenario.id);
        return now?.status === 'cancelled' && now;
      }, 5000, `the run on ${ranOn} cancelled from ${other}`);
      expect(stopped.files).toBeUndefined();
      expect(stopped.progress).toBeLessThan(1);
      await waitFor(() => apps[ranOn].scenarios.runner.runningId() === undefined, 2000, `${ranOn} idle again`);
    }
  });

  it('stops a run on one instance when another deletes it', async () => {
    const slow = await submit('b', 'deleted while running', { upTo: 1000, stepMs: 20 });
    const ranOn = await waitFor(() => runner(slow.id), 5000, 'run claimed');
    const other = ranOn === 'a' ? 'b' : 'a';
    expect((await call(other, 'DELETE', `/api/scenarios/${slow.id}`)).status).toBe(204);
    await waitFor(() => apps[ranOn].scenarios.runner.runningId() === undefined, 5000, `the run on ${ranOn} stopped`);
    expect(await statusOn(ranOn, slow.id)).toBeUndefined();
  });

  it('fails the run of an instance that went silent', async () => {
    // A third instance, "c", claimed a run a minute ago and has not been heard of since. Its kind
    // is one a and b do not run, so neither claims it first.
    const c = await PostgresStorage.open(databaseUrl);
    const orphan: Scenario = { id: ScenarioStore.newId(), kind: 'traffic', name: 'orphan', params: {}, status: 'queued', progress: 0, createdAt: Date.now() };
    try {
      await c.insertScenario(orphan, 20);
      expect((await c.claimNextScenario('c', Date.now() - 60_000, ['traffic']))?.id).toBe(orphan.id);
    } finally {
      await c.close();
    }
    const failed = await waitFor(async () => {
      const now = await statusOn('b', orphan.id);
      return now?.status === 'failed' && now;
    }, 5000, "the silent instance's run failed");
    expect(failed.error).toBe('interrupted: instance c stopped');
  });
});
