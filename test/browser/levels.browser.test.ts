/**
 * The twin client's levels, picking, search, interior, measuring, environment and the linked 2D
 * map, in Chromium against the real `citytwin serve`. Runs with 100,000 synthetic components and
 * 5,000 synthetic devices on top of the demo city, at half resolution to stay quick in software
 * WebGL. Each check reads what the page reports (window.citytwin) and what the DOM shows.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRecord, ComponentRecord, PoleRecord } from '../../domain/twinPackage';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';
import { decodePng, type DecodedPng } from '../support/pngDecode';

const TWIN_DIR = path.join(REPO_ROOT, 'data', 'demo', 'twin');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');
const SYNTHETIC_COMPONENTS = 100_000;
const SYNTHETIC_DEVICES = 5_000;

let server: CliServer;
let browser: Browser;
let session: OfflinePage;
let page: Page;
let buildings: BuildingRecord[];
let poles: PoleRecord[];
let components: ComponentRecord[];

async function readLayer<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(TWIN_DIR, 'layers', name), 'utf8')) as T;
}

async function waitForTiles(): Promise<void> {
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout: 180_000, polling: 500 });
}

async function screenshot(name: string): Promise<DecodedPng> {
  const png = await page.screenshot({ type: 'png' });
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${name}.png`), png);
  return decodePng(png);
}

/** Share of light, nearly neutral pixels (lit white models) and mean brightness in the view's middle. */
function analyse(img: DecodedPng): { white: number; brightness: number } {
  let white = 0;
  let sum = 0;
  let n = 0;
  for (let y = 160; y < img.height - 60; y += 3) {
    for (let x = 360; x < img.width - 380; x += 3) {
      const i = (y * img.width + x) * 4;
      const [r, g, b] = [img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!];
      if (Math.min(r, g, b) > 150 && Math.max(r, g, b) - Math.min(r, g, b) < 25) white++;
      sum += (r + g + b) / 3;
      n++;
    }
  }
  return { white: white / n, brightness: sum / n };
}

async function canvasCentre(): Promise<[number, number]> {
  const box = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
  return [box.width / 2, box.height / 2];
}

async function pickCentre(): Promise<{ kind: string; id: string } | null> {
  const [x, y] = await canvasCentre();
  return page.evaluate(([px, py]) => window.citytwin.pickAt(px, py), [x, y] as [number, number]);
}

