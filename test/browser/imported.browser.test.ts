/**
 * A twin imported from real-format data (the LoD2 district: CityJSON buildings, a GeoTIFF DEM,
 * a components CSV) through `citytwin tiles build`, served by `citytwin serve` with third-party
 * tilesets beside it: a 3D Tiles 1.0 b3dm tileset written here, the package's own 3D Tiles 1.1
 * buildings tileset served as if it came from elsewhere, and two CesiumGS 1.1 samples without a
 * root transform, placed with `--tileset dir@lon,lat,height`. In Chromium, the home view fits
 * the 830 × 530 m district, every level L1–L5 renders from the imported twin, the extra tilesets
 * load and draw, and a sample's features show their own class, VEC3 and INT64 values.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundsRadiusM, rangeToFit } from '../../client/src/twin/core/homeView';
import type { BuildingRecord, ComponentRecord, TwinManifest } from '../../domain/twinPackage';
import { writeB3dmTileset, type B3dmBox } from '../support/b3dmTileset';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'import');
const FOREIGN_TILESET = 'http://tiles.elsewhere.example/tileset.json';
const SAMPLES = path.join(REPO_ROOT, 'test', 'fixtures', 'real', '3d-tiles-samples');
/** Where the two 1 m sample quads are placed: east of the district's centre, 300 m up in the air. */
let samplesAt: { lon: number; lat: number; height: number };

let workDir: string;
let twinDir: string;
let manifest: TwinManifest;
let buildings: BuildingRecord[];
let components: ComponentRecord[];
let box: B3dmBox;
let server: CliServer;
let browser: Browser;
let session: OfflinePage;
let page: Page;

async function waitForTiles(): Promise<void> {
  // The home view now frames the district closely, so the start loads its detail (software WebGL).
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout: 150_000, polling: 250 });
}

async function pickCentre(): Promise<{ kind: string; id: string; properties?: Record<string, unknown> } | null> {
  const box = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
  return page.evaluate(([x, y]) => window.citytwin.pickAt(x, y), [box.width / 2, box.height / 2] as [number, number]);
}

