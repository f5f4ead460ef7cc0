/**
 * `npm run bench:client`: frame time of the twin's component rendering path (point chunks with
 * distance-based detail and clustering) against the Cesium Entity API on the same scene, in
 * headless Chromium over a fixed camera path, with 10k, 100k and 1M components. The Entity
 * baseline is set up at its best (EntityComponentsLayer: events suspended while loading, the
 * data source's EntityCluster on). 12 camera positions × 10 timed frames = 120 frames per scene;
 * median and p95 frame time. SwiftShader renders in software, so absolute times say little; the
 * Entity ÷ chunked ratio of the medians, measured in the same run, is the figure. Goal: the
 * chunked path faster than the Entity API at every size (ratio > 1).
 * `CITYTWIN_BENCH_COMPONENTS=10000,100000` limits the sizes.
 *
 * Each scene is a fresh page of the real client served by `citytwin serve` (the simulator off, so
 * no live feed competes for the CPU), at L4 with the components shown, half resolution, no MSAA.
 * The two pages of a size are open together and timed in turns, position by position.
 * Frames are rendered synchronously (`citytwin.renderFrameMs`, which reads a pixel back so the
 * GPU work is counted); Entity updates run inside that render, as they do in an application.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openOfflinePage } from '../test/support/browser';
import { startCliServer } from '../test/support/cliServer';
import { loadAvg1m, machineInfo } from './support/machine';
import { writeResults } from './support/results';
import { distribution, round } from './support/stats';
import { fmt, table } from './support/table';
import { verdict, verdictLine } from './support/verdict';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const MAX_COMPONENTS = 2_000_000;
/** Loading one scene may take this long before it counts as "cannot load". */
const LOAD_TIMEOUT_MS = 240_000;
const PATH_STEPS = 12;
/** Timed frames per camera position: 12 × 10 = 120 per scene. */
const FRAMES_PER_STEP = 10;
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

/** A loaded page of one renderer, or why it could not load. */
type LoadedScene = { renderer: Renderer; page: Page; loadS: number } | { renderer: Renderer; page: Page; skipped: string };

async function loadScene(browser: Browser, baseUrl: string, renderer: Renderer, components: number): Promise<LoadedScene> {
  const session = await openOfflinePage(browser, baseUrl);
  const page = session.page;
  const started = performance.now();
  const synthetic = Math.max(0, components - DEMO_COMPONENTS);
  try {
    await page.goto(`${baseUrl}/?msaa=1&lang=en&resolutionScale=0.5&level=L4&componentRenderer=${renderer}&components=${synthetic}`);
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
    return { renderer, page, skipped: /crash/i.test(message) ? `page crashed while loading (${message})` : /Timeout/i.test(message) ? `did not load in ${LOAD_TIMEOUT_MS / 1000} s` : `failed: ${message}` };
  }
  return { renderer, page, loadS: round((performance.now() - started) / 1000, 1) };
}

/** Timed frames at one camera position (the first frame there also loads tiles: not timed). */
async function framesAt(page: Page, view: readonly [number, number, number, number, number]): Promise<number[]> {
  return page.evaluate(
    ([v, frames]) => {
      const api = (globalThis as PageApi).citytwin!;
      api.setView(...v);
      api.renderFrameMs();
      return Array.from({ length: frames }, () => api.renderFrameMs());
    },
    [view, FRAMES_PER_STEP] as const,
  );
}

/**
 * Both renderers' pages for one size, loaded one after the other, then timed position by
 * position in turns (the order swapped at every position), so load from other work on this
 * shared machine falls on both alike rather than on whichever scene ran second.
 */
