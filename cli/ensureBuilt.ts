/**
 * What `npm start` builds when it is missing or out of date: the demo twin (generate the city
 * source, tile it) and the client bundle. A fresh clone gets both in well under two minutes.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PIPELINE_VERSION } from '../tiles/version';
import { TWIN_MANIFEST_FILE } from '../domain/twinPackage';
import { UsageError } from './args';
import { DEFAULT_DEMO_DIR, PACKAGE_ROOT } from './paths';

export type Log = (line: string) => void;

interface DemoStamp {
  seed: number;
  pipelineVersion: number;
}

const STAMP_FILE = 'build-info.json';

/** Ensures `<demoDir>/twin` holds a demo twin built by this pipeline version from `seed`; returns its path. */
/**
 * The twin a command works on: `--twin <dir>` when given (it must hold a twin package), else the
 * demo city, built first when missing or out of date.
 */
export async function resolveTwinDir(twinOption: string | undefined, seed: number, log: Log): Promise<string> {
  if (twinOption === undefined) return ensureDemoTwin(DEFAULT_DEMO_DIR, seed, log);
  const twinDir = path.resolve(twinOption);
  if (!existsSync(path.join(twinDir, TWIN_MANIFEST_FILE))) {
    throw new UsageError(`--twin ${twinOption}: no ${TWIN_MANIFEST_FILE} there; build one with \`citytwin tiles build\``);
  }
  return twinDir;
}

export async function ensureDemoTwin(demoDir: string, seed: number, log: Log): Promise<string> {
  const sourceDir = path.join(demoDir, 'source');
  const twinDir = path.join(demoDir, 'twin');
  const wanted: DemoStamp = { seed, pipelineVersion: PIPELINE_VERSION };
  const stamp = await readStamp(path.join(demoDir, STAMP_FILE));
  if (stamp && stamp.seed === wanted.seed && stamp.pipelineVersion === wanted.pipelineVersion && existsSync(path.join(twinDir, TWIN_MANIFEST_FILE))) {
    return twinDir;
  }
  const started = performance.now();
  log(`Generating the demo city (seed ${seed}) into ${path.relative(process.cwd(), sourceDir) || '.'} …`);
  await rm(demoDir, { recursive: true, force: true });
  // Loaded only when a build is due: a server start on a current twin does not pay for the tiler.
  const [{ generateDemoCity }, { buildTwin }] = await Promise.all([import('../demo/index'), import('../tiles/pipeline/index')]);
  const summary = await generateDemoCity({ seed, outDir: sourceDir });
  log(`  ${summary.counts.buildings} buildings, ${summary.counts.poles} lamp poles, ${summary.counts.terminals} terminals, ${summary.counts.components} components`);
  log('Building the twin package (3D Tiles, terrain, imagery, layers) …');
  await buildTwin({ sourceDir, outDir: twinDir, onProgress: progressLogger(log) });
  await writeFile(path.join(demoDir, STAMP_FILE), JSON.stringify(wanted, null, 2) + '\n');
  log(`Demo twin ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return twinDir;
}

async function readStamp(file: string): Promise<DemoStamp | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoStamp;
  } catch {
    return undefined;
  }
}

/** Logs each stage as it completes, so progress shows without flooding the terminal. */
export function progressLogger(log: Log): (stage: string, done: number, total: number) => void {
  // Stages run one after another, so a stage's time is what passed since the previous one ended.
  let previousEnd = performance.now();
  return (stage, done, total) => {
    if (done < total) return;
    const now = performance.now();
    log(`  ${stage.padEnd(10)} ${String(total).padStart(6)}  ${((now - previousEnd) / 1000).toFixed(1)} s`);
    previousEnd = now;
  };
}

/** Client sources: when any is newer than the bundle, the bundle is rebuilt. */
const CLIENT_SOURCES = ['client', 'domain', 'public', 'vite.config.ts'];

/** Ensures the client bundle in `distDir` is at least as new as its sources. */
export async function ensureClientBundle(distDir: string, log: Log): Promise<void> {
  const index = path.join(distDir, 'index.html');
  const built = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  const sourcesExist = existsSync(path.join(PACKAGE_ROOT, 'client'));
  if (built > 0 && (!sourcesExist || (await newestMtime(CLIENT_SOURCES.map((p) => path.join(PACKAGE_ROOT, p))) <= built))) {
    return;
  }
  if (!sourcesExist) throw new Error(`no client bundle at ${distDir} and no client sources to build it from`);
  log('Building the client bundle …');
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error('the client bundle is missing and vite is not installed: run `npm install` (with dev dependencies) then `npm run build`');
  }
  await mkdir(distDir, { recursive: true });
  await vite.build({ configFile: path.join(PACKAGE_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir } });
}

async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const s = await stat(p);
    if (s.isDirectory()) {
      const entries = await readdir(p);
      newest = Math.max(newest, await newestMtime(entries.map((e) => path.join(p, e))));
    } else {
      newest = Math.max(newest, s.mtimeMs);
    }
  }
  return newest;
}
