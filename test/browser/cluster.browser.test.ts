/**
 * Scale-out in the real UI: two `citytwin serve` instances on one Mosquitto and one PostgreSQL
 * (test/cluster/clusterHarness.ts, here with the client bundle), a Chromium page on each. Device
 * data published to the broker shows the same on both pages; a case filed on page A is registered
 * and dispatched on page B and both pages show every step once; the instance under page A is
 * killed and restarted, and the page reconnects by itself and catches up with a change made while
 * its instance was down.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStreamEvent } from '../../domain/cases/api';
import type { CaseEvent } from '../../domain/cases/case';
import { LIVE_WS_PATH, type LiveMessage } from '../../domain/live';
import { terminalTopic } from '../../domain/topics';
import { allCount, call, CLUSTER_TESTS_CAN_RUN, health, login, startDeployment, type Deployment } from '../cluster/clusterHarness';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, type CliServer } from '../support/cliServer';
import { foldLive, statusJson, telemetryJson, waitFor } from '../server/helpers';
import { escapeRegExp, expectCleanPages, failedResource, type ExpectedError } from './support/cleanPage';

const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');
/** Waits on what one request, one re-render or one delta interval changes. */
const STEP_MS = 15_000;

/** A page on one instance, with every live-stream frame it received (across reconnects). */
interface InstancePage extends OfflinePage {
  frames: LiveMessage[];
  /** Live sockets the page opened: more than one means it reconnected. */
  sockets: number;
}

/** What a page shows of the devices: from the app's stores (window.citytwin) and its DOM. */
interface DeviceView {
  connection: string;
  poles: Record<string, string | null>;
  alarms: string[];
  figures: Record<string, string>;
}

/** The case the second test files, rated in the third while page A is cut off. */
let caseId = '';
let deployment: Deployment;
let stateA: string;
let a: CliServer;
let b: CliServer;
let devices: MqttClient;
let browser: Browser;
let pageA: InstancePage;
let pageB: InstancePage;
let poleIds: string[];
/** Device messages published so far, and the terminals that sent them. */
let sent = 0;
const reported = new Set<string>();

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function openOn(server: CliServer, panel: string): Promise<InstancePage> {
  // Small and at half resolution: software WebGL on two shared cores, two pages at once.
  const session = await openOfflinePage(browser, server.httpUrl, { viewport: { width: 960, height: 600 } });
  const watched: InstancePage = { ...session, frames: [], sockets: 0 };
  session.page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname !== LIVE_WS_PATH) return;
    watched.sockets += 1;
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') watched.frames.push(JSON.parse(payload) as LiveMessage);
    });
  });
  await session.page.goto(`${server.httpUrl}/?panel=${panel}&msaa=1&lang=en&resolutionScale=0.5`);
  await session.page.waitForFunction(() => window.citytwin?.stats().connection === 'live', undefined, { timeout: 60_000, polling: 250 });
  return watched;
}

async function showPanel(page: Page, panel: string): Promise<void> {
  await byTestId(page, `panel-tab-${panel}`).click();
  await byTestId(page, `${panel === 'alarms' ? 'alarm' : panel}-panel`).waitFor({ timeout: STEP_MS });
}

/** The alarm list needs the alarms panel shown. */
async function deviceView(page: Page): Promise<DeviceView> {
  return page.evaluate((ids) => {
    const figure = (key: string): string => document.querySelector(`[data-testid="figure-${key}"] .value`)?.textContent ?? '';
    return {
      connection: window.citytwin.stats().connection,
      poles: Object.fromEntries(ids.map((id) => [id, window.citytwin.poleStatus(id) ?? null])),
      alarms: [...document.querySelectorAll('[data-testid="alarm-panel"] li[data-alarm-id]')].map((li) => li.getAttribute('data-alarm-id')!).sort(),
      figures: { reporting: figure('reporting'), fault: figure('fault'), alarms: figure('alarms') },
    };
  }, poleIds);
}

/** Terminal statuses as the page's own stream left them (snapshot, then deltas). */
function terminalStatuses(page: InstancePage): string {
  return JSON.stringify([...foldLive(page.frames).terminals].sort());
}