async function measureSize(browser: Browser, baseUrl: string, components: number, centre: { lon: number; lat: number }): Promise<SceneResult[]> {
  const scenes: LoadedScene[] = [];
  try {
    for (const renderer of ['primitive', 'entity'] as const) scenes.push(await loadScene(browser, baseUrl, renderer, components));
    const samples = new Map<Renderer, number[]>(scenes.map((s) => [s.renderer, []]));
    const failed = new Map<Renderer, string>();
    const path = cameraPath(centre.lon, centre.lat);
    for (let i = 0; i < path.length; i++) {
      const turn = i % 2 === 0 ? scenes : [...scenes].reverse();
      for (const scene of turn) {
        if ('skipped' in scene || failed.has(scene.renderer)) continue;
        try {
          samples.get(scene.renderer)!.push(...(await framesAt(scene.page, path[i]!)));
        } catch (err) {
          // A page that runs out of memory (the Entity API at a million) crashes rather than times out.
          failed.set(scene.renderer, `failed: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    return scenes.map((scene): SceneResult => {
      const skipped = 'skipped' in scene ? scene.skipped : failed.get(scene.renderer);
      if (skipped !== undefined || !('loadS' in scene)) return { renderer: scene.renderer, components, skipped: skipped ?? 'not measured' };
      const times = samples.get(scene.renderer)!;
      const d = distribution(times)!;
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      return { renderer: scene.renderer, components, loadS: scene.loadS, frameMs: { mean: round(mean, 1), p50: round(d.p50, 1), p95: round(d.p95, 1), max: round(d.max, 1) } };
    });
  } finally {
    for (const scene of scenes) await scene.page.context().close();
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

export async function runClientBench(log: (line: string) => void): Promise<unknown> {
  const machine = machineInfo();
  const counts = sizes();
  const server = await startCliServer(['--no-simulator']);
  const browser = await launchChromium();
  const results: SceneResult[] = [];
  try {
    const manifest = (await (await fetch(`${server.httpUrl}/twin/twin.json`)).json()) as { center: { lon: number; lat: number } };
    log(`client: ${counts.map((n) => fmt(n)).join(', ')} components; ${PATH_STEPS} camera positions × ${FRAMES_PER_STEP} frames; chunked path vs Entity API with EntityCluster; load ${machine.loadAvg1m}`);
    for (const n of counts) {
      for (const result of await measureSize(browser, server.httpUrl, n, manifest.center)) {
        results.push(result);
        log(`  ${fmt(n)} ${result.renderer}: ${result.skipped ?? `load ${result.loadS} s, frame median ${result.frameMs!.p50} ms, p95 ${result.frameMs!.p95} ms`} (load avg ${loadAvg1m()})`);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const ratios = counts.map((n) => {
    const p = results.find((r) => r.components === n && r.renderer === 'primitive');
    const e = results.find((r) => r.components === n && r.renderer === 'entity');
    return { components: n, p, e, ratio: p?.frameMs && e?.frameMs ? round(e.frameMs.p50 / p.frameMs.p50, 2) : undefined };
  });
  const rows = ratios.map(({ components, p, e, ratio }) => [
    components,
    p?.loadS,
    fmt(p?.frameMs?.p50, 1),
    fmt(p?.frameMs?.p95, 1),
    e?.loadS,
    fmt(e?.frameMs?.p50, 1),
    fmt(e?.frameMs?.p95, 1),
    ratio === undefined ? '–' : `${ratio.toFixed(2)}×`,
    e?.skipped ? 'Entity skipped' : p?.skipped ? 'chunked skipped' : '',
  ]);
  log('');
  for (const line of table(['components', 'chunked load s', 'chunked p50 ms', 'chunked p95 ms', 'Entity load s', 'Entity p50 ms', 'Entity p95 ms', 'Entity ÷ chunked (p50)', 'note'], rows)) log(line);
  for (const r of results.filter((x) => x.skipped)) log(`  ${fmt(r.components)} ${r.renderer}: ${r.skipped}`);
  const measured = ratios.filter((r) => r.ratio !== undefined);
  // A size where the Entity page could not load but the chunked one did counts for the chunked path.
  const entityFailed = ratios.filter((r) => r.p?.frameMs && r.e?.skipped);
  const end = loadAvg1m();
  const result = verdict(
    'the chunked path faster per frame (median) than the Entity API with EntityCluster, at every size',
    [
      ...measured.map((r) => `${fmt(r.components)}: ${r.ratio!.toFixed(2)}×`),
      ...entityFailed.map((r) => `${fmt(r.components)}: Entity did not load`),
    ].join(', ') || 'nothing measured',
    measured.length + entityFailed.length === 0 ? undefined : measured.every((r) => r.ratio! > 1) && ratios.every((r) => !r.p?.skipped),
    end,
  );
  log(verdictLine('client', result));
  const file = await writeResults('client', { benchmark: 'client', machine, loadAvg1mEnd: end, framesPerScene: PATH_STEPS * FRAMES_PER_STEP, results, ratios: ratios.map((r) => ({ components: r.components, entityOverChunkedP50: r.ratio })), verdict: result });
  log(`wrote ${file}`);
  return results;
}
