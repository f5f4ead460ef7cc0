/**
 * Worker threads that start in tens of milliseconds: the TypeScript entry and everything it
 * imports are bundled once per process into one plain ES module (esbuild, the compiler tsx
 * itself runs on), and each worker loads that module from a data: URL. A worker started through
 * tsxBootstrap.mjs instead pays tsx's register() and a transform per imported file — 0.4–1.2 s
 * per thread on this project's 2-core machine, a third of a whole flood benchmark run
 * (issue 14). For threads that step in lock-step over shared memory (flood stripes), where that
 * start-up is on every run's critical path; one-off tasks keep `runInWorker`.
 *
 * The entry must not rely on its own file location (import.meta.url, relative reads): after
 * bundling it has none. Node built-ins stay imports; packages are bundled in.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Bundled code per entry URL, built on first use and kept for the life of the process. */
const bundles = new Map<string, Promise<URL>>();

async function bundle(entry: URL): Promise<URL> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** The entry's bundle as a data: URL (built once per process). */
export function bundledEntry(entry: URL): Promise<URL> {
  let url = bundles.get(entry.href);
  if (!url) {
    url = bundle(entry);
    bundles.set(entry.href, url);
    // A failed build is not cached: the next call tries again and reports its own error.
    url.catch(() => bundles.delete(entry.href));
  }
  return url;
}

/**
 * Starts a worker thread on the bundled TypeScript module `entry`. `execArgv: []`: the thread
 * runs plain JavaScript, so it does not inherit the parent's `--import tsx` (which would
 * register tsx in it again, the cost this module avoids).
 */
export async function startBundledWorker(entry: URL, workerData: object): Promise<Worker> {
  return new Worker(await bundledEntry(entry), { workerData, execArgv: [] });
}
