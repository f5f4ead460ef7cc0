/**
 * The HTTP API and static files through `app.inject`, on a tiny twin package, with the broker and
 * ingest running for real and the simulator off.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { buildApp } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';

let twin: TinyTwin;
let app: FastifyInstance;
let clientDir: string;
let cesiumDir: string;

beforeAll(async () => {
  twin = await writeTinyTwin();
  clientDir = await mkdtemp(join(tmpdir(), 'citytwin-client-'));
  await mkdir(join(clientDir, 'assets'));
  await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>citytwin</title>');
  await writeFile(join(clientDir, 'assets', 'app-abc123.js'), 'console.log(1)');
  cesiumDir = await mkdtemp(join(tmpdir(), 'citytwin-cesium-'));
  await writeFile(join(cesiumDir, 'Cesium.js'), '/* cesium */');
  app = await buildApp({ twinDir: twin.dir, clientDir, cesiumDir, port: 0, mqttPort: 0, simulator: false });
  // Give the API something live to show: a faulty lamp and flooding on the first pole.
  app.live.apply('P00001-lamp', 'status', { v: 1, ts: Date.now(), status: 'fault', code: 'DRIVER_FAULT' }, Date.now());
  app.live.apply('P00001-water-level', 'telemetry', { v: 1, ts: Date.now(), values: { depthCm: 18 } }, Date.now());
  app.live.apply('P00002-lamp', 'telemetry', { v: 1, ts: Date.now(), values: { on: true, powerW: 120 } }, Date.now());
});

afterAll(async () => {
  await app?.close();
  await twin?.cleanup();
  await rm(clientDir, { recursive: true, force: true });
  await rm(cesiumDir, { recursive: true, force: true });
});

