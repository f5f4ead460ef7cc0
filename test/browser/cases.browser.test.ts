/**
 * The closed case loop in the real UI: `citytwin serve` (the CLI, a fresh state folder) →
 * Chromium. A citizen reports on /report and gets a tracking code; the dispatcher finds the case
 * in the twin's cases panel, registers and dispatches it and drills in (the camera flies to the
 * site, the nearby cameras and poles, grid cell and department are listed, and the cameras that
 * see the site, one of whose video is then fused onto the twin); the department's
 * handler accepts and reports it handled while another department's handler cannot see it; the
 * inspector closes it on /inspector; the citizen sees it closed and rates it; the leader's KPI
 * table counts it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceM } from '../../kernel/geodesy';
import type { PoleRecord, TerminalRecord } from '../../domain/twinPackage';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { decodePng } from '../support/pngDecode';
import { escapeRegExp, expectCleanPages, failedResource } from './support/cleanPage';

const TWIN_DIR = path.join(REPO_ROOT, 'data', 'demo', 'twin');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');
/** Short waits on DOM state: every step here is one request or one re-render. */
const STEP_MS = 15_000;

interface Department {
  id: string;
  name: { 'zh-CN': string; en: string };
}
interface GridCells {
  features: Array<{ geometry: { type: string; coordinates: number[][][] }; properties: { code: string } }>;
}

let server: CliServer;
let browser: Browser;
let stateDir: string;
let citizen: OfflinePage;
let twinPage: OfflinePage;
const opened: OfflinePage[] = [];

/** The case's site: 8 m north-east of a camera pole well away from the overview's centre. */
let site: { lon: number; lat: number; cameraPoleId: string; gridCode: string };
let departments: Department[];
/** A word no other case holds, to find the citizen's case by search. */
const marker = `loop${Date.now().toString(36)}`;
let trackingCode: string;
let caseId: string;
let departmentId: string;

async function readLayer<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(TWIN_DIR, 'layers', name), 'utf8')) as T;
}

/** Ray casting over the outer ring: grid cells are simple quadrilaterals. */
function gridCodeAt(cells: GridCells, lon: number, lat: number): string {
  for (const f of cells.features) {
    if (f.geometry.type !== 'Polygon') continue;
    const ring = f.geometry.coordinates[0]!;
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    if (inside) return f.properties.code;
  }
  throw new Error(`no grid cell holds ${lon}, ${lat}`);
}

async function pickSite(): Promise<typeof site> {
  const manifest = JSON.parse(await readFile(path.join(TWIN_DIR, 'twin.json'), 'utf8')) as { center: { lon: number; lat: number } };
  const poles = await readLayer<PoleRecord[]>('poles.json');
  const terminals = new Map((await readLayer<TerminalRecord[]>('terminals.json')).map((t) => [t.id, t]));
  const hasCamera = (p: PoleRecord): boolean => p.terminalIds.some((id) => terminals.get(id)?.type === 'camera');
  // 800 m from the centre: far enough that the flight visibly moves the view, well inside the bounds.
  const pole = poles
    .filter(hasCamera)
    .map((p) => ({ p, off: Math.abs(distanceM(manifest.center.lon, manifest.center.lat, p.lon, p.lat) - 800) }))
    .sort((a, b) => a.off - b.off)[0]!.p;
  const lat = Number((pole.lat + 5.7 / 111_195).toFixed(7));
  const lon = Number((pole.lon + 5.7 / (111_195 * Math.cos((pole.lat * Math.PI) / 180))).toFixed(7));
  return { lon, lat, cameraPoleId: pole.id, gridCode: gridCodeAt(await readLayer<GridCells>('grid-cells.geojson'), lon, lat) };
}

async function open(pathAndQuery: string, viewport?: { width: number; height: number }): Promise<OfflinePage> {
  const session = await openOfflinePage(browser, server.httpUrl, { viewport });
  opened.push(session);
  await session.page.goto(`${server.httpUrl}${pathAndQuery}`);
  return session;
}

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function statusOf(page: Page): Promise<string | null> {
  return byTestId(page, 'case-status').getAttribute('data-status');
}

