import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/args';
import { floodCommand, parseStormSpec } from '../../../cli/simFlood';
import { formatAsciiGrid, parseAsciiGrid } from '../../../kernel/raster/asciiGrid';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;

/** A 24 × 16 valley of 10 m cells falling to the east, a no-data block in the middle. */
function valleyDem(): string {
  const ncols = 24;
  const nrows = 16;
  const values = new Float32Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) values[r * ncols + c] = 10 - 0.2 * c + 0.05 * Math.abs(r - 7.5) ** 2;
  }
  for (let r = 6; r < 9; r++) for (let c = 10; c < 12; c++) values[r * ncols + c] = Number.NaN;
  return formatAsciiGrid({ ncols, nrows, xll: 500_000, yll: 2_520_000, cellSize: 10, values }, 3);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citytwin-flood-cli-'));
  await writeFile(path.join(dir, 'dem.asc'), valleyDem());
  await writeFile(path.join(dir, 'rain.csv'), 'seconds,mm_per_hour\n0,60\n300,120\n600,0\n');
  await writeFile(path.join(dir, 'inflow.csv'), '0,0\n200,3\n600,1\n');
  await writeFile(path.join(dir, 'bad.csv'), '0,1\n100,2\n50,3\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (args: string[]): Promise<string[]> => {
  const lines: string[] = [];
  await floodCommand(args, (line) => lines.push(line));
  return lines;
};

