/**
 * The demo city end to end in a real browser: `citytwin serve` (the CLI, embedded broker, device
 * simulator) → Chromium. The page loads offline, the tiles finish, the screenshot shows a city,
 * picking a building and a pole shows their attributes, and a status published over MQTT
 * reaches the page and recolours the pole. The twin remembers (issue 16): the fault, once
 * cleared, shows on the lamp's chart and the vital-signs dashboard, and replaying the earlier
 * moment puts the pole back in its fault colour with its alarm.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRecord, PoleRecord, TerminalRecord } from '../../domain/twinPackage';
import { terminalTopic } from '../../domain/topics';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { expectCleanPages } from './support/cleanPage';
import { decodePng, type DecodedPng } from '../support/pngDecode';

const TWIN_DIR = path.join(REPO_ROOT, 'data', 'demo', 'twin');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');

let server: CliServer;
let browser: Browser;
/** The lamp that reported a fault, its pole, and when (ms): what the history test replays. */
let fault: { poleId: string; lampId: string; at: number } | undefined;
let session: OfflinePage;
let page: Page;

async function readLayer<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(TWIN_DIR, 'layers', name), 'utf8')) as T;
}

async function waitForTiles(): Promise<void> {
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout: 180_000, polling: 500 });
}

/** Takes a screenshot, keeps it in test-results/ for people to look at, and decodes it. */
async function screenshot(name: string): Promise<DecodedPng> {
  const png = await page.screenshot({ type: 'png' });
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${name}.png`), png);
  return decodePng(png);
}

/** Pixels within `tolerance` of an RGB colour inside a rectangle. */
function countColour(img: DecodedPng, rgb: [number, number, number], tolerance: number, rect = { x: 0, y: 0, w: img.width, h: img.height }): number {
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.rgba[i]! - rgb[0]) <= tolerance && Math.abs(img.rgba[i + 1]! - rgb[1]) <= tolerance && Math.abs(img.rgba[i + 2]! - rgb[2]) <= tolerance) n++;
    }
  }
  return n;
}

beforeAll(async () => {
  // Devices at real-time pace (about half the default's messages): the feed is as live, and the
  // scene has fewer status changes to redraw in software.
  // Emergency units drive 60× faster than in the field, so a dispatched crew is on site in seconds.
  server = await startCliServer(['--sim-speedup', '1', '--unit-speedup', '60']);
  browser = await launchChromium();
  session = await openOfflinePage(browser, server.httpUrl);
  page = session.page;
  await page.goto(`${server.httpUrl}/?msaa=1&lang=en`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the demo city in the browser', () => {
  it('loads every tile offline and draws a city', async () => {
    await waitForTiles();
    const stats = await page.evaluate(() => window.citytwin.stats());
    expect(stats.tilesLoaded).toBeGreaterThan(0);
    expect(stats.buildings).toBeGreaterThanOrEqual(5000);
    expect(stats.poles).toBeGreaterThanOrEqual(1000);
    // The demo city runs simulated staff, and the top bar says so (docs/staff-sim.md).
    const badge = page.locator('[data-testid="staff-sim-badge"]');
    await expect.poll(() => badge.count(), { timeout: 10_000 }).toBe(1);
    expect(await badge.getAttribute('title')).toContain('Simulated dispatcher');

    const img = await screenshot('overview');
    // The twin view spans the page under the top bar; sample its middle band.
    const band = { x: 360, y: 120, w: 560, h: 480 };
    const colours = new Set<number>();
    let whiteModel = 0;
    let sampled = 0;
    for (let y = band.y; y < band.y + band.h; y += 2) {
      for (let x = band.x; x < band.x + band.w; x += 2) {
        const i = (y * img.width + x) * 4;
        const [r, g, b] = [img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!];
        colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
        // Lit white models are light and nearly neutral; ground, water and vegetation are tinted.
        if (Math.min(r, g, b) > 150 && Math.max(r, g, b) - Math.min(r, g, b) < 25) whiteModel++;
        sampled++;
      }
    }
    // A blank or error canvas has a handful of colours; terrain, water, roads and lit buildings have hundreds.
    expect(colours.size).toBeGreaterThan(150);
    // From the overview the district is covered in buildings: a tenth of the view at least.
    expect(whiteModel / sampled).toBeGreaterThan(0.1);
    expect(session.foreignRequests).toEqual([]);
  });

  it('shows a picked building with its id', async () => {
    const buildings = await readLayer<BuildingRecord[]>('buildings.json');
    const tallest = buildings.reduce((a, b) => (b.height > a.height ? b : a));
    expect(await page.evaluate((id) => window.citytwin.flyToBuilding(id, { duration: 0 }), tallest.id)).toBe(true);
    await waitForTiles();
    const canvas = page.locator('[data-testid="twin-view"] canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
    const panel = page.locator('[data-testid="attribute-panel"]');
    await expect.poll(() => panel.getAttribute('data-id'), { timeout: 30_000 }).toBe(tallest.id);
    expect(await panel.getAttribute('data-kind')).toBe('building');
    expect(await panel.locator('tr[data-key="id"] td').textContent()).toBe(tallest.id);
    expect(await panel.locator('tr[data-key="floors"] td').textContent()).toBe(String(tallest.floors));
    await screenshot('building-picked');
  });

  it('recolours a pole live when its lamp reports a fault over MQTT', async () => {
    const poles = await readLayer<PoleRecord[]>('poles.json');
    const terminals = await readLayer<TerminalRecord[]>('terminals.json');
    const pole = poles[Math.floor(poles.length / 2)]!;
    const lamp = terminals.find((t) => t.poleId === pole.id && t.type === 'lamp')!;

    // The simulator streams deltas continuously; wait for some to prove the feed is live.
    await page.waitForFunction(() => window.citytwin.stats().deltasReceived > 0, undefined, { timeout: 60_000 });

    expect(await page.evaluate((id) => window.citytwin.flyToPole(id, { duration: 0 }), pole.id)).toBe(true);
    await waitForTiles();

    // The lamp's own login: the broker lets a device publish only under its own id.
    const client = await mqtt.connectAsync(server.mqttUrl, { clientId: lamp.id, ...server.deviceCredential(lamp.id) });
    try {
      await client.publishAsync(
        terminalTopic(lamp.id, 'status'),
        JSON.stringify({ v: 1, ts: Date.now(), status: 'fault', code: 'LAMP_DRIVER' }),
        { qos: 1 },
      );
    } finally {
      await client.endAsync();
    }
    await page.waitForFunction((id) => window.citytwin.poleStatus(id) === 'fault', pole.id, { timeout: 30_000 });
    // The page shows the fault, so the server holds it now: a moment the history test replays.
    fault = { poleId: pole.id, lampId: lamp.id, at: Date.now() };
    await expect
      .poll(() => page.locator(`[data-testid="alarm-panel"] li[data-pole-id="${pole.id}"]`).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const stats = await page.evaluate(() => window.citytwin.stats());
    expect(stats.lastDeltaLatencyMs).not.toBeNull();

    // The pole head sits in the middle of the view: it must now be drawn in the fault colour.
    await page.waitForTimeout(500);
    const img = await screenshot('pole-fault');
    const centre = { x: img.width / 2 - 60, y: img.height / 2 - 40, w: 120, h: 120 };
    expect(countColour(img, [0xff, 0x3b, 0x30], 40, centre)).toBeGreaterThan(10);

    // Clicking it opens the pole's attributes, with its terminals from the API.
    const canvas = page.locator('[data-testid="twin-view"] canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
    const panel = page.locator('[data-testid="attribute-panel"]');
    await expect.poll(() => panel.getAttribute('data-id'), { timeout: 30_000 }).toBe(pole.id);
    await expect.poll(() => panel.locator(`li[data-terminal-id="${lamp.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await screenshot('pole-picked');
  });

  it("dims the picked pole's road from the panel and sees its lamps dim", async () => {
    const poles = await readLayer<PoleRecord[]>('poles.json');
    const terminals = await readLayer<TerminalRecord[]>('terminals.json');
    const panel = page.locator('[data-testid="attribute-panel"]');
    const poleId = await panel.getAttribute('data-id');
    const pole = poles.find((p) => p.id === poleId)!;
    const lamp = terminals.find((t) => t.poleId === pole.id && t.type === 'lamp')!;
    // Commands need a login: the dispatcher signs in on the cases panel; the pole panel stays open.
    await page.locator('[data-testid="panel-tab-cases"]').click();
    await page.locator('[data-testid="cases-login-username"]').fill('dispatcher');
    await page.locator('[data-testid="cases-login-password"]').fill('dispatcher-demo');
    await page.locator('[data-testid="cases-login-submit"]').click();
    const road = panel.locator(`[data-road-lamps="${pole.roadId}"]`);
    await road.waitFor({ timeout: 15_000 });
    await road.locator('[data-road-dim-percent]').fill('30');
    await road.locator('[data-road-command="dim"]').click();
    // A road of more than 50 lamps asks first; the server refuses without it.
    const confirm = road.locator('[data-road-confirm-yes]');
    const roadLamps = terminals.filter((t) => t.type === 'lamp' && poles.find((p) => p.id === t.poleId)?.roadId === pole.roadId).length;
    if (roadLamps > 50) await confirm.click({ timeout: 15_000 });
    else expect(await confirm.count()).toBe(0);
    await expect.poll(async () => Number(await road.locator('[data-road-progress]').getAttribute('data-road-progress')), { timeout: 30_000 }).toBeGreaterThan(0);
    // The picked pole's lamp: its command's status is shown live; obeyed, it reads 30 % (the
    // simulator fails or ignores a few per cent of commands, which the panel then shows instead).
    const latest = panel.locator(`[data-controls="${lamp.id}"] .latest`);
    await expect.poll(() => latest.getAttribute('data-command-status'), { timeout: 40_000 }).toMatch(/succeeded|failed|timed-out/);
    if ((await latest.getAttribute('data-command-status')) === 'succeeded') {
      await expect.poll(() => panel.locator(`li[data-terminal-id="${lamp.id}"] .readings`).textContent(), { timeout: 15_000 }).toMatch(/Dimming 30 %/);
    }
    // And the lamps the server confirmed report 30 % in the live state.
    const confirmed = await page.evaluate(async () => {
      const { token } = JSON.parse(localStorage.getItem('citytwin.session')!) as { token: string };
      const list = (await (await fetch('/api/commands?status=succeeded&limit=5', { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ terminalId: string }>;
      return Promise.all(list.map(async (c) => ((await (await fetch(`/api/terminals/${c.terminalId}`)).json()) as { values: { dimmingPct?: number } }).values.dimmingPct));
    });
    expect(confirmed.length).toBeGreaterThan(0);
    expect(confirmed.every((pct) => pct === 30)).toBe(true);
  });

  it('walks an emergency: a waterlogging alarm, its plan, a dispatch, and a unit on site on the case', async () => {
    const terminals = await readLayer<TerminalRecord[]>('terminals.json');
    const sensor = terminals.find((t) => t.type === 'water-level')!;
    // 45 cm of water on the road: a waterlogging alarm (over 15 cm), level III by the plans' rule.
    const client = await mqtt.connectAsync(server.mqttUrl, { clientId: sensor.id, ...server.deviceCredential(sensor.id) });
    try {
      await client.publishAsync(terminalTopic(sensor.id, 'telemetry'), JSON.stringify({ v: 1, ts: Date.now(), values: { depthCm: 45 } }), { qos: 1 });
    } finally {
      await client.endAsync();
    }
    // The dispatcher of the test before is still signed in; if that test stopped early, sign in here.
    if (!(await page.evaluate(() => localStorage.getItem('citytwin.session')))) {
      await page.locator('[data-testid="panel-tab-cases"]').click();
      await page.locator('[data-testid="cases-login-username"]').fill('dispatcher', { timeout: 60_000 });
      await page.locator('[data-testid="cases-login-password"]').fill('dispatcher-demo');
      await page.locator('[data-testid="cases-login-submit"]').click();
      await page.waitForFunction(() => localStorage.getItem('citytwin.session') !== null, undefined, { timeout: 30_000 });
    }
    await page.locator('[data-testid="panel-tab-emergency"]').click();
    const incident = page.locator(`[data-testid="emergency-incidents"] li[data-key^="alarm:${sensor.id}:"]`);
    await incident.locator('[data-testid="emergency-propose"]').click({ timeout: 30_000 });
    const proposal = page.locator('[data-testid="emergency-proposal"]');
    await expect.poll(() => proposal.getAttribute('data-plan'), { timeout: 30_000 }).toBe('waterlogging-III');
    const units = await proposal.locator('tr[data-unit]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')!));
    expect(units.length).toBeGreaterThan(0);
    await page.locator('[data-testid="emergency-dispatch"]').click();
    // The simulator's unit gets the order, drives the route and reports on site (then done, 10 s later).
    const responses = page.locator('[data-testid="emergency-responses"]');
    await expect.poll(() => responses.locator(`li[data-unit="${units[0]}"]`).count(), { timeout: 15_000 }).toBe(1);
    await screenshot('emergency-dispatched');
    const reached = await page.evaluate(async (unitId) => {
      const { token } = JSON.parse(localStorage.getItem('citytwin.session')!) as { token: string };
      const headers = { authorization: `Bearer ${token}` };
      for (let i = 0; i < 60; i++) {
        const list = (await (await fetch('/api/emergency/responses', { headers })).json()) as Array<{ caseId: string; units: Array<{ resourceId: string; status: string }> }>;
        const r = list.find((x) => x.units.some((u) => u.resourceId === unitId && (u.status === 'on-site' || u.status === 'done')));
        if (r) return { caseId: r.caseId, events: ((await (await fetch(`/api/cases/${r.caseId}`, { headers })).json()) as { events: Array<{ action: string; note?: string }> }).events };
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return undefined;
    }, units[0]!);
    expect(reached, 'the unit reached the site within 30 s').toBeDefined();
    const notes = reached!.events.filter((e) => e.action === 'emergency').map((e) => e.note ?? '');
    expect(notes[0]).toMatch(/^Emergency response ER-/);
    expect(notes.some((n) => n.endsWith('is on site'))).toBe(true);
  });

  it('remembers the fault: the lamp\'s chart, the vital-signs dashboard and a replay of the moment', async () => {
    const { poleId, lampId, at } = fault!;
    const panel = page.locator('[data-testid="attribute-panel"]');
    const lampRow = panel.locator(`li[data-terminal-id="${lampId}"]`);
    // Some power readings to chart, then the lamp repaired: the fault is history now.
    const client = await mqtt.connectAsync(server.mqttUrl, { clientId: lampId, ...server.deviceCredential(lampId) });
    try {
      for (const powerW of [118, 121]) {
        await client.publishAsync(terminalTopic(lampId, 'telemetry'), JSON.stringify({ v: 1, ts: Date.now(), on: true, powerW }), { qos: 1 });
      }
      await client.publishAsync(terminalTopic(lampId, 'status'), JSON.stringify({ v: 1, ts: Date.now(), status: 'online' }), { qos: 1 });
    } finally {
      await client.endAsync();
    }
    await page.waitForFunction((id) => window.citytwin.poleStatus(id) !== 'fault', poleId, { timeout: 30_000 });

    // The lamp's history: one chart per field with the fault span marked. Reading it needs a
    // sign-in; the dispatcher of the test before is still signed in, else the leader signs in here.
    await lampRow.locator('[data-testid="terminal-history-toggle"]').click();
    const history = lampRow.locator('[data-testid="terminal-history"]');
    const signIn = lampRow.locator('[data-testid="cases-login-username"]');
    // The charts' code (ECharts) loads on this first use: give a software-rendering page time.
    await expect.poll(async () => (await signIn.count()) + (await history.count()), { timeout: 90_000 }).toBeGreaterThan(0);
    if ((await signIn.count()) > 0) {
      await signIn.fill('leader');
      await lampRow.locator('[data-testid="cases-login-password"]').fill('leader-demo');
      await lampRow.locator('[data-testid="cases-login-submit"]').click();
    }
    const powerChart = history.locator(`[data-chart-id="${lampId}:powerW"]`);
    // Signing in hashes a password on the server, then six histories load: minutes on a loaded machine.
    await expect.poll(() => powerChart.getAttribute('data-state'), { timeout: 90_000 }).toBe('ready');
    expect(Number(await powerChart.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(Number(await history.getAttribute('data-spans'))).toBeGreaterThanOrEqual(1);
    expect(await history.locator('[data-testid="history-chart"] canvas').count()).toBe(5);
    // The lamp's energy, integrated on the server from its power readings, is in its panel.
    await expect.poll(() => lampRow.locator('[data-testid="lamp-energy"]').getAttribute('data-kwh'), { timeout: 30_000 }).toMatch(/^\d+(\.\d+)?$/);

    // The dashboard: fleet online rate, today's alarms by kind (the lamp's among them), exported as CSV.
    await page.locator('[data-testid="panel-tab-vitals"]').click();
    const vitals = page.locator('[data-testid="vitals-panel"]');
    const chart = (id: string) => vitals.locator(`[data-chart-id="${id}"]`);
    await expect.poll(() => chart('alarms-by-kind').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => chart('online-rate').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    expect(Number(await chart('online-rate').getAttribute('data-points'))).toBeGreaterThan(0);
    // Tonight's street-lamp energy for the whole city (one request): the demo's lamps have drawn some.
    await expect.poll(async () => Number(await vitals.locator('[data-testid="city-energy"]').getAttribute('data-kwh')), { timeout: 30_000 }).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await chart('alarms-by-kind').locator('[data-testid="history-csv"]').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('day,group,opened,closed,meanTimeToCloseMs');
    expect(lines.some((l) => /^[^,]+,(device-fault|lamp-fault),[1-9]/.test(l))).toBe(true);
    await screenshot('vitals');

    // Replay the moment the page showed the fault: the pole is red again and its alarm listed; live returns.
    await page.locator('[data-testid="panel-tab-alarms"]').click();
    await page.locator('[data-testid="replay-open"]').click();
    await page.locator('[data-testid="replay-slider"]').evaluate((input: HTMLInputElement, moment: number) => {
      // The slider snaps to whole steps from its start: round up, never to before the fault.
      const min = Number(input.min);
      const step = Number(input.step);
      input.value = String(min + Math.ceil((moment - min) / step) * step);
      input.dispatchEvent(new Event('change'));
    }, at);
    await page.waitForFunction((id) => window.citytwin.poleStatus(id) === 'fault', poleId, { timeout: 30_000 });
    await expect.poll(() => page.locator(`[data-testid="alarm-panel"] li[data-pole-id="${poleId}"]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('at')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await screenshot('replay-fault');
    await page.locator('[data-testid="replay-live"]').click();
    await page.waitForFunction((id) => window.citytwin.poleStatus(id) !== 'fault', poleId, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.has('at')).toBe(false);
  });

  it('speaks Chinese to a Chinese browser and stayed offline throughout', async () => {
    const zh = await openOfflinePage(browser, server.httpUrl, { locale: 'zh-CN' });
    // Only the words are checked here: a quarter of the resolution keeps its 3D start cheap.
    await zh.page.goto(`${server.httpUrl}/?msaa=1&resolutionScale=0.25`);
    await expect.poll(() => zh.page.locator('.top-bar .title').textContent(), { timeout: 30_000 }).toBe('城市运行数字孪生');
    await zh.page.close();
    expect(zh.foreignRequests).toEqual([]);
    expectCleanPages([session]);
  });
});
