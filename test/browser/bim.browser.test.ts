/**
 * The indoor/BIM viewer (three.js + 3d-tiles-renderer's metadata plugins) on a twin built with
 * `citytwin tiles build --ifc` from buildingSMART's Duplex Apartment: opened by URL for one
 * building, it lists the IFC's storeys, isolates one, switches a category off, and a click on a
 * room picks the IfcSpace whose GlobalId, number, name and area the IFC file states — and that
 * room becomes the twin's selection. Then a walk at eye height on that storey, and back to the
 * twin at the building's interior with the room still selected.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRecord } from '../../domain/twinPackage';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'real', 'duplex.ifc.gz');

let workDir: string;
let building: BuildingRecord;
let server: CliServer;
let browser: Browser;
let session: OfflinePage;
let page: Page;
let living: { globalId: string; name: string; longName: string };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'citytwin-bim-'));
  const twinDir = path.join(workDir, 'twin');
  await promisify(execFile)(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'tiles', 'build', '--ifc', FIXTURE, '--at', '102.71,25.04', '--basemap-px', '256', '--out', twinDir],
    { cwd: REPO_ROOT, timeout: 120_000 },
  );
  building = (JSON.parse(await readFile(path.join(twinDir, 'layers/buildings.json'), 'utf8')) as BuildingRecord[])[0]!;
  // The oracle: the IFC file's own IFCSPACE line for room A102 (GlobalId, Name, …, LongName).
  const text = gunzipSync(await readFile(FIXTURE)).toString('latin1');
  const m = /^#\d+=IFCSPACE\('([^']*)',[^,]*,'(A102)',(?:'[^']*'|\$),(?:'[^']*'|\$),#\d+,#\d+,'([^']*)'/m.exec(text)!;
  living = { globalId: m[1]!, name: m[2]!, longName: m[3]! };
  server = await startCliServer(['--twin', twinDir, '--no-simulator']);
  browser = await launchChromium();
  session = await openOfflinePage(browser, server.httpUrl, { viewport: { width: 960, height: 600 } });
  page = session.page;
  await page.goto(`${server.httpUrl}/?lang=en&resolutionScale=0.5&bim=${encodeURIComponent(building.id)}`);
  await page.waitForFunction(() => window.citytwinBim?.state().status === 'ready', undefined, { timeout: 120_000, polling: 250 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the indoor/BIM viewer', () => {
  it('opens the IFC building with its storeys and elements', async () => {
    const state = await page.evaluate(() => window.citytwinBim.state());
    expect(state.buildingId).toBe(building.id);
    expect(state.storeys.map((s) => s.name)).toEqual(['T/FDN', 'Level 1', 'Level 2', 'Roof']);
    expect(state.elements).toBe(236);
    expect(state.visibleStoreys).toEqual([0, 1, 2, 3]);
    expect(state.visibleCategories).toContain('space');
    expect(state.visibleCategories).not.toContain('furniture');
  });

  it('isolates a storey and switches a category off', async () => {
    await page.selectOption('[data-testid="bim-storey"]', '1');
    await expect.poll(() => page.evaluate(() => window.citytwinBim.state().visibleStoreys)).toEqual([1]);
    await page.uncheck('[data-testid="bim-category-covering"]');
    const categories = await page.evaluate(() => window.citytwinBim.state().visibleCategories);
    expect(categories).not.toContain('covering');
    expect(categories).toEqual(expect.arrayContaining(['space', 'wall', 'door', 'window']));
  });

  it('picks a room whose metadata matches the IFC and hands it to the twin', async () => {
    const at = await page.evaluate((g) => window.citytwinBim.screenPointOf(g), living.globalId);
    expect(at).not.toBeNull();
    const canvas = (await page.locator('[data-testid="bim-canvas"]').boundingBox())!;
    await page.mouse.click(canvas.x + at!.x, canvas.y + at!.y);
    await expect.poll(() => page.evaluate(() => window.citytwinBim.state().picked?.globalId ?? null)).toBe(living.globalId);
    const picked = (await page.evaluate(() => window.citytwinBim.state().picked))!;
    expect(picked).toMatchObject({ name: living.name, longName: living.longName, category: 'space', ifcType: 'IfcSpace', storey: 'Level 1', buildingId: building.id });
    // #68 IFCQUANTITYAREA('GSA BIM Area',$,$,30.14164524999992) of A102.
    expect(picked.areaM2).toBeCloseTo(30.14, 2);
    expect(await page.locator('[data-testid="bim-picked"]').textContent()).toContain('Living Room');
    const selection = await page.evaluate(() => window.citytwin.stats().selection);
    expect(selection).toMatchObject({ kind: 'room', id: living.globalId, buildingId: building.id, properties: { name: 'A102', longName: 'Living Room' } });
  });

  it('walks at eye height on the isolated storey', async () => {
    await page.click('[data-testid="bim-walk"]');
    await expect.poll(() => page.evaluate(() => window.citytwinBim.state().walking)).toBe(true);
    const state = await page.evaluate(() => window.citytwinBim.state());
    // Level 1 is at 0 m: the eye 1.6 m above its floor.
    expect(state.camera![1]).toBeCloseTo(state.storeys[1]!.elevationM + 1.6, 2);
    // Back to the twin: at the building's interior, the picked room still its selection.
    await page.click('[data-testid="bim-close"]');
    await expect.poll(() => page.evaluate(() => window.citytwinBim.state().status)).toBe('closed');
    await expect.poll(() => page.evaluate(() => window.citytwin.stats().interior.buildingId)).toBe(building.id);
    expect(await page.evaluate(() => window.citytwin.stats().selection?.id)).toBe(living.globalId);
    expectCleanPages([session]);
  });
});
