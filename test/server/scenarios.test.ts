/**
 * The scenario runner and its API with real sockets: submit → queued → running → done with the
 * progress on the live WebSocket; result files served from the database by name only, with their
 * content type; bad params named; results over the limit refused; cancel; scenarios survive a
 * restart, a run the restart interrupted goes back to the queue, and a run whose instance stopped
 * heartbeating is marked failed.
 *
 * The kind is a small real computation (scenarioSumKind.ts), so the runner is tested on its own.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../domain/live';
import type { Scenario } from '../../domain/scenarios';
import { startServer, type RunningServer } from '../../server/index';
import { ScenarioStore } from '../../server/scenarios/ScenarioStore';
import { SqliteStorage } from '../../server/storage/SqliteStorage';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { LiveClient, waitFor } from './helpers';
import { sumKind } from './scenarioSumKind';

const MAX_RESULT_BYTES = 1024 * 1024;

let twin: TinyTwin;
let dataDir: string;
let server: RunningServer;
let url: string;

/** The whole server (embedded broker, no device simulator) with the sum kind as its only kind. */
async function startApp(): Promise<void> {
  server = await startServer({
    twinDir: twin.dir,
    host: '127.0.0.1',
    port: 0,
    mqttPort: 0,
    dataDir,
    instanceId: 'solo-1',
    simulator: false,
    deltaIntervalMs: 50,
    auth: { passwordCostLog2: 10 },
    scenarios: { kinds: [sumKind], maxRunMs: 20_000, maxResultBytes: MAX_RESULT_BYTES },
  });
  url = server.httpUrl;
}

let token: string | undefined;

/** A planner runs the scenarios; reads need no login. */
async function login(username = 'planner', password = 'planner-demo'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return ((await res.json()) as { token: string }).token;
}

