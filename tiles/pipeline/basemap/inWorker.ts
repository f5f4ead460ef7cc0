/**
 * The basemap on a worker thread (kernel/worker/runInWorker), so that `buildTwin` can draw it
 * while the main thread tiles terrain, buildings, components and interiors: the basemap is the
 * build's longest stage and needs nothing those stages make. Same function, same input, so the
 * PNG is byte for byte the one `renderBasemap` writes on the main thread.
 */
import { writeFile } from 'node:fs/promises';
import { runInWorker } from '../../../kernel/worker/runInWorker';
import type { BasemapInput, BasemapOptions } from './index';

const ENTRY = new URL('./basemapWorker.ts', import.meta.url);

export async function renderBasemapInWorker(opts: BasemapOptions): Promise<void> {
  const { outFile, ...input } = opts;
  const png = await runInWorker<BasemapInput, [], Uint8Array>(ENTRY, input, { name: 'basemap' });
  await writeFile(outFile, png);
}
