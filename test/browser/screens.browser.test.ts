/**
 * The leader's screens in Chromium against the real `citytwin serve`: the arc layout at
 * 5760×1080, 7680×2160 and 11520×2160 (checked from DOM boxes: twin centred, KPI wings on the
 * sides, type sized for the wall), and exhibition mode's tour advancing through its stops,
 * pausing on input and resuming when idle. Low resolutionScale keeps the huge canvases cheap.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenLayout } from '../../client/src/features/screens/core/arcLayout';
import type { BuildingRecord } from '../../domain/twinPackage';
import { launchChromium, openOfflinePage, type OfflinePage, type PageOptions } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';

const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');

let server: CliServer;
let browser: Browser;

beforeAll(async () => {
  // Devices at real-time pace (about half the default's messages): alarms still come within
  // seconds, and the scene has fewer status changes to redraw in software. No simulated staff:
  // they repair devices as fast as alarms come, so the wall's open-alarm count can sit at 0.
  server = await startCliServer(['--sim-speedup', '1', '--staff-sim', 'off']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Right after a resize the wall page's only thread can be busy for tens of seconds (software
 * WebGL on two shared cores): reads of the DOM wait longer than Playwright's default 30 s.
 */
const DOM_READ_MS = 90_000;

/** Every page this file opens, checked together at the end. */
const opened: OfflinePage[] = [];

async function open(options: PageOptions): Promise<OfflinePage> {
  const session = await openOfflinePage(browser, server.httpUrl, options);
  opened.push(session);
  return session;
}

/**
 * A page for a wall: CSS pixels as the wall has them, device pixels at a quarter, so software
 * compositing of 25 megapixels stays affordable.
 */
async function openWallPage(width: number, height: number): Promise<OfflinePage> {
  return open({ viewport: { width, height }, deviceScaleFactor: 0.25 });
}

/** The open-alarms figure on the right wing, as a number (NaN when it is not one). */
async function shownAlarms(page: Page): Promise<number> {
  const text = (await page.locator('[data-testid="kpi-open-alarms"] .value').textContent())?.trim() ?? '';
  return /^\d[\d,]*$/.test(text) ? Number(text.replace(/,/g, '')) : Number.NaN;
}

/** How many alarms the server has open. */
async function openAlarms(): Promise<number> {
  return ((await (await fetch(`${server.httpUrl}/api/alarms`)).json()) as { total: number }).total;
}

async function fontPx(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize), undefined, { timeout: DOM_READ_MS });
}

describe('arc screen layout', () => {
  let session: OfflinePage;

  beforeAll(async () => {
    session = await openWallPage(5760, 1080);
    await session.page.goto(`${server.httpUrl}/?msaa=1&lang=en&resolutionScale=0.1`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await session.page.locator('[data-testid="arc-wing-left"]').waitFor({ timeout: 120_000 });
  });

  for (const [width, height] of [
    [5760, 1080],
    [7680, 2160],
    [11520, 2160],
  ] as const) {
    it(`puts the twin in the centre and KPI wings on the sides at ${width}×${height}`, async () => {
      const page = session.page;
      await page.setViewportSize({ width, height });
      await expect.poll(() => page.locator('[data-testid="app"]').getAttribute('data-layout')).toBe('arc');
      // The app applies a new size when its window's resize event runs, which a loaded page
      // delivers late; until then the old layout (also centred, also with equal wings) stays.
      // Read the three boxes and the wing's font in one task of the page, until they are the
      // layout the pure geometry gives for this size, and measure that same reading.
      const expected = screenLayout(width, height, 'auto');
      let boxes: { twin: Box; left: Box; right: Box; wingFontPx: number } | undefined;
      await expect
        .poll(
          async () => {
            boxes = await page.evaluate(() => {
              const element = (id: string) => document.querySelector(`[data-testid="${id}"]`)!;
              const rect = (id: string) => {
                const r = element(id).getBoundingClientRect();
                return { x: r.x, y: r.y, width: r.width, height: r.height };
              };
              return {
                twin: rect('twin-view'),
                left: rect('arc-wing-left'),
                right: rect('arc-wing-right'),
                wingFontPx: parseFloat(getComputedStyle(element('arc-wing-left')).fontSize),
              };
            });
            const { twin: t, left: l, right: r, wingFontPx } = boxes;
            return (
              Math.abs(l.width - expected.wingPx) < 1 &&
              Math.abs(r.x + r.width - width) < 1 &&
              Math.abs(t.x + t.width / 2 - width / 2) < 1 &&
              Math.abs(wingFontPx - expected.fontPx) < 0.5
            );
          },
          { timeout: DOM_READ_MS },
        )
        .toBe(true);
      const { twin, left, right } = boxes!;
      // Centred: equal wings, the twin between them, its centre on the screen's.
      expect(twin.x + twin.width / 2).toBeCloseTo(width / 2, 0);
      expect(left.x).toBe(0);
      expect(left.width).toBeCloseTo(right.width, 0);
      expect(left.x + left.width).toBeLessThanOrEqual(twin.x + 1);
      expect(right.x).toBeGreaterThanOrEqual(twin.x + twin.width - 1);
      expect(left.width).toBeGreaterThanOrEqual(width * 0.15 - 1);
      expect(twin.width).toBeGreaterThan(width * 0.45);
      expect(left.height).toBe(height);

      // Readable at distance: KPI labels at least 1/45 of the height, figures twice that.
      const label = await fontPx(page, '[data-testid="kpi-open-alarms"] .label');
      const value = await fontPx(page, '[data-testid="kpi-open-alarms"] .value');
      expect(label).toBeGreaterThanOrEqual(height / 45);
      expect(value).toBeGreaterThanOrEqual((2 * height) / 45);
      // The wing counts what the server holds open: some, once the simulator raised them. The
      // simulator raises and clears alarms all the time and a loaded page applies the stream's
      // deltas late, so the figure may trail the server's by a few; a placeholder, a zero or
      // another count (open cases, say) does not come near it.
      await expect
        .poll(async () => [await shownAlarms(page), await openAlarms()], { timeout: 60_000, interval: 1000 })
        .toSatisfy(([shown, open]: number[]) => open! > 0 && Math.abs(shown! - open!) <= Math.max(3, 0.1 * open!));
      expect(await page.locator('[data-testid="kpi-live-devices"] .value').textContent()).toMatch(/\d/);

      // The canvas draws at the requested fraction of the wall's pixels (its buffer follows the
      // new size at the next render, which a loaded page may make late).
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="twin-view"] canvas')!;
              return canvas.width / canvas.clientWidth;
            }),
          { timeout: DOM_READ_MS },
        )
        .toBeCloseTo(0.1, 1);
      if (width === 5760) {
        await mkdir(RESULTS_DIR, { recursive: true });
        await writeFile(path.join(RESULTS_DIR, `arc-${width}x${height}.png`), await page.screenshot({ type: 'png' }));
      }
    });
  }

  it('uses the standard layout on an ordinary screen, or the arc one when asked', async () => {
    const page = session.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(() => page.locator('[data-testid="app"]').getAttribute('data-layout')).toBe('standard');
    expect(await page.locator('[data-testid="arc-wing-left"]').count()).toBe(0);
    const forced = await open({ viewport: { width: 1920, height: 1080 } });
    await forced.page.goto(`${server.httpUrl}/?msaa=1&lang=zh-CN&layout=arc&resolutionScale=0.25`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await forced.page.locator('[data-testid="arc-wing-left"]').waitFor({ timeout: 120_000 });
    expect(await forced.page.locator('[data-testid="kpi-open-alarms"] .label').textContent()).toBe('未处理告警');
    await forced.page.close();
  });
});

