/**
 * The drainage network as an option of the product: junctions placed on the DEM's cells, the
 * overloaded-drains list, `citytwin sim flood --drainage-network <file.inp>` end to end, and the
 * scenario parameter's refusals.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/args';
import { DEFAULT_DEMO_DIR } from '../../../cli/paths';
import type { TwinManifest } from '../../../domain/twinPackage';
import { outfallCatchments, readTwinStormNetwork } from '../../../simulations/drainage/twinStormNetwork';
import { floodCommand, floodProblemFromArgs } from '../../../cli/simFlood';
import { formatAsciiGrid } from '../../../kernel/raster/asciiGrid';
import type { DrainageNetwork } from '../../../simulations/drainage/network';
import { nodeCellsOnGrid } from '../../../simulations/drainage/nodeCells';
import { overloadedDrains } from '../../../simulations/drainage/overloadedDrains';
import type { LinkSummary, NodeSummary } from '../../../simulations/drainage/pipeResults';
import { writeSwmmInp } from '../../../simulations/drainage/swmmInpWriter';
import { parseFloodParams } from '../../../simulations/flood/scenarioParams';
import { ScenarioParamsError } from '../../../simulations/scenarioParams';
import { link } from './pipeNetworks';

/** A 40 × 30 DEM of 5 m cells at (1000, 2000), falling east; three manholes along row 15, one off the DEM. */
const XLL = 1000;
const YLL = 2000;
const DX = 5;
const NCOLS = 40;
const NROWS = 30;
const ground = (col: number): number => 12 - 0.02 * col * DX;
const centre = (row: number, col: number): { x: number; y: number } => ({ x: XLL + (col + 0.5) * DX, y: YLL + (NROWS - row - 0.5) * DX });

function network(): DrainageNetwork {
  const pipe = { shape: 'circular' as const, diameterM: 0.3 };
  return {
    nodes: [
      { kind: 'junction', id: 'A', invertElevationM: ground(5) - 1.5, maxDepthM: 1.5, surfaceAreaM2: 1.2, initialDepthM: 0, ...centre(15, 5) },
      { kind: 'junction', id: 'B', invertElevationM: ground(20) - 1.5, maxDepthM: 1.5, surfaceAreaM2: 1.2, initialDepthM: 0, ...centre(15, 20) },
      { kind: 'junction', id: 'C', invertElevationM: ground(35) - 1.5, maxDepthM: 1.5, surfaceAreaM2: 1.2, initialDepthM: 0, ...centre(15, 35) },
      { kind: 'junction', id: 'FAR', invertElevationM: ground(35) - 1.6, maxDepthM: 1.6, surfaceAreaM2: 1.2, initialDepthM: 0, x: XLL + 500, y: YLL + 50 },
      { kind: 'outfall', id: 'OUT', invertElevationM: ground(35) - 1.8, boundary: { type: 'free' }, x: XLL + 600, y: YLL + 50 },
    ],
    links: [link('AB', 'A', 'B', pipe, 75), link('BC', 'B', 'C', pipe, 75), link('CF', 'C', 'FAR', pipe, 300), link('FO', 'FAR', 'OUT', pipe, 100)],
  };
}