async function layerVisible(layer: string): Promise<string | null> {
  return page.locator(`[data-layer="${layer}"]`).getAttribute('data-visible');
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'citytwin-imported-'));
  twinDir = path.join(workDir, 'twin');
  await promisify(execFile)(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'tiles', 'build',
      '--buildings', path.join(FIXTURES, 'lod2-district.city.json'),
      '--dem', path.join(FIXTURES, 'lod2-district-dem.tif'),
      '--components', path.join(FIXTURES, 'lod2-district-components.csv'),
      '--out', twinDir,
    ],
    { cwd: REPO_ROOT, timeout: 150_000 },
  );
  const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(twinDir, file), 'utf8')) as T;
  manifest = await read<TwinManifest>('twin.json');
  buildings = await read<BuildingRecord[]>('layers/buildings.json');
  components = await read<ComponentRecord[]>('layers/components.json');
  // Taller than every tower of the district, so that it is what a look straight down meets first.
  box = { lon: manifest.center.lon, lat: manifest.center.lat, height: manifest.center.height, size: [60, 60, 160], name: 'third-party box', color: [1, 0, 1, 1] };
  await writeB3dmTileset(path.join(workDir, 'b3dm'), box);
  samplesAt = { lon: manifest.center.lon + 0.001, lat: manifest.center.lat, height: manifest.center.height + 300 };
  const place = (dir: string, eastM: number): string =>
    `${path.join(SAMPLES, dir)}@${samplesAt.lon + eastM / (111_320 * Math.cos((samplesAt.lat * Math.PI) / 180))},${samplesAt.lat},${samplesAt.height}`;

  server = await startCliServer([
    '--twin', twinDir,
    '--tileset', path.join(workDir, 'b3dm'),
    '--tileset', path.join(twinDir, 'buildings'),
    '--tileset', place('MultipleFeatureIdsAndProperties', 0),
    '--tileset', place('MultipleClasses', 10),
    '--tileset', path.join(SAMPLES, 'ComplexTypes'),
    '--no-simulator',
  ]);
  browser = await launchChromium();
  session = await openOfflinePage(browser, server.httpUrl, { viewport: { width: 960, height: 600 } });
  page = session.page;
  const tilesets = ['/tilesets/0/tileset.json', '/tilesets/1/tileset.json', '/tilesets/2/tileset.json', '/tilesets/3/tileset.json', FOREIGN_TILESET]
    .map((t) => `tileset=${encodeURIComponent(t)}`)
    .join('&');
  await page.goto(`${server.httpUrl}/?msaa=1&lang=en&resolutionScale=0.5&${tilesets}`);
  await waitForTiles();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a twin imported from CityJSON, GeoTIFF and CSV', () => {
  it('opens at L2 with the imported buildings tiled, and L1 hides them', async () => {
    const stats = await page.evaluate(() => window.citytwin.stats());
    expect(stats.level).toBe('L2');
    expect(stats.buildings).toBe(296);
    expect(stats.tilesLoaded).toBeGreaterThan(0);
    // The home view fits the district's bounds (it was a fixed 4.2 km, whatever the size).
    const { lon, lat, height } = stats.camera!;
    const c = manifest.center;
    const distance = Math.hypot((lon - c.lon) * 111_320 * Math.cos((c.lat * Math.PI) / 180), (lat - c.lat) * 110_900, height - c.height);
    const fitted = rangeToFit(boundsRadiusM(manifest.bounds), { fovRad: Math.PI / 3, aspect: 960 / 600, pitchRad: (-32 * Math.PI) / 180 });
    expect(fitted).toBeLessThan(2000);
    expect(distance / fitted).toBeGreaterThan(0.95);
    expect(distance / fitted).toBeLessThan(1.05);
    await page.click('[data-testid="panel-tab-layers"]');
    expect(await layerVisible('whiteModels')).toBe('true');

    await page.evaluate(() => window.citytwin.setLevel('L1'));
    expect((await page.evaluate(() => window.citytwin.stats())).level).toBe('L1');
    expect(await layerVisible('whiteModels')).toBe('false');
    expect(await layerVisible('terrain')).toBe('true');
    await waitForTiles();
  });

  it('L3 shows the textured architecture tileset the import wrote', async () => {
    expect(manifest.files.architectureTileset).toBeDefined();
    await page.evaluate(() => window.citytwin.setLevel('L3'));
    await expect.poll(() => layerVisible('architecture')).toBe('true');
    expect(await layerVisible('whiteModels')).toBe('false');
    await waitForTiles();
    const tallest = buildings.reduce((a, b) => (b.height > a.height ? b : a));
    await page.evaluate((b) => window.citytwin.setView(b.lon, b.lat, b.groundHeight + b.height + 120, 0, -90), tallest);
    await waitForTiles();
    // The architecture's building, or the same building of the package's white models served as a third-party tileset.
    const picked = await pickCentre();
    expect(picked?.id).toBe(tallest.id);
    expect(['building', 'feature']).toContain(picked?.kind);
  });

  it('L4 streams the imported components as instanced tiles that pick', async () => {
    expect(manifest.files.componentsTileset).toBeDefined();
    await page.evaluate(() => window.citytwin.setLevel('L4'));
    expect(await layerVisible('components')).toBe('true');
    expect((await page.evaluate(() => window.citytwin.stats())).components).toBe(components.length);
    // A component away from buildings, straight down on it from 60 m.
    const component = components.find((c) => !buildings.some((b) => Math.abs(b.lon - c.lon) < 0.0003 && Math.abs(b.lat - c.lat) < 0.0003)) ?? components[0]!;
    await page.evaluate((c) => window.citytwin.setView(c.lon, c.lat, c.groundHeight + 60, 0, -90), component);
    await waitForTiles();
    expect(await pickCentre()).toMatchObject({ kind: 'component', id: component.code });
  });

  it('L5 opens an imported building\'s interior', async () => {
    // Every building the index marks opens the package's interior: a file, or made on demand by the server.
    expect(buildings.filter((b) => b.interior).length).toBe(buildings.length);
    const building = buildings.find((b) => b.interior && b.floors >= 3) ?? buildings[0]!;
    await page.evaluate((id) => window.citytwin.openInterior(id), building.id);
    await page.waitForFunction((id) => window.citytwin.stats().interior.buildingId === id && window.citytwin.stats().interior.source !== null, building.id, { timeout: 60_000 });
    const stats = await page.evaluate(() => window.citytwin.stats());
    expect(stats.level).toBe('L5');
    expect(stats.interior.source).toBe(building.interior ? 'package' : 'schematic');
    expect(stats.interior.floors).toBe(building.floors);
    await page.evaluate(() => window.citytwin.setLevel('L2'));
  });
});

