/**
 * `citytwin tiles build`: once end to end in a child process, as a user runs it (single layer
 * files with synthesised ground); then through the same `main` in-process, which saves the
 * loader's start-up per run: the classic `<source-dir> <out-dir>` form, a folder with its
 * buildings replaced by a file, and usage errors. Counts in twin.json and report.json must match.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/index';
import type { BuildReport, TwinManifest } from '../../../domain/twinPackage';
import { writeSyntheticCity } from '../../fixtures/syntheticCity';
import { REPO_ROOT } from '../../support/cliServer';
import { useTmpDir } from './tmpFiles';

const tmp = useTmpDir();
const run = promisify(execFile);

async function citytwin(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'tiles', 'build', ...args], { cwd: REPO_ROOT, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Runs the command in this process, collecting what it prints. */
async function citytwinInProcess(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const collect = (...parts: unknown[]): void => void lines.push(parts.map(String).join(' '));
  const log = vi.spyOn(console, 'log').mockImplementation(collect);
  const error = vi.spyOn(console, 'error').mockImplementation(collect);
  try {
    const code = await main(['tiles', 'build', ...args]);
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function readPackage(dir: string): Promise<{ twin: TwinManifest; report: BuildReport }> {
  return {
    twin: JSON.parse(await readFile(path.join(dir, 'twin.json'), 'utf8')) as TwinManifest,
    report: JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as BuildReport,
  };
}

describe('citytwin tiles build', () => {
  it('builds a twin from a CityJSON file and a components CSV alone', async () => {
    const csv = await tmp.write('poles.csv', 'code,lon,lat\n4403050118000001,4.3679,51.9979\n4403050118000002,4.3681,51.9979\n4403050118000003,999,51.9979\n');
    const out = tmp.path('single');
    const { code, out: log } = await citytwin('--buildings', 'test/fixtures/import/two-buildings.city.json', '--components', csv, '--out', out, '--basemap-px', '256', '--name', 'Delft 样例');
    expect(code, log).toBe(0);
    expect(log).toMatch(/note: no DEM: flat ground at 0 m, \d+ × \d+ cells of 10 m in EPSG:32631/);
    expect(log).toMatch(/buildings\s+read 2, tiled 2, rejected 0/);
    expect(log).toMatch(/components\s+read 3, tiled 2, rejected 1\n\s+#2 4403050118000003: geometry: point has longitude 999/);
    const { twin, report } = await readPackage(out);
    expect(twin.name).toEqual({ 'zh-CN': 'Delft 样例', en: 'Delft 样例' });
    expect(twin.countyCode).toBe('440305');
    expect(twin.counts).toMatchObject({ buildings: 2, components: 2, roads: 0, poles: 0 });
    expect(twin.terrainHeights).toEqual({ min: 0, max: 0 });
    expect(report.layers.buildings).toEqual({ read: 2, written: 2, rejected: [] });
    expect(report.layers.components!.rejected).toEqual([{ index: 2, id: '4403050118000003', reason: expect.stringMatching(/longitude 999/) }]);
  });

  it('keeps the <source-dir> <out-dir> form, and replaces a folder’s layer with a file', async () => {
    const city = await writeSyntheticCity(tmp.path('city'));
    const classic = tmp.path('classic');
    const first = await citytwinInProcess(city.dir, classic, '--basemap-px', '256', '--workers', '1');
    expect(first.code, first.out).toBe(0);
    const { report } = await readPackage(classic);
    expect(report.layers.buildings!.read).toBe(city.expected['buildings']!.read);

    const lon = 113.7;
    const lat = 22.83;
    const square = [[lon, lat], [lon + 0.0002, lat], [lon + 0.0002, lat + 0.0002], [lon, lat + 0.0002], [lon, lat]];
    const osm = await tmp.write('osm.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { '@id': 'way/7', building: 'school', 'building:levels': '3' }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { '@id': 'way/8' }, geometry: { type: 'Polygon', coordinates: [square.slice(0, 4)] } },
      ],
    });
    const replaced = tmp.path('replaced');
    const second = await citytwinInProcess(city.dir, '--buildings', osm, '--out', replaced, '--basemap-px', '256');
    expect(second.code, second.out).toBe(0);
    const pkg = await readPackage(replaced);
    expect(pkg.twin.counts.buildings).toBe(1);
    expect(pkg.report.layers.buildings).toEqual({ read: 2, written: 1, rejected: [{ index: 1, id: 'way/8', reason: 'geometry: ring 0 is not closed (first and last positions differ)' }] });
    expect(pkg.twin.counts.roads).toBe(report.layers.roads!.written);
  });

  it('refuses bad arguments with status 2 and a message naming the option', async () => {
    const badCrs = await citytwinInProcess('--buildings', 'test/fixtures/import/two-buildings.city.json', '--crs', 'EPSG:2000', '--out', tmp.path('x'));
    expect(badCrs).toMatchObject({ code: 2, out: expect.stringMatching(/--crs: unknown CRS "EPSG:2000"/) });
    const missing = await citytwinInProcess('--buildings', 'nope.geojson', '--out', tmp.path('x'));
    expect(missing).toMatchObject({ code: 2, out: expect.stringMatching(/--buildings: "nope\.geojson" is not a file/) });
    const noOut = await citytwinInProcess('--buildings', 'test/fixtures/import/two-buildings.city.json');
    expect(noOut).toMatchObject({ code: 2, out: expect.stringMatching(/missing the output folder/) });
    const demOnly = await citytwinInProcess('--dem', 'test/fixtures/import/lod2-district-dem.tif', '--out', tmp.path('x'));
    expect(demOnly).toMatchObject({ code: 2, out: expect.stringMatching(/--dem alone gives nothing to tile/) });
    const noWorkers = await citytwinInProcess('--buildings', 'test/fixtures/import/two-buildings.city.json', '--workers', '0', '--out', tmp.path('x'));
    expect(noWorkers).toMatchObject({ code: 2, out: expect.stringMatching(/--workers must be between 1 and 64, got 0/) });
  });

  it('refuses --at without --ifc, a bad --at, and names the entity of a broken IFC', async () => {
    const atAlone = await citytwinInProcess('--buildings', 'test/fixtures/import/two-buildings.city.json', '--at', '102.7,25', '--out', tmp.path('x'));
    expect(atAlone).toMatchObject({ code: 2, out: expect.stringMatching(/--at places an IFC model: give --ifc <file\.ifc> with it/) });
    const badAt = await citytwinInProcess('--ifc', 'test/fixtures/real/duplex.ifc.gz', '--at', '102.7,95', '--out', tmp.path('x'));
    expect(badAt).toMatchObject({ code: 2, out: expect.stringMatching(/--at "102\.7,95": lat must be within/) });
    const broken = await tmp.write(
      'broken.ifc',
      "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n#2=IFCBUILDING('2hQBAVPOr5VxhS3Jl0O47h',$,'B',$,$,$,$,$,.ELEMENT.,$,$,$);\n#3=IFCBUILDINGSTOREY('2eyxpyOx95m90jmsXLOuR0',$,'EG',$,$,$,$,$,.ELEMENT.,0.);\n#5=IFCSPACE('0BTBFw6f90Nfh9rP1dlXrr',$,'R1',$,$,#77,$,'Kitchen',.ELEMENT.,.INTERNAL.,$);\nENDSEC;\nEND-ISO-10303-21;\n",
    );
    const bad = await citytwinInProcess('--ifc', broken, '--at', '102.7,25', '--out', tmp.path('x'));
    expect(bad).toMatchObject({ code: 1, out: expect.stringMatching(/IfcSpace #5 "R1" \(broken\.ifc line 8\): ObjectPlacement refers to #77, which is not in the file/) });
  });
});
