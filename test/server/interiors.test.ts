/**
 * L5 interiors served at /twin/interiors/{name}.glb ({name}: the id as a file name): a
 * pre-generated file as it is on disk, any other building's interior made on demand with the
 * same bytes the build would have written, unknown ids and path tricks refused. An OSM export
 * (test/fixtures/real/osm-district.geojson, ids `way/…`, `relation/…`) gets an interior for
 * every building, through the name the client puts in the URL.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interiorPath } from '../../client/src/features/levels/core/levels';
import type { BuildingRecord, TwinManifest } from '../../domain/twinPackage';
import { rootErrorHandler } from '../../server/errors';
import interiorsPlugin from '../../server/twin/interiors';
import twinPlugin from '../../server/twin/plugin';
import { assembleCitySource } from '../../tiles/import/assembleSource';
import { buildTwin } from '../../tiles/pipeline/index';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import { writeSyntheticCity } from '../fixtures/syntheticCity';
import { REPO_ROOT } from '../support/cliServer';

let root: string;
let twinDir: string;
let app: FastifyInstance;
let buildings: BuildingRecord[];
/** Ids of the buildings the build wrote a file for. */
let withFiles: Set<string>;

async function serveTwin(dir: string): Promise<FastifyInstance> {
  const server = Fastify();
  server.setValidatorCompiler(TypeBoxValidatorCompiler);
  server.setErrorHandler(rootErrorHandler);
  await server.register(twinPlugin, { dir });
  await server.register(interiorsPlugin, { twinDir: dir });
  await server.ready();
  return server;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-interiors-'));
  const city = await writeSyntheticCity(path.join(root, 'source'));
  twinDir = path.join(root, 'twin');
  // A budget of 10 storeys: the first buildings get files, the rest are left to the server.
  await buildTwin({ sourceDir: city.dir, outDir: twinDir, basemapPx: 64, interiorFloors: 10 });
  buildings = JSON.parse(await readFile(path.join(twinDir, 'layers/buildings.json'), 'utf8')) as BuildingRecord[];
  withFiles = new Set((await readdir(path.join(twinDir, 'interiors'))).filter((f) => f.endsWith('.glb')).map((f) => f.slice(0, -4)));
  app = await serveTwin(twinDir);
});

afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('interiors route', () => {
  it('serves a pre-generated interior as written', async () => {
    const withFile = buildings.find((b) => withFiles.has(b.id))!;
    expect(withFile).toBeDefined();
    const res = await app.inject(`/twin/interiors/${encodeURIComponent(withFile.id)}.glb`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('model/gltf-binary');
    expect(res.rawPayload.equals(await readFile(path.join(twinDir, 'interiors', `${withFile.id}.glb`)))).toBe(true);
  });

  it('serves the footprints file itself (the planning tools read it) as JSON', async () => {
    const manifest = JSON.parse(await readFile(path.join(twinDir, 'twin.json'), 'utf8')) as TwinManifest;
    const res = await app.inject({ url: `/twin/${manifest.files.interiorPlans!}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const plans = res.json<Array<{ id: string; polygons: unknown[] }>>();
    expect(plans.map((p) => p.id).sort()).toEqual(buildings.map((b) => b.id).sort());
    expect(plans[0]!.polygons.length).toBeGreaterThan(0);
  });

  it('makes any other interior on demand, byte for byte what the build would write', async () => {
    const plans = await InteriorPlans.open(twinDir);
    const onDemand = buildings.find((b) => !withFiles.has(b.id) && b.interior)!;
    expect(onDemand).toBeDefined();
    const res = await app.inject(`/twin/interiors/${encodeURIComponent(onDemand.id)}.glb`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('glTF');
    expect(res.rawPayload.equals(Buffer.from(plans.glb(onDemand.id)!))).toBe(true);
  });

  it('answers 404 for unknown buildings and paths that try to leave the folder', async () => {
    expect((await app.inject('/twin/interiors/no-such-building.glb')).statusCode).toBe(404);
    // Only the package's own plans file is served besides interiors (the test above); no other JSON.
    expect((await app.inject('/twin/interiors/other.json')).statusCode).toBe(404);
    expect((await app.inject('/twin/interiors/..%2Ftwin.json')).statusCode).toBe(404);
  });
});

describe('an OSM export: ids like way/360099726', () => {
  let dir: string;
  let osm: FastifyInstance;
  let records: BuildingRecord[];
  let manifest: TwinManifest;

  beforeAll(async () => {
    dir = path.join(root, 'osm');
    const { source } = await assembleCitySource({ buildings: path.join(REPO_ROOT, 'test/fixtures/real/osm-district.geojson') });
    // Storeys for the first few buildings' files; the rest are made on demand.
    await buildTwin({ source, outDir: dir, basemapPx: 256, interiorFloors: 20 });
    records = JSON.parse(await readFile(path.join(dir, 'layers/buildings.json'), 'utf8')) as BuildingRecord[];
    manifest = JSON.parse(await readFile(path.join(dir, 'twin.json'), 'utf8')) as TwinManifest;
    osm = await serveTwin(dir);
  });

  afterAll(async () => {
    await osm?.close();
  });

  it('writes the pre-generated ones under their file name, and marks every building that has room for one', async () => {
    expect(records.map((r) => r.id)).toContain('way/360099726');
    expect(records.map((r) => r.id)).toContain('relation/8877665');
    const files = (await readdir(path.join(dir, 'interiors'))).filter((f) => f.endsWith('.glb'));
    expect(files).toContain('way~2F360099726.glb');
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(records.length);
    // Every footprint of the district has room for rooms (the smallest is 6 × 5 m).
    expect(records.filter((r) => !r.interior).map((r) => r.id)).toEqual([]);
  });

  it('serves every building\'s interior at the URL the client asks for: files and made on demand alike', async () => {
    const plans = await InteriorPlans.open(dir);
    for (const r of records) {
      const res = await osm.inject(`/twin/${interiorPath(manifest.files.interiors!, r.id)}`);
      expect(res.statusCode, r.id).toBe(200);
      expect(res.rawPayload.equals(Buffer.from(plans.glb(r.id)!)), r.id).toBe(true);
    }
  });

  it('refuses the raw id, a percent-encoded slash and names that are not the canonical encoding', async () => {
    for (const url of ['/twin/interiors/way/360099726.glb', '/twin/interiors/way%2F360099726.glb', '/twin/interiors/way~2f360099726.glb', '/twin/interiors/~77ay~2F360099726.glb', '/twin/interiors/.glb']) {
      expect((await osm.inject(url)).statusCode, url).toBe(404);
    }
  });
});
