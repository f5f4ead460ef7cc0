/**
 * The drainage network in the flood panel (issue 22), in Chromium against the real `citytwin
 * serve`: one river outfall's catchment of the demo's storm network, exported as a SWMM `.inp` by
 * `citytwin sim drainage export`, uploaded in the panel and coupled to a short heavy storm. The
 * legend must count every pipe of the file once, the overloaded-drains list must hold the
 * surcharged ones (load ratio ≥ 1), and the page must stay offline without errors. Before the
 * upload, the twin's network offers the same outfall in its catchment list with its pipe count.
 * Then what the 3D view draws, read from the scene (window.citytwin.flood): one marker per
 * spilling manhole of the run's results (a click on one shows that manhole in the panel), and the
 * run's pipes drawn on the pipe tiles in their load class's colour, class by class as the legend
 * counts them, with the pipes layer on and still after the panel's underground button.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/index';
import { TWIN_MANIFEST_FILE, type TwinManifest } from '../../domain/twinPackage';
import { readTwinStormNetwork, upstreamOf } from '../../simulations/drainage/twinStormNetwork';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';
import { linksByClass } from '../../client/src/features/flood/core/drainLoad';
import type { LinkSummary, NodeSummary } from '../../simulations/drainage/pipeResults';

const DEMO_TWIN = path.join(REPO_ROOT, 'data', 'demo', 'twin');

let server: CliServer;
let browser: Browser;
let session: OfflinePage;
let page: Page;
let workDir: string;

beforeAll(async () => {
  // No device simulator: the scenario run has the two cores to itself.
  server = await startCliServer(['--no-simulator']);
  browser = await launchChromium();
  session = await openOfflinePage(browser, server.httpUrl, { viewport: { width: 1024, height: 720 } });
  page = session.page;
  workDir = await mkdtemp(path.join(tmpdir(), 'citytwin-drainage-browser-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
const countIn = (text: string | null): number => Number(/\((\d+)\)\s*$/.exec(text ?? '')?.[1] ?? Number.NaN);

describe('the drainage network in the flood panel', () => {
  it('couples an uploaded catchment to a storm and colours and lists its pipes by load', async () => {
    // The outfall with the largest catchment of at most 120 pipes (and at least 20), so a heavy burst surcharges some of its pipes.
    const manifest = JSON.parse(await readFile(path.join(DEMO_TWIN, TWIN_MANIFEST_FILE), 'utf8')) as TwinManifest;
    const { network } = await readTwinStormNetwork(DEMO_TWIN, manifest);
    const catchments = network.nodes
      .filter((n) => n.kind === 'outfall')
      .map((n) => ({ id: n.id, links: upstreamOf(network, [n.id]).links.length }))
      .filter((c) => c.links >= 20 && c.links <= 120)
      .sort((a, b) => b.links - a.links);
    expect(catchments.length).toBeGreaterThan(0);
    const outfall = catchments[0]!;
    const inp = path.join(workDir, 'catchment.inp');
    expect(await main(['sim', 'drainage', 'export', '--twin', DEMO_TWIN, '--out', inp, '--outfalls', outfall.id])).toBe(0);

    await page.goto(`${server.httpUrl}/?panel=cases&msaa=1&lang=en&resolutionScale=0.25`);
    await byTestId('cases-login-username').fill('planner');
    await byTestId('cases-login-password').fill('planner-demo');
    await byTestId('cases-login-submit').click();
    await byTestId('panel-tab-flood').click();
    // The twin's network offers its outfalls' catchments: ticking this one counts its pipes.
    await byTestId('flood-drainage-network').selectOption('twin');
    const tick = byTestId('flood-drainage-outfalls').locator(`input[value="${outfall.id}"]`);
    await tick.check({ timeout: 30_000 });
    await expect.poll(() => byTestId('flood-drainage-outfalls').textContent()).toContain(`${outfall.links} pipes drain to the ticked outfalls`);
    await byTestId('flood-drainage-network').selectOption('file');
    await byTestId('flood-drainage-inp').setInputFiles(inp);
    await byTestId('flood-drainage-inp-ready').waitFor({ timeout: 30_000 });
    // A 100-year, 10-minute burst with no uniform drainage: the pipes are the only way out.
    await byTestId('flood-return-period').selectOption('100');
    await byTestId('flood-storm-minutes').fill('10');
    await byTestId('flood-drainage').fill('0');
    await byTestId('flood-sim-minutes').fill('15');
    // The run's pipe results as the page reads them: what the scene is checked against below.
    const drainageJson = page.waitForResponse((r) => r.ok() && new URL(r.url()).pathname.endsWith('/drainage.json'), { timeout: 240_000 });
    await byTestId('flood-run').click();
    await byTestId('flood-drainage-legend').waitFor({ timeout: 240_000 });

    const legend = await byTestId('flood-drainage-legend').locator('li').allTextContents();
    const [low, high, over] = legend.slice(0, 3).map(countIn);
    expect(low! + high! + over!).toBe(outfall.links);
    expect(over).toBeGreaterThan(0);
    // Every surcharged pipe the legend counts is in the overloaded-drains list, with its load ratio.
    const listed = byTestId('flood-hit-drains').locator('li[data-drain-kind="link"]');
    expect(await listed.count()).toBeGreaterThanOrEqual(Math.min(over!, 1));
    const ratio = Number(/(\d+(\.\d+)?)/.exec((await listed.first().locator('.depth').textContent()) ?? '')?.[1]);
    expect(ratio).toBeGreaterThanOrEqual(1);

    // The 3D view, looking straight down on the catchment (its manholes' box).
    const results = ((await (await drainageJson).json()) as { pipes: { links: LinkSummary[]; nodes: NodeSummary[] } }).pipes;
    const nodeIds = new Set(upstreamOf(network, [outfall.id]).nodes.map((n) => n.id));
    const nodesLayer = JSON.parse(await readFile(path.join(DEMO_TWIN, manifest.files.drainageNodes!), 'utf8')) as {
      features: Array<{ geometry: { coordinates: number[] }; properties: { id: string } }>;
    };
    const at = nodesLayer.features.filter((f) => nodeIds.has(f.properties.id)).map((f) => f.geometry.coordinates as [number, number]);
    const lons = at.map((c) => c[0]);
    const lats = at.map((c) => c[1]);
    const spanM = Math.max((Math.max(...lons) - Math.min(...lons)) * 102_000, (Math.max(...lats) - Math.min(...lats)) * 111_000);
    const view = { lon: (Math.min(...lons) + Math.max(...lons)) / 2, lat: (Math.min(...lats) + Math.max(...lats)) / 2, height: manifest.center.height + Math.max(500, 1.6 * spanM) };
    await page.evaluate((v) => window.citytwin.setView(v.lon, v.lat, v.height, 0, -90), view);

    // One marker per manhole that spilled onto the street (over the hit list's bucket, 0.01 m³).
    const spilling = results.nodes.filter((n) => n.floodVolumeM3 > 0.01).map((n) => n.id).sort();
    const markers = await page.evaluate(() => window.citytwin.flood.drawnManholes());
    expect(markers.map((m) => m.id).sort()).toEqual(spilling);
    expect(countIn(legend[3] ?? null)).toBe(spilling.length);
    // This storm spills a few of the catchment's manholes (4 when measured), so the click is always tried.
    expect(spilling.length).toBeGreaterThan(0);
    // A click on a marker that shows clear of the others and of the panel shows that manhole in the panel.
    const target = await page.evaluate(
      (list) =>
        list.find(
          (m) =>
            m.page !== null &&
            document.elementFromPoint(m.page[0], m.page[1]) instanceof HTMLCanvasElement &&
            list.every((o) => o === m || o.page === null || Math.hypot(o.page[0] - m.page![0], o.page[1] - m.page![1]) > (o.sizePx + m.sizePx) / 2 + 2),
        ) ?? null,
      markers,
    );
    expect(target, `one of the ${markers.length} spilling-manhole markers on screen, clear of the others and of the panel`).not.toBeNull();
    await page.mouse.click(target!.page![0], target!.page![1]);
    await byTestId('flood-drainage-manhole').waitFor({ timeout: 10_000 });
    expect(await byTestId('flood-drainage-manhole').getAttribute('data-node-id')).toBe(target!.id);

    // The pipe tiles draw every pipe of the run in its class's colour: per class, the legend's count and the results' ids.
    const classes = linksByClass(results.links);
    const expected = { low: [...classes.low].sort(), high: [...classes.high].sort(), over: [...classes.over].sort() };
    expect([expected.low.length, expected.high.length, expected.over.length]).toEqual([low, high, over]);
    const drawn = () => page.evaluate(() => window.citytwin.flood.drawnPipes());
    await page.evaluate(() => window.citytwin.setLayer('pipes', true));
    await expect.poll(async () => (await drawn())?.byClass, { timeout: 60_000, interval: 1_000 }).toEqual(expected);
    // The panel's underground button (see-through ground) keeps them coloured.
    await byTestId('flood-drainage-underground').click();
    await expect.poll(() => byTestId('flood-drainage-underground').isDisabled()).toBe(true);
    const underground = await drawn();
    expect(underground?.shown).toBe(true);
    expect(underground?.byClass).toEqual(expected);
    expectCleanPages([session]);
  });
});