describe('third-party 3D Tiles', () => {
  it('loads a 1.0 b3dm tileset and 1.1 tilesets from the same origin, and refuses another host', async () => {
    await page.waitForFunction(() => window.citytwin.stats().extraTilesets.loaded === 4, undefined, { timeout: 60_000 });
    const stats = (await page.evaluate(() => window.citytwin.stats())).extraTilesets;
    expect(stats).toMatchObject({ requested: 4, loaded: 4, errors: [] });
    expect((await page.evaluate(() => window.citytwin.urlErrors())).join(' ')).toContain(FOREIGN_TILESET);
    expect(session.foreignRequests).toEqual([]);
  });

  it('draws the b3dm box at every level, and its batch table reads back on a pick', async () => {
    for (const level of ['L1', 'L2', 'L3', 'L4', 'L5'] as const) {
      await page.evaluate((l) => window.citytwin.setLevel(l), level);
      await page.evaluate((b) => window.citytwin.setView(b.lon, b.lat, b.height + b.size[2] + 150, 0, -90), box);
      await page.waitForFunction(() => window.citytwin.stats().extraTilesets.tilesLoaded, undefined, { timeout: 60_000 });
      await page.waitForTimeout(300);
      const picked = await pickCentre();
      // A third-party feature, named by its own attributes (no class in a plain batch table).
      expect(picked, level).toMatchObject({ kind: 'feature', id: box.name, className: null, properties: { name: box.name } });
    }
    expect((await page.evaluate(() => window.citytwin.stats())).extraTilesets.tilesLoadedCount).toBeGreaterThanOrEqual(2);
  });

  it('places 1.1 samples that have no root transform, says so in the banner, and shows their class, VEC3 and INT64', async () => {
    const banner = server.output();
    expect(banner).toMatch(/tilesets\/2\/tileset\.json\s+placed at /);
    expect(banner).toMatch(/tilesets\/4\/tileset\.json\s+has no geographic placement: it sits at the Earth's centre; give --tileset \S*ComplexTypes@lon,lat,height\[,heading\]/);
    await page.evaluate(() => window.citytwin.setLevel('L2'));
    const metresPerDegLon = 111_320 * Math.cos((samplesAt.lat * Math.PI) / 180);
    // Each sample is a 1 m square of four 0.45 m quads (one feature each) standing on its origin,
    // facing south: look at the first quad's middle from 3 m south (the square's middle is a gap).
    const lookAt = async (eastM: number): Promise<Awaited<ReturnType<typeof pickCentre>>> => {
      await page.evaluate(([lon, lat, h]) => window.citytwin.setView(lon, lat, h, 0, 0), [samplesAt.lon + (eastM + 0.225) / metresPerDegLon, samplesAt.lat - 3 / 110_900, samplesAt.height + 0.225] as [number, number, number]);
      // The scene renders on demand: the quad's tile is asked for on the frames after the move.
      await expect.poll(async () => (await pickCentre())?.kind, { timeout: 60_000, interval: 1000 }).toBe('feature');
      return pickCentre();
    };
    const vec3 = await lookAt(0);
    expect(vec3).toMatchObject({ kind: 'feature', className: 'Example metadata class' });
    expect(String(vec3?.properties?.example_VEC3_FLOAT32)).toMatch(/^\(([0-3]), \1\.1, \1\.2\)$/);
    expect(['Rain 🌧', 'Thunder ⛈', 'Sun ☀', 'Snow 🌨']).toContain(vec3?.properties?.example_STRING);
    await expect.poll(() => page.locator('[data-testid="attribute-title"]').textContent()).toBe('Example metadata class');
    expect(await page.locator('[data-key="example_VEC3_FLOAT32"] td').textContent()).toMatch(/^\([0-3], /);
    const int64 = await lookAt(10);
    expect(int64).toMatchObject({ kind: 'feature', className: 'Example metadata class A' });
    expect([1234567, 2345678, 3456789, 4567890]).toContain(int64?.properties?.example_INT64);
    await page.evaluate(() => window.citytwin.home({ duration: 0 }));
  });
});

describe('the page', () => {
  it('stayed offline without console errors or page errors', () => {
    expectCleanPages([session]);
  });
});
