/**
 * `npm run bench -- ifc`: the IFC import's rate in elements per second on buildingSMART's Duplex
 * Apartment (test/fixtures/real/duplex.ifc.gz: 21 rooms, 215 elements, 27 k triangles), and its
 * overhead over web-ifc itself. Three timings per round, in the same process and order:
 *   - baseline: web-ifc alone — open the model, stream every element's and space's meshes and
 *     copy their vertex and index arrays out of WebAssembly, close it: what any web-ifc importer
 *     has to do to get the same geometry;
 *   - read: readIfc (the above plus placements applied, z-up, storeys, property sets, checks);
 *   - import: read + the L5 interior glb + the L3 shell surfaces (what `tiles build --ifc` adds
 *     to a build, less the disk).
 * The median of ROUNDS rounds is reported; the ratio import ÷ baseline is our overhead.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { IFCSPACE } from 'web-ifc';
import { ifcApi } from '../tiles/import/ifc/ifcApi';
import { bimBuildingId, bimShellSurfaces, type BimBuilding } from '../tiles/import/ifc/ifcBuilding';
import { readIfc } from '../tiles/import/ifc/readIfc';
import { bimInteriorGlb } from '../tiles/pipeline/interiors/bimInteriorGlb';
import { loadAvg1m, machineInfo } from './support/machine';
import { writeResults } from './support/results';
import { median, round } from './support/stats';
import { table } from './support/table';
import { verdict, verdictLine } from './support/verdict';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/real/duplex.ifc.gz', import.meta.url));
const ROUNDS = 7;
/**
 * Goal: the import costs at most 3× what web-ifc itself spends streaming the same meshes — the
 * part no web-ifc importer avoids; the rest (placements, property sets, glb, shell) is ours.
 * A ratio, so a shared machine's load moves both sides alike; elements/s are printed beside it.
 */
const GOAL_OVERHEAD = 3;

/** web-ifc's own work: open, stream all meshes (elements, then spaces), copy the arrays out, close. */
async function webIfcAlone(bytes: Uint8Array): Promise<number> {
  const api = await ifcApi();
  const model = api.OpenModel(bytes);
  let triangles = 0;
  let floats = 0;
  const copy = (mesh: { geometries: { size(): number; get(i: number): { geometryExpressID: number } } }): void => {
    for (let g = 0; g < mesh.geometries.size(); g++) {
      const geometry = api.GetGeometry(model, mesh.geometries.get(g).geometryExpressID);
      const verts = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize()).slice();
      const index = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize()).slice();
      // The copies are what an importer keeps; counting them keeps them from being optimised away.
      triangles += index.length / 3;
      floats += verts.length;
      geometry.delete();
    }
  };
  api.StreamAllMeshes(model, copy);
  const spaces = api.GetLineIDsWithType(model, IFCSPACE);
  const ids: number[] = [];
  for (let i = 0; i < spaces.size(); i++) ids.push(spaces.get(i));
  api.StreamMeshes(model, ids, copy);
  api.CloseModel(model);
  if (floats === 0) throw new Error('web-ifc streamed no vertices');
  return triangles;
}

export async function runIfcBench(log: (line: string) => void): Promise<unknown> {
  const machine = machineInfo();
  const bytes = new Uint8Array(gunzipSync(await readFile(FIXTURE)));
  const timings = { baseline: [] as number[], read: [] as number[], import: [] as number[] };
  let elements = 0;
  let triangles = 0;
  let glbBytes = 0;
  // One warm-up round (WebAssembly instantiation, JIT), then ROUNDS timed ones.
  for (let r = 0; r <= ROUNDS; r++) {
    let t = performance.now();
    triangles = await webIfcAlone(bytes);
    const baseline = performance.now() - t;
    t = performance.now();
    const model = await readIfc(bytes, 'duplex.ifc');
    const read = performance.now() - t;
    const bim: BimBuilding = { buildingId: bimBuildingId(model), model, placement: { lon: 102.71, lat: 25.04, headingDeg: 30 } };
    const glb = bimInteriorGlb(bim, { id: bim.buildingId, lon: 102.71, lat: 25.04, groundHeight: 0 });
    bimShellSurfaces(bim, 0);
    const full = performance.now() - t;
    elements = glb.elements;
    glbBytes = glb.glb.byteLength;
    if (r === 0) continue;
    timings.baseline.push(baseline);
    timings.read.push(read);
    timings.import.push(full);
  }
  const ms = { baseline: median(timings.baseline), read: median(timings.read), import: median(timings.import) };
  const rate = (t: number): number => elements / (t / 1000);
  log(`ifc: Duplex Apartment (IFC2X3), ${elements} elements (21 rooms), ${triangles.toLocaleString('en')} triangles, interior glb ${(glbBytes / 1024).toFixed(0)} KiB; median of ${ROUNDS} rounds`);
  for (const line of table(
    ['stage', 'ms', 'elements/s', '× web-ifc'],
    [
      ['web-ifc alone (baseline)', round(ms.baseline, 0), round(rate(ms.baseline), 0), '1.00×'],
      ['readIfc', round(ms.read, 0), round(rate(ms.read), 0), `${(ms.read / ms.baseline).toFixed(2)}×`],
      ['import (read + L5 glb + L3 shell)', round(ms.import, 0), round(rate(ms.import), 0), `${(ms.import / ms.baseline).toFixed(2)}×`],
    ],
  ))
    log(`  ${line}`);
  const importRate = rate(ms.import);
  const overhead = ms.import / ms.baseline;
  const v = verdict(
    `IFC import (read + L5 glb + L3 shell) within ${GOAL_OVERHEAD}× web-ifc's own mesh streaming of the same model`,
    `${overhead.toFixed(2)}× (${Math.round(importRate)} elements/s against web-ifc's ${Math.round(rate(ms.baseline))})`,
    overhead <= GOAL_OVERHEAD,
    loadAvg1m(),
  );
  log(verdictLine('ifc', v));
  const results = { machine, elements, triangles, glbBytes, medianMs: ms, elementsPerS: { baseline: rate(ms.baseline), read: rate(ms.read), import: importRate }, overhead, verdict: v };
  log(`ifc: results in ${await writeResults('ifc', results)}`);
  return results;
}
