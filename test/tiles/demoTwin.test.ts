/**
 * The demo city through the whole pipeline, as `npm start` runs it: generate (seed 42) → tile.
 * Every glb of the real package passes the Khronos validator, nothing the generator writes is
 * rejected, and the package holds what the skeleton promises (≥ 5,000 buildings, ≥ 1,000 poles).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildReport, BuildingRecord, PoleRecord, TerminalRecord, TwinManifest } from '../../domain/twinPackage';
import { buildTwin } from '../../tiles/pipeline/index';
import { generateDemoCity, type DemoSummary } from '../../demo/index';
import { glbProblems } from '../support/gltfValidator';
import { checkTileset } from '../support/tilesetChecker';
import { isDemoTwin } from '../../server/staffSim/enabled';
import { parseGlb, readPropertyTable } from './glbReader';

let root: string;
let twinDir: string;
let summary: DemoSummary;
let report: BuildReport;

const readJson = async <T>(rel: string): Promise<T> => JSON.parse(await readFile(path.join(twinDir, rel), 'utf8')) as T;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-demo-twin-'));
  twinDir = path.join(root, 'twin');
  summary = await generateDemoCity({ seed: 42, outDir: path.join(root, 'source') });
  report = await buildTwin({ sourceDir: path.join(root, 'source'), outDir: twinDir, basemapPx: 1024 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demo twin package', () => {
  it('tiles everything the generator wrote, rejecting nothing', () => {
    for (const [layer, r] of Object.entries(report.layers)) {
      expect(r.rejected, `${layer}: ${JSON.stringify(r.rejected.slice(0, 3))}`).toEqual([]);
      expect(r.written, layer).toBe(r.read);
    }
  });

  it('holds the district the skeleton promises', async () => {
    const twin = await readJson<TwinManifest>('twin.json');
    // The demo city's marker (simulated staff by default, docs/staff-sim.md) survives the tiler.
    expect(isDemoTwin(twin)).toBe(true);
    expect(twin.generator?.seed).toBe(42);
    expect(twin.counts.buildings).toBe(summary.counts.buildings);
    expect(twin.counts.buildings).toBeGreaterThanOrEqual(5000);
    expect(twin.counts.poles).toBeGreaterThanOrEqual(1000);
    expect(twin.counts.terminals).toBe(summary.counts.terminals);
    const poles = await readJson<PoleRecord[]>(twin.files.poles);
    const terminals = await readJson<TerminalRecord[]>(twin.files.terminals);
    // Every pole stands on the terrain and carries its terminals, a lamp controller at least.
    const lamps = new Set(terminals.filter((t) => t.type === 'lamp').map((t) => t.poleId));
    for (const pole of poles) {
      expect(Number.isFinite(pole.groundHeight)).toBe(true);
      expect(lamps.has(pole.id), pole.id).toBe(true);
    }
    const layer = await readJson<{ format: string; available: unknown[][] }>(`${twin.files.terrain}/layer.json`);
    expect(layer.format).toBe('quantized-mesh-1.0');
    expect(layer.available.length).toBeGreaterThan(14);
  });

  it('writes L2, L3 and L4 glbs that all pass gltf-validator', async () => {
    for (const level of ['buildings', 'architecture', 'components']) {
      const dir = path.join(twinDir, level);
      const glbs = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.glb'));
      expect(glbs.length, level).toBeGreaterThan(level === 'components' ? 0 : 8);
      for (const file of glbs) {
        const problems = await glbProblems(await readFile(path.join(dir, file)), file);
        expect(problems, `${level}/${file}: ${JSON.stringify(problems.slice(0, 3))}`).toEqual([]);
      }
    }
  });

  it('passes the tileset checker on L2, L3 and L4, every component drawn', async () => {
    const twin = await readJson<TwinManifest>('twin.json');
    for (const file of [twin.files.buildingsTileset, twin.files.architectureTileset!, twin.files.componentsTileset!]) {
      const summary = await checkTileset(path.join(twinDir, file));
      expect(summary.problems.slice(0, 5), file).toEqual([]);
      expect(summary.maxDepth, file).toBeGreaterThan(0);
    }
    // Poles, components and signals all have a model, plus the cameras on poles.
    const cameras = (await readJson<TerminalRecord[]>(twin.files.terminals)).filter((t) => t.type === 'camera' || t.type === 'traffic-camera').length;
    expect(report.levels!.components!.instances).toBe(twin.counts.poles + twin.counts.components + twin.counts.signals + cameras);
  });

  it('tiles the underground networks in under 5 s, valid, at their depth and with their attributes', async () => {
    const twin = await readJson<TwinManifest>('twin.json');
    // The goal for the demo city's pipes stage (report.json's own timing).
    expect(report.timingsS.pipes).toBeLessThan(5);
    const summary = await checkTileset(path.join(twinDir, twin.files.pipesTileset!));
    expect(summary.problems.slice(0, 5)).toEqual([]);
    const dir = path.join(twinDir, path.dirname(twin.files.pipesTileset!));
    const glbs = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.glb'));
    expect(glbs.length).toBe(report.levels!.pipes!.contents);
    for (const file of glbs) {
      const problems = await glbProblems(await readFile(path.join(dir, file)), file);
      expect(problems, `pipes/${file}: ${JSON.stringify(problems.slice(0, 3))}`).toEqual([]);
    }
    // Every pipe, line, manhole and outfall of the source is in some leaf, with the source's attributes.
    const source = JSON.parse(await readFile(path.join(root, 'source', 'drainage-pipes.geojson'), 'utf8')) as { features: Array<{ properties: { id: string; fromInvert: number; toInvert: number; network: string } }> };
    const rows = new Map<string, Record<string, unknown>>();
    // A copy: Node Buffers share pooled memory, and the reader decodes from whole ArrayBuffers.
    for (const file of glbs) for (const row of readPropertyTable(parseGlb(new Uint8Array(await readFile(path.join(dir, file)))))) rows.set(String(row.id), row);
    expect(rows.size).toBe(report.levels!.pipes!.features);
    for (const f of source.features.filter((_, i) => i % 50 === 0)) {
      const row = rows.get(f.properties.id)!;
      expect(row, f.properties.id).toMatchObject({ network: f.properties.network, kind: 'pipe' });
      expect(row.fromInvert as number).toBeCloseTo(f.properties.fromInvert, 3);
      expect(row.toInvert as number).toBeCloseTo(f.properties.toInvert, 3);
    }
    const records = await readJson<Array<{ id: string; axis: number[][]; heightM: number }>>(twin.files.pipes!);
    expect(records.length).toBe(report.layers.drainagePipes!.written + report.layers.utilityLines!.written);
  });

  it('pre-generates interiors within the storey budget, valid, and plans for every building', async () => {
    const twin = await readJson<TwinManifest>('twin.json');
    const records = await readJson<BuildingRecord[]>(twin.files.buildings);
    const files = new Set((await readdir(path.join(twinDir, 'interiors'))).filter((f) => f.endsWith('.glb')).map((f) => f.slice(0, -4)));
    const withInterior = records.filter((r) => files.has(r.id));
    expect(withInterior.length).toBe(files.size);
    expect(withInterior.length).toBeGreaterThan(100);
    expect(withInterior.reduce((n, r) => n + r.floors, 0)).toBeLessThanOrEqual(2_000);
    // Files or not, the index marks the buildings that have an interior (made on demand by the server).
    expect(records.filter((r) => r.interior).length).toBeGreaterThan(withInterior.length);
    // A sample across the list, every twentieth.
    for (const r of withInterior.filter((_, i) => i % 20 === 0)) {
      const file = twin.files.interiors!.replace('{buildingId}', r.id);
      const problems = await glbProblems(await readFile(path.join(twinDir, file)), file);
      expect(problems, `${file}: ${JSON.stringify(problems.slice(0, 3))}`).toEqual([]);
    }
    const plans = await readJson<unknown[]>(twin.files.interiorPlans!);
    expect(plans).toHaveLength(records.length);
  });
});
