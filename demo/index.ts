/**
 * The deterministic demo city: a seeded coastal district of about 3 km × 3 km near Binhai Bay
 * (Dongguan, Pearl River estuary), written as a city source folder (domain/citySource.ts).
 * The same seed gives byte-identical files; another seed gives another city.
 */
import { buildDemoCityModel } from './demoCity';
import { renderSource, writeSource } from './writeSource';

export interface DemoOptions {
  seed: number;
  outDir: string;
}

export interface DemoSummary {
  /** Names of the files written, relative to `outDir`; `city.json` (the manifest) is last. */
  files: string[];
  counts: {
    buildings: number;
    roads: number;
    signals: number;
    poles: number;
    terminals: number;
    components: number;
    gridCells: number;
    departments: number;
  };
}

export async function generateDemoCity(opts: DemoOptions): Promise<DemoSummary> {
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be a safe integer, got ${opts.seed}`);
  if (typeof opts.outDir !== 'string' || opts.outDir === '') throw new RangeError('outDir must be a non-empty path');
  const model = buildDemoCityModel(opts.seed);
  const files = await writeSource(opts.outDir, renderSource(model));
  return {
    files,
    counts: {
      buildings: model.buildings.length,
      roads: model.roads.length,
      signals: model.signals.length,
      poles: model.poles.length,
      terminals: model.terminals.length,
      components: model.components.length,
      gridCells: model.cells.cells.length,
      departments: model.departments.length,
    },
  };
}

export { buildDemoCityModel } from './demoCity';
export { renderSource } from './writeSource';