async function getJson(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

describe('GET /api/health', () => {
  it('describes the twin, MQTT, devices, browsers and simulator', async () => {
    const { status, body, headers } = await getJson('/api/health');
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toMatchObject({
      status: 'ok',
      twin: { name: { en: 'Test Bay' }, buildings: 3, poles: 6, terminals: 6 * TERMINAL_TYPES.length, components: 10 },
      mqtt: { ingestConnected: true, messagesAccepted: 3, messagesRejected: 0, rejectReasons: {} },
      devices: { total: 6 * TERMINAL_TYPES.length, connected: 3, offline: 0, fault: 1, openAlarms: 2 },
      browsers: 0,
      simulator: { running: false, terminals: 0 },
    });
    expect(body.mqtt.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    // The ingest, the command service and the emergency service are the embedded broker's clients.
    expect(body.mqtt.clientsConnected).toBe(3);
    expect(body.uptimeS).toBeGreaterThanOrEqual(0);
  });
});

describe('poles', () => {
  it('lists with paging', async () => {
    const { status, body } = await getJson('/api/poles?limit=2&offset=1');
    expect(status).toBe(200);
    expect(body.total).toBe(6);
    expect(body.items.map((p: { id: string }) => p.id)).toEqual(['P00002', 'P00003']);
    expect(body.items[0]).toMatchObject({ code: '4419000118000002', roadId: 'R001', terminalCount: TERMINAL_TYPES.length, status: 'normal' });
  });

  it('filters by live status and bounding box', async () => {
    expect((await getJson('/api/poles?status=fault')).body.items.map((p: { id: string }) => p.id)).toEqual(['P00001']);
    const p3 = twin.poles[2]!;
    const bbox = `${p3.lon - 0.0001},${p3.lat - 0.0001},${p3.lon + 0.0001},${p3.lat + 0.0001}`;
    const { body } = await getJson(`/api/poles?bbox=${bbox}`);
    expect(body.items.map((p: { id: string }) => p.id)).toEqual(['P00003']);
  });

  it('returns one pole with its terminals, readings and alarms', async () => {
    const { status, body } = await getJson('/api/poles/P00001');
    expect(status).toBe(200);
    expect(body.status).toBe('fault');
    expect(body.terminals).toHaveLength(TERMINAL_TYPES.length);
    const lamp = body.terminals.find((t: { id: string }) => t.id === 'P00001-lamp');
    expect(lamp).toMatchObject({ type: 'lamp', status: 'fault', faultCode: 'DRIVER_FAULT' });
    const water = body.terminals.find((t: { id: string }) => t.id === 'P00001-water-level');
    expect(water).toMatchObject({ status: 'warning', values: { depthCm: 18 } });
    expect(body.alarms.map((a: { kind: string }) => a.kind).sort()).toEqual(['lamp-fault', 'water-level']);
  });

  it('404s an unknown pole and 400s bad parameters with clear messages', async () => {
    expect(await getJson('/api/poles/P99999')).toMatchObject({
      status: 404,
      body: { statusCode: 404, code: 'CT_NOT_FOUND', message: 'pole "P99999" not found' },
    });
    const badBox = await getJson('/api/poles?bbox=1,2,3');
    expect(badBox.status).toBe(400);
    expect(badBox.body.message).toBe('querystring/bbox must be four numbers west,south,east,north in degrees, e.g. 113.6,22.7,113.7,22.8');
    const flipped = await getJson('/api/poles?bbox=114,22,113,23');
    expect(flipped).toMatchObject({ status: 400, body: { message: 'bbox must be west,south,east,north with west < east and south < north' } });
    expect((await getJson('/api/poles?status=broken')).body.message).toBe(
      'querystring/status must be one of unknown, normal, warning, fault, offline',
    );
    expect((await getJson('/api/poles?limit=5000')).body.message).toBe('querystring/limit must be <= 1000');
  });
});

describe('terminals', () => {
  it('filters by type, status, pole and road', async () => {
    expect((await getJson('/api/terminals?type=lamp')).body.total).toBe(6);
    // Every pole of the tiny twin stands on R001: what a road's group command counts before confirming.
    expect((await getJson('/api/terminals?type=lamp&roadId=R001')).body.total).toBe(6);
    expect((await getJson('/api/terminals?type=lamp&roadId=R999')).body.total).toBe(0);
    const warning = await getJson('/api/terminals?status=warning');
    expect(warning.body.items.map((t: { id: string }) => t.id)).toEqual(['P00001-water-level']);
    const onPole = await getJson('/api/terminals?poleId=P00002&type=lamp');
    expect(onPole.body.items).toEqual([
      expect.objectContaining({ id: 'P00002-lamp', status: 'normal', values: { on: true, powerW: 120 } }),
    ]);
  });

  it('returns one terminal with its alarms, 404 for an unknown one', async () => {
    const { body } = await getJson('/api/terminals/P00001-water-level');
    expect(body).toMatchObject({ id: 'P00001-water-level', poleId: 'P00001', type: 'water-level', status: 'warning' });
    expect(body.alarms).toEqual([expect.objectContaining({ kind: 'water-level', severity: 'critical', value: 18, limit: 15 })]);
    expect(await getJson('/api/terminals/X-1')).toMatchObject({ status: 404, body: { message: 'terminal "X-1" not found' } });
    const camera = await getJson('/api/terminals/P00002-camera');
    expect(camera.body.camera).toMatchObject({ pose: { headingDeg: 270, pitchDeg: -15, hfovDeg: 60, rangeM: 100 }, streams: [], embedded: true });
    expect(body.camera).toBeUndefined();
    expect((await getJson('/api/terminals?type=radar')).status).toBe(400);
  });
});

describe('components', () => {
  it('filters by class and returns one by 16-digit code with class and owner names', async () => {
    const storm = await getJson('/api/components?classCode=0103');
    expect(storm.body.total).toBe(2);
    const { status, body } = await getJson('/api/components/4419000114000001');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      classCode: '0114',
      className: { 'zh-CN': '消防栓', en: 'Fire hydrant' },
      ownerId: 'D-FIRE',
      ownerName: { en: 'Fire Brigade' },
    });
  });

  it('400s a malformed code and 404s an unknown one', async () => {
    expect(await getJson('/api/components/12345')).toMatchObject({
      status: 400,
      body: { message: 'params/code must be a 16-digit component code: county (6) + class (4) + serial (6)' },
    });
    expect(await getJson('/api/components/4419000101999999')).toMatchObject({
      status: 404,
      body: { message: 'component "4419000101999999" not found' },
    });
    expect((await getJson('/api/components?classCode=1')).body.message).toBe(
      'querystring/classCode must be a 4-digit component class, major + minor, e.g. 0101',
    );
  });
});

