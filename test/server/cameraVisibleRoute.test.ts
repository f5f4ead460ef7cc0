/**
 * `GET /api/cameras/visible` on the demo city (1,128 cameras, 7,051 buildings): every camera it
 * names has the point in its picture, a camera aimed at a spot on its road sees it (or is named
 * with the building that blocks it), the answer is nearest first, and bad queries are refused
 * with the field named.
 */
import path from 'node:path';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraProjector, inPicture, rayEnu } from '../../kernel/cameraProjection';
import { ecefToGeodetic } from '../../kernel/geodesy';
import cameraVisibilityPlugin from '../../server/cameraVisibility/plugin';
import { camerasOf } from '../../server/cameraVisibility/openVisibility';
import { rootErrorHandler, schemaErrorFormatter } from '../../server/errors';
import cameraVisibleRoutes from '../../server/routes/cameras/visible';
import twinPlugin from '../../server/twin/plugin';
import { REPO_ROOT } from '../support/cliServer';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';

const TWIN_DIR = path.join(REPO_ROOT, 'data', 'demo', 'twin');
let app: FastifyInstance;

async function serve(dir: string): Promise<FastifyInstance> {
  const server = Fastify({ schemaErrorFormatter });
  server.setValidatorCompiler(TypeBoxValidatorCompiler);
  server.setErrorHandler(rootErrorHandler);
  await server.register(twinPlugin, { dir });
  await server.register(cameraVisibilityPlugin);
  await server.register(cameraVisibleRoutes, { prefix: '/api/cameras' });
  await server.ready();
  return server;
}

beforeAll(async () => {
  app = await serve(TWIN_DIR);
});

afterAll(async () => {
  await app?.close();
});

interface Answer {
  height: number;
  cameras: Array<{ cameraId: string; poleId: string; distanceM: number; image: { x: number; y: number } }>;
  inFrustum: number;
  occluded: Array<{ cameraId: string; buildingId: string }>;
  occlusionTested: boolean;
}

async function visible(query: string): Promise<{ status: number; body: Answer & { message?: string } }> {
  const res = await app.inject({ method: 'GET', url: `/api/cameras/visible?${query}` });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /api/cameras/visible on the demo city', () => {
  it('names cameras that have the point in their picture, nearest first, the aimed camera among them or blocked', async () => {
    const cameras = camerasOf(app.twin);
    expect(cameras.length).toBe(1128);
    const byId = new Map(cameras.map((c) => [c.id, c]));
    let seen = 0;
    let blocked = 0;
    for (const camera of cameras.filter((_, i) => i % 97 === 0)) {
      // The ground point 30 m out along the middle of the picture, raised 1.5 m.
      const projector = new CameraProjector(camera.pose, camera.groundHeight);
      const d = rayEnu(camera.pose, 0.5, 0.6);
      const t = Math.min(30, camera.pose.heightM / Math.max(0.05, -d[2]));
      const p = projector.foot.toEcef(d[0] * t, d[1] * t, camera.pose.heightM + d[2] * t);
      const g = ecefToGeodetic(p[0], p[1], p[2]);
      const { status, body } = await visible(`lon=${g.lon}&lat=${g.lat}&height=${g.height}&limit=100`);
      expect(status).toBe(200);
      expect(body.occlusionTested).toBe(true);
      const ids = body.cameras.map((c) => c.cameraId);
      const blocker = body.occluded.find((o) => o.cameraId === camera.id);
      expect(ids.includes(camera.id) !== (blocker !== undefined), camera.id).toBe(true);
      if (blocker) blocked++;
      else seen++;
      for (let i = 0; i < body.cameras.length; i++) {
        const c = body.cameras[i]!;
        if (i > 0) expect(c.distanceM).toBeGreaterThanOrEqual(body.cameras[i - 1]!.distanceM);
        const other = byId.get(c.cameraId)!;
        const img = new CameraProjector(other.pose, other.groundHeight).project(g.lon, g.lat, g.height);
        expect(inPicture(img, other.pose)).toBe(true);
        expect(c.image.x).toBeCloseTo(img!.x, 6);
      }
    }
    // Demo cameras look down their own road: most aimed points are in clear view.
    expect(seen).toBeGreaterThan(blocked);
  });

  it('defaults the height to the ground near the point plus 1.5 m', async () => {
    const pole = app.twin.poles[0]!;
    const { status, body } = await visible(`lon=${pole.lon}&lat=${pole.lat}`);
    expect(status).toBe(200);
    expect(body.height).toBeCloseTo(pole.groundHeight + 1.5, 6);
  });

  it('refuses a query without a latitude or with a longitude that is no number, naming the field', async () => {
    const missing = await visible('lon=113.7');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/lat/);
    const bad = await visible('lon=east&lat=22.8');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/lon/);
  });
});

describe('GET /api/cameras/visible on a package without building footprints', () => {
  let tiny: TinyTwin;
  let tinyApp: FastifyInstance;

  beforeAll(async () => {
    tiny = await writeTinyTwin({ poles: 2 });
    tinyApp = await serve(tiny.dir);
  });

  afterAll(async () => {
    await tinyApp?.close();
    await tiny?.cleanup();
  });

  it('tests the frustum only, and says so', async () => {
    const [camera] = camerasOf(tinyApp.twin);
    const projector = new CameraProjector(camera!.pose, camera!.groundHeight);
    const d = rayEnu(camera!.pose, 0.5, 0.5);
    const t = camera!.pose.heightM / -d[2];
    const p = projector.foot.toEcef(d[0] * t, d[1] * t, 0);
    const g = ecefToGeodetic(p[0], p[1], p[2]);
    const res = await tinyApp.inject({ method: 'GET', url: `/api/cameras/visible?lon=${g.lon}&lat=${g.lat}&height=${g.height}` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Answer;
    expect(body.occlusionTested).toBe(false);
    expect(body.cameras.map((c) => c.cameraId)).toContain(camera!.id);
  });
});