describe('citytwin sim flood', () => {
  it('writes the result grids and summary.json', async () => {
    const out = path.join(dir, 'out');
    const f = (name: string): string => path.join(dir, name);
    const lines = await run([
      '--dem', f('dem.asc'), '--rain', f('rain.csv'), '--inflow', f('inflow.csv'), '--at', '500015,2520075',
      '--boundary', 'east:free', '--boundary', 'north:level:8.5', '--snapshots', '300,600', '--duration', '900',
      '--drainage', '10', '--threads', '2', '--out', out,
    ]);
    expect(lines.at(-1)).toMatch(/Results written/);
    for (const name of ['max-depth.asc', 'max-velocity.asc', 'arrival-time.asc', 'depth-final.asc', 'depth-300.asc', 'depth-600.asc']) {
      const grid = parseAsciiGrid(await readFile(path.join(out, name), 'utf8'), name);
      expect(grid.ncols).toBe(24);
      expect(grid.xll).toBe(500_000);
      expect(grid.values[7 * 24 + 10]).toBeNaN(); // the no-data block is an obstacle
    }
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown> & { volumeInM3: Record<string, number> };
    for (const key of ['initial', 'rain', 'inflow', 'outflow', 'final']) expect(typeof summary.volumeInM3[key]).toBe('number');
    expect(summary.volumeInM3.rain).toBeGreaterThan(0);
    expect(summary.volumeInM3.inflow).toBeGreaterThan(3 * 200 / 2);
    expect(summary.volumeInM3.outflow).toBeGreaterThan(0);
    expect(Math.abs(summary.massBalanceError as number)).toBeLessThan(1e-9);
    expect(summary.maxDepthM).toBeGreaterThan(0.05);
    expect(summary.wetCells).toBeGreaterThan(0);
    expect(summary.steps).toBeGreaterThan(0);
    expect(summary.simulatedSeconds).toBe(900);
    expect(summary.threads).toBe(2);
    expect(summary.cellUpdatesPerSecond).toBeGreaterThan(0);
    // The inflow cell (the north edge is y 2520160, so y 2520075 is row 8; x 500015 is column 1)
    // wets first around it: before any other cell within 3 cells, and well before the rain alone
    // could put the wet threshold's 1 cm on it (60–90 mm/h over the first 300 s: about 400 s).
    // (Until issue 14 this checked row 7 with ">= 0", which passed whatever the arrival.)
    const arrival = parseAsciiGrid(await readFile(path.join(out, 'arrival-time.asc'), 'utf8'));
    const inflowArrival = arrival.values[8 * 24 + 1]!;
    expect(inflowArrival).toBeGreaterThan(0);
    expect(inflowArrival).toBeLessThan(100);
    for (let r = 5; r <= 11; r++) {
      for (let c = 0; c <= 4; c++) {
        if (r === 8 && c === 1) continue;
        const v = arrival.values[r * 24 + c]!;
        // NaN: never wet (NODATA), later than any arrival.
        if (!Number.isNaN(v)) expect(v, `row ${r}, column ${c}`).toBeGreaterThan(inflowArrival);
      }
    }
  });

  it('runs through the real bin with a design storm', async () => {
    const out = path.join(dir, 'bin-out');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/citytwin.mjs', 'sim', 'flood', '--dem', path.join(dir, 'dem.asc'), '--storm', 'P=50,T=10,r=0.4', '--duration', '900', '--threads', '2', '--out', out],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/Results written/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as { volumeInM3: { rain: number }; threads: number };
    expect(summary.volumeInM3.rain).toBeGreaterThan(0);
    expect(summary.threads).toBe(2);
  });

  it('names the bad option or file', async () => {
    const dem = path.join(dir, 'dem.asc');
    const out = path.join(dir, 'never');
    const base = ['--dem', dem, '--duration', '60', '--out', out];
    await expect(run(['--duration', '60', '--out', out])).rejects.toThrow(/missing --dem/);
    await expect(run([...base, '--boundary', 'up:free'])).rejects.toThrow(/--boundary "up:free": edge must be/);
    await expect(run([...base, '--boundary', 'west:tide:1'])).rejects.toThrow(/--boundary west: type must be level, flow or free/);
    await expect(run([...base, '--boundary', 'west:level'])).rejects.toThrow(/--boundary west: a level boundary needs/);
    await expect(run([...base, '--scheme', 'kinematic'])).rejects.toThrow(/--scheme: unknown scheme "kinematic"; use inertial or inertial-advection/);
    await expect(run([...base, '--rain', '5', '--storm', 'P=5,T=60'])).rejects.toThrow(/--rain or --storm/);
    await expect(run([...base, '--storm', 'P=5'])).rejects.toThrow(/--storm: missing the duration/);
    await expect(run([...base, '--storm', 'P=5,T=60,r=2'])).rejects.toThrow(/--storm: peakRatio must be between/);
    await expect(run([...base, '--inflow', path.join(dir, 'inflow.csv')])).rejects.toThrow(/each --inflow needs its --at/);
    await expect(run([...base, '--inflow', path.join(dir, 'inflow.csv'), '--at', '1,2'])).rejects.toThrow(/--at 1,2 is outside the DEM/);
    await expect(run([...base, '--duration', '0'])).rejects.toThrow(UsageError);
    await expect(run([...base, '--duration', '0'])).rejects.toThrow(/--duration must be between/);
    await expect(run([...base, '--snapshots', '30,90'])).rejects.toThrow(/--snapshots must be between/);
    await expect(run([...base, '--manning', '0.03', '--manning-grid', dem])).rejects.toThrow(/--manning or --manning-grid/);
    await expect(run([...base, '--rain', path.join(dir, 'bad.csv')])).rejects.toThrow(/bad\.csv: line 3: times must increase/);
    await expect(run([...base, '--dem', path.join(dir, 'missing.asc')])).rejects.toThrow(/missing\.asc: file not found/);
    await expect(run([...base, '--dem', path.join(dir, 'rain.csv')])).rejects.toThrow(/rain\.csv: unknown raster type/);
  });

  it('reads storm specs', () => {
    const storm = parseStormSpec('P=20,T=120,r=0.35,A=15,C=0.5,b=10,n=0.7');
    expect(storm).toMatchObject({ returnPeriodYears: 20, durationMinutes: 120, peakRatio: 0.35, formula: { aMmPerMin: 15, c: 0.5, bMin: 10, n: 0.7 } });
    expect(() => parseStormSpec('P=20,T=60,x=1')).toThrow(/unknown key "x"/);
  });
});
