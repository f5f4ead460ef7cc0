/**
 * The server on the tiny twin for case tests: two grid cells over the twin (west and east half),
 * cheap password hashing, the demo users seeded, the simulator off; plus login and request helpers.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type ServerOptions } from '../../server/index';
import { writeTinyTwin, type TinyTwin, type TinyTwinOptions } from '../fixtures/tinyTwin';

export const WEST_CELL = '44190000100101';
export const EAST_CELL = '44190000100102';

/** Two 14-digit cells splitting the tiny twin at 113.622°E. */
export function tinyGridCells(): object {
  const cell = (code: string, west: number, east: number) => ({
    type: 'Feature',
    properties: { code, streetName: '测试街道', communityName: '测试社区' },
    geometry: { type: 'Polygon', coordinates: [[[west, 22.779], [east, 22.779], [east, 22.781], [west, 22.781], [west, 22.779]]] },
  });
  return { type: 'FeatureCollection', features: [cell(WEST_CELL, 113.62, 113.622), cell(EAST_CELL, 113.622, 113.624)] };
}

export interface CaseApp {
  app: FastifyInstance;
  twin: TinyTwin;
  /** A bearer token for a demo user (`dispatcher`, `inspector`, `handler-d-light`, …). */
  login(username: string, password?: string): Promise<string>;
  /** inject with a token; returns the status and the parsed JSON, whose shape each test asserts. */
  call(token: string | undefined, opts: InjectOptions): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export function demoPassword(username: string): string {
  return username.startsWith('handler-') ? 'handler-demo' : `${username}-demo`;
}

export async function startCaseApp(options: Partial<ServerOptions> = {}, twinOptions: TinyTwinOptions = {}): Promise<CaseApp> {
  const twin = await writeTinyTwin(twinOptions);
  await writeFile(path.join(twin.dir, 'layers', 'grid-cells.geojson'), JSON.stringify(tinyGridCells()));
  const app = await buildApp({
    twinDir: twin.dir,
    port: 0,
    mqttPort: 0,
    simulator: false,
    auth: { passwordCostLog2: 10 },
    ...options,
  });
  const call = async (token: string | undefined, opts: InjectOptions) => {
    const res = await app.inject({ ...opts, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) } });
    const text = res.body;
    return { status: res.statusCode, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  };
  const tokens = new Map<string, string>();
  return {
    app,
    twin,
    call,
    async login(username, password = demoPassword(username)) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await call(undefined, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token);
      return res.body.token as string;
    },
    async close() {
      await app.close();
      await twin.cleanup();
    },
  };
}
