/**
 * `npm run bench:client`: frame time of the twin's component rendering path (point chunks with
 * distance-based detail and clustering) against the Cesium Entity API on the same scene, in
 * headless Chromium over a fixed camera path, with 10k, 100k and 1M components. SwiftShader
 * renders in software, so absolute times say little; the Entity ÷ primitive ratio measured in
 * the same run is the figure.
 * `CITYTWIN_BENCH_COMPONENTS=10000,100000` limits the sizes.
 *
 * Each scene is a fresh page of the real client served by `citytwin serve` (the simulator off, so
 * no live feed competes for the CPU), at L4 with the components shown, half resolution, no MSAA.
 * Frames are rendered synchronously (`citytwin.renderFrameMs`, which reads a pixel back so the
 * GPU work is counted); Entity updates run inside that render, as they do in an application.
 */
import type { Browser } from 'playwright-core';
import { launchChromium, openOfflinePage } from '../test/support/browser';
import { startCliServer } from '../test/support/cliServer';
import { loadAvg1m, machineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round } from './support/stats';
import { fmt, table } from './support/table';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const MAX_COMPONENTS = 2_000_000;
/** Loading one scene may take this long before it counts as "cannot load". */
const LOAD_TIMEOUT_MS = 240_000;
const PATH_STEPS = 12;
const FRAMES_PER_STEP = 2;
/** The demo's own components; the rest of each N is synthetic (`?components=`). */
const DEMO_COMPONENTS = 2_273;

type Renderer = 'primitive' | 'entity';

/** The part of the page's `window.citytwin` this benchmark drives (the client's automation API). */
interface PageApi {
  citytwin?: {
    stats(): { components: number; allTilesLoaded: boolean };
    setView(lon: number, lat: number, height: number, headingDeg: number, pitchDeg: number): void;
    renderFrameMs(): number;
  };
}

interface SceneResult {
  renderer: Renderer;
  components: number;
  loadS?: number;
  frameMs?: { mean: number; p50: number; p95: number; max: number };
  skipped?: string;
}

/**
 * The fixed camera path: a circle around the district centre at 1.2 km, then a low pass over the
 * streets at 150 m, so both the clustered and the detailed state are timed.
 */
function cameraPath(lon: number, lat: number): Array<[number, number, number, number, number]> {
  const steps: Array<[number, number, number, number, number]> = [];
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i < PATH_STEPS; i++) {
    const low = i >= PATH_STEPS / 2;
    const a = (2 * Math.PI * i) / (PATH_STEPS / 2);
    const r = low ? 400 : 1200;
    const heading = ((a * 180) / Math.PI + 180) % 360;
    steps.push([lon + (r * Math.sin(a)) / mPerDegLon, lat + (r * Math.cos(a)) / mPerDegLat, low ? 150 : 1200, heading, low ? -20 : -40]);
  }
  return steps;
}

async function measureScene(browser: Browser, baseUrl: string, renderer: Renderer, components: number, centre: { lon: number; lat: number }): Promise<SceneResult> {
  const session = await openOfflinePage(browser, baseUrl);
  const page = session.page;
  try {
    const started = performance.now();
    const synthetic = Math.max(0, components - DEMO_COMPONENTS);
    await page.goto(`${baseUrl}/?msaa=1&lang=en&resolutionScale=0.5&level=L4&componentRenderer=${renderer}&components=${synthetic}`);
    try {
      await page.waitForFunction(
        () => {
          const s = (globalThis as PageApi).citytwin?.stats();
          return s !== undefined && s.components > 0 && s.allTilesLoaded;
        },
        undefined,
        { timeout: LOAD_TIMEOUT_MS, polling: 1000 },
      );
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!;
      // Out of memory the renderer process dies ("Target crashed") before the timeout.
      return { renderer, components, skipped: /crash/i.test(message) ? `page crashed while loading (${message})` : `did not load in ${LOAD_TIMEOUT_MS / 1000} s` };
    }
    const loadS = (performance.now() - started) / 1000;
    const samples: number[] = [];
    for (const [lon, lat, height, heading, pitch] of cameraPath(centre.lon, centre.lat)) {
      const times = await page.evaluate(
        ([view, frames]) => {
          const api = (globalThis as PageApi).citytwin!;
          api.setView(...view);
          api.renderFrameMs(); // the first frame at a new view also loads tiles: not timed
          return Array.from({ length: frames }, () => api.renderFrameMs());
        },
        [[lon, lat, height, heading, pitch], FRAMES_PER_STEP] as const,
      );
      samples.push(...times);
    }
    const d = distribution(samples)!;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return { renderer, components, loadS: round(loadS, 1), frameMs: { mean: round(mean, 1), p50: round(d.p50, 1), p95: round(d.p95, 1), max: round(d.max, 1) } };
  } catch (err) {
    // A page that runs out of memory (the Entity API at a million) crashes rather than times out.
    return { renderer, components, skipped: `failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await page.context().close();
  }
}

/** `CITYTWIN_BENCH_COMPONENTS=10000,100000` runs a subset; each size from the demo's own count to 2,000,000. */
function sizes(): number[] {
  const raw = process.env.CITYTWIN_BENCH_COMPONENTS;
  if (!raw) return DEFAULT_SIZES;
  return raw.split(',').map((part) => {
    const n = Number(part.trim().replaceAll('_', ''));
    if (!Number.isInteger(n) || n < DEMO_COMPONENTS || n > MAX_COMPONENTS) {
      throw new Error(`CITYTWIN_BENCH_COMPONENTS: "${part}" is not an integer from ${DEMO_COMPONENTS} to ${MAX_COMPONENTS}`);
    }
    return n;
  });
}

export async function runClientBench(log: (line: string) => void): Promise<SceneResult[]> {
  const counts = sizes();
  const server = await startCliServer(['--no-simulator']);
  const browser = await launchChromium();
  const results: SceneResult[] = [];
  try {
    const manifest = (await (await fetch(`${server.httpUrl}/twin/twin.json`)).json()) as { center: { lon: number; lat: number } };
    log(`client: ${counts.map((n) => fmt(n)).join(', ')} components; ${PATH_STEPS} camera positions × ${FRAMES_PER_STEP} frames; primitive path vs Entity API`);
    for (const n of counts) {
      for (const renderer of ['primitive', 'entity'] as const) {
        const result = await measureScene(browser, server.httpUrl, renderer, n, manifest.center);
        results.push(result);
        log(`  ${fmt(n)} ${renderer}: ${result.skipped ?? `load ${result.loadS} s, frame ${result.frameMs!.mean} ms`}`);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const rows = counts.map((n) => {
    const p = results.find((r) => r.components === n && r.renderer === 'primitive');
    const e = results.find((r) => r.components === n && r.renderer === 'entity');
    const ratio = p?.frameMs && e?.frameMs ? `${(e.frameMs.mean / p.frameMs.mean).toFixed(2)}×` : '–';
    return [n, p?.loadS, p?.frameMs?.mean, p?.frameMs?.p95, e?.loadS, e?.frameMs?.mean, e?.frameMs?.p95, ratio, e?.skipped ? 'Entity skipped' : ''];
  });
  log('');
  for (const line of table(['components', 'prim load s', 'prim ms', 'prim p95', 'entity load s', 'entity ms', 'entity p95', 'entity/prim', 'note'], rows)) log(line);
  for (const r of results.filter((x) => x.skipped)) log(`  ${fmt(r.components)} ${r.renderer}: ${r.skipped}`);
  const file = await writeResults('client', { machine: machineInfo(), loadAvg1m: loadAvg1m(), results });
  log(`wrote ${file}`);
  return results;
}
