/**
 * The three simulation panels in the real UI: `citytwin serve` (the CLI, a fresh state folder) →
 * Chromium. Without a login each panel explains that running needs a planner (or leader,
 * dispatcher, admin) on the cases tab; the planner signs in there, then on the twin runs a
 * green-wave study (time–space diagram with its bands, before/after table), a short traffic run
 * (progress to done, KPIs, vehicles drawn in playback) and two short storms (water frames drawn,
 * time slider moving, hit lists, side-by-side comparison). Runs are kept short through the
 * panels' own inputs so the file stays within a few minutes on two shared cores. The planning
 * tab then shows the two storms in a split screen, the green-wave study against the signals as
 * they run now (junction timings, section delays, the corridor coloured on both halves), cuts the city with a section plane, marks
 * what an observer sees past a wall and finds less winter sun north of a tall tower.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';
import { decodePng, type DecodedPng } from '../support/pngDecode';
import type { BuildingRecord, PoleRecord } from '../../domain/twinPackage';

const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');
/** DOM steps: one request or one re-render, slowed by software WebGL on the page's thread. */
const STEP_MS = 20_000;
/** A whole scenario run on the loaded machine (the 15-minute storm takes 40–130 s here). */
const RUN_MS = 240_000;

let server: CliServer;
let browser: Browser;
let session: OfflinePage;
let page: Page;
/** The two storms the flood test runs (heavy, then light), for the split screen. */
const storms: { heavy?: string; light?: string } = {};
/** The green-wave study the green-wave test runs, compared with its "before" on the planning tab. */
let greenWaveId = '';

const byTestId = (id: string): Locator => page.locator(`[data-testid="${id}"]`);

