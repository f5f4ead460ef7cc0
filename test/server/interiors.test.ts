/**
 * L5 interiors served at /twin/interiors/{id}.glb: a pre-generated file as it is on disk, any
 * other building's interior made on demand with the same bytes the build would have written,
 * unknown ids and path tricks refused.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRecord } from '../../domain/twinPackage';
import { rootErrorHandler } from '../../server/errors';
import interiorsPlugin from '../../server/twin/interiors';
import twinPlugin from '../../server/twin/plugin';
import { buildTwin } from '../../tiles/pipeline/index';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import { writeSyntheticCity } from '../fixtures/syntheticCity';

let root: string;
let twinDir: string;
let app: FastifyInstance;
let buildings: BuildingRecord[];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-interiors-'));
  const city = await writeSyntheticCity(path.join(root, 'source'));
  twinDir = path.join(root, 'twin');
  // A budget of 10 storeys: the first buildings get files, the rest are left to the server.
  await buildTwin({ sourceDir: city.dir, outDir: twinDir, basemapPx: 64, interiorFloors: 10 });
  buildings = JSON.parse(await readFile(path.join(twinDir, 'layers/buildings.json'), 'utf8')) as BuildingRecord[];
  app = Fastify();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(rootErrorHandler);
  await app.register(twinPlugin, { dir: twinDir });
  await app.register(interiorsPlugin, { twinDir });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('interiors route', () => {
  it('serves a pre-generated interior as written', async () => {
    const withFile = buildings.find((b) => b.interior)!;
    expect(withFile).toBeDefined();
    const res = await app.inject(`/twin/interiors/${encodeURIComponent(withFile.id)}.glb`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('model/gltf-binary');
    expect(res.rawPayload.equals(await readFile(path.join(twinDir, 'interiors', `${withFile.id}.glb`)))).toBe(true);
  });

  it('makes any other interior on demand, byte for byte what the build would write', async () => {
    const plans = await InteriorPlans.open(twinDir);
    const onDemand = buildings.find((b) => !b.interior && plans.glb(b.id))!;
    expect(onDemand).toBeDefined();
    const res = await app.inject(`/twin/interiors/${encodeURIComponent(onDemand.id)}.glb`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('glTF');
    expect(res.rawPayload.equals(Buffer.from(plans.glb(onDemand.id)!))).toBe(true);
  });

  it('answers 404 for unknown buildings and paths that try to leave the folder', async () => {
    expect((await app.inject('/twin/interiors/no-such-building.glb')).statusCode).toBe(404);
    expect((await app.inject('/twin/interiors/plans.json')).statusCode).toBe(404);
    expect((await app.inject('/twin/interiors/..%2Ftwin.json')).statusCode).toBe(404);
  });
});
