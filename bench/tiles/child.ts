/**
 * bench:tiles child: runs one case (./cases.ts) in a fresh process, so that its time and its
 * peak memory are its own — no earlier case's heap, JIT or garbage in them — and answers once.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LayerReport } from '../../domain/twinPackage';
import { EnuFrame } from '../../kernel/geodesy';
import { parseAsciiGrid } from '../../kernel/raster/asciiGrid';
import { buildBuildingTiles } from '../../tiles/pipeline/buildings/index';
import { buildComponentTiles } from '../../tiles/pipeline/components/index';
import { componentInstances } from '../../tiles/pipeline/components/instances';
import { placeBuildings, placePoints } from '../../tiles/pipeline/ground';
import { buildTwin } from '../../tiles/pipeline/index';
import { sampleTerrainHeight, terrainBounds } from '../../tiles/pipeline/terrain/index';
import { BUILDINGS, COMPONENTS } from '../../tiles/source/layerValidators';
import { readFeatureLayer } from '../../tiles/source/readCitySource';
import { BUILDINGS_FILE, COMPONENTS_FILE, DEM_CRS, DEM_FILE, type CaseResult, type FromChild, type TilesCase, type ToChild } from './cases';

const send = (m: FromChild): void => void process.send!(m);

async function run(spec: TilesCase): Promise<CaseResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { items, bytes, timingsS } = await work(spec);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // maxRSS is in kilobytes (KiB).
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  return { items, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB, bytes, ...(timingsS ? { timingsS } : {}) };
}

async function work(spec: TilesCase): Promise<{ items: number; bytes: number; timingsS?: Record<string, number> }> {
  if (spec.kind === 'parse') {
    const doc = JSON.parse(await readFile(spec.file, 'utf8')) as { features: unknown[] };
    return { items: doc.features.length, bytes: 0 };
  }
  if (spec.kind === 'demo') {
    const report = await buildTwin({ sourceDir: spec.sourceDir, outDir: spec.outDir, workers: spec.workers });
    const items = Object.values(report.layers).reduce((n, l) => n + l.read, 0);
    return { items, bytes: await folderBytes(spec.outDir), timingsS: report.timingsS };
  }
  const dem = parseAsciiGrid(await readFile(path.join(spec.sourceDir, DEM_FILE), 'utf8'), DEM_FILE);
  const sample = sampleTerrainHeight(dem, DEM_CRS);
  const b = terrainBounds(dem, DEM_CRS);
  const frame = new EnuFrame((b.west + b.east) / 2, (b.south + b.north) / 2, 0);
  const report: LayerReport = { read: 0, written: 0, rejected: [] };
  if (spec.kind === 'buildings') {
    const features = await readFeatureLayer(spec.sourceDir, BUILDINGS_FILE, BUILDINGS, report);
    const buildings = placeBuildings(features, sample, report);
    const r = await buildBuildingTiles({ buildings, frame, outDir: path.join(spec.outDir, 'l2'), architectureDir: spec.architecture ? path.join(spec.outDir, 'l3') : undefined });
    checkAllPlaced(report);
    return { items: report.read, bytes: r.bytes + r.architectureBytes };
  }
  const features = await readFeatureLayer(spec.sourceDir, COMPONENTS_FILE, COMPONENTS, report);
  const components = placePoints(features, sample, report, (p) => p.code);
  const instances = componentInstances({ components, poles: [], signals: [], terminals: [], roads: [], componentClasses: [] });
  const r = await buildComponentTiles({ instances, frame, outDir: spec.outDir });
  checkAllPlaced(report);
  return { items: report.read, bytes: r.bytes };
}

/** A benchmark input that loses features measures less work than it claims. */
function checkAllPlaced(report: LayerReport): void {
  if (report.rejected.length > 0) throw new Error(`${report.rejected.length} of ${report.read} features rejected, first: ${report.rejected[0]!.reason}`);
}

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { recursive: true })) {
    const s = await stat(path.join(dir, e));
    if (s.isFile()) n += s.size;
  }
  return n;
}

process.on('message', (m: ToChild) => {
  if (m.type === 'stop') process.exit(0);
  run(m.spec).then(
    (result) => send({ type: 'result', result }),
    (err: Error) => send({ type: 'failed', error: err.stack ?? err.message }),
  );
});