describe('exhibition mode', () => {
  it('tours overview → poles → incident → interior, pauses on input and resumes when idle', async () => {
    // The incident stop needs an open alarm: the device simulator raises some within seconds.
    await expect.poll(openAlarms, { timeout: 60_000, interval: 1000 }).toBeGreaterThan(0);
    const { page } = await open({});
    await page.goto(`${server.httpUrl}/?msaa=1&lang=en&resolutionScale=0.25&mode=tour&tourStop=10&tourIdle=10`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    const order = ['overview', 'devices', 'incident', 'interior'];
    const seen: string[] = [];
    // One evaluate reads the state and the caption together, so the tour cannot move on in between.
    const readHeld = () =>
      page.evaluate(() => {
        const caption = document.querySelector('[data-testid="tour-caption"]');
        return { stats: window.citytwin.stats(), stop: caption?.getAttribute('data-stop'), paused: caption?.getAttribute('data-paused') };
      });
    let held: Awaited<ReturnType<typeof readHeld>> | undefined;
    // The page notes each stop its caption shows: a stop whose staging took its whole time is shown
    // only until the next tick (250 ms), which polling from here can miss on a loaded machine.
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { tourStopsShown: string[] }).tourStopsShown = shown;
      const note = (): void => {
        const stop = document.querySelector('[data-testid="tour-caption"]')?.getAttribute('data-stop');
        if (stop && shown[shown.length - 1] !== stop) shown.push(stop);
      };
      note();
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-stop'] });
    });
    const started = Date.now();
    // Any input holds the tour where it is: here, in the interior. (A key, not a click: a click
    // would also pick, replacing the tour's selection.) A page busy drawing in software can take
    // the key so late that the tour has already moved on and holds the next stop: then the key is
    // pressed again when the tour, resumed, comes round to the interior again.
    while (Date.now() - started < 150_000 && seen.every((stop, i) => i >= order.length || stop === order[i])) {
      const { tour, shown } = await page.evaluate(() => ({ tour: window.citytwin?.stats().tour ?? null, shown: (window as unknown as { tourStopsShown: string[] }).tourStopsShown }));
      seen.splice(0, seen.length, ...shown);
      if (seen.length >= order.length && tour?.stop === 'interior' && !tour.paused) {
        await page.keyboard.press('Shift');
        held = await readHeld();
        if (held.stats.tour.stop === 'interior') break;
      }
      await page.waitForTimeout(300);
    }
    expect(seen.slice(0, 4)).toEqual(order);
    if (!held) throw new Error(`the tour never came to a running interior stop in 150 s; stops seen: ${seen.join(' → ')}`);
    expect(held.stats.tour).toMatchObject({ paused: true, stop: 'interior' });
    expect(held).toMatchObject({ stop: 'interior', paused: 'true' });
    expect(held.stats.level).toBe('L5');
    // The interior stop shows the tallest building.
    const buildings = JSON.parse(await readFile(path.join(REPO_ROOT, 'data', 'demo', 'twin', 'layers', 'buildings.json'), 'utf8')) as BuildingRecord[];
    const tallest = buildings.reduce((a, b) => (b.height > a.height ? b : a));
    expect(held.stats.selection).toMatchObject({ kind: 'building', id: tallest.id });
    const paused = held.stats.tour;

    // After the idle time it goes on to the next stop.
    await expect.poll(() => page.evaluate(() => window.citytwin.stats().tour.paused), { timeout: 40_000 }).toBe(false);
    expect((await page.evaluate(() => window.citytwin.stats().tour)).visits).toBeGreaterThan(paused.visits);
    await page.close();
  });
});

describe('every page', () => {
  it('stayed offline without console errors or page errors', () => {
    expect(opened.length).toBe(3);
    expectCleanPages(opened);
  });
});
