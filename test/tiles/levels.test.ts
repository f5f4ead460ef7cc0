/**
 * L3 architecture, L4 components and L5 interiors of a package built from the synthetic city:
 * every glb through the Khronos validator, every tileset through the project's checker, and
 * metadata and instance attributes read back with glTF-Transform as they were written.
 */
import { Logger, NodeIO, type Document } from '@gltf-transform/core';
import {
  EXTMeshFeatures,
  EXTMeshGPUInstancing,
  EXTStructuralMetadata,
  type Features,
  type InstancedMesh,
  type PropertyTable,
  type StructuralMetadata,
} from '@gltf-transform/extensions';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnuFrame } from '../../kernel/geodesy';
import type { BuildingRecord, ComponentRecord, PoleRecord, TwinManifest } from '../../domain/twinPackage';
import { buildTwin } from '../../tiles/pipeline/index';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import type { TileJson, TilesetJson } from '../../tiles/pipeline/tiling/tileset';
import { writeSyntheticCity, type SyntheticCity } from '../fixtures/syntheticCity';
import { glbProblems } from '../support/gltfValidator';
import { checkTileset } from '../support/tilesetChecker';

let root: string;
let out: string;
let city: SyntheticCity;
let twin: TwinManifest;
// glTF-Transform has no EXT_instance_features (optional, read by hand here): keep its notice quiet.
const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.ERROR)).registerExtensions([EXTStructuralMetadata, EXTMeshFeatures, EXTMeshGPUInstancing]);

const readJson = async <T>(rel: string): Promise<T> => JSON.parse(await readFile(path.join(out, rel), 'utf8')) as T;

function leaves(tile: TileJson, acc: string[] = []): string[] {
  if (!tile.children && tile.content) acc.push(tile.content.uri);
  for (const c of tile.children ?? []) leaves(c, acc);
  return acc;
}

/** A property table's rows decoded from the bytes glTF-Transform read (strings, enums by name, scalars). */
function tableRows(doc: Document): Array<Record<string, string | number>> {
  const meta = doc.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata')!;
  const schema = meta.getSchema()!;
  const table: PropertyTable = meta.listPropertyTables()[0]!;
  const cls = schema.getClass(table.getClass())!;
  const rows = Array.from({ length: table.getCount() }, () => ({}) as Record<string, string | number>);
  for (const key of table.listPropertyKeys()) {
    const prop = table.getProperty(key)!;
    const def = cls.getProperty(key)!;
    const bytes = prop.getValues();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offsets = prop.getStringOffsets();
    const offsetView = offsets ? new DataView(offsets.buffer, offsets.byteOffset, offsets.byteLength) : undefined;
    rows.forEach((row, i) => {
      switch (def.getType()) {
        case 'STRING':
          row[key] = new TextDecoder().decode(bytes.subarray(offsetView!.getUint32(4 * i, true), offsetView!.getUint32(4 * i + 4, true)));
          break;
        case 'ENUM': {
          const e = schema.getEnum(def.getEnumType()!)!;
          const code = e.getValueType() === 'UINT8' ? view.getUint8(i) : view.getUint16(2 * i, true);
          row[key] = e.listValues().find((v) => v.getValue() === code)!.getName();
          break;
        }
        default: {
          const t = def.getComponentType();
          row[key] = t === 'FLOAT32' ? view.getFloat32(4 * i, true) : t === 'UINT16' ? view.getUint16(2 * i, true) : t === 'UINT8' ? view.getUint8(i) : view.getUint32(4 * i, true);
        }
      }
    });
  }
  return rows;
}

async function allGlbs(dir: string): Promise<string[]> {
  return (await readdir(path.join(out, dir), { recursive: true })).filter((f) => f.endsWith('.glb')).map((f) => path.join(dir, f));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-levels-'));
  city = await writeSyntheticCity(path.join(root, 'source'));
  out = path.join(root, 'twin');
  await buildTwin({ sourceDir: city.dir, outDir: out, basemapPx: 256, buildingsPerTile: 8, componentsPerTile: 4 });
  twin = await readJson<TwinManifest>('twin.json');
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the package lists L3, L4 and L5', () => {
  it('names the tilesets and the interior template in twin.json', () => {
    expect(twin.files.architectureTileset).toBe('architecture/tileset.json');
    expect(twin.files.componentsTileset).toBe('components/tileset.json');
    expect(twin.files.interiors).toBe('interiors/{buildingId}.glb');
  });

  it('passes the tileset checker: errors decreasing, bounds nested, content inside, URIs resolving', async () => {
    for (const file of [twin.files.buildingsTileset, twin.files.architectureTileset!, twin.files.componentsTileset!]) {
      const summary = await checkTileset(path.join(out, file));
      expect(summary.problems, file).toEqual([]);
      expect(summary.contents, file).toBe(summary.tiles);
      expect(summary.maxDepth, file).toBeGreaterThan(0);
      const ts = await readJson<TilesetJson>(file);
      expect(ts.root.refine).toBe('REPLACE');
    }
  });

  it('writes only glbs the Khronos validator accepts', async () => {
    const files = [...(await allGlbs('architecture')), ...(await allGlbs('components')), ...(await allGlbs('interiors'))];
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const problems = await glbProblems(new Uint8Array(await readFile(path.join(out, file))), file);
      expect(problems, `${file}: ${JSON.stringify(problems.slice(0, 3))}`).toEqual([]);
    }
  });
});