/** Signs in on the twin's cases panel, waiting until the list for that user has loaded. */
async function signIn(page: Page, username: string, password: string): Promise<void> {
  if (await byTestId(page, 'cases-logout').count()) await byTestId(page, 'cases-logout').click();
  await byTestId(page, 'cases-login-username').fill(username);
  await byTestId(page, 'cases-login-password').fill(password);
  await byTestId(page, 'cases-login-submit').click();
  await byTestId(page, 'cases-user').waitFor({ timeout: STEP_MS });
  await page.locator('[data-testid="cases-panel"][data-busy="false"]').waitFor({ timeout: STEP_MS });
}

/** Chooses an action, adds a note when given and submits; waits for the status it leads to. */
async function act(page: Page, action: string, to: string, note?: string): Promise<void> {
  const events = await page.locator('[data-testid="case-timeline"] li').count();
  await byTestId(page, `case-action-${action}`).click();
  if (note) await byTestId(page, 'case-action-note').fill(note);
  await byTestId(page, 'case-action-submit').click();
  await expect.poll(() => statusOf(page), { timeout: STEP_MS }).toBe(to);
  // Every action appends to the audit trail.
  await expect.poll(() => page.locator('[data-testid="case-timeline"] li').count(), { timeout: STEP_MS }).toBeGreaterThan(events);
  expect(await page.locator(`[data-testid="case-timeline"] li[data-action="${action}"]`).count()).toBeGreaterThan(0);
}

/**
 * While tiles stream in, software WebGL holds the page's only thread for seconds at a time and
 * every click waits; once they are in, the scene renders on demand and the page answers at once.
 */
async function waitForTiles(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout, polling: 500 });
}