describe('junctions on the grid', () => {
  it('places each junction in its cell and names the ones left uncoupled', () => {
    const placed = nodeCellsOnGrid(network(), { xll: XLL, yll: YLL, cellSizeM: DX, ncols: NCOLS, nrows: NROWS }, undefined);
    expect(placed.nodeCells).toEqual([
      { nodeId: 'A', row: 15, col: 5 },
      { nodeId: 'B', row: 15, col: 20 },
      { nodeId: 'C', row: 15, col: 35 },
    ]);
    expect(placed.uncoupled).toEqual([{ nodeId: 'FAR', reason: 'outside the grid' }]);
    const blocked = new Uint8Array(NCOLS * NROWS);
    blocked[15 * NCOLS + 20] = 1;
    expect(nodeCellsOnGrid(network(), { xll: XLL, yll: YLL, cellSizeM: DX, ncols: NCOLS, nrows: NROWS }, blocked).uncoupled).toContainEqual({ nodeId: 'B', reason: 'in a blocked cell' });
  });

  it('lists spilling manholes by volume, then pipes past capacity by load, placed between their nodes', () => {
    const node = (id: string, floodVolumeM3: number): NodeSummary => ({
      id, kind: 'junction', peakDepthM: 1, peakDepthTimeS: 0, peakHeadM: 1, maxDepthM: 1, floodVolumeM3, peakFloodRateM3s: 0, floodDurationS: 60, surchargeDurationS: 0,
    });
    const pipe = (id: string, peakLoadRatio: number): LinkSummary => ({
      id, fromNode: id[0]!, toNode: id[1]!, peakFlowM3s: 1, peakFlowTimeS: 0, fullFlowM3s: 1, peakLoadRatio, peakVelocityMs: 1, surchargeDurationS: 120,
    });
    const list = overloadedDrains({ nodes: [node('A', 3), node('B', 0), node('C', 40)], links: [pipe('AB', 0.8), pipe('BC', 1.4), pipe('CF', 2.5)] }, 10, network(), (x, y) => [x / 1000, y / 1000]);
    expect(list.map((d) => `${d.kind} ${d.id}`)).toEqual(['node C', 'node A', 'link CF', 'link BC']);
    const bc = list.find((d) => d.id === 'BC')!;
    expect(bc.lon).toBeCloseTo((centre(15, 20).x + centre(15, 35).x) / 2 / 1000, 12);
  });
});

describe('citytwin sim flood --drainage-network', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citytwin-drainage-'));
    const values = new Float32Array(NCOLS * NROWS);
    for (let r = 0; r < NROWS; r++) for (let c = 0; c < NCOLS; c++) values[r * NCOLS + c] = ground(c);
    await writeFile(path.join(dir, 'dem.asc'), formatAsciiGrid({ ncols: NCOLS, nrows: NROWS, xll: XLL, yll: YLL, cellSize: DX, values }, 3));
    const inp = writeSwmmInp({ network: network(), inflows: [], options: { durationS: 600 } });
    await writeFile(path.join(dir, 'storm.inp'), inp);
    await writeFile(path.join(dir, 'lengthened.inp'), writeSwmmInp({ network: network(), inflows: [], options: { durationS: 600, lengtheningStepS: 2 } }));
    // The length of conduit AB spelt as a word.
    await writeFile(path.join(dir, 'bad.inp'), inp.replace(/^(\s*AB\s+\S+\s+\S+\s+)\S+/m, '$1long'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('couples the junctions on the DEM, notes the others, and writes drainage.json', async () => {
    const args = ['--dem', path.join(dir, 'dem.asc'), '--duration', '300', '--out', path.join(dir, 'out'), '--rain', '120', '--threads', '1'];
    const { problem, notes } = await floodProblemFromArgs([...args, '--drainage-network', path.join(dir, 'storm.inp')]);
    expect(problem.drainage!.nodeCells.map((c) => c.nodeId)).toEqual(['A', 'B', 'C']);
    expect(notes.join('\n')).toContain('FAR outside the grid');
    // The file's LENGTHENING_STEP (0 here, 2 s in the other) holds in the coupled run.
    expect(problem.drainage!.lengtheningStepS).toBe(0);
    expect((await floodProblemFromArgs([...args, '--drainage-network', path.join(dir, 'lengthened.inp')])).problem.drainage!.lengtheningStepS).toBe(2);
    const lines: string[] = [];
    await floodCommand([...args, '--drainage-network', path.join(dir, 'storm.inp')], (line) => lines.push(line));
    const saved = JSON.parse(await readFile(path.join(dir, 'out', 'drainage.json'), 'utf8')) as { pipes: { links: LinkSummary[] }; massBalance: { relativeError: number } };
    expect(saved.pipes.links.map((l) => l.id)).toEqual(['AB', 'BC', 'CF', 'FO']);
    expect(Math.abs(saved.massBalance.relativeError)).toBeLessThan(1e-9);
    const summary = JSON.parse(await readFile(path.join(dir, 'out', 'summary.json'), 'utf8')) as { files: string[]; volumeInM3: { toDrains: number } };
    expect(summary.files).toContain('drainage.json');
    expect(summary.volumeInM3.toDrains).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/drains m³: inlets \d+/);
  });

  it('refuses an unreadable or malformed network file, naming the option', async () => {
    const args = ['--dem', path.join(dir, 'dem.asc'), '--duration', '60', '--out', dir];
    await expect(floodProblemFromArgs([...args, '--drainage-network', path.join(dir, 'none.inp')])).rejects.toThrow(UsageError);
    await expect(floodProblemFromArgs([...args, '--drainage-network', path.join(dir, 'bad.inp')])).rejects.toThrow(/^--drainage-network: bad\.inp line \d/);
  });

  it("couples only the twin's catchments named by --drainage-outfalls, and refuses an unknown outfall", async () => {
    const twinDir = path.join(DEFAULT_DEMO_DIR, 'twin');
    const args = ['--dem', path.join(twinDir, 'dem', 'dem.asc'), '--duration', '60', '--out', dir, '--drainage-network', 'twin', '--twin', twinDir];
    const whole = (await readTwinStormNetwork(twinDir, JSON.parse(await readFile(path.join(twinDir, 'twin.json'), 'utf8')) as TwinManifest)).network;
    const [first, second] = outfallCatchments(whole);
    const { problem } = await floodProblemFromArgs([...args, '--drainage-outfalls', `${first!.id},${second!.id}`]);
    expect(problem.drainage!.network.links.length).toBe(first!.links + second!.links);
    expect(problem.drainage!.network.links.length).toBeLessThan(whole.links.length);
    await expect(floodProblemFromArgs([...args, '--drainage-outfalls', 'YSO999'])).rejects.toThrow(/^--drainage-outfalls: "YSO999" is not an outfall/);
    await expect(floodProblemFromArgs(['--dem', path.join(dir, 'dem.asc'), '--duration', '60', '--out', dir, '--drainage-outfalls', first!.id])).rejects.toThrow(/only used with --drainage-network twin/);
  });
});

