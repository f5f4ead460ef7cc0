/**
 * Debian's Chromium driven by playwright-core, with the flags measured to give WebGL in software
 * on these machines (shared/browser.md). Every request to a host other than the server under
 * test is refused and recorded, so a test can assert the page stays offline.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  '--disable-dev-shm-usage',
  '--no-sandbox',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

export interface OfflinePage {
  page: Page;
  /** URLs the page tried to fetch from any host but the server under test. */
  foreignRequests: string[];
  /** Console errors (with the URL they came from) and uncaught exceptions. */
  errors: string[];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Browser UI language, e.g. 'zh-CN'. */
  locale?: string;
  /** Device pixels per CSS pixel; below 1 keeps huge wall viewports affordable in software. */
  deviceScaleFactor?: number;
}

export async function openOfflinePage(browser: Browser, baseUrl: string, options: PageOptions = {}): Promise<OfflinePage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    locale: options.locale ?? 'en-US',
  });
  const allowed = new URL(baseUrl).host;
  const foreignRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.host === allowed) return route.continue();
    foreignRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A failed resource's message does not name it: its location does, so a test can tell them apart.
    const at = msg.location().url;
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}${at ? ` (at ${at})` : ''}`);
  });
  return { page, foreignRequests, errors };
}