/** The ground under the canvas centre, measured as the tools panel would. */
async function viewCentre(page: Page): Promise<{ lon: number; lat: number } | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="twin-view"] canvas');
    if (!canvas) return null;
    const m = window.citytwin.measure('distance', [[canvas.clientWidth / 2, canvas.clientHeight / 2]]);
    const p = m?.points[0];
    return p ? { lon: p.lon, lat: p.lat } : null;
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'citytwin-cases-'));
  // No simulator: no IoT alarm opens cases of its own, so the lists hold only this test's case.
  // The server builds the demo twin on a fresh clone: read its layers only once it is up.
  server = await startCliServer(['--data', stateDir, '--no-simulator']);
  [site, departments] = await Promise.all([pickSite(), readLayer<Department[]>('departments.json')]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('the closed case loop in the browser', () => {
  it('files a citizen report on /report and looks it up by its tracking code', async () => {
    citizen = await open('/report?lang=en');
    const page = citizen.page;
    await byTestId(page, 'case-form-category').selectOption('garbage-pile');
    await byTestId(page, 'case-form-description').fill(`Debris pile blocking the pavement ${marker}`);
    // Without a place nothing is sent and the citizen is told what is missing.
    await byTestId(page, 'case-form-submit').click();
    expect(await byTestId(page, 'citizen-error').textContent()).toContain('longitude and latitude');
    await byTestId(page, 'case-form-lon').fill(String(site.lon));
    await byTestId(page, 'case-form-lat').fill(String(site.lat));
    await byTestId(page, 'case-form-submit').click();
    const code = byTestId(page, 'citizen-tracking-code');
    await code.waitFor({ timeout: STEP_MS });
    expect(await byTestId(page, 'citizen-error').count()).toBe(0);
    trackingCode = (await code.getAttribute('data-code'))!;
    expect(trackingCode).toMatch(/^[A-Z0-9]{6,10}$/);
    expect(await code.textContent()).toContain(trackingCode);
    expect(await byTestId(page, 'citizen-status').getAttribute('data-status')).toBe('reported');

    // A fresh visit knows nothing: looking the code up brings the progress back.
    await page.goto(`${server.httpUrl}/report?lang=en`);
    await byTestId(page, 'citizen-code').fill(trackingCode.toLowerCase());
    await byTestId(page, 'citizen-lookup').click();
    await expect.poll(() => byTestId(page, 'citizen-tracking-code').getAttribute('data-code'), { timeout: STEP_MS }).toBe(trackingCode);
    expect(await byTestId(page, 'citizen-status').textContent()).toContain('Reported');
    expect(await byTestId(page, 'citizen-rate').count()).toBe(0);
  });

  it('lets the dispatcher find, register and dispatch the case and drill into its site', async () => {
    // A smaller window at half resolution: software WebGL on two shared cores has few pixels to draw.
    twinPage = await open('/?panel=cases&msaa=1&lang=en&resolutionScale=0.5', { width: 1024, height: 640 });
    const page = twinPage.page;
    await waitForTiles(page, 120_000);
    await signIn(page, 'dispatcher', 'dispatcher-demo');

    await byTestId(page, 'cases-filter-q').fill(marker);
    await byTestId(page, 'cases-filter-q').press('Enter');
    await expect.poll(() => byTestId(page, 'cases-total').getAttribute('data-total'), { timeout: STEP_MS }).toBe('1');
    const row = page.locator('[data-testid^="case-row-"]');
    expect(await row.count()).toBe(1);
    caseId = (await row.getAttribute('data-testid'))!.replace('case-row-', '');
    expect(caseId).toMatch(/^C\d{8}$/);
    expect(await row.getAttribute('data-status')).toBe('reported');
    expect(await row.textContent()).toContain(marker);

    await row.click();
    await byTestId(page, 'case-detail').waitFor({ timeout: STEP_MS });
    expect(await statusOf(page)).toBe('reported');
    expect(await byTestId(page, 'case-status').textContent()).toContain('Reported');
    expect(await byTestId(page, 'case-grid').textContent()).toBe(site.gridCode);
    expect(await page.locator('[data-testid="case-timeline"] li[data-action="create"]').count()).toBe(1);

    await act(page, 'register', 'registered');
    expect(await byTestId(page, 'case-status').textContent()).toContain('Registered');

    // Dispatch preselects the suggested department, marked with a star.
    await byTestId(page, 'case-action-dispatch').click();
    const select = byTestId(page, 'case-action-department');
    departmentId = await select.inputValue();
    expect(departments.map((d) => d.id)).toContain(departmentId);
    expect(await select.locator('option:checked').textContent()).toContain('★');
    await act(page, 'dispatch', 'dispatched');
    expect(await byTestId(page, 'case-status').textContent()).toContain('Dispatched');
    const department = departments.find((d) => d.id === departmentId)!;
    expect(await byTestId(page, 'case-department').getAttribute('data-department-id')).toBe(departmentId);
    expect(await byTestId(page, 'case-department').textContent()).toContain(department.name.en);

    // Drill in: the view moves from the overview to the site.
    const before = await viewCentre(page);
    expect(before).not.toBeNull();
    expect(distanceM(before!.lon, before!.lat, site.lon, site.lat)).toBeGreaterThan(300);
    await byTestId(page, 'case-drill-in').click();
    const surroundings = byTestId(page, 'case-surroundings');
    await surroundings.waitFor({ timeout: STEP_MS });
    await expect
      .poll(async () => {
        const c = await viewCentre(page);
        return c ? distanceM(c.lon, c.lat, site.lon, site.lat) : Number.POSITIVE_INFINITY;
      }, { timeout: STEP_MS, interval: 500 })
      .toBeLessThan(80);

    // The nearest camera pole is the one the report was made beside, about 8 m away.
    const cameras = page.locator('[data-testid="case-nearby-camera"]');
    expect(await cameras.count()).toBeGreaterThan(0);
    expect(await cameras.first().getAttribute('data-pole-id')).toBe(site.cameraPoleId);
    expect(Number(await cameras.first().getAttribute('data-distance-m'))).toBeGreaterThanOrEqual(7);
    expect(Number(await cameras.first().getAttribute('data-distance-m'))).toBeLessThanOrEqual(9);
    expect(await cameras.first().textContent()).toContain(`m · ${site.cameraPoleId}-camera`);
    expect(await page.locator('[data-testid="case-nearby-pole"]').count()).toBeGreaterThan(1);
    const text = (await surroundings.textContent())!;
    expect(text).toContain(site.gridCode);
    expect(text).toContain(department.name.en);

    // The site marker (red) is drawn in the middle of the view.
    await mkdir(RESULTS_DIR, { recursive: true });
    await expect
      .poll(async () => {
        const png = await page.locator('[data-testid="twin-view"] canvas').screenshot({ type: 'png' });
        await writeFile(path.join(RESULTS_DIR, 'cases-drill-in.png'), png);
        const img = decodePng(png);
        let red = 0;
        for (let y = Math.floor(img.height / 2) - 50; y < img.height / 2 + 50; y++) {
          for (let x = Math.floor(img.width / 2) - 50; x < img.width / 2 + 50; x++) {
            const i = (y * img.width + x) * 4;
            if (img.rgba[i]! > 220 && img.rgba[i + 1]! < 100 && img.rgba[i + 2]! < 90) red++;
          }
        }
        return red;
      }, { timeout: STEP_MS, interval: 1000 })
      .toBeGreaterThan(20);
    await waitForTiles(page, 60_000);
  });

  it('opens the live views of the cameras that see the site and projects one camera\'s video onto the twin (video fusion)', async () => {
    const page = twinPage.page;
    // The drill-in lists the cameras that see the site (frustum, not behind a building) as the API ranks them.
    const listed = page.locator('[data-testid^="site-camera-"]:not([data-testid^="site-camera-fuse-"])');
    await expect.poll(() => listed.count(), { timeout: STEP_MS }).toBeGreaterThan(0);
    const api = await page.evaluate(async ({ lon, lat }) => ((await (await fetch(`/api/cameras/visible?lon=${lon}&lat=${lat}`)).json()) as { cameras: Array<{ cameraId: string }> }).cameras.map((c) => c.cameraId), site);
    const ids = (await listed.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('site-camera-', ''))));
    expect(ids).toEqual(api);
    // The nearest ones' live views open (at most four), nearest first, and their frustums are drawn.
    const opened = Math.min(ids.length, 4);
    await expect
      .poll(() => page.locator('[data-testid="live-view-dock"] [data-testid="live-view"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id'))), { timeout: STEP_MS })
      .toEqual(ids.slice(0, opened));
    await expect.poll(() => page.evaluate(() => window.citytwin.fusion.state().frustums), { timeout: STEP_MS }).toBeGreaterThanOrEqual(opened);

    // Look straight down on the ground in front of the first camera, its view pointing up the
    // screen (so the ground behind and beside it is in the scene, clear of the panels); fuse a
    // test pattern (every pixel changes every frame), then the camera's live stream.
    const cameraId = ids[0]!;
    const camera = (await page.evaluate((id) => window.citytwin.fusion.camera(id), cameraId))!;
    const forwardM = 10;
    const h = (camera.pose.headingDeg * Math.PI) / 180;
    const k = 111_195;
    const lookLat = camera.pose.lat + (Math.cos(h) * forwardM) / k;
    const lookLon = camera.pose.lon + (Math.sin(h) * forwardM) / (k * Math.cos((camera.pose.lat * Math.PI) / 180));
    await page.evaluate(({ lon, lat, ground, heading }) => window.citytwin.setView(lon, lat, ground + 160, heading, -90), { lon: lookLon, lat: lookLat, ground: camera.groundHeight, heading: camera.pose.headingDeg });
    await waitForTiles(page, 60_000);
    // Picture points 20–25 m out on the ground (the bottom rows fall right below the pole, where
    // the rendered terrain can sit a metre off the pole's ground height).
    const picture: Array<[number, number]> = [
      [0.3, 0.75],
      [0.5, 0.75],
      [0.7, 0.75],
      [0.4, 0.65],
      [0.6, 0.65],
      [0.5, 0.6],
    ];
    const probes = await page.evaluate(({ id, pts }) => window.citytwin.fusion.groundProbes(id, pts, 20), { id: cameraId, pts: picture });
    const inside = probes.inside.filter((p): p is [number, number] => p !== null);
    const outside = probes.outside.filter((p): p is [number, number] => p !== null);
    expect(inside.length).toBe(picture.length);
    expect(outside.length).toBe(4);
    /** Mean RGB of the 5×5 pixels around each probe. */
    const sample = async (points: Array<[number, number]>): Promise<number[][]> => {
      const img = decodePng(await page.screenshot({ type: 'png' }));
      return points.map(([px, py]) => {
        const rgb = [0, 0, 0];
        for (let dy = -2; dy <= 2; dy++) {
          for (let dx = -2; dx <= 2; dx++) {
            const i = ((Math.round(py) + dy) * img.width + Math.round(px) + dx) * 4;
            for (let c = 0; c < 3; c++) rgb[c]! += img.rgba[i + c]! / 25;
          }
        }
        return rgb;
      });
    };
    const changed = (a: number[][], b: number[][]): number => a.filter((p, i) => Math.abs(p[0]! - b[i]![0]!) + Math.abs(p[1]! - b[i]![1]!) + Math.abs(p[2]! - b[i]![2]!) > 24).length;
    const probeAll = [...inside, ...outside];
    const plain = await sample(probeAll);

    expect(await page.evaluate((id) => window.citytwin.fusion.fuse(id, 'test-pattern'), cameraId)).toBe(true);
    const framesOf = (): Promise<number> => page.evaluate((id) => window.citytwin.fusion.state().frames[id] ?? 0, cameraId);
    await expect.poll(framesOf, { timeout: STEP_MS }).toBeGreaterThan(3);
    const first = await sample(probeAll);
    const n = inside.length;
    // Inside the frustum the video is painted over the plain twin; outside nothing changed.
    expect(changed(plain.slice(0, n), first.slice(0, n))).toBeGreaterThanOrEqual(n - 1);
    expect(changed(plain.slice(n), first.slice(n))).toBe(0);
    // Over the next pictures every inside point changes at some moment; no outside point ever does.
    const moved = new Set<number>();
    let outsideChanges = 0;
    await expect
      .poll(async () => {
        const now = await sample(probeAll);
        for (let i = 0; i < n; i++) if (changed([first[i]!], [now[i]!]) > 0) moved.add(i);
        outsideChanges += changed(first.slice(n), now.slice(n));
        return moved.size;
      }, { timeout: STEP_MS, interval: 300 })
      .toBe(n);
    expect(outsideChanges).toBe(0);
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(path.join(RESULTS_DIR, 'video-fusion-pattern.png'), await page.screenshot({ type: 'png' }));

    // The camera's live stream (the embedded encoder through HLS; the dispatcher is signed in)
    // through the same path: its frames arrive and it is painted where the pattern was.
    await page.evaluate((id) => window.citytwin.fusion.unfuse(id), cameraId);
    expect(await page.evaluate((id) => window.citytwin.fusion.fuse(id, 'stream'), cameraId)).toBe(true);
    await expect.poll(framesOf, { timeout: 40_000, interval: 500 }).toBeGreaterThan(2);
    await expect.poll(async () => changed(plain.slice(0, n), (await sample(probeAll)).slice(0, n)), { timeout: STEP_MS }).toBeGreaterThanOrEqual(n - 1);
    expect(changed(plain.slice(n), (await sample(probeAll)).slice(n))).toBe(0);
    await writeFile(path.join(RESULTS_DIR, 'video-fusion-stream.png'), await page.screenshot({ type: 'png' }));

    // Opacity 0 gives the plain twin back; removing the camera empties the fusion list.
    await page.evaluate((id) => window.citytwin.fusion.setOpacity(id, 0), cameraId);
    await expect.poll(async () => changed(plain, await sample(probeAll)), { timeout: STEP_MS }).toBe(0);
    await page.evaluate((id) => window.citytwin.fusion.unfuse(id), cameraId);
    expect(await page.evaluate(() => window.citytwin.fusion.state().fused.length)).toBe(0);
  });

  it("lets the department's handler accept and report it handled; another department's handler does not see it", async () => {
    const page = twinPage.page;
    // A long case detail scrolls the panel; it does not crush the toolbar above it.
    expect((await byTestId(page, 'cases-logout').boundingBox())!.height).toBeGreaterThan(20);
    const other = departments.find((d) => d.id !== departmentId)!;
    await signIn(page, `handler-${other.id}`, 'handler-demo');
    expect(await page.locator(`[data-testid="case-row-${caseId}"]`).count()).toBe(0);
    const forbidden = await page.evaluate(async (id) => {
      const session = JSON.parse(localStorage.getItem('citytwin.session')!) as { token: string };
      const answer = await fetch(`/api/cases/${id}`, { headers: { authorization: `Bearer ${session.token}` } });
      return answer.status;
    }, caseId);
    // Not theirs: refused, or answered as if it did not exist.
    expect([403, 404]).toContain(forbidden);

    await signIn(page, `handler-${departmentId}`, 'handler-demo');
    const row = byTestId(page, `case-row-${caseId}`);
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
    await byTestId(page, 'case-detail').waitFor({ timeout: STEP_MS });
    expect(await statusOf(page)).toBe('dispatched');
    // Handlers see only their own actions.
    expect(await byTestId(page, 'case-action-register').count()).toBe(0);
    await act(page, 'accept', 'handling');
    const note = `Debris removed, pavement swept (${marker})`;
    await byTestId(page, 'case-action-feedback').click();
    // Feedback needs a note: submit stays disabled without one.
    expect(await byTestId(page, 'case-action-submit').isDisabled()).toBe(true);
    await act(page, 'feedback', 'handled', note);
    expect(await byTestId(page, 'case-status').textContent()).toContain('Handled');
    expect(await page.locator('[data-testid="case-timeline"] li[data-action="feedback"]').textContent()).toContain(note);
  });

  it('lets the inspector close it from the "to verify" list on /inspector', async () => {
    const { page } = await open('/inspector?lang=en');
    await byTestId(page, 'cases-login-username').fill('inspector');
    await byTestId(page, 'cases-login-password').fill('inspector-demo');
    await byTestId(page, 'cases-login-submit').click();
    await byTestId(page, 'inspector-verify-tab').click();
    const item = byTestId(page, `inspector-case-${caseId}`);
    await item.waitFor({ timeout: STEP_MS });
    await item.click();
    await byTestId(page, 'case-detail').waitFor({ timeout: STEP_MS });
    expect(await statusOf(page)).toBe('handled');
    // No 3D on the phone page: no drill-in.
    expect(await byTestId(page, 'case-drill-in').count()).toBe(0);
    await act(page, 'close', 'closed');
    expect(await byTestId(page, 'case-status').textContent()).toContain('Closed');
  });

  it('shows the citizen the case closed and takes their rating', async () => {
    const page = citizen.page;
    await page.goto(`${server.httpUrl}/report?lang=en&code=${trackingCode}`);
    await expect.poll(() => byTestId(page, 'citizen-status').getAttribute('data-status'), { timeout: STEP_MS }).toBe('closed');
    expect(await byTestId(page, 'citizen-status').textContent()).toContain('Closed');
    const steps = await page.locator('[data-testid="citizen-progress"] ol li').allTextContents();
    expect(steps.length).toBeGreaterThanOrEqual(6);
    expect(steps.join('\n')).not.toContain(marker);
    await byTestId(page, 'citizen-rating').selectOption('4');
    await byTestId(page, 'citizen-rate').locator('button[type="submit"]').click();
    await expect.poll(() => byTestId(page, 'citizen-rated').getAttribute('data-rating'), { timeout: STEP_MS }).toBe('4');
    expect(await byTestId(page, 'citizen-rate').count()).toBe(0);
  });

  it("counts the case in the leader's KPI table", async () => {
    const page = twinPage.page;
    await signIn(page, 'leader', 'leader-demo');
    await byTestId(page, 'cases-kpis-tab').click();
    const row = page.locator(`[data-testid="case-kpis"] tr[data-key="${departmentId}"]`);
    await row.waitFor({ timeout: STEP_MS });
    const cells = await row.locator('td').allTextContents();
    // Handled, on time, rework, satisfaction: one case dispatched, handled in time, rated 4.
    expect(cells).toEqual(['100%', '100%', '0%', '4.0']);
    expect(await page.locator('[data-testid="case-kpis"] tbody tr').count()).toBeGreaterThanOrEqual(2);
  });

  it('plays a camera live, runs the patrol wall, and shows a video-AI case with the frame it fired on', async () => {
    const page = twinPage.page;
    await signIn(page, 'dispatcher', 'dispatcher-demo');
    const cameraId = `${site.cameraPoleId}-camera`;
    // The video-AI system reports illegal parking at the site's camera (its own MQTT account); not
    // garbage, which would join the citizen's garbage case at the same site if that were still open.
    const ai = await mqtt.connectAsync(server.mqttUrl, { clientId: 'video-ai-test', ...server.accountCredential('citytwin-video-ai') });
    const event = { v: 1, ts: Date.now(), event: 'video-ai', eventId: `VA-${marker}`, category: 'illegal-parking', confidence: 0.92, bbox: [0.35, 0.55, 0.25, 0.3] };
    await ai.publishAsync(`citytwin/v1/terminals/${cameraId}/events`, JSON.stringify(event), { qos: 1 });
    await ai.endAsync();

    // Live view from the camera list: the element plays (time advances) and its picture moves.
    await byTestId(page, 'panel-tab-video').click();
    await byTestId(page, 'camera-filter').fill(cameraId);
    await page.locator(`[data-testid="video-panel"] li[data-camera-id="${cameraId}"] [data-testid="camera-watch"]`).click();
    const tile = page.locator(`[data-testid="live-view"][data-camera-id="${cameraId}"] [data-testid="video-tile"]`);
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: STEP_MS }).toBe('playing');
    const sample = () =>
      page.evaluate((id) => {
        const video = document.querySelector<HTMLVideoElement>(`[data-testid="live-view"][data-camera-id="${id}"] video`)!;
        const canvas = document.createElement('canvas');
        canvas.width = 160;
        canvas.height = 90;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(video, 0, 0, 160, 90);
        return { time: video.currentTime, width: video.videoWidth, pixels: Array.from(ctx.getImageData(0, 0, 160, 90).data) };
      }, cameraId);
    const first = await sample();
    expect(first.width).toBe(640);
    await expect
      .poll(async () => {
        const now = await sample();
        const changed = now.pixels.filter((v, i) => Math.abs(v - first.pixels[i]!) > 24).length;
        return now.time > first.time + 0.5 && changed > 200;
      }, { timeout: STEP_MS, interval: 500 })
      .toBe(true);

    // The patrol wall: a 2×2 wall of the listed cameras, each tile a live view.
    await byTestId(page, 'patrol-source').selectOption('list');
    await byTestId(page, 'patrol-list').fill(`${cameraId}\n${cameraId.replace(/-camera$/, '-lamp')}\n`);
    await byTestId(page, 'patrol-start').click();
    const wallTile = page.locator('[data-testid="patrol-wall"] [data-testid="video-tile"]');
    // The lamp is no camera: the list keeps only the camera.
    await expect.poll(() => wallTile.count(), { timeout: STEP_MS }).toBe(1);
    await expect.poll(() => wallTile.first().getAttribute('data-state'), { timeout: STEP_MS }).toBe('playing');
    expect(await byTestId(page, 'patrol-page').textContent()).toContain('1 cameras');
    await byTestId(page, 'patrol-stop').click();
    await page.locator('[data-testid="live-view"] button.close').click();

    // The case the alarm opened keeps the frame, with the red detection box, on its timeline.
    await byTestId(page, 'panel-tab-cases').click();
    await byTestId(page, 'cases-list-tab').click();
    await byTestId(page, 'cases-filter-q').fill(cameraId);
    await byTestId(page, 'cases-filter-q').press('Enter');
    const row = page.locator('[data-testid^="case-row-"]').first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
    const photo = byTestId(page, 'case-event-photo');
    await photo.waitFor({ timeout: STEP_MS });
    const seen = await photo.evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      // The box's left edge, half-way down it.
      const [r, g, b] = ctx.getImageData(Math.round(0.35 * img.naturalWidth) + 1, Math.round(0.7 * img.naturalHeight), 1, 1).data;
      return { width: img.naturalWidth, r: r!, g: g!, b: b! };
    });
    expect(seen.width).toBe(640);
    expect(seen.r).toBeGreaterThan(180);
    expect(Math.max(seen.g, seen.b)).toBeLessThan(110);
  });

  it('stayed offline on every page without console errors or page errors', () => {
    expectCleanPages(opened, [
      {
        pattern: failedResource(`${server.httpUrl}/api/cases/${caseId}`, [403, 404]),
        why: "the other department's handler asks for the case on purpose above and is refused",
      },
      {
        pattern: new RegExp(`^console: Failed to load resource: the server responded with a status of 404 \\(Not Found\\) \\(at ${escapeRegExp(server.httpUrl)}/api/cameras/[^/]+/live/[^/]+/seg\\d+\\.ts\\)$`),
        why: 'the fused live stream: hls.js on a software-rendered page falls behind the live window, asks for segments the encoder has already deleted, and skips ahead',
      },
    ]);
  });
});