describe('the scenario parameter drainageNetwork', () => {
  it('takes a .inp text and refuses one with a link to a missing node, naming the field and the link', () => {
    const inp = writeSwmmInp({ network: network(), inflows: [] });
    expect(parseFloodParams({ drainageNetwork: { inp }, drainageMmPerHour: 0 }).drainageNetwork).toEqual({ inp });
    expect(parseFloodParams({ drainageNetwork: 'twin' }).drainageNetwork).toBe('twin');
    expect(parseFloodParams({ drainageNetwork: { twin: { outfalls: ['YSO005', 'YSO028'] } } }).drainageNetwork).toEqual({ twin: { outfalls: ['YSO005', 'YSO028'] } });
    expect(() => parseFloodParams({ drainageNetwork: { twin: { outfalls: ['YSO005', 'YSO005'] } } })).toThrow(/^params\.drainageNetwork\.twin\.outfalls\[1\]: "YSO005" is given twice/);
    expect(() => parseFloodParams({ drainageNetwork: { twin: { outfalls: [] } } })).toThrow(ScenarioParamsError);
    expect(() => parseFloodParams({ drainageNetwork: 'sewer' })).toThrow(/drainageNetwork/);
    const broken = inp.replace(/^(\s*BC\s+)B(\s)/m, '$1X$2');
    expect(broken).not.toBe(inp);
    expect(() => parseFloodParams({ drainageNetwork: { inp: broken } })).toThrow(ScenarioParamsError);
    expect(() => parseFloodParams({ drainageNetwork: { inp: broken } })).toThrow(/^params\.drainageNetwork\.inp: /);
  });
});
