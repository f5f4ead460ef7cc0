import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CITY_SOURCE_MANIFEST_FILE } from '../domain/citySource';
import { buildTwin } from '../tiles/build/index';
import { UsageError, parseNumber } from './args';
import { progressLogger, type Log } from './ensureBuilt';

export const TILES_USAGE = `citytwin tiles build <source-dir> [<out-dir>] [options]

Turns a city source folder (city.json + DEM + GeoJSON layers, as \`citytwin demo generate\`
writes) into a twin package: 3D Tiles 1.1 buildings, quantized-mesh terrain, basemap
imagery, vector layers, twin.json and report.json.

  --out <dir>           output folder (or give it as the second argument)
  --basemap-px <n>      basemap image size in pixels (default 4096)`;

export async function tilesCommand(argv: string[], log: Log): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'build') throw new UsageError(`unknown tiles command "${sub ?? ''}"\n\n${TILES_USAGE}`);
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'basemap-px': { type: 'string' } },
  });
  const [source, outPositional, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}\n\n${TILES_USAGE}`);
  if (!source) throw new UsageError(`missing <source-dir>\n\n${TILES_USAGE}`);
  if (outPositional && values.out) throw new UsageError('give the output folder once: as <out-dir> or --out, not both');
  const out = values.out ?? outPositional;
  if (!out) throw new UsageError(`missing the output folder (--out <dir>)\n\n${TILES_USAGE}`);
  const sourceDir = path.resolve(source);
  if (!existsSync(path.join(sourceDir, CITY_SOURCE_MANIFEST_FILE))) {
    throw new UsageError(`${source}: not a city source folder (no ${CITY_SOURCE_MANIFEST_FILE})`);
  }
  const basemapPx = parseNumber(values['basemap-px'], '--basemap-px', { min: 256, max: 16384, integer: true });

  const started = performance.now();
  const report = await buildTwin({ sourceDir, outDir: path.resolve(out), basemapPx, onProgress: progressLogger(log) });
  for (const [layer, r] of Object.entries(report.layers)) {
    log(`  ${layer.padEnd(12)} read ${r.read}, written ${r.written}, rejected ${r.rejected.length}`);
  }
  log(`Twin package written to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s (details in report.json).`);
}
