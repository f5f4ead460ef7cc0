/**
 * The scenario runner and its API with real sockets: submit → queued → running → done with the
 * progress on the live WebSocket; result files served by name only; bad params named; cancel;
 * scenarios survive a restart and runs a restart interrupted are marked failed.
 *
 * The kind here is a small real computation (a sum written to a file, with progress and abort),
 * so the runner is tested on its own; the flood, traffic and green-wave kinds have their own tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../domain/live';
import type { Scenario } from '../../domain/scenarios';
import { rootErrorHandler, schemaErrorFormatter } from '../../server/errors';
import authPlugin from '../../server/plugins/auth';
import livePlugin from '../../server/plugins/live';
import scenariosPlugin from '../../server/plugins/scenarios';
import storagePlugin from '../../server/plugins/storage';
import streamPlugin from '../../server/plugins/stream';
import twinPlugin from '../../server/plugins/twin';
import authRoutes from '../../server/routes/auth/index';
import scenarioRoutes from '../../server/routes/scenarios/index';
import { ScenarioParamsError, type ScenarioKind } from '../../server/scenarios/ScenarioKind';
import { ScenarioStore } from '../../server/scenarios/ScenarioStore';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { LiveClient, waitFor } from './helpers';

interface SumParams {
  upTo: number;
  stepMs: number;
}

/** Sums 1..upTo, one number per `stepMs`, reporting progress and honouring the abort signal. */
const sumKind: ScenarioKind<SumParams> = {
  kind: 'flood',
  parseParams(raw) {
    const p = raw as Partial<SumParams>;
    if (!Number.isInteger(p.upTo) || p.upTo! < 1 || p.upTo! > 1000) throw new ScenarioParamsError('upTo', 'must be an integer 1..1000');
    return { upTo: p.upTo!, stepMs: typeof p.stepMs === 'number' ? p.stepMs : 1 };
  },
  async run(params, ctx) {
    let sum = 0;
    for (let i = 1; i <= params.upTo; i++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      sum += i;
      ctx.onProgress(i / params.upTo, `added ${i}`);
      await new Promise((r) => setTimeout(r, params.stepMs));
    }
    await writeFile(path.join(ctx.outDir, 'sum.json'), JSON.stringify({ sum }));
    return { summary: { sum, poles: ctx.twin.poles.length }, files: ['sum.json'] };
  },
};

let twin: TinyTwin;
let dataDir: string;
let app: FastifyInstance;
let url: string;

async function startApp(): Promise<void> {
  app = Fastify({ schemaErrorFormatter });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(rootErrorHandler);
  app.decorate('dataDir', dataDir);
  await app.register(twinPlugin, { dir: twin.dir });
  await app.register(livePlugin, {});
  await app.register(streamPlugin, { deltaIntervalMs: 50 });
  await app.register(storagePlugin, {});
  await app.register(authPlugin, { passwordCostLog2: 10 });
  await app.register(scenariosPlugin, { kinds: [sumKind], maxRunMs: 20_000 });
  await app.register(scenarioRoutes, { prefix: '/api/scenarios' });
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

let token: string | undefined;

/** A planner runs the scenarios; reads need no login. */
async function login(username = 'planner', password = 'planner-demo'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return ((await res.json()) as { token: string }).token;
}

async function api(method: string, route: string, body?: unknown, as = token): Promise<{ status: number; json: unknown; text: string }> {
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
  return { status: res.status, json, text };
}

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 4 });
  dataDir = path.join(twin.dir, 'state');
  await mkdir(dataDir, { recursive: true });
  await startApp();
  token = await login();
});

afterAll(async () => {
  await app?.close();
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
    // scenario.json sits in the same folder but was not declared by the run.
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
    await waitFor(() => app.scenarios.store.get(slow.id)?.status === 'running', 5000, 'slow run started');
    expect(app.scenarios.store.get(queued.id)?.status).toBe('queued');

    const cancelledQueued = (await api('POST', `/api/scenarios/${queued.id}/cancel`)).json as Scenario;
    expect(cancelledQueued.status).toBe('cancelled');
    await api('POST', `/api/scenarios/${slow.id}/cancel`);
    await waitFor(() => app.scenarios.store.get(slow.id)?.status === 'cancelled', 5000, 'slow run cancelled');
    expect(app.scenarios.store.get(slow.id)?.files).toBeUndefined();

    expect((await api('DELETE', `/api/scenarios/${slow.id}`)).status).toBe(204);
    expect((await api('GET', `/api/scenarios/${slow.id}`)).status).toBe(404);
  });

  it('keeps finished scenarios across a restart and fails the interrupted ones', async () => {
    const finished = app.scenarios.store.list().find((s) => s.status === 'done')!;
    // A run the previous process was in the middle of when it died.
    const interrupted: Scenario = { id: ScenarioStore.newId(), kind: 'flood', name: 'crashed', params: {}, status: 'running', progress: 0.3, createdAt: Date.now() };
    const dir = path.join(dataDir, 'scenarios', interrupted.id);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'scenario.json'), JSON.stringify(interrupted));

    await app.close();
    await startApp();
    expect(((await api('GET', `/api/scenarios/${finished.id}`)).json as Scenario).summary).toEqual(finished.summary);
    const after = (await api('GET', `/api/scenarios/${interrupted.id}`)).json as Scenario;
    expect(after).toMatchObject({ status: 'failed', error: 'interrupted by a server restart' });
    expect(JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8')).status).toBe('failed');
  });
});
