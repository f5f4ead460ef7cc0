/**
 * A demo twin package for the benchmarks: `data/demo/twin` when `npm start` has built it with
 * this pipeline version, otherwise one generated (seed 42) and tiled into a temporary folder that
 * `cleanup()` removes. `data/demo` is only read, never written: other work may be using it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TWIN_MANIFEST_FILE } from '../../domain/twinPackage';
import { buildTwin } from '../../tiles/pipeline/index';
import { generateDemoCity } from '../../demo/index';
import { PIPELINE_VERSION } from '../../tiles/version';

export const DEMO_SEED = 42;
const DEMO_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));

export interface DemoTwin {
  dir: string;
  /** Where it came from, for the report. */
  origin: 'data/demo/twin' | 'generated';
  cleanup(): Promise<void>;
}

export async function openDemoTwin(log: (line: string) => void): Promise<DemoTwin> {
  const existing = path.join(DEMO_DIR, 'twin');
  if (await isCurrentDemo(existing)) return { dir: existing, origin: 'data/demo/twin', cleanup: async () => undefined };

  const tmp = await mkdtemp(path.join(tmpdir(), 'citytwin-bench-twin-'));
  const cleanup = (): Promise<void> => rm(tmp, { recursive: true, force: true });
  try {
    log(`no current data/demo/twin: generating the demo city (seed ${DEMO_SEED}) into ${tmp} …`);
    const sourceDir = path.join(tmp, 'source');
    const twinDir = path.join(tmp, 'twin');
    await generateDemoCity({ seed: DEMO_SEED, outDir: sourceDir });
    await buildTwin({ sourceDir, outDir: twinDir });
    return { dir: twinDir, origin: 'generated', cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The stamp `npm start` writes (cli/ensureBuilt.ts): same seed and pipeline version, package complete. */
async function isCurrentDemo(twinDir: string): Promise<boolean> {
  if (!existsSync(path.join(twinDir, TWIN_MANIFEST_FILE))) return false;
  try {
    const stamp = JSON.parse(await readFile(path.join(DEMO_DIR, 'build-info.json'), 'utf8')) as { seed?: unknown; pipelineVersion?: unknown };
    return stamp.seed === DEMO_SEED && stamp.pipelineVersion === PIPELINE_VERSION;
  } catch {
    return false;
  }
}
