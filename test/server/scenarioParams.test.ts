/**
 * Scenario parameters have one schema each (simulations/<kind>/scenarioParams.ts): the API
 * refuses what the CLI refuses, each naming the field or option, and the OpenAPI document shows
 * the params of every kind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/args';
import { floodProblemFromArgs } from '../../cli/simFlood';
import { trafficCommand } from '../../cli/simTraffic';
import { buildApp } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';

let twin: TinyTwin;
let app: FastifyInstance;
let token: string;
let dir: string;

beforeAll(async () => {
  twin = await writeTinyTwin();
  dir = await mkdtemp(path.join(tmpdir(), 'citytwin-params-'));
  app = await buildApp({ twinDir: twin.dir, port: 0, mqttPort: 0, simulator: false, dataDir: path.join(dir, 'state'), auth: { passwordCostLog2: 10 } });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner', password: 'planner-demo' } });
  token = login.json<{ token: string }>().token;
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

async function submit(kind: string, params: unknown): Promise<{ status: number; message: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/scenarios', headers: { authorization: `Bearer ${token}` }, payload: { kind, name: 'bad', params } });
  return { status: res.statusCode, message: res.json<{ message: string }>().message };
}

describe('scenario parameters', () => {
  it('are refused alike by the API and the CLI', async () => {
    expect(await submit('flood', { rain: { mmPerHour: 600 } })).toEqual({ status: 400, message: 'body/params/rain/mmPerHour: must be a number from 0 to 500' });
    await expect(floodProblemFromArgs(['--dem', path.join(dir, 'dem.asc'), '--duration', '60', '--out', dir, '--rain', '600'])).rejects.toThrow(
      new UsageError('--rain must be between 0 and 500, got 600'),
    );

    expect(await submit('flood', { drainageMmPerHour: -1 })).toEqual({ status: 400, message: 'body/params/drainageMmPerHour: must be a number from 0 to 500' });
    await expect(floodProblemFromArgs(['--dem', path.join(dir, 'dem.asc'), '--duration', '60', '--out', dir, '--drainage=-1'])).rejects.toThrow(
      new UsageError('--drainage must be between 0 and 500, got -1'),
    );

    expect(await submit('traffic', { seed: 2 ** 31 })).toEqual({ status: 400, message: 'body/params/seed: must be an integer from 0 to 2147483647' });
    await expect(trafficCommand(['--network', 'none.json', '--demand', 'peak', '--duration', '60', '--out', dir, '--seed', String(2 ** 31)], () => undefined)).rejects.toThrow(
      new UsageError('--seed must be between 0 and 2147483647, got 2147483648'),
    );
  });

  it('name the field inside nested params and unions', async () => {
    expect(await submit('greenwave', { speedRangeMps: [5, 'x'] })).toMatchObject({ status: 400, message: 'body/params/speedRangeMps[1]: must be a number from 1 to 40' });
    expect(await submit('traffic', { demand: 'rush' })).toMatchObject({ status: 400, message: 'body/params/demand: must be "peak", "holiday" or {"trips": [...]}' });
    expect(await submit('flood', { boundaries: { west: { type: 'tide' } } })).toMatchObject({ status: 400, message: 'body/params/boundaries/west/type: must be one of "free", "level", "flow"' });
  });

  it('are in the OpenAPI document, per kind', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const body = JSON.stringify(doc.paths['/api/scenarios/']?.post ?? doc.paths['/api/scenarios']?.post);
    for (const field of ['mmPerHour', 'drainageMmPerHour', 'signalOffsets', 'speedRangeMps']) expect(body).toContain(`"${field}"`);
  });
});