describe('alarms', () => {
  it('lists open alarms newest first, filtered by severity', async () => {
    const all = await getJson('/api/alarms');
    expect(all.body.total).toBe(2);
    const critical = await getJson('/api/alarms?severity=critical');
    expect(critical.body.items.map((a: { id: string }) => a.id)).toEqual(['P00001-water-level:water-level']);
  });
});

describe('static files', () => {
  it('serves the twin package with the content types Cesium and glTF loaders expect', async () => {
    const terrain = await app.inject('/twin/terrain/0/0/0.terrain');
    expect(terrain.statusCode).toBe(200);
    expect(terrain.headers['content-type']).toBe('application/vnd.quantized-mesh');
    expect(terrain.headers['cache-control']).toBe('public, max-age=300');
    expect(terrain.headers.etag).toBeTruthy();
    expect((await app.inject('/twin/buildings/b0.glb')).headers['content-type']).toBe('model/gltf-binary');
    expect((await app.inject('/twin/twin.json')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await app.inject('/twin/imagery/basemap.png')).headers['content-type']).toBe('image/png');
    expect((await app.inject('/twin/missing.json')).statusCode).toBe(404);
  });

  it('serves Cesium at /cesium/ and the client at / with SPA fallback, but not for API or file paths', async () => {
    const cesium = await app.inject('/cesium/Cesium.js');
    expect(cesium.statusCode).toBe(200);
    expect(cesium.headers['cache-control']).toBe('public, max-age=86400');

    const index = await app.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>citytwin</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/assets/app-abc123.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const deepLink = await app.inject('/poles/P00001');
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.headers['content-type']).toContain('text/html');

    const api = await app.inject('/api/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'CT_ROUTE_NOT_FOUND', message: 'no route for GET /api/nothing' });
    expect((await app.inject('/missing.js')).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/somewhere' })).statusCode).toBe(404);
  });
});

describe('start-up errors', () => {
  it('says clearly when the folder is not a twin package', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'citytwin-empty-'));
    try {
      await expect(buildApp({ twinDir: empty, port: 0, mqttPort: 0, simulator: false })).rejects.toThrow(
        /is not a twin package: cannot read twin\.json/,
      );
      await expect(buildApp({ twinDir: join(empty, 'nope'), port: 0, mqttPort: 0, simulator: false })).rejects.toThrow(
        /does not exist or is not a folder/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('names the file and record of a broken layer', async () => {
    const broken = await writeTinyTwin({ poles: 1 });
    try {
      await writeFile(join(broken.dir, 'layers/terminals.json'), JSON.stringify([{ id: 'T1', poleId: 'P00001', type: 'radar' }]));
      await expect(buildApp({ twinDir: broken.dir, port: 0, mqttPort: 0, simulator: false })).rejects.toThrow(
        /terminals\.json \[0\]: unknown terminal type "radar"/,
      );
    } finally {
      await broken.cleanup();
    }
  });

  it('refuses a client folder without index.html', async () => {
    await expect(
      buildApp({ twinDir: twin.dir, clientDir: twin.dir, port: 0, mqttPort: 0, simulator: false }),
    ).rejects.toThrow(/no index\.html/);
  });
});
