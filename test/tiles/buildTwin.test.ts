/**
 * `buildTwin` end to end on a small synthetic city: the package's files, the 3D Tiles tileset,
 * every glb through the Khronos glTF validator, property tables read back, the report's
 * rejections, twin.json, the vector layers, determinism and the errors a bad source raises.
 */
import { cp, mkdtemp, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnuFrame } from '../../kernel/geodesy';
import type { BuildReport, BuildingRecord, ComponentRecord, PoleRecord, TerminalRecord, TwinManifest } from '../../domain/twinPackage';
import { buildTwin } from '../../tiles/pipeline/index';
import type { TileJson, TilesetJson } from '../../tiles/pipeline/tiling/tileset';
import { SYNTHETIC_CAMERA_POSE, writeSyntheticCity, type SyntheticCity } from '../fixtures/syntheticCity';
import { validateGlb } from '../support/gltfValidator';
import { checkTileset } from '../support/tilesetChecker';
import { parseGlb, readAccessor, readPropertyTable, type ParsedGlb } from './glbReader';


let root: string;
let city: SyntheticCity;
let out: string;
let report: BuildReport;
let twin: TwinManifest;
let tileset: TilesetJson;
const glbs = new Map<string, { bytes: Uint8Array; glb: ParsedGlb }>();
const leafUris = new Set<string>();
const stages = new Set<string>();

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(out, file), 'utf8')) as T;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

function walk(tile: TileJson, visit: (t: TileJson, parent?: TileJson) => void, parent?: TileJson): void {
  visit(tile, parent);
  for (const c of tile.children ?? []) walk(c, visit, tile);
}