describe('L3 architecture', () => {
  it('gives every building, once over the leaves, its properties, a roof and textured facades', async () => {
    const ts = await readJson<TilesetJson>(twin.files.architectureTileset!);
    const records = new Map((await readJson<BuildingRecord[]>(twin.files.buildings)).map((r) => [r.id, r]));
    const seen = new Set<string>();
    const shapes = new Set<string | number>();
    for (const uri of leaves(ts.root)) {
      const doc = await io.readBinary(new Uint8Array(await readFile(path.join(out, 'architecture', uri))));
      const rows = tableRows(doc);
      for (const row of rows) {
        const rec = records.get(row.id as string)!;
        expect(seen.has(rec.id)).toBe(false);
        seen.add(rec.id);
        expect(row.use).toBe(rec.use);
        expect(row.floors).toBe(rec.floors);
        expect(row.lod2).toBe(0);
        shapes.add(row.roofShape!);
      }
      const prims = doc.getRoot().listMeshes()[0]!.listPrimitives();
      // Facade textures are embedded PNGs; every primitive carries feature ids into the table.
      const textures = doc.getRoot().listTextures();
      expect(textures.length).toBeGreaterThan(0);
      for (const t of textures) {
        expect(t.getMimeType()).toBe('image/png');
        expect(t.getURI()).toBe('');
      }
      for (const prim of prims) {
        expect(prim.getAttribute('TEXCOORD_0')).not.toBeNull();
        const features = prim.getExtension<Features>('EXT_mesh_features')!;
        expect(features.listFeatureIDs()[0]!.getFeatureCount()).toBe(rows.length);
        const ids = prim.getAttribute('_FEATURE_ID_0')!.getArray()!;
        expect(Math.max(...ids)).toBeLessThan(rows.length);
      }
    }
    expect([...seen].sort()).toEqual([...city.buildingHeights.keys()].sort());
    // The synthetic city's rectangles of different uses and sizes get pitched and flat roofs.
    expect(shapes.has('flat')).toBe(true);
    expect([...shapes].some((s) => s !== 'flat')).toBe(true);
  });
});

describe('L4 components', () => {
  it('instances every pole, component, signal and camera once, where the layers put them', async () => {
    const ts = await readJson<TilesetJson>(twin.files.componentsTileset!);
    const frame = new EnuFrame(twin.center.lon, twin.center.lat, twin.center.height);
    const poles = new Map((await readJson<PoleRecord[]>(twin.files.poles)).map((p) => [p.id, p]));
    const components = new Map((await readJson<ComponentRecord[]>(twin.files.components)).map((c) => [c.code, c]));
    const found = new Map<string, string>();
    for (const uri of leaves(ts.root)) {
      const doc = await io.readBinary(new Uint8Array(await readFile(path.join(out, 'components', uri))));
      const rows = tableRows(doc);
      for (const node of doc.getRoot().listNodes()) {
        const inst = node.getExtension<InstancedMesh>('EXT_mesh_gpu_instancing')!;
        expect(inst).not.toBeNull();
        const t = inst.getAttribute('TRANSLATION')!;
        const r = inst.getAttribute('ROTATION')!;
        const s = inst.getAttribute('SCALE')!;
        const fid = inst.getAttribute('_FEATURE_ID_0')!;
        const [nx, ny, nz] = node.getTranslation();
        for (let k = 0; k < t.getCount(); k++) {
          const row = rows[fid.getScalar(k)]!;
          expect(row.model).toBe(node.getName());
          expect(found.has(row.id as string)).toBe(false);
          found.set(row.id as string, row.model as string);
          const q = r.getElement(k, [0, 0, 0, 0]);
          expect(Math.hypot(...q)).toBeCloseTo(1, 5);
          const [x, y, z] = t.getElement(k, [0, 0, 0]);
          // Back from glTF y-up to ENU, then to the layer's lon/lat.
          const enu = [x! + nx, -(z! + nz), y! + ny];
          const pole = poles.get(row.id as string);
          const comp = components.get(row.id as string);
          if (pole && row.model === 'street-lamp') {
            const want = frame.fromGeodetic(pole.lon, pole.lat, pole.groundHeight);
            [0, 1, 2].forEach((i) => expect(enu[i]).toBeCloseTo(want[i]!, 1));
            expect(s.getElement(k, [0, 0, 0])[1]).toBeCloseTo(pole.heightM / 10, 5);
            expect(row.classCode).toBe('0118');
          }
          if (comp) {
            const want = frame.fromGeodetic(comp.lon, comp.lat, comp.groundHeight);
            [0, 1, 2].forEach((i) => expect(enu[i]).toBeCloseTo(want[i]!, 1));
            expect(row.classCode).toBe(comp.classCode);
            expect(row.groundHeight).toBeCloseTo(comp.groundHeight, 2);
          }
        }
      }
    }
    for (const id of poles.keys()) expect(found.get(id)).toBe('street-lamp');
    for (const code of components.keys()) expect(found.has(code)).toBe(true);
    // Covers and hydrants by class; signals S1, S2; cameras on P1, P5, P6.
    expect(found.get('4419000101000001')).toBe('manhole-cover');
    expect(found.get('4419000114000001')).toBe('hydrant');
    expect(found.get('S1')).toBe('traffic-signal');
    expect([...found].filter(([, m]) => m === 'camera').map(([id]) => id).sort()).toEqual(['P1-T2', 'P5-T2', 'P6-T2']);
    expect(found.size).toBe(3 + 6 + 2 + 3);
  });
});