async function publish(terminalId: string, kind: 'telemetry' | 'status', payload: string): Promise<void> {
  await devices.publishAsync(terminalTopic(terminalId, kind), payload, { qos: 1 });
  sent += 1;
  reported.add(terminalId);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${name}.png`), await page.screenshot({ type: 'png' }));
}

/** Signs in on the cases panel as the cases browser test does. */
async function signIn(page: Page, username: string): Promise<void> {
  await byTestId(page, 'cases-login-username').fill(username);
  await byTestId(page, 'cases-login-password').fill(`${username}-demo`);
  await byTestId(page, 'cases-login-submit').click();
  await byTestId(page, 'cases-user').waitFor({ timeout: STEP_MS });
  await page.locator('[data-testid="cases-panel"][data-busy="false"]').waitFor({ timeout: STEP_MS });
}

/** Chooses an action on the open case and submits it; waits for the status it leads to. */
async function act(page: Page, action: string, to: string): Promise<void> {
  await byTestId(page, `case-action-${action}`).click();
  await byTestId(page, 'case-action-submit').click();
  await expect.poll(() => byTestId(page, 'case-status').getAttribute('data-status'), { timeout: STEP_MS }).toBe(to);
}

/** The open case's timeline as the page lists it, oldest first. */
async function timeline(page: Page): Promise<string[]> {
  return page.locator('[data-testid="case-timeline"] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action') ?? ''));
}

/** `seq:action` of every case event for `id` the page's stream carried, in arrival order. */
function caseSteps(page: InstancePage, id: string): string[] {
  return foldLive(page.frames)
    .events.filter((e) => e.topic === 'case')
    .map((e) => e.data as CaseStreamEvent)
    .filter((e) => e.case.id === id)
    .map((e) => `${e.event.seq}:${e.event.action}`);
}

describe.skipIf(!CLUSTER_TESTS_CAN_RUN)('two instances, a browser on each', () => {
  beforeAll(async () => {
    deployment = await startDeployment('cluster_browser', { client: true });
    poleIds = deployment.twin.poles.map((p) => p.id);
    // Instance a keeps its state folder across the crash below, so the test owns it.
    stateA = await mkdtemp(path.join(tmpdir(), 'citytwin-cluster-a-'));
    a = await deployment.start('a', stateA);
    b = await deployment.start('b');
    await waitFor(async () => (await health(a.httpUrl)).instance.members.length === 2 && (await health(b.httpUrl)).instance.members.length === 2, 10_000, 'the instances to find each other');
    devices = await mqtt.connectAsync(deployment.broker.url, { clientId: 'cluster-browser-devices', reconnectPeriod: 0 }, false);
    browser = await launchChromium();
    [pageA, pageB] = [await openOn(a, 'alarms'), await openOn(b, 'alarms')];
  });

  afterAll(async () => {
    await browser?.close();
    await devices?.endAsync();
    await deployment?.remove();
    if (stateA) await rm(stateA, { recursive: true, force: true });
  });

  it('shows the same device statuses, alarms and counts on both pages', async () => {
    const t0 = Date.now();
    for (const t of deployment.twin.terminals) {
      if (t.type === 'lamp') await publish(t.id, 'telemetry', telemetryJson({ on: true, powerW: 92 }, t0));
      if (t.type === 'water-level') await publish(t.id, 'telemetry', telemetryJson({ depthCm: t.poleId === 'P00003' ? 35 : 1 }, t0));
    }
    await publish('P00001-camera', 'status', statusJson('fault', 'VIDEO_LOSS', t0));
    await publish('P00002-environment', 'status', statusJson('fault', 'SENSOR_FAULT', t0));
    await allCount([a.httpUrl, b.httpUrl], sent);
    // Ingest was divided between the instances, yet each page shows all of it.
    const [ha, hb] = [await health(a.httpUrl), await health(b.httpUrl)];
    expect(ha.instance.accepted + hb.instance.accepted).toBe(sent);

    const expected: DeviceView = {
      connection: 'live',
      poles: { P00001: 'fault', P00002: 'fault', P00003: 'warning', P00004: 'normal', P00005: 'normal', P00006: 'normal' },
      alarms: ['P00001-camera:device-fault', 'P00002-environment:device-fault', 'P00003-water-level:water-level'],
      // Six lamps, six water gauges, a camera and an environment sensor reported; two are faulty.
      figures: { reporting: String(reported.size), fault: '2', alarms: '3' },
    };
    for (const page of [pageA, pageB]) await expect.poll(() => deviceView(page.page), { timeout: STEP_MS }).toEqual(expected);
    await expect.poll(() => terminalStatuses(pageA), { timeout: STEP_MS }).toBe(terminalStatuses(pageB));
    expect(foldLive(pageA.frames).terminals.get('P00004-lamp')).toBe('normal');
    await screenshot(pageA.page, 'cluster-a-devices');
    await screenshot(pageB.page, 'cluster-b-devices');
  });

  it('files a case on page A, dispatches it on page B, and both pages show every step once', async () => {
    const marker = `cluster${Date.now().toString(36)}`;
    await showPanel(pageA.page, 'cases');
    await showPanel(pageB.page, 'cases');
    await signIn(pageA.page, 'dispatcher');
    await signIn(pageB.page, 'dispatcher');

    // Page A takes a hotline call, placed beside pole P00004.
    const pole = deployment.twin.poles.find((p) => p.id === 'P00004')!;
    await byTestId(pageA.page, 'cases-new').click();
    await byTestId(pageA.page, 'case-form-category').selectOption('lamp-pole-damaged');
    await byTestId(pageA.page, 'case-form-description').fill(`Lamp pole leaning after a crash ${marker}`);
    await byTestId(pageA.page, 'case-form-lon').fill(String(pole.lon));
    await byTestId(pageA.page, 'case-form-lat').fill(String(pole.lat + 0.00005));
    await byTestId(pageA.page, 'case-form-submit').click();
    await expect.poll(() => byTestId(pageA.page, 'case-status').getAttribute('data-status'), { timeout: STEP_MS }).toBe('reported');
    const created = foldLive(pageA.frames)
      .events.filter((e) => e.topic === 'case')
      .map((e) => e.data as CaseStreamEvent)
      .find((e) => e.event.action === 'create' && e.case.description.includes(marker));
    expect(created).toBeDefined();
    const id = created!.case.id;
    caseId = id;

    // Page B learns of it from instance a through the cluster and takes it on.
    const row = byTestId(pageB.page, `case-row-${id}`);
    await row.waitFor({ timeout: STEP_MS });
    expect(await row.getAttribute('data-status')).toBe('reported');
    await row.click();
    await byTestId(pageB.page, 'case-detail').waitFor({ timeout: STEP_MS });
    await act(pageB.page, 'register', 'registered');
    await byTestId(pageB.page, 'case-action-dispatch').click();
    await byTestId(pageB.page, 'case-action-department').selectOption('D-LIGHT');
    await act(pageB.page, 'dispatch', 'dispatched');

    // The street lighting office's handler and the inspector work through the API, one on each instance.
    const handler = await login(a.httpUrl, 'handler-d-light');
    const inspector = await login(b.httpUrl, 'inspector');
    for (const [base, token, body] of [
      [a.httpUrl, handler, { action: 'accept' }],
      [a.httpUrl, handler, { action: 'feedback', note: `pole straightened ${marker}` }],
      [b.httpUrl, inspector, { action: 'close' }],
    ] as const) {
      const answer = await call(base, 'POST', `/api/cases/${id}/actions`, { token, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    const trail = (await call(a.httpUrl, 'GET', `/api/cases/${id}`, { token: handler })).body.events as CaseEvent[];
    const actions = ['create', 'register', 'dispatch', 'accept', 'feedback', 'close'];
    expect(trail.map((e) => e.action)).toEqual(actions);

    for (const page of [pageA, pageB]) {
      // Both pages have the case open; the live events refresh it to its end.
      await expect.poll(() => byTestId(page.page, 'case-status').getAttribute('data-status'), { timeout: STEP_MS }).toBe('closed');
      await expect.poll(() => timeline(page.page), { timeout: STEP_MS }).toEqual(actions);
      // Each step reached each page's stream exactly once.
      await expect.poll(() => caseSteps(page, id).length, { timeout: STEP_MS }).toBe(trail.length);
      expect(caseSteps(page, id).sort()).toEqual(trail.map((e) => `${e.seq}:${e.action}`).sort());
    }
    await screenshot(pageA.page, 'cluster-a-case');
    await screenshot(pageB.page, 'cluster-b-case');
  });

  it("reconnects page A by itself when its instance is killed and restarted, and shows what changed meanwhile", async () => {
    await showPanel(pageA.page, 'alarms');
    await showPanel(pageB.page, 'alarms');
    // A mark on the page's window: still there afterwards means the page was never reloaded.
    await pageA.page.evaluate(() => Object.assign(window, { clusterTestMark: true }));
    const socketsBefore = pageA.sockets;
    const port = Number(new URL(a.httpUrl).port);

    await a.kill();
    await pageA.page.waitForFunction(() => window.citytwin.stats().connection === 'reconnecting', undefined, { timeout: STEP_MS, polling: 100 });

    // While a is down the camera on P00001 recovers. The broker hands the report to b, or keeps it
    // in a's session until a is back (shared subscriptions may queue for a member that is away).
    await publish('P00001-camera', 'status', statusJson('online', undefined, Date.now()));
    const recovered: DeviceView = {
      connection: 'live',
      poles: { P00001: 'normal', P00002: 'fault', P00003: 'warning', P00004: 'normal', P00005: 'normal', P00006: 'normal' },
      alarms: ['P00002-environment:device-fault', 'P00003-water-level:water-level'],
      figures: { reporting: String(reported.size), fault: '1', alarms: '2' },
    };
    // Page A, cut off, still shows what it last knew.
    expect((await deviceView(pageA.page)).poles.P00001).toBe('fault');
    // And the leader rates the closed case through b: a case event page A's socket never gets.
    const leader = await login(b.httpUrl, 'leader');
    const rated = await call(b.httpUrl, 'POST', `/api/cases/${caseId}/actions`, { token: leader, body: { action: 'evaluate', rating: 4 } });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);

    a = await deployment.start('a', stateA, { port });
    await pageA.page.waitForFunction(() => window.citytwin.stats().connection === 'live', undefined, { timeout: 30_000, polling: 100 });
    expect(pageA.sockets).toBeGreaterThan(socketsBefore);
    expect(await pageA.page.evaluate(() => (window as unknown as { clusterTestMark?: boolean }).clusterTestMark)).toBe(true);

    for (const page of [pageB, pageA]) await expect.poll(() => deviceView(page.page), { timeout: STEP_MS }).toEqual(recovered);
    await expect.poll(() => terminalStatuses(pageA), { timeout: STEP_MS }).toBe(terminalStatuses(pageB));
    await screenshot(pageA.page, 'cluster-a-reconnected');
    // The reconnected page reloaded its cases: the rating made while it was cut off shows in the
    // case it still has open.
    await showPanel(pageA.page, 'cases');
    await expect.poll(() => byTestId(pageA.page, 'case-status').getAttribute('data-status'), { timeout: STEP_MS }).toBe('evaluated');

  });

  it('kept both pages offline without console errors or page errors', () => {
    const expected: ExpectedError[] = [
      {
        pattern: new RegExp(
          `^console: WebSocket connection to '${escapeRegExp(a.httpUrl.replace(/^http/, 'ws'))}${LIVE_WS_PATH}' failed: Error in connection establishment: net::ERR_CONNECTION_REFUSED \\(at [^)]+\\)$`,
        ),
        why: 'page A retries its live socket while the test has instance a killed',
      },
    ];
    // The tiny twin (test/fixtures/tinyTwin.ts) is placeholders that only need to exist for the
    // server: its terrain entry names layer.json where a package names the folder, and its one
    // tile is zeros. The client cannot load that terrain: three 404s and Cesium's report of the
    // failed terrain, a RuntimeError whose minified name is all Chromium prints.
    for (const base of [a.httpUrl, b.httpUrl]) {
      expected.push(
        ...['layer.json', '0/0/0.terrain?v=1.0.0', '0/1/0.terrain?v=1.0.0'].map((tile) => ({
          pattern: failedResource(`${base}/twin/terrain/layer.json/${tile}`, [404]),
          why: "the tiny twin's terrain entry is not a terrain folder",
        })),
        { pattern: new RegExp(`^console: gw \\(at ${escapeRegExp(base)}/cesium/index\\.js\\)$`), why: "Cesium's RuntimeError for the tiny twin's terrain" },
      );
    }
    expectCleanPages([pageA, pageB], expected);
  });
});