function boxMinMax(box: number[]): { min: number[]; max: number[] } {
  const [cx, cy, cz, hx, , , , hy, , , , hz] = box as [number, number, number, number, number, number, number, number, number, number, number, number];
  return { min: [cx - hx, cy - hy, cz - hz], max: [cx + hx, cy + hy, cz + hz] };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-tiles-'));
  city = await writeSyntheticCity(path.join(root, 'source'));
  out = path.join(root, 'twin');
  report = await buildTwin({
    sourceDir: city.dir,
    outDir: out,
    basemapPx: 512,
    // Two threads: the basemap on a worker (the determinism test builds again on one).
    workers: 2,
    // Small tiles, so a few dozen buildings make a real quadtree.
    buildingsPerTile: 8,
    onProgress: (stage) => stages.add(stage),
  });
  twin = await readJson<TwinManifest>('twin.json');
  tileset = await readJson<TilesetJson>(twin.files.buildingsTileset);
  const uris: string[] = [];
  walk(tileset.root, (t) => {
    if (t.content) uris.push(t.content.uri);
    if (t.content && !t.children) leafUris.add(t.content.uri);
  });
  for (const uri of uris) {
    const bytes = new Uint8Array(await readFile(path.join(out, 'buildings', uri)));
    glbs.set(uri, { bytes, glb: parseGlb(bytes) });
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('buildTwin on a synthetic city', () => {
  it('writes the package layout and reports every stage', async () => {
    const files = await listFiles(out);
    for (const f of ['twin.json', 'report.json', 'buildings/tileset.json', 'terrain/layer.json', 'imagery/basemap.png']) {
      expect(files).toContain(f);
    }
    for (const f of Object.values(twin.files)) {
      if (typeof f === 'string' && f !== twin.files.terrain && f !== twin.files.interiors) expect(files).toContain(f);
    }
    expect(files).toContain(twin.files.basemap.image);
    expect([...stages]).toEqual(expect.arrayContaining(['read', 'terrain', 'buildings', 'basemap', 'layers']));
    for (const stage of ['read', 'ground', 'terrain', 'buildings', 'basemap', 'layers', 'total']) {
      expect(report.timingsS[stage]).toBeGreaterThanOrEqual(0);
    }
  });

  it('passes every glb through gltf-validator with zero errors', async () => {
    expect(glbs.size).toBeGreaterThan(1);
    for (const [uri, { bytes }] of glbs) {
      const result = await validateGlb(bytes, uri);
      const errors = result.issues.messages.filter((m) => m.severity === 0);
      expect(errors, `${uri}: ${JSON.stringify(errors.slice(0, 5))}`).toEqual([]);
      // Nothing worse than "unsupported extension" (the validator does not know the 3D Tiles ones).
      const warnings = result.issues.messages.filter((m) => m.severity === 1 && m.code !== 'UNSUPPORTED_EXTENSION');
      expect(warnings, `${uri}: ${JSON.stringify(warnings.slice(0, 5))}`).toEqual([]);
    }
  });

  it('aligns GLB chunks and bufferViews to 8 bytes', () => {
    for (const { glb } of glbs.values()) {
      expect(glb.jsonChunkEnd % 8).toBe(0);
      expect(glb.binStart % 8).toBe(0);
      expect(glb.bin.byteLength % 8).toBe(0);
      for (const v of glb.json.bufferViews!) expect(v.byteOffset % 8).toBe(0);
    }
  });

  it('writes a 3D Tiles 1.1 tileset whose boxes contain children and content, errors decreasing', async () => {
    expect(tileset.asset.version).toBe('1.1');
    const frame = new EnuFrame(twin.center.lon, twin.center.lat, twin.center.height);
    tileset.root.transform!.forEach((v, i) => expect(v).toBeCloseTo(frame.matrix[i]!, 6));
    // Parents hold boxes of their subtree's biggest buildings, which their children replace.
    expect(tileset.root.refine).toBe('REPLACE');
    expect((await checkTileset(path.join(out, twin.files.buildingsTileset))).problems).toEqual([]);
    expect(tileset.geometricError).toBeGreaterThan(tileset.root.geometricError);
    let leaves = 0;
    let inner = 0;
    walk(tileset.root, (t, parent) => {
      if (parent) {
        expect(t.geometricError).toBeLessThan(parent.geometricError);
        const c = boxMinMax(t.boundingVolume.box);
        const p = boxMinMax(parent.boundingVolume.box);
        for (let k = 0; k < 3; k++) {
          expect(c.min[k]).toBeGreaterThanOrEqual(p.min[k]! - 1e-9);
          expect(c.max[k]).toBeLessThanOrEqual(p.max[k]! + 1e-9);
        }
      }
      expect(t.content).toBeDefined();
      if (!t.children) {
        leaves++;
        expect(t.geometricError).toBe(0);
        const { glb } = glbs.get(t.content!.uri)!;
        const b = boxMinMax(t.boundingVolume.box);
        const [tx, ty, tz] = glb.json.nodes![0]!.translation!;
        const pos = readAccessor(glb, glb.json.meshes![0]!.primitives[0]!.attributes.POSITION!);
        for (let i = 0; i < pos.length; i += 3) {
          // glTF y-up (east, up, −north) → tile z-up (east, north, up).
          const enu = [pos[i]! + tx!, -(pos[i + 2]! + tz!), pos[i + 1]! + ty!];
          for (let k = 0; k < 3; k++) {
            expect(enu[k]).toBeGreaterThanOrEqual(b.min[k]!);
            expect(enu[k]).toBeLessThanOrEqual(b.max[k]!);
          }
        }
      }
      if (t.children) {
        inner++;
        expect(t.children.length).toBeGreaterThan(1);
        expect(t.geometricError).toBeGreaterThan(0);
      }
    });
    expect(leaves + inner).toBe(glbs.size);
    expect(inner).toBeGreaterThan(0);
  });

  it('puts each building in exactly one leaf, with the right values per feature id', async () => {
    const records = await readJson<BuildingRecord[]>(twin.files.buildings);
    const byId = new Map(records.map((r) => [r.id, r]));
    const seen = new Map<string, string>();
    for (const [uri, { glb }] of glbs) {
      if (!leafUris.has(uri)) continue;
      const rows = readPropertyTable(glb);
      const prim = glb.json.meshes![0]!.primitives[0]!;
      const features = (prim.extensions!.EXT_mesh_features as { featureIds: Array<{ featureCount: number; attribute: number; propertyTable: number }> }).featureIds;
      expect(features).toEqual([{ featureCount: rows.length, attribute: 0, propertyTable: 0 }]);
      expect(glb.json.extensionsUsed).toEqual(expect.arrayContaining(['EXT_mesh_features', 'EXT_structural_metadata']));
      expect(glb.json.accessors![prim.attributes._FEATURE_ID_0!]!.componentType).toBe(5126);

      const ids = readAccessor(glb, prim.attributes._FEATURE_ID_0!);
      const pos = readAccessor(glb, prim.attributes.POSITION!);
      const ty = glb.json.nodes![0]!.translation![1]!;
      const lowest = new Array<number>(rows.length).fill(Infinity);
      const highest = new Array<number>(rows.length).fill(-Infinity);
      ids.forEach((fid, v) => {
        expect(Number.isInteger(fid) && fid >= 0 && fid < rows.length).toBe(true);
        lowest[fid] = Math.min(lowest[fid]!, pos[3 * v + 1]! + ty);
        highest[fid] = Math.max(highest[fid]!, pos[3 * v + 1]! + ty);
      });
      rows.forEach((row, fid) => {
        const id = row.id as string;
        expect(seen.has(id), `${id} in ${uri} and ${seen.get(id)}`).toBe(false);
        seen.set(id, uri);
        const rec = byId.get(id)!;
        expect(rec, id).toBeDefined();
        expect(row.height).toBeCloseTo(city.buildingHeights.get(id)!, 4);
        expect(row.use).toBe(rec.use);
        expect(row.floors).toBe(rec.floors);
        expect(row.name).toBe(rec.name ?? '');
        expect(row.gridCode).toBe(rec.gridCode ?? '');
        expect(row.groundHeight).toBeCloseTo(rec.groundHeight, 3);
        // The feature's vertices span from its base to its roof (ENU up ≈ height over 400 m).
        expect(lowest[fid]! + twin.center.height).toBeCloseTo(rec.groundHeight, 1);
        expect(highest[fid]! - lowest[fid]!).toBeCloseTo(rec.height, 1);
      });
    }
    expect([...seen.keys()].sort()).toEqual([...city.buildingHeights.keys()].sort());
  });

  it('reports read, written and rejected per layer with index and reason', () => {
    for (const [layer, exp] of Object.entries(city.expected)) {
      const r = report.layers[layer]!;
      expect(r, layer).toBeDefined();
      expect(r.read, layer).toBe(exp.read);
      expect(r.written, layer).toBe(exp.read - exp.rejected.length);
      expect(r.rejected.map((x) => [x.index, x.id]), layer).toEqual(exp.rejected.map((x) => [x.index, x.id]));
      r.rejected.forEach((x, i) => expect(x.reason, `${layer} ${x.id}`).toContain(exp.rejected[i]!.reason));
    }
  });

  it('writes report.json equal to the returned report, and twin.json counts', async () => {
    expect(await readJson<BuildReport>('report.json')).toEqual(report);
    expect(twin.format).toBe('citytwin-twin');
    expect(twin.counts).toEqual({
      buildings: city.buildingHeights.size,
      poles: 6,
      terminals: 12,
      components: 3,
      roads: 3,
      signals: 2,
      gridCells: 4,
      departments: 3,
      // The synthetic city has no emergency resources layer.
      resources: 0,
    });
    expect(twin.bounds.west).toBeLessThan(113.7);
    expect(twin.bounds.east).toBeGreaterThan(113.7);
    expect(twin.center.lon).toBeCloseTo(113.7, 2);
    expect(twin.center.lat).toBeCloseTo(22.83, 2);
    expect(twin.terrainHeights.max).toBeGreaterThan(twin.terrainHeights.min);
  });

  it('gives layers ground heights and links poles to their terminals', async () => {
    const { min, max } = twin.terrainHeights;
    const inRange = (h: number) => Number.isFinite(h) && h >= min - 0.01 && h <= max + 0.01;
    const buildings = await readJson<BuildingRecord[]>(twin.files.buildings);
    expect(buildings.every((b) => inRange(b.groundHeight))).toBe(true);
    // The slope makes bases differ across the district.
    expect(new Set(buildings.map((b) => Math.round(b.groundHeight))).size).toBeGreaterThan(3);
    const poles = await readJson<PoleRecord[]>(twin.files.poles);
    expect(poles.every((p) => inRange(p.groundHeight))).toBe(true);
    expect(poles[0]!.terminalIds).toEqual(['P1-T1', 'P1-T2']);
    const terminals = await readJson<TerminalRecord[]>(twin.files.terminals);
    expect(terminals.find((t) => t.id === 'P1-T2')?.camera).toEqual({
      pose: SYNTHETIC_CAMERA_POSE,
      streams: [{ protocol: 'hls', url: 'http://media.example/live/P1-T2.m3u8' }],
      embedded: false,
    });
    const components = await readJson<ComponentRecord[]>(twin.files.components);
    expect(components.every((c) => inRange(c.groundHeight))).toBe(true);
    const roads = await readJson<{ type: string; features: unknown[] }>(twin.files.roads);
    expect(roads.type).toBe('FeatureCollection');
    expect(roads.features).toHaveLength(3);
    const courtyard = buildings.find((b) => b.id === 'C001')!;
    expect(courtyard.use).toBe('education');
  });

  it('is deterministic: a second build, on one thread where the first used two, writes the same bytes (report timings aside)', async () => {
    const again = path.join(root, 'twin2');
    await buildTwin({ sourceDir: city.dir, outDir: again, basemapPx: 512, buildingsPerTile: 8, workers: 1 });
    const a = await listFiles(out);
    expect(await listFiles(again)).toEqual(a);
    for (const f of a) {
      if (f === 'report.json') continue;
      const [x, y] = await Promise.all([readFile(path.join(out, f)), readFile(path.join(again, f))]);
      expect(x.equals(y), f).toBe(true);
    }
  });
});

describe('buildTwin on bad sources', () => {
  const copySource = async (name: string): Promise<string> => {
    const dir = path.join(root, name);
    await cp(city.dir, dir, { recursive: true });
    return dir;
  };

  it('names city.json and the field when the manifest is bad', async () => {
    const dir = await copySource('bad-manifest');
    const manifest = JSON.parse(await readFile(path.join(dir, 'city.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dir, 'city.json'), JSON.stringify({ ...manifest, demCrs: 'EPSG:999999' }));
    await expect(buildTwin({ sourceDir: dir, outDir: path.join(root, 'out-bad-manifest') })).rejects.toThrow(/city\.json: demCrs/);
    await writeFile(path.join(dir, 'city.json'), JSON.stringify({ ...manifest, layers: { dem: 'dem.asc' } }));
    await expect(buildTwin({ sourceDir: dir, outDir: path.join(root, 'out-bad-manifest') })).rejects.toThrow(/city\.json: layers\.buildings/);
  });

  it('names a missing file', async () => {
    const dir = await copySource('missing-file');
    await rm(path.join(dir, 'roads.geojson'));
    await expect(buildTwin({ sourceDir: dir, outDir: path.join(root, 'out-missing') })).rejects.toThrow(/roads\.geojson: file not found/);
  });

  it('refuses a file over the size bound before reading it', async () => {
    const dir = await copySource('huge-file');
    // Sparse: 501 MiB by its size, no disk used.
    await truncate(path.join(dir, 'roads.geojson'), 501 * 1024 * 1024);
    await expect(buildTwin({ sourceDir: dir, outDir: path.join(root, 'out-huge') })).rejects.toThrow(
      /roads\.geojson: 501 MiB is over the 500 MiB limit/,
    );
  });

  it('names a file that is not GeoJSON', async () => {
    const dir = await copySource('not-geojson');
    await writeFile(path.join(dir, 'poles.geojson'), '{"type":"Feature"}');
    await expect(buildTwin({ sourceDir: dir, outDir: path.join(root, 'out-not-geojson') })).rejects.toThrow(/poles\.geojson: expected a GeoJSON FeatureCollection/);
  });

  it('replaces a package atomically: a failed build leaves the old one whole, a good one keeps foreign files', async () => {
    const dir = path.join(root, 'swap');
    await buildTwin({ sourceDir: city.dir, outDir: dir, basemapPx: 64 });
    const before = await readFile(path.join(dir, 'twin.json'));
    await writeFile(path.join(dir, 'notes.txt'), 'kept');
    // Fails in the basemap stage, on its worker thread, while terrain and tiles go to the staging
    // folder; then on this thread.
    await expect(buildTwin({ sourceDir: city.dir, outDir: dir, basemapPx: -5, workers: 2 })).rejects.toThrow(/basemap size must be integers/);
    await expect(buildTwin({ sourceDir: city.dir, outDir: dir, basemapPx: -5, workers: 1 })).rejects.toThrow(/basemap size must be integers/);
    expect((await readFile(path.join(dir, 'twin.json'))).equals(before)).toBe(true);
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('kept');
    expect((await readdir(root)).filter((e) => e.startsWith('.swap.building-'))).toEqual([]);
    await buildTwin({ sourceDir: city.dir, outDir: dir, basemapPx: 32 });
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('kept');
    expect((await listFiles(dir)).filter((f) => f.startsWith('imagery/'))).toEqual(['imagery/basemap.png']);
    expect((await readdir(root)).filter((e) => e.startsWith('.swap.building-'))).toEqual([]);
  });

  it('refuses a worker count that is not a whole number ≥ 1', async () => {
    await expect(buildTwin({ sourceDir: city.dir, outDir: path.join(root, 'out-workers'), workers: 0 })).rejects.toThrow(/workers must be an integer ≥ 1/);
    await expect(buildTwin({ sourceDir: city.dir, outDir: path.join(root, 'out-workers'), workers: 1.5 })).rejects.toThrow(/workers must be an integer ≥ 1/);
  });

  it('refuses to write into a non-empty folder that is not a package', async () => {
    const dir = path.join(root, 'someone-else');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'thesis.docx'), 'precious');
    await expect(buildTwin({ sourceDir: city.dir, outDir: dir })).rejects.toThrow(/not empty/);
    expect(await readFile(path.join(dir, 'thesis.docx'), 'utf8')).toBe('precious');
  });
});