beforeAll(async () => {
  // The server builds the demo twin on a fresh clone: read its layers only once it is up.
  // No device simulator: nothing here reads live data, and its status changes would make the
  // scene redraw (in software) all the time, slowing every step.
  server = await startCliServer(['--no-simulator']);
  [buildings, poles, components] = await Promise.all([
    readLayer<BuildingRecord[]>('buildings.json'),
    readLayer<PoleRecord[]>('poles.json'),
    readLayer<ComponentRecord[]>('components.json'),
  ]);
  browser = await launchChromium();
  session = await openOfflinePage(browser, server.httpUrl);
  page = session.page;
  await page.goto(`${server.httpUrl}/?msaa=1&lang=en&resolutionScale=0.5&components=${SYNTHETIC_COMPONENTS}&devices=${SYNTHETIC_DEVICES}`);
  await waitForTiles();
  await page.waitForFunction((n) => window.citytwin.stats().components === n, components.length + SYNTHETIC_COMPONENTS, { timeout: 120_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('levels L1–L5', () => {
  it('shows white models from L2 and only terrain at L1, as the layer tree says', async () => {
    const stats = await page.evaluate(() => window.citytwin.stats());
    expect(stats.level).toBe('L2');
    expect(stats.poles).toBe(poles.length + SYNTHETIC_DEVICES);
    const l2 = analyse(await screenshot('level-L2'));

    await page.click('[data-testid="level-L1"]');
    await page.click('[data-testid="panel-tab-layers"]');
    expect(await page.locator('[data-testid="level-bar"]').getAttribute('data-level')).toBe('L1');
    expect(await page.locator('[data-layer="whiteModels"]').getAttribute('data-visible')).toBe('false');
    expect(await page.locator('[data-layer="terrain"]').getAttribute('data-visible')).toBe('true');
    await page.waitForTimeout(800);
    const l1 = analyse(await screenshot('level-L1'));
    // Without buildings the light, neutral white-model pixels all but vanish.
    expect(l2.white).toBeGreaterThan(0.05);
    expect(l1.white).toBeLessThan(l2.white / 4);
  });

  it('L3 swaps the white models for textured architecture when the package has it, and keeps them when not', async () => {
    await page.evaluate(() => window.citytwin.setLevel('L3'));
    const manifest = JSON.parse(await readFile(path.join(TWIN_DIR, 'twin.json'), 'utf8')) as { files: { architectureTileset?: string } };
    const architecture = page.locator('[data-layer="architecture"]');
    if (manifest.files.architectureTileset) {
      await expect.poll(() => architecture.getAttribute('data-visible')).toBe('true');
      expect(await page.locator('[data-layer="whiteModels"]').getAttribute('data-visible')).toBe('false');
    } else {
      expect(await architecture.getAttribute('data-visible')).toBe('false');
      expect(await page.locator('[data-layer="whiteModels"]').getAttribute('data-visible')).toBe('true');
      expect(await architecture.textContent()).toContain('not in this twin');
    }
    await waitForTiles();
  });

  it('L4 draws the components near the camera in detail and clusters the rest', async () => {
    await page.evaluate(() => window.citytwin.setLevel('L4'));
    expect(await page.locator('[data-layer="components"]').getAttribute('data-visible')).toBe('true');
    await page.evaluate(() => window.citytwin.home({ duration: 0 }));
    await page.waitForTimeout(500);
    const far = await page.evaluate(() => window.citytwin.stats().componentChunksInDetail);
    const target = components[Math.floor(components.length / 2)]!;
    await page.evaluate((c) => window.citytwin.setView(c.lon, c.lat - 0.002, c.groundHeight + 250, 0, -50), target);
    await page.waitForFunction(() => window.citytwin.stats().componentChunksInDetail > 0, undefined, { timeout: 30_000 });
    const near = await page.evaluate(() => window.citytwin.stats().componentChunksInDetail);
    expect(far).toBe(0);
    expect(near).toBeGreaterThan(0);
    await screenshot('level-L4');
  });
});

describe('picking and search', () => {
  it('picks a building, a pole and a component at the screen centre', async () => {
    await page.evaluate(() => window.citytwin.setLevel('L4'));
    const tallest = buildings.reduce((a, b) => (b.height > a.height ? b : a));
    await page.evaluate((id) => window.citytwin.flyToBuilding(id, { duration: 0 }), tallest.id);
    await waitForTiles();
    expect(await pickCentre()).toMatchObject({ kind: 'building', id: tallest.id });
    const panel = page.locator('[data-testid="attribute-panel"]');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(tallest.id);

    const pole = poles[100]!;
    await page.evaluate((id) => window.citytwin.flyToPole(id, { duration: 0 }), pole.id);
    await waitForTiles();
    expect(await pickCentre()).toMatchObject({ kind: 'pole', id: pole.id });

    // A component away from buildings: straight down on it from 60 m.
    const component = components[7]!;
    await page.evaluate((c) => window.citytwin.setView(c.lon, c.lat, c.groundHeight + 60, 0, -90), component);
    await waitForTiles();
    const picked = await pickCentre();
    expect(picked).toMatchObject({ kind: 'component', id: component.code });
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('component');
    expect(await panel.locator('tr[data-key="code"] td').textContent()).toBe(component.code);
  });

  it('finds components by code, buildings by id and poles by id, and flies to the choice', async () => {
    const component = components[42]!;
    expect((await page.evaluate((q) => window.citytwin.search(q), component.code))[0]).toMatchObject({ kind: 'component', id: component.code });
    const building = buildings.find((b) => b.name) ?? buildings[0]!;
    expect((await page.evaluate((q) => window.citytwin.search(q), building.id))[0]).toMatchObject({ kind: 'building', id: building.id });

    const pole = poles[5]!;
    await page.fill('[data-testid="search-input"]', pole.id.toLowerCase());
    const hit = page.locator(`[data-testid="search-results"] li[data-id="${pole.id}"]`);
    await expect.poll(() => hit.count()).toBe(1);
    await hit.click();
    const panel = page.locator('[data-testid="attribute-panel"]');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(pole.id);
    expect(await panel.getAttribute('data-kind')).toBe('pole');
  });
});

describe('L5 interiors', () => {
  it('opens a building interior with floors that isolate (and explode), and rooms that pick', async () => {
    const building = buildings.filter((b) => b.floors >= 6 && b.floors <= 30).reduce((a, b) => (b.height > a.height ? b : a));
    await page.evaluate((id) => window.citytwin.openInterior(id), building.id);
    await page.waitForFunction((id) => window.citytwin.stats().interior.source !== null && window.citytwin.stats().interior.buildingId === id, building.id, { timeout: 60_000 });
    const interior = (await page.evaluate(() => window.citytwin.stats())).interior;
    // The package's own interior when it lists one for this building, else the schematic.
    expect(interior.source).toBe(building.interior ? 'package' : 'schematic');
    expect(interior.floors).toBe(building.floors);
    expect(await page.locator('[data-testid="interior-controls"]').count()).toBe(1);

    const explode = interior.source === 'schematic' ? 0.6 : 0;
    await page.evaluate((e) => window.citytwin.setInterior({ explode: e, floor: 2 }), explode);
    expect((await page.evaluate(() => window.citytwin.stats())).interior).toMatchObject({ explode, isolated: 2 });
    // Looking straight down on the isolated second floor, the centre is one of its rooms.
    const floorHeight = building.height / building.floors;
    const lift = explode * Math.max(3, floorHeight) * 1.5;
    await page.evaluate(
      ([b, up]) => window.citytwin.setView(b.lon + 0.00003, b.lat + 0.00003, b.groundHeight + up, 0, -90),
      [building, floorHeight * 2 + lift + 35] as const,
    );
    await page.waitForTimeout(800);
    const picked = (await pickCentre()) as { kind: string; id: string; properties?: Record<string, unknown> } | null;
    expect(picked?.kind).toBe('room');
    if (interior.source === 'schematic') expect(picked?.id).toMatch(new RegExp(`^${building.id}-F2-`));
    else expect(picked?.properties?.floor).toBe(1); // the package counts floors from 0
    await screenshot('level-L5-interior');
    await page.evaluate(() => window.citytwin.setLevel('L2'));
    expect((await page.evaluate(() => window.citytwin.stats())).interior.buildingId).toBeNull();
    expect((await page.evaluate(() => window.citytwin.stats())).selection?.kind).not.toBe('room');
  });
});

describe('measuring and environment', () => {
  it('measures a distance and an area on the ground', async () => {
    const [cx, cy] = await canvasCentre();
    const measureAtHome = async () => {
      await page.evaluate(() => window.citytwin.home({ duration: 0 }));
      await waitForTiles();
      return page.evaluate(([x, y]) => window.citytwin.measure('distance', [[x - 100, y + 80], [x + 100, y + 80]]), [cx, cy]);
    };
    // Leaving the interior in the test before restores the camera after a moment; a home view
    // taken before that is overridden (seen once in CI under load), so look again until it holds.
    await expect.poll(async () => (await measureAtHome())?.value ?? 0, { timeout: 60_000, interval: 1000 }).toBeGreaterThan(50);
    const distance = await page.evaluate(([x, y]) => window.citytwin.measure('distance', [[x - 100, y + 80], [x + 100, y + 80]]), [cx, cy]);
    expect(distance?.points).toHaveLength(2);
    expect(distance!.value).toBeGreaterThan(50);
    const area = await page.evaluate(([x, y]) => window.citytwin.measure('area', [[x - 80, y + 60], [x + 80, y + 60], [x + 80, y + 140], [x - 80, y + 140]]), [cx, cy]);
    expect(area!.value).toBeGreaterThan(1000);
    await page.click('[data-testid="panel-tab-tools"]');
    await expect.poll(() => page.locator('[data-testid="measure-result"]').textContent()).toContain('m²');
  });

  it('darkens the city at night and lights the lamps', async () => {
    const day = analyse(await screenshot('environment-day'));
    await page.evaluate(() => window.citytwin.setEnvironment({ hour: 22 }));
    await page.waitForTimeout(800);
    expect((await page.evaluate(() => window.citytwin.stats())).environment.night).toBe(1);
    const night = analyse(await screenshot('environment-night'));
    expect(night.brightness).toBeLessThan(day.brightness * 0.8);
    await page.evaluate(() => window.citytwin.setEnvironment({ hour: 10, rain: 0.8, fog: 0.5 }));
    await page.waitForTimeout(800);
    await screenshot('environment-rain-fog');
    await page.evaluate(() => window.citytwin.setEnvironment({ rain: 0, fog: 0 }));
  });
});

describe('underground networks', () => {
  /** Share of pixels in the view's middle that differ between two frames. */
  function changed(a: DecodedPng, b: DecodedPng): number {
    let n = 0;
    let diff = 0;
    for (let y = 160; y < a.height - 60; y += 2) {
      for (let x = 360; x < a.width - 380; x += 2) {
        const i = (y * a.width + x) * 4;
        if (Math.abs(a.rgba[i]! - b.rgba[i]!) + Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) + Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!) > 30) diff++;
        n++;
      }
    }
    return diff / n;
  }

  async function frameWithPipes(on: boolean, name: string): Promise<DecodedPng> {
    await page.evaluate((show) => window.citytwin.setLayer('pipes', show), on);
    // Hiding loads nothing: one redraw is enough.
    if (on) await waitForTiles();
    await page.waitForTimeout(400);
    return screenshot(name);
  }

  it('underground mode shows pipe pixels that are hidden in normal mode, and the cut box opens the ground', async () => {
    // Above the storm manhole most pipes meet at, looking down the road.
    const pipes = JSON.parse(await readFile(path.join(TWIN_DIR, 'layers', 'drainage-pipes.geojson'), 'utf8')) as { features: Array<{ properties: { fromNode: string; toNode: string; network: string } }> };
    const degree = new Map<string, number>();
    for (const { properties: p } of pipes.features) for (const id of [p.fromNode, p.toNode]) if (p.network === 'storm') degree.set(id, (degree.get(id) ?? 0) + 1);
    const nodes = JSON.parse(await readFile(path.join(TWIN_DIR, 'layers', 'drainage-nodes.geojson'), 'utf8')) as { features: Array<{ properties: { id: string; kind: string; rimElevation?: number }; geometry: { coordinates: [number, number] } }> };
    const hub = nodes.features.filter((f) => f.properties.kind === 'manhole').sort((a, b) => (degree.get(b.properties.id) ?? 0) - (degree.get(a.properties.id) ?? 0))[0]!;
    const [lon, lat] = hub.geometry.coordinates;
    await page.evaluate(([x, y, h]) => window.citytwin.setView(x, y - 0.0004, h, 0, -55), [lon, lat, hub.properties.rimElevation! + 45] as [number, number, number]);

    const normalWith = await frameWithPipes(true, 'underground-normal-pipes');
    const normalWithout = await frameWithPipes(false, 'underground-normal-none');
    await page.evaluate(() => window.citytwin.setUnderground({ on: true, groundOpacity: 0.25 }));
    const seeThroughWith = await frameWithPipes(true, 'underground-on-pipes');
    const seeThroughWithout = await frameWithPipes(false, 'underground-on-none');
    const hidden = changed(normalWith, normalWithout);
    const shown = changed(seeThroughWith, seeThroughWithout);
    // The ground hides the pipes in normal mode; seen through, they change a good share of the view.
    expect(hidden).toBeLessThan(0.002);
    expect(shown).toBeGreaterThan(0.01);

    await page.evaluate(([x, y]) => window.citytwin.setUnderground({ groundOpacity: 1, cut: { lon: x, lat: y, widthM: 30, lengthM: 30, headingDeg: 0 } }), [lon, lat] as [number, number]);
    const cut = await frameWithPipes(true, 'underground-cut-pipes');
    // An opaque ground with a 30 m pit in it: against the normal view the pit, and the pipes in it, differ.
    expect(changed(cut, normalWith)).toBeGreaterThan(0.02);
    await page.evaluate(() => window.citytwin.setUnderground({ on: false, cut: null, groundOpacity: 0.35 }));
  });
});

describe('the 2D one map', () => {
  it('selects a pole clicked in 2D in the 3D twin, and highlights a 3D selection in 2D', async () => {
    await page.evaluate(() => window.citytwin.setMode('2d'));
    const map = page.locator('[data-testid="analysis-map-canvas"] canvas');
    await map.waitFor({ timeout: 60_000 });
    const pole = poles[300]!;
    // deck.gl projects, draws and picks once its map and data are in: ask until it does.
    const project = async (): Promise<[number, number]> => (await page.evaluate((p) => window.citytwin.project2d(p.lon, p.lat), pole))!;
    await expect.poll(async () => page.evaluate(([x, y]) => window.citytwin.pick2d(x, y), await project()), { timeout: 30_000 }).toEqual({ kind: 'pole', id: pole.id });
    const at = await project();
    await map.click({ position: { x: at[0], y: at[1] } });
    await expect.poll(() => page.evaluate(() => window.citytwin.stats().selection?.id)).toBe(pole.id);
    expect(await page.locator('[data-testid="attribute-panel"]').getAttribute('data-id')).toBe(pole.id);

    // Selected elsewhere (3D, search): the map centres on it and rings it in the highlight colour.
    const other = poles[1200]!;
    expect(await page.evaluate((id) => window.citytwin.select('pole', id), other.id)).toBe(true);
    const mapBox = (await map.boundingBox())!;
    // Highlight-coloured pixels around where the map now draws the pole; the map moves there and
    // redraws over a moment, so look again until it has.
    const highlighted = async (): Promise<number> => {
      const ring = (await page.evaluate((p) => window.citytwin.project2d(p.lon, p.lat), other))!;
      const img = await screenshot('one-map');
      let highlight = 0;
      for (let y = Math.round(mapBox.y + ring[1] - 16); y <= mapBox.y + ring[1] + 16; y++) {
        for (let x = Math.round(mapBox.x + ring[0] - 16); x <= mapBox.x + ring[0] + 16; x++) {
          const i = (y * img.width + x) * 4;
          if (Math.abs(img.rgba[i]! - 255) < 30 && Math.abs(img.rgba[i + 1]! - 204) < 30 && Math.abs(img.rgba[i + 2]! - 51) < 40) highlight++;
        }
      }
      return highlight;
    };
    await expect.poll(highlighted, { timeout: 30_000, interval: 500 }).toBeGreaterThan(10);
    await page.evaluate(() => window.citytwin.setMode('3d'));
    expectCleanPages([session]);
  });
});