async function api(method: string, route: string, body?: unknown, as = token): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const headers: Record<string, string> = as ? { authorization: `Bearer ${as}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + route, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 4 });
  dataDir = path.join(twin.dir, 'state');
  await mkdir(dataDir, { recursive: true });
  await startApp();
  token = await login();
});

afterAll(async () => {
  await server?.close();
  await twin?.cleanup();
});

describe('scenario API', () => {
  it('lets planners, leaders, dispatchers and admins run scenarios, anyone look', async () => {
    const anonymous = await api('POST', '/api/scenarios', { kind: 'flood', name: 'x', params: { upTo: 1 } }, '');
    expect(anonymous.status).toBe(401);
    const inspector = await api('POST', '/api/scenarios', { kind: 'flood', name: 'x', params: { upTo: 1 } }, await login('inspector', 'inspector-demo'));
    expect(inspector.status).toBe(403);
    expect((await api('GET', '/api/scenarios', undefined, '')).status).toBe(200);
  });

  it('runs a scenario to done, streams its progress and serves its declared files only', async () => {
    const browser = await LiveClient.connect(url);
    const submitted = await api('POST', '/api/scenarios', { kind: 'flood', name: 'sum to 40', params: { upTo: 40, stepMs: 10 } });
    expect(submitted.status).toBe(202);
    const scenario = submitted.json as Scenario;
    expect(scenario.status).toBe('queued');

    const isEvent = (m: { type: string }): m is EventMessage => m.type === 'event';
    const done = await browser.next(
      (m) => isEvent(m) && m.topic === 'scenario' && (m.data as Scenario).id === scenario.id && (m.data as Scenario).status === 'done',
      10_000,
    );
    const events = browser.messages.filter(isEvent).map((m) => m.data as Scenario).filter((s) => s.id === scenario.id);
    expect(events.some((s) => s.status === 'running' && s.progress > 0 && s.progress < 1)).toBe(true);
    expect((done as EventMessage).data).toMatchObject({ status: 'done', progress: 1, summary: { sum: 820, poles: 4 }, files: ['sum.json'] });
    await browser.close();

    const file = await api('GET', `/api/scenarios/${scenario.id}/files/sum.json`);
    expect(file.status).toBe(200);
    expect(file.json).toEqual({ sum: 820 });
    expect(file.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(file.headers.get('content-length')).toBe(String(file.text.length));
    // Only the files the run declared exist.
    expect((await api('GET', `/api/scenarios/${scenario.id}/files/scenario.json`)).status).toBe(404);
    expect((await api('GET', `/api/scenarios/${scenario.id}/files/..%2Fx`)).status).toBe(400);

    const list = (await api('GET', '/api/scenarios?kind=flood')).json as Scenario[];
    expect(list.map((s) => s.id)).toContain(scenario.id);
  });

  it('names the bad field of a request', async () => {
    const badParams = await api('POST', '/api/scenarios', { kind: 'flood', name: 'x', params: { upTo: 0 } });
    expect(badParams.status).toBe(400);
    expect((badParams.json as { message: string }).message).toBe('body/params/upTo: must be an integer 1..1000');
    const badKind = await api('POST', '/api/scenarios', { kind: 'traffic', name: 'x' });
    expect(badKind.status).toBe(400);
    expect((badKind.json as { message: string }).message).toMatch(/body\/kind "traffic" is not available.*flood/);
    const noName = await api('POST', '/api/scenarios', { kind: 'flood', name: '' });
    expect(noName.status).toBe(400);
    expect((noName.json as { message: string }).message).toMatch(/body\/name/);
    expect((await api('GET', '/api/scenarios/sc-nope-1')).status).toBe(404);
  });

  it('cancels a running scenario and a queued one', async () => {
    const slow = (await api('POST', '/api/scenarios', { kind: 'flood', name: 'slow', params: { upTo: 1000, stepMs: 20 } })).json as Scenario;
    const queued = (await api('POST', '/api/scenarios', { kind: 'flood', name: 'waits', params: { upTo: 5 } })).json as Scenario;
    const statusOf = async (id: string): Promise<string | undefined> => (await server.app.scenarios.store.get(id))?.status;
    await waitFor(async () => (await statusOf(slow.id)) === 'running', 5000, 'slow run started');
    expect(await statusOf(queued.id)).toBe('queued');

    const cancelledQueued = (await api('POST', `/api/scenarios/${queued.id}/cancel`)).json as Scenario;
    expect(cancelledQueued.status).toBe('cancelled');
    await api('POST', `/api/scenarios/${slow.id}/cancel`);
    await waitFor(async () => (await statusOf(slow.id)) === 'cancelled', 5000, 'slow run cancelled');
    expect((await server.app.scenarios.store.get(slow.id))?.files).toBeUndefined();

    expect((await api('DELETE', `/api/scenarios/${slow.id}`)).status).toBe(204);
    expect((await api('GET', `/api/scenarios/${slow.id}`)).status).toBe(404);
  });

  it('refuses results over the limit with a clear error and keeps none of them', async () => {
    const big = (await api('POST', '/api/scenarios', { kind: 'flood', name: 'too big', params: { upTo: 3, padBytes: 2 * MAX_RESULT_BYTES } })).json as Scenario;
    const failed = await waitFor(async () => {
      const now = await server.app.scenarios.store.get(big.id);
      return now?.status === 'failed' && now;
    }, 5000, 'oversized run failed');
    expect(failed.error).toBe('the results are 2.0 MB, more than the 1.0 MB a scenario may store; choose a smaller area, fewer frames or a shorter run');
    expect(failed.files).toBeUndefined();
    expect(await server.app.storage.getScenarioFile(big.id, 'sum.json')).toBeUndefined();
  });

  it('keeps finished scenarios across a restart, re-queues the run it interrupted and fails a silent instance\'s run', async () => {
    const finished = (await server.app.scenarios.store.list()).find((s) => s.status === 'done')!;
    const slow = (await api('POST', '/api/scenarios', { kind: 'flood', name: 'cut short', params: { upTo: 1000, stepMs: 20 } })).json as Scenario;
    await waitFor(async () => (await server.app.scenarios.store.get(slow.id))?.status === 'running', 5000, 'slow run started');
    await server.close();

    // The shutdown handed the run back; and an instance that died mid-run left one claimed.
    const db = new SqliteStorage(path.join(dataDir, 'cases.db'));
    expect(await db.getScenario(slow.id)).toMatchObject({ status: 'queued', progress: 0, message: 'handed back: instance solo-1 shut down' });
    const crashed: Scenario = { id: ScenarioStore.newId(), kind: 'flood', name: 'crashed', params: { upTo: 5 }, status: 'queued', progress: 0, createdAt: Date.now() - 120_000 };
    await db.insertScenario(crashed, 20);
    expect((await db.claimNextScenario('gone-1', Date.now() - 60_000, ['flood']))?.id).toBe(crashed.id);
    await db.close();

    await startApp();
    expect(((await api('GET', `/api/scenarios/${finished.id}`)).json as Scenario).summary).toEqual(finished.summary);
    const after = await waitFor(async () => {
      const now = (await api('GET', `/api/scenarios/${crashed.id}`)).json as Scenario;
      return now.status === 'failed' && now;
    }, 5000, 'the silent instance\'s run failed');
    expect(after.error).toBe('interrupted: instance gone-1 stopped');
    await waitFor(async () => (await server.app.scenarios.store.get(slow.id))?.status === 'running', 5000, 'handed-back run started again');
    expect((await api('DELETE', `/api/scenarios/${slow.id}`)).status).toBe(204);
    expect(server.app.scenarios.runner.runningId()).toBeUndefined();
  });
});
