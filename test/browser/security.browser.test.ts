/**
 * The Content-Security-Policy against the real client: `citytwin serve` (the CLI, the demo city)
 * → Chromium. Every page the operation centre uses loads and works — the twin at L2 and L4 with
 * its workers and WebAssembly, a building's interior, the live WebSocket, the 2D map, the
 * citizen's and the inspector's pages — without one CSP violation, while the policy does refuse
 * what it should (an injected inline script, a request to another host).
 *
 * Violations are caught twice: the page's `securitypolicyviolation` events, and Chromium's
 * "Refused to …" console errors, which also come from workers. L4 components and L5 interiors
 * load under the same policy in levels.browser.test.ts, which fails on any console error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalRecord } from '../../domain/twinPackage';
import { terminalTopic } from '../../domain/topics';
import { launchChromium, openOfflinePage, type OfflinePage } from '../support/browser';
import { REPO_ROOT, startCliServer, type CliServer } from '../support/cliServer';
import { telemetryJson } from '../server/helpers';

const TILES_MS = 180_000;

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

declare global {
  interface Window {
    cspViolations: Violation[];
  }
}

let server: CliServer;
let browser: Browser;

/** A page that records CSP violations from its first script on. */
async function openRecorded(): Promise<OfflinePage> {
  const session = await openOfflinePage(browser, server.httpUrl);
  await session.page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  return session;
}

/** Violations seen so far: DOM events plus Chromium's console reports (workers included). */
async function violations(session: OfflinePage): Promise<string[]> {
  const events = await session.page.evaluate(() => window.cspViolations);
  const console = session.errors.filter((e) => /Content Security Policy|Refused to/i.test(e));
  return [...events.map((v) => `${v.directive} blocked ${v.blocked} at ${v.source}`), ...console];
}

async function waitForTiles(page: Page): Promise<void> {
  await page.waitForFunction(() => window.citytwin?.stats().allTilesLoaded === true, undefined, { timeout: TILES_MS, polling: 500 });
}

/** One report from a lamp of the demo twin, sent with the lamp's own login as the device would. */
async function lampReports(): Promise<void> {
  const terminals = JSON.parse(await readFile(path.join(REPO_ROOT, 'data', 'demo', 'twin', 'layers', 'terminals.json'), 'utf8')) as TerminalRecord[];
  const lamp = terminals.find((t) => t.type === 'lamp')!;
  const client = await mqtt.connectAsync(server.mqttUrl, { clientId: lamp.id, ...server.deviceCredential(lamp.id) });
  try {
    await client.publishAsync(terminalTopic(lamp.id, 'telemetry'), telemetryJson({ on: true, powerW: 92 }), { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

beforeAll(async () => {
  // No device simulator: the test sends the one device report it needs, and the simulator's
  // status changes would make the twin redraw (in software) all the time, slowing the file.
  server = await startCliServer(['--no-simulator']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Content-Security-Policy with the real client', () => {
  it('is sent with the page and refuses injected scripts and other hosts', async () => {
    const session = await openRecorded();
    const response = await session.page.goto(`${server.httpUrl}/report?lang=en`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/^default-src 'self';/);
    expect(csp).not.toMatch(/https?:|\*/);
    expect(response!.headers()['x-frame-options']).toBe('DENY');

    // Controls: the policy is enforced and the recorder sees it. An injected inline script
    // (what an XSS would add) does not run.
    const injected = await session.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true;';
      document.head.append(script);
      return (window as Window & { injectedRan?: boolean }).injectedRan === true;
    });
    expect(injected).toBe(false);
    const fetchResult = await session.page.evaluate(() =>
      fetch('http://198.51.100.7/tiles.json').then(
        () => 'fetched',
        () => 'refused',
      ),
    );
    expect(fetchResult).toBe('refused');
    await expect.poll(() => session.page.evaluate(() => window.cspViolations.map((v) => v.directive).sort())).toEqual(['connect-src', 'script-src-elem']);
    await session.page.context().close();
  });

  let twin: OfflinePage;

  it('lets the twin load every tile, its workers and the live socket without a violation', async () => {
    twin = await openRecorded();
    const { page } = twin;
    // Half resolution: the same tiles, workers and socket, fewer pixels to draw in software.
    await page.goto(`${server.httpUrl}/?lang=en&msaa=1&resolutionScale=0.5`);
    await waitForTiles(page);
    // Deltas arrive over /ws/live: connect-src admits the WebSocket to the same host.
    await page.waitForFunction(() => window.citytwin.stats().connection === 'live', undefined, { timeout: 60_000 });
    await lampReports();
    await page.waitForFunction(() => window.citytwin.stats().deltasReceived > 0, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => window.citytwin.stats().connection)).toBe('live');
    expect(await violations(twin)).toEqual([]);
    expect(twin.foreignRequests).toEqual([]);
    await page.context().close();
  });

  it('lets the 2D map, the citizen page and the inspector page work without a violation', async () => {
    const session = await openRecorded();
    const { page } = session;
    await page.goto(`${server.httpUrl}/?lang=en&view=2d&msaa=1`);
    await page.waitForFunction(() => window.citytwin?.stats().mode === '2d', undefined, { timeout: 60_000 });
    // The deck.gl canvas draws: give its shaders and layers a moment to compile and load.
    await page.waitForSelector('canvas', { timeout: 60_000 });
    await page.waitForTimeout(3000);
    // Each page's events are gone after the next navigation: read them first.
    expect(await violations(session), '2D map').toEqual([]);

    for (const route of ['/report?lang=en', '/inspector?lang=en']) {
      await page.goto(`${server.httpUrl}${route}`);
      await page.waitForLoadState('networkidle', { timeout: 60_000 });
      expect(await page.locator('#app').innerHTML(), route).not.toBe('');
      expect(await violations(session), route).toEqual([]);
    }
    expect(session.foreignRequests).toEqual([]);
    await page.context().close();
  });
});
