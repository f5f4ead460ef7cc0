import { parseArgs } from 'node:util';
import path from 'node:path';
import { generateDemoCity } from '../demo/index';
import { UsageError, parseNumber } from './args';
import type { Log } from './ensureBuilt';

export const DEMO_USAGE = `citytwin demo generate [--seed <n>] [--out <dir>]

Writes the demo coastal district as a city source folder (DEM, roads, signals,
buildings, lamp poles and terminals, components, grid cells, departments).
The same seed always gives byte-identical files.

  --seed <n>            seed (default 42)
  --out <dir>           output folder (default ./demo-city)`;

export async function demoCommand(argv: string[], log: Log): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'generate') throw new UsageError(`unknown demo command "${sub ?? ''}"\n\n${DEMO_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: false,
    options: { seed: { type: 'string' }, out: { type: 'string' } },
  });
  const seed = parseNumber(values.seed, '--seed', { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 42;
  const outDir = path.resolve(values.out ?? 'demo-city');
  const summary = await generateDemoCity({ seed, outDir });
  const c = summary.counts;
  log(`Demo city (seed ${seed}) written to ${outDir}:`);
  log(`  ${c.buildings} buildings, ${c.roads} roads, ${c.signals} signals, ${c.poles} poles, ${c.terminals} terminals,`);
  log(`  ${c.components} components, ${c.gridCells} grid cells, ${c.departments} departments`);
}