describe('L5 interiors', () => {
  it('writes an interior per building with floors, rooms and a core, areas adding up to the footprint', async () => {
    const records = await readJson<BuildingRecord[]>(twin.files.buildings);
    expect(records.every((r) => r.interior === true)).toBe(true);
    // B000: a 30 m × 20 m residential block, 4 floors.
    const file = twin.files.interiors!.replace('{buildingId}', 'B000');
    const doc = await io.readBinary(new Uint8Array(await readFile(path.join(out, file))));
    const rows = tableRows(doc);
    const floors = new Set(rows.map((r) => r.floor));
    expect([...floors].sort()).toEqual([0, 1, 2, 3]);
    for (const f of floors) {
      const onFloor = rows.filter((r) => r.floor === f);
      const area = onFloor.reduce<number>((sum, r) => sum + (r.areaM2 as number), 0);
      expect(area).toBeCloseTo(600, -1);
      expect(onFloor.filter((r) => r.use === 'core')).toHaveLength(1);
      expect(onFloor.filter((r) => r.use === 'apartment').length).toBeGreaterThanOrEqual(3);
      expect(onFloor.every((r) => r.buildingId === 'B000' && r.elevationM === Math.round(Number(f) * 300) / 100)).toBe(true);
    }
    expect(new Set(rows.map((r) => r.roomId)).size).toBe(rows.length);
    // One node per storey, floor-1 at the ground; together they span the building's height
    // (glTF y up, origin on its ground), each storey within its own.
    const nodes = doc.getRoot().listNodes();
    expect(nodes.map((n) => n.getName())).toEqual(['floor-1', 'floor-2', 'floor-3', 'floor-4']);
    nodes.forEach((node, k) => {
      const pos = node.getMesh()!.listPrimitives()[0]!.getAttribute('POSITION')!;
      expect(pos.getMin([0, 0, 0])[1]).toBeGreaterThanOrEqual(3 * k);
      expect(pos.getMax([0, 0, 0])[1]).toBeLessThanOrEqual(3 * (k + 1));
    });
  });

  it('makes any building’s interior on demand from plans.json, byte for byte what the build wrote', async () => {
    const plans = await InteriorPlans.open(out);
    expect(plans.size).toBe(city.buildingHeights.size);
    for (const id of ['B000', 'L001', 'C001', 'M001']) {
      const file = new Uint8Array(await readFile(path.join(out, twin.files.interiors!.replace('{buildingId}', id))));
      const made = plans.glb(id)!;
      expect(Buffer.from(made).equals(Buffer.from(file)), id).toBe(true);
      expect(await glbProblems(made, id)).toEqual([]);
    }
    expect(plans.glb('NO-SUCH-BUILDING')).toBeUndefined();
  });

  it('writes no interior files beyond the storey budget, yet marks every building the server can make one for', async () => {
    const dir = path.join(root, 'budget');
    const report = await buildTwin({ sourceDir: city.dir, outDir: dir, basemapPx: 64, interiorFloors: 10 });
    const records = JSON.parse(await readFile(path.join(dir, 'layers/buildings.json'), 'utf8')) as BuildingRecord[];
    const files = new Set((await readdir(path.join(dir, 'interiors'))).filter((f) => f.endsWith('.glb')).map((f) => f.slice(0, -4)));
    const withFiles = records.filter((r) => files.has(r.id));
    const floors = withFiles.reduce((n, r) => n + r.floors, 0);
    expect(withFiles.length).toBeGreaterThan(0);
    expect(withFiles.length).toBe(files.size);
    expect(floors).toBeLessThanOrEqual(10);
    expect(report.levels!.interiors!.skipped).toBe(records.length - withFiles.length);
    // The rest are made on demand from plans.json: each marked record has its interior there.
    const plans = await InteriorPlans.open(dir);
    expect(records.filter((r) => r.interior).length).toBe(records.length);
    for (const r of records) expect(plans.glb(r.id), r.id).toBeDefined();
  });
});