async function screenshot(name: string): Promise<DecodedPng> {
  const png = await page.screenshot({ type: 'png' });
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${name}.png`), png);
  return decodePng(png);
}

/** Share of pixels in a rectangle whose colour differs clearly between two screenshots. */
function changedShare(a: DecodedPng, b: DecodedPng, rect: { x: number; y: number; w: number; h: number }): number {
  let changed = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * a.width + x) * 4;
      const d = Math.abs(a.rgba[i]! - b.rgba[i]!) + Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) + Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!);
      if (d > 40) changed++;
    }
  }
  return changed / (rect.w * rect.h);
}

async function openTab(id: string): Promise<void> {
  await byTestId(`panel-tab-${id}`).click();
  await byTestId(`${id}-panel`).waitFor({ timeout: STEP_MS });
}

/** Sets a number input the way a user types into it (v-model.number listens to input events). */
async function setNumber(testId: string, value: number): Promise<void> {
  await byTestId(testId).fill(String(value));
}

/**
 * Clicks the panel's run button and waits until the new run is the one shown (the earlier run's
 * status stays on the panel until the server has accepted the new one); returns its id.
 */
async function startRun(panel: string): Promise<string> {
  const runs = page.locator(`[data-testid="${panel}-panel"] li[data-scenario-id]`);
  const before = new Set(await runs.evaluateAll((els) => els.map((el) => el.getAttribute('data-scenario-id'))));
  await byTestId(`${panel}-run`).click();
  const active = page.locator(`[data-testid="${panel}-panel"] li.active[data-scenario-id]`);
  await expect.poll(async () => ((await active.count()) === 1 ? !before.has(await active.getAttribute('data-scenario-id')) : false), { timeout: STEP_MS }).toBe(true);
  return (await active.getAttribute('data-scenario-id'))!;
}

/** Waits until a run has finished and returns its status. */
async function waitForRun(panel: string, id: string): Promise<string> {
  const run = page.locator(`[data-testid="${panel}-panel"] li[data-scenario-id="${id}"]`);
  await expect.poll(() => run.getAttribute('data-status'), { timeout: RUN_MS, interval: 1000 }).toMatch(/^(done|failed|cancelled)$/);
  return (await run.getAttribute('data-status'))!;
}

/** Moves a range input as a drag would: value set, input event fired. */
async function slide(testId: string, value: number): Promise<void> {
  await byTestId(testId).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function waitForTiles(): Promise<void> {
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout: 120_000, polling: 500 });
}

const numberIn = (text: string | null): number => Number(/-?\d+(\.\d+)?/.exec(text ?? '')?.[0] ?? Number.NaN);

beforeAll(async () => {
  // No device simulator: nothing else competes with the scenario runs for the two cores.
  server = await startCliServer(['--no-simulator']);
  browser = await launchChromium();
  // A smaller window at half resolution: software WebGL on two shared cores has few pixels to draw.
  session = await openOfflinePage(browser, server.httpUrl, { viewport: { width: 1024, height: 720 } });
  page = session.page;
  await page.goto(`${server.httpUrl}/?panel=greenwave&msaa=1&lang=en&resolutionScale=0.5`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the simulation panels in the browser', () => {
  it('asks for a sign-in with a running role instead of failing, in English and Chinese', async () => {
    // The page is busy drawing its first tiles in software for a while: clicks wait for them
    // (the first tab click took 34 s on a loaded machine, past Playwright's 30 s).
    await waitForTiles();
    for (const panel of ['greenwave', 'traffic', 'flood']) {
      await openTab(panel);
      expect(await byTestId(`${panel}-sign-in-hint`).textContent()).toContain('planner, leader, dispatcher or administrator on the Cases tab');
      expect(await byTestId(`${panel}-run`).isDisabled()).toBe(true);
    }
    const zh = await openOfflinePage(browser, server.httpUrl, { locale: 'zh-CN', viewport: { width: 800, height: 600 } });
    // Only the words are checked here: a quarter of the resolution keeps its 3D start cheap.
    await zh.page.goto(`${server.httpUrl}/?panel=flood&msaa=1&resolutionScale=0.25`);
    await expect.poll(() => zh.page.locator('[data-testid="flood-sign-in-hint"]').textContent(), { timeout: STEP_MS }).toContain('“案件”标签页');
    await zh.page.close();
    expect(zh.foreignRequests).toEqual([]);

    // The planner signs in on the cases tab; every panel then offers its run button.
    await openTab('cases');
    await byTestId('cases-login-username').fill('planner');
    await byTestId('cases-login-password').fill('planner-demo');
    await byTestId('cases-login-submit').click();
    await byTestId('cases-user').waitFor({ timeout: STEP_MS });
    await openTab('greenwave');
    expect(await byTestId('greenwave-sign-in-hint').count()).toBe(0);
    expect(await byTestId('greenwave-run').isDisabled()).toBe(false);
  });

  it('runs a green wave on the twin and draws its bands and before/after figures', async () => {
    const started = Date.now();
    await byTestId('greenwave-network').selectOption('twin');
    greenWaveId = await startRun('greenwave');
    expect(await waitForRun('greenwave', greenWaveId)).toBe('done');
    const diagram = byTestId('greenwave-diagram');
    await diagram.waitFor({ timeout: STEP_MS });
    // Both directions have a band: the optimum of a coordinated arterial is never zero both ways.
    expect(await diagram.locator('polygon[data-band="outbound"]').count()).toBeGreaterThan(0);
    expect(await diagram.locator('polygon[data-band="inbound"]').count()).toBeGreaterThan(0);
    const points = await diagram.locator('polygon[data-band]').first().getAttribute('points');
    expect(points?.trim().split(/\s+/).length).toBeGreaterThanOrEqual(3);

    const table = byTestId('greenwave-kpis');
    await table.waitFor({ timeout: STEP_MS });
    // Per direction the travel time before and after is a positive number of seconds.
    const travel = table.locator('tr', { hasText: 'travel time' });
    expect(await travel.count()).toBe(2);
    for (const row of await travel.all()) {
      const cells = await row.locator('td').allTextContents();
      expect(numberIn(cells[1]!)).toBeGreaterThan(0);
      expect(numberIn(cells[2]!)).toBeGreaterThan(0);
    }
    expect(numberIn(await byTestId('greenwave-plan').locator('div', { hasText: /^Cycle/ }).locator('dd').textContent())).toBeGreaterThanOrEqual(60);
    await screenshot('sim-greenwave');
    console.info(`green wave on the twin: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('runs a short traffic scenario and plays its vehicles back', async () => {
    const started = Date.now();
    await openTab('traffic');
    await setNumber('traffic-vehicles', 600);
    await setNumber('traffic-minutes', 4);
    const id = await startRun('traffic');
    // Progress arrives on the live socket: the shown run's status follows it to done.
    expect(await waitForRun('traffic', id)).toBe('done');
    await expect.poll(() => byTestId('traffic-panel').getAttribute('data-selected-status'), { timeout: STEP_MS }).toBe('done');
    const kpis = byTestId('traffic-kpis');
    await kpis.waitFor({ timeout: STEP_MS });
    expect(numberIn(await kpis.locator('div', { hasText: 'Trips' }).locator('dd').textContent())).toBeGreaterThan(0);
    expect(numberIn(await kpis.locator('div', { hasText: 'Vehicle updates' }).locator('dd').textContent())).toBeGreaterThan(0);

    // Half way through the run vehicles are on the road and drawn as points on the 3D roads.
    const slider = byTestId('traffic-time');
    await slider.waitFor({ timeout: STEP_MS });
    const end = Number(await slider.getAttribute('max'));
    expect(end).toBeGreaterThan(0);
    await slide('traffic-time', Math.round(end / 2));
    const shown = byTestId('traffic-vehicles-shown');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: STEP_MS }).toBeGreaterThan(0);

    // Play moves the clock on and keeps drawing.
    await byTestId('traffic-play').click();
    await expect.poll(async () => Number(await slider.inputValue()), { timeout: STEP_MS }).toBeGreaterThan(Math.round(end / 2));
    await screenshot('sim-traffic');
    console.info(`traffic, 4 simulated minutes: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('runs two short storms, plays the water, lists what is hit and compares them', async () => {
    const started = Date.now();
    await openTab('flood');
    // The heavier storm first: a 100-year, 15-minute burst with no drainage leaves standing water.
    await byTestId('flood-return-period').selectOption('100');
    await setNumber('flood-storm-minutes', 15);
    await setNumber('flood-drainage', 0);
    await setNumber('flood-sim-minutes', 15);
    storms.heavy = await startRun('flood');
    expect(await waitForRun('flood', storms.heavy)).toBe('done');
    const heavy = Date.now();

    const playback = byTestId('flood-playback');
    await playback.waitFor({ timeout: STEP_MS });
    const drawnBefore = Number(await playback.getAttribute('data-frames-drawn'));
    const slider = byTestId('flood-time');
    const end = Number(await slider.getAttribute('max'));
    expect(end).toBeGreaterThanOrEqual(15 * 60);
    // At the storm's end the depth frame paints water.
    await slide('flood-time', end);
    await expect.poll(async () => Number(await playback.getAttribute('data-frames-drawn')), { timeout: STEP_MS }).toBeGreaterThan(drawnBefore);
    expect(Number(await playback.getAttribute('data-wet-cells'))).toBeGreaterThan(0);
    // On screen: hiding the water surface changes a visible part of the district's pixels.
    await page.waitForTimeout(2000);
    const withWater = await screenshot('sim-flood-water');
    const show = playback.locator('input[type="checkbox"]');
    await show.uncheck();
    await page.waitForTimeout(2000);
    const withoutWater = await screenshot('sim-flood-no-water');
    expect(changedShare(withWater, withoutWater, { x: 340, y: 200, w: 680, h: 500 })).toBeGreaterThan(0.01);
    await show.check();
    await expect.poll(async () => Number(await playback.getAttribute('data-frames-drawn')), { timeout: STEP_MS }).toBeGreaterThan(0);
    // Play starts over from the beginning and the slider moves on by itself.
    await byTestId('flood-play').click();
    await expect.poll(async () => Number(await slider.inputValue()), { timeout: STEP_MS }).toBeGreaterThan(0);

    const hits = byTestId('flood-hits');
    await hits.waitFor({ timeout: STEP_MS });
    // A 100-year burst without drainage has hotspots; the hit list counts what the KPIs count.
    expect(numberIn(await hits.locator('summary', { hasText: 'Hotspots' }).textContent())).toBeGreaterThan(0);
    const buildingsHit = numberIn(await byTestId('flood-kpis').locator('div', { hasText: /^Buildings hit/ }).locator('dd').textContent());
    expect(buildingsHit).toBeGreaterThan(0);
    expect(numberIn(await hits.locator('summary', { hasText: 'Buildings hit' }).textContent())).toBe(buildingsHit);
    await screenshot('sim-flood');

    // A light storm to compare with: 2-year, 5 minutes, the default drainage.
    await byTestId('flood-return-period').selectOption('2');
    await setNumber('flood-storm-minutes', 5);
    await setNumber('flood-drainage', 30);
    await setNumber('flood-sim-minutes', 5);
    storms.light = await startRun('flood');
    expect(await waitForRun('flood', storms.light)).toBe('done');
    expect(await page.locator('[data-testid="flood-panel"] li[data-scenario-id]').count()).toBe(2);

    const toggles = byTestId('flood-compare-toggle');
    await toggles.nth(0).check();
    await toggles.nth(1).check();
    const compare = byTestId('flood-compare');
    await compare.waitFor({ timeout: STEP_MS });
    expect(await compare.locator('thead th').count()).toBe(3);
    // The heavier storm (listed second, runs are newest first) puts more rain on the district.
    const rain = (await compare.locator('tr', { hasText: /^Rain volume/ }).locator('td').allTextContents()).map((s) => numberIn(s.replace(/,/g, '')));
    expect(rain[2]!).toBeGreaterThan(rain[1]!);
    expect(rain[1]!).toBeGreaterThan(0);
    await screenshot('sim-flood-compare');
    console.info(`flood: 15-min storm ${((heavy - started) / 1000).toFixed(1)} s, both with comparison ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('shows the two storms side by side on one camera, with their KPI table', async () => {
    const started = Date.now();
    await openTab('planning');
    await byTestId('compare-kind-flood').click();
    await byTestId('compare-a').selectOption(storms.heavy!);
    await byTestId('compare-b').selectOption(storms.light!);
    await byTestId('compare-mode-swipe').click();
    await byTestId('compare-show').click();
    const kpis = byTestId('compare-kpis');
    await kpis.waitFor({ timeout: STEP_MS });
    // A is the heavy storm: B − A is negative rain volume.
    const rain = (await kpis.locator('tr', { hasText: /^Rain volume/ }).locator('td').allTextContents()).map((t) => numberIn(t.replace(/,/g, '')));
    expect(rain[1]!).toBeGreaterThan(rain[2]!);
    expect(rain[3]!).toBeLessThan(0);
    await page.evaluate(() => window.citytwin.planning.split(0.6));
    const splitter = byTestId('compare-splitter');
    expect(await splitter.isVisible()).toBe(true);
    await waitForTiles();
    await page.waitForTimeout(1500);
    const heavyLeft = await screenshot('plan-split-heavy-left');
    // The same two results the other way round: both sides of the split change.
    const swapped = await page.evaluate(([a, b]) => window.citytwin.planning.compare('flood', a, b, 'swipe'), [storms.light!, storms.heavy!] as [string, string]);
    expect(swapped.ok).toBe(true);
    expect(swapped.splitPosition).toBeCloseTo(0.6, 6);
    await waitForTiles();
    await page.waitForTimeout(1500);
    const lightLeft = await screenshot('plan-split-light-left');
    const canvas = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
    const panel = (await byTestId('planning-panel').boundingBox())!;
    const splitX = Math.round(canvas.x + canvas.width * 0.6);
    const left = { x: Math.round(panel.x + panel.width) + 10, y: 150, w: splitX - 20 - Math.round(panel.x + panel.width) - 10, h: 500 };
    const right = { x: splitX + 20, y: 150, w: Math.round(canvas.x + canvas.width) - splitX - 40, h: 500 };
    const changedLeft = changedShare(heavyLeft, lightLeft, left);
    const changedRight = changedShare(heavyLeft, lightLeft, right);
    expect(changedLeft).toBeGreaterThan(0.002);
    expect(changedRight).toBeGreaterThan(0.002);
    // Linked cameras: there is one camera; dragging the splitter only moves the split.
    const camera = await page.evaluate(() => window.citytwin.stats().camera);
    const bar = (await splitter.boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.8, bar.y + bar.height / 2, { steps: 4 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.citytwin.planning.split())).toBeCloseTo(0.8, 1);
    expect(await page.evaluate(() => window.citytwin.stats().camera)).toEqual(camera);
    console.info(`split screen: left ${(changedLeft * 100).toFixed(1)} %, right ${(changedRight * 100).toFixed(1)} % of pixels changed on swapping; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('compares the green-wave study with the signals as they run now, the corridor coloured on both halves', async () => {
    const started = Date.now();
    await openTab('planning');
    await byTestId('compare-kind-greenwave').click();
    await byTestId('compare-a').selectOption(`before:${greenWaveId}`);
    await byTestId('compare-b').selectOption(greenWaveId);
    await byTestId('compare-mode-swipe').click();
    await byTestId('compare-show').click();
    const kpis = byTestId('compare-kpis');
    await kpis.waitFor({ timeout: STEP_MS });
    const cells = async (label: RegExp): Promise<number[]> => (await kpis.locator('tr', { hasText: label }).locator('td').allTextContents()).map((t) => numberIn(t.replace(/,/g, '')));
    // Before: all greens together, no band; the plan has one and fewer stops along the arterial.
    const band = await cells(/^Band outbound/);
    expect(band[1]!).toBe(0);
    expect(band[2]! + (await cells(/^Band inbound/))[2]!).toBeGreaterThan(0);
    expect((await cells(/^Stops, arterial/))[3]!).toBeLessThan(0);
    // One row per coordinated junction (the green-wave panel's diagram draws the same ones).
    expect(await byTestId('compare-gw-junctions').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await byTestId('compare-gw-sections').locator('tbody tr td.better').count()).toBeGreaterThan(0);
    // On the map: the split through the corridor's middle; A (before) red where it is worse, B (plan) green where better.
    const box = (await page.evaluate(() => window.citytwin.planning.compareCorridor()))!;
    expect(box).not.toBeNull();
    const canvas = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
    const panelRight = await byTestId('planning-panel').evaluate((el) => el.getBoundingClientRect().right);
    // The corridor's box on the page (project gives canvas pixels), right of the panel.
    const corners = (await page.evaluate((b) => [window.citytwin.planning.project(b.west, b.south, 0), window.citytwin.planning.project(b.east, b.north, 0)], box)).map((c) => [canvas.x + c![0], canvas.y + c![1]]);
    const xs = corners.map((c) => c[0]!);
    const ys = corners.map((c) => c[1]!);
    const xMin = Math.max(panelRight + 4, Math.min(...xs) - 10);
    const xMax = Math.min(canvas.x + canvas.width - 1, Math.max(...xs) + 10);
    const splitX = (xMin + xMax) / 2;
    await page.evaluate((p) => window.citytwin.planning.split(p), (splitX - canvas.x) / canvas.width);
    await waitForTiles();
    await page.waitForTimeout(1500);
    const shown = await screenshot('plan-split-greenwave');
    await page.evaluate(() => window.citytwin.planning.stopCompare());
    await page.waitForTimeout(1500);
    const plain = await screenshot('plan-split-greenwave-off');
    const y0 = Math.max(0, Math.round(Math.min(...ys)) - 10);
    const y1 = Math.min(shown.height, Math.round(Math.max(...ys)) + 10);
    /** Pixels that the comparison changed to a colour of `hue`, between x0 and x1. */
    const count = (x0: number, x1: number, hue: (r: number, g: number, b: number) => boolean): number => {
      let n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = Math.round(x0); x < Math.round(x1); x++) {
          const i = (y * shown.width + x) * 4;
          const [r, g, b] = [shown.rgba[i]!, shown.rgba[i + 1]!, shown.rgba[i + 2]!];
          const changed = Math.abs(r - plain.rgba[i]!) + Math.abs(g - plain.rgba[i + 1]!) + Math.abs(b - plain.rgba[i + 2]!) > 60;
          if (changed && hue(r, g, b)) n++;
        }
      }
      return n;
    };
    const red = (r: number, g: number, b: number): boolean => r > 170 && g < 140 && b < 110;
    const green = (r: number, g: number, b: number): boolean => g > 150 && r < 150 && b < 150;
    const leftRed = count(xMin, splitX - 4, red);
    const rightGreen = count(splitX + 4, xMax, green);
    expect(leftRed).toBeGreaterThan(20);
    expect(rightGreen).toBeGreaterThan(20);
    // Mirror images of one difference: A mostly red where B is mostly green.
    expect(count(xMin, splitX - 4, green)).toBeLessThan(leftRed);
    expect(count(splitX + 4, xMax, red)).toBeLessThan(rightGreen);
    console.info(`green wave side by side: ${leftRed} red px left, ${rightGreen} green px right; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('cuts the city with a section plane: buildings beyond it go, those before it stay', async () => {
    const started = Date.now();
    await waitForTiles();
    await openTab('planning');
    await page.evaluate(() => window.citytwin.planning.stopCompare());
    // A vertical plane through the camera, across its heading, is the canvas's vertical centre
    // line: whatever lies right of it is cut away, what lies left of it stays. The view is the one
    // the split screen left, so its tiles are loaded.
    const camera = (await page.evaluate(() => window.citytwin.planning.cameraPose()))!;
    await waitForTiles();
    await page.waitForTimeout(500);
    const whole = await screenshot('plan-section-before');
    await byTestId('section-plane').click();
    // Anchored on the ground under the screen's centre, straight ahead of the camera: the same plane.
    const aheadM = camera.height / Math.tan((-camera.pitchDeg * Math.PI) / 180);
    const heading = (camera.headingDeg * Math.PI) / 180;
    const anchor = { lon: camera.lon + (aheadM * Math.sin(heading)) / (111_320 * Math.cos((camera.lat * Math.PI) / 180)), lat: camera.lat + (aheadM * Math.cos(heading)) / 110_900, height: 0 };
    await page.evaluate(([a, h]) => {
      const planning = window.citytwin.planning;
      planning.setSection({ anchor: a, plane: { ...planning.section().state.plane, orientation: 'vertical', headingDeg: h + 90, offsetM: 0 } });
    }, [anchor, camera.headingDeg] as [typeof anchor, number]);
    await expect.poll(() => page.evaluate(() => window.citytwin.planning.section().clippedTilesets), { timeout: STEP_MS }).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    const cut = await screenshot('plan-section-plane');
    const canvas = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
    const panel = (await byTestId('planning-panel').boundingBox())!;
    const cx = Math.round(canvas.x + canvas.width / 2);
    const westX = Math.round(panel.x + panel.width) + 10;
    const left = changedShare(whole, cut, { x: westX, y: 120, w: cx - 30 - westX, h: 520 });
    const right = changedShare(whole, cut, { x: cx + 30, y: 120, w: Math.round(canvas.x + canvas.width) - cx - 40, h: 520 });
    expect(right).toBeGreaterThan(0.03);
    expect(left).toBeLessThan(right / 4);
    // The plane's handle, dragged 80 px to the left in the scene, moves the plane that way (a
    // negative offset across the view) and not the camera.
    const handle = (await page.evaluate((a) => window.citytwin.planning.project(a.lon, a.lat, a.height), anchor))!;
    await page.mouse.move(canvas.x + handle[0], canvas.y + handle[1]);
    await page.mouse.down();
    await page.mouse.move(canvas.x + handle[0] - 80, canvas.y + handle[1], { steps: 4 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.citytwin.planning.section().state.plane.offsetM)).toBeLessThan(-5);
    const after = (await page.evaluate(() => window.citytwin.planning.cameraPose()))!;
    expect(after.headingDeg).toBeCloseTo(camera.headingDeg, 3);
    expect(after.height).toBeCloseTo(camera.height, 0);
    await byTestId('section-off').click();
    console.info(`section plane: ${(right * 100).toFixed(1)} % of pixels right of it changed, ${(left * 100).toFixed(1)} % left; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('marks the ground behind a wall placed in front of an observer as hidden, in front as visible', async () => {
    const started = Date.now();
    const read = async <T,>(name: string): Promise<T> => JSON.parse(await readFile(path.join(REPO_ROOT, 'data', 'demo', 'twin', 'layers', name), 'utf8')) as T;
    const [poles, buildings] = await Promise.all([read<PoleRecord[]>('poles.json'), read<BuildingRecord[]>('buildings.json')]);
    // Open ground: the pole farthest from any building.
    const mPerDegLat = 110_900;
    const mPerDegLon = 111_320 * Math.cos((poles[0]!.lat * Math.PI) / 180);
    const clearance = (p: PoleRecord): number => Math.min(...buildings.map((b) => Math.hypot((b.lon - p.lon) * mPerDegLon, (b.lat - p.lat) * mPerDegLat)));
    const pole = poles.filter((_, i) => i % 5 === 0).reduce((best, p) => (clearance(p) > clearance(best) ? p : best));
    expect(clearance(pole)).toBeGreaterThan(80);
    const at = (eastM: number, northM: number): [number, number] => [pole.lon + eastM / mPerDegLon, pole.lat + northM / mPerDegLat];
    const [wallLon, wallLat] = at(0, 12);
    await page.evaluate(([x, y]) => window.citytwin.planning.placeProposal({ lon: x, lat: y, widthM: 40, depthM: 1, heightM: 5, headingDeg: 0 }), [wallLon, wallLat] as [number, number]);
    const summary = await page.evaluate(([x, y]) => window.citytwin.planning.viewshed({ lon: x, lat: y, eyeM: 1.7, rangeM: 60 }), [pole.lon, pole.lat] as [number, number]);
    expect(await page.evaluate(() => window.citytwin.planning.error())).toBeNull();
    expect(summary!.hidden).toBeGreaterThan(50);
    const cell = (e: number, n: number): Promise<number | undefined> => page.evaluate(([x, y]) => window.citytwin.planning.rasterAt(x, y).then((r) => r?.value), at(e, n));
    const front = [await cell(0, 6), await cell(-10, 8), await cell(0, -25)];
    const behind = [await cell(0, 25), await cell(5, 35), await cell(-8, 20)];
    expect(front).toEqual([2, 2, 2]);
    expect(behind).toEqual([1, 1, 1]);
    // Past the wall's end the view is open again.
    expect(await cell(45, 25)).toBe(2);

    // On screen, from above: red behind the wall, green in front of it.
    await page.evaluate(([x, y]) => window.citytwin.setView(x, y, 160, 0, -90), at(0, 5));
    await waitForTiles();
    await page.waitForTimeout(500);
    const img = await screenshot('plan-viewshed');
    const canvas = (await page.locator('[data-testid="twin-view"] canvas').boundingBox())!;
    const colourAt = async (e: number, n: number): Promise<[number, number, number]> => {
      const [x, y] = at(e, n);
      const p = (await page.evaluate(([a, b, h]) => window.citytwin.planning.project(a, b, h), [x, y, pole.groundHeight] as [number, number, number]))!;
      const sum = [0, 0, 0];
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        const i = (Math.round(canvas.y + p[1] + dy) * img.width + Math.round(canvas.x + p[0] + dx)) * 4;
        for (let k = 0; k < 3; k++) sum[k] += img.rgba[i + k]!;
      }
      return sum.map((v) => v / 25) as [number, number, number];
    };
    const seen = await colourAt(0, -20);
    const hidden = await colourAt(0, 28);
    expect(seen[1]).toBeGreaterThan(seen[0] + 20);
    expect(hidden[0]).toBeGreaterThan(hidden[1] + 20);

    // Without the wall the same ground is seen.
    await page.evaluate(() => window.citytwin.planning.placeProposal(null));
    await page.evaluate(([x, y]) => window.citytwin.planning.viewshed({ lon: x, lat: y, eyeM: 1.7, rangeM: 60 }), [pole.lon, pole.lat] as [number, number]);
    expect([await cell(0, 25), await cell(5, 35), await cell(-8, 20)]).toEqual([2, 2, 2]);
    console.info(`viewshed at ${pole.id}: ${summary!.visible} visible, ${summary!.hidden} hidden cells behind a 5 m wall, timings ${JSON.stringify(summary!.timings)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('finds fewer winter-solstice sun hours north of a tall tower than south of it', async () => {
    const started = Date.now();
    const buildings = JSON.parse(await readFile(path.join(REPO_ROOT, 'data', 'demo', 'twin', 'layers', 'buildings.json'), 'utf8')) as BuildingRecord[];
    // The tower that stands most above its neighbours within 160 m (in the demo: 126 m among ≤ 50 m).
    const m = (a: BuildingRecord, b: BuildingRecord): number => Math.hypot((a.lon - b.lon) * 102_600, (a.lat - b.lat) * 110_900);
    const lead = (t: BuildingRecord): number => t.height - Math.max(0, ...buildings.filter((b) => b !== t && m(t, b) < 160).map((b) => b.height));
    const tower = buildings.filter((b) => b.height >= 60).reduce((a, b) => (lead(b) > lead(a) ? b : a));
    expect(lead(tower)).toBeGreaterThan(30);
    const summary = await page.evaluate(([x, y]) => window.citytwin.planning.sunHours({ lon: x, lat: y, radiusM: 100, cellM: 4, stepMinutes: 15, window: 'planning', date: '2026-12-21' }), [tower.lon, tower.lat] as [number, number]);
    expect(await page.evaluate(() => window.citytwin.planning.error())).toBeNull();
    expect(summary!.steps).toBe(24);
    expect(summary!.facadeSamples).toBeGreaterThan(0);
    const hoursAt = (northM: number): Promise<number | undefined> =>
      page.evaluate(([x, y]) => window.citytwin.planning.rasterAt(x, y).then((r) => r?.value), [tower.lon, tower.lat + northM / 110_900] as [number, number]);
    const mean = async (sign: number): Promise<number> => {
      const values: number[] = [];
      for (let d = 40; d <= 95; d += 5) {
        const v = await hoursAt(sign * d);
        if (v !== undefined && !Number.isNaN(v)) values.push(v);
      }
      expect(values.length).toBeGreaterThan(2);
      return values.reduce((s, v) => s + v, 0) / values.length;
    };
    const north = await mean(1);
    const south = await mean(-1);
    expect(north).toBeLessThan(south - 0.5);
    console.info(`sun hours by ${tower.id} (${tower.height} m): north ${north.toFixed(2)} h, south ${south.toFixed(2)} h; ${summary!.groundCells} cells, ${summary!.facadeSamples} facade points, timings ${JSON.stringify(summary!.timings)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('stayed offline throughout without page errors', () => {
    expectCleanPages([session]);
  });
});
