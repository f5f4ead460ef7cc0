import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CITY_SOURCE_MANIFEST_FILE } from '../domain/citySource';
import { buildTwin, defaultBuildWorkers, MAX_BUILD_WORKERS } from '../tiles/pipeline/index';
import { assembleCitySource, type LayerInputs } from '../tiles/import/assembleSource';
import { BUILDING_FORMATS, COMPONENT_FORMATS, DEM_FORMATS } from '../tiles/import/layerFiles';
import { describeKnownCrs, isKnownCrs, normaliseCrs } from '../kernel/crs/crs';
import { UsageError, parseNumber } from './args';
import { parseAt } from '../tiles/import/ifc/ifcPlacement';
import { progressLogger, type Log } from './ensureBuilt';

export const TILES_USAGE = `citytwin tiles build [<source-dir>] [<out-dir>] [options]

Turns city data into a twin package: 3D Tiles 1.1 buildings, quantized-mesh terrain, basemap
imagery, vector layers, twin.json and report.json. Takes a city source folder (city.json + DEM +
GeoJSON layers, as \`citytwin demo generate\` writes), single layer files, or a folder with some
layers replaced by files. Missing layers are synthesised: no DEM gives flat ground at 0 m.

  --out <dir>           output folder (or give it as the second argument)
  --buildings <file>    building footprints or models: ${BUILDING_FORMATS}
  --dem <file>          terrain: ${DEM_FORMATS}
  --components <file>   components with 16-digit codes: ${COMPONENT_FORMATS}
  --ifc <file>          an IFC 2x3/4 model (.ifc or .ifc.gz) as one building: its storeys, rooms
                        (IfcSpace) and elements become its L5 interior, its outer faces its L3
                        shell; it replaces a source building standing at its placement (docs/bim.md)
  --at <lon,lat[,height[,headingDeg]]>  where the IFC model's origin stands: its z = 0 at
                        height (default: the ground), its +y turned headingDeg clockwise from
                        north (default 0); default: the file's own georeferencing
                        (IfcMapConversion, else IfcSite's reference point and TrueNorth)
  --crs <EPSG:n>        CRS of files that declare none (default: what each file declares, else WGS84)
  --name <text>         the twin's name (default: the buildings file's name)
  --basemap-px <n>      basemap image size in pixels (default 4096)
  --workers <n>         threads: 1 builds every stage on one; 2 draws the basemap on a worker
                        thread while the tiles are made (default: the cores, at most ${MAX_BUILD_WORKERS});
                        the package is the same byte for byte either way
  --max-memory-mb <n>   stop the build when its memory passes this (default 60 % of the
                        machine's, at most 16384)
  --min-free-disk-mb <n>  stop the build when the output's disk has less free (default 256)

Formats, attribute mapping and defaults: docs/tiles-import.md.`;

const MAX_NAME_LENGTH = 200;
/** Rejections printed per layer; report.json has them all. */
const SHOWN_REJECTIONS = 5;

export async function tilesCommand(argv: string[], log: Log): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'build') throw new UsageError(`unknown tiles command "${sub ?? ''}"\n\n${TILES_USAGE}`);
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'basemap-px': { type: 'string' },
      workers: { type: 'string' },
      'max-memory-mb': { type: 'string' },
      'min-free-disk-mb': { type: 'string' },
      buildings: { type: 'string' },
      dem: { type: 'string' },
      components: { type: 'string' },
      ifc: { type: 'string' },
      at: { type: 'string' },
      crs: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const inputs = layerInputs(values);
  const layered = inputs.buildings !== undefined || inputs.components !== undefined || inputs.dem !== undefined || inputs.ifc !== undefined;
  // A first positional that is not a source folder is the output folder of a single-layer build.
  const [first, second, ...extra] = positionals;
  const firstIsSource = first !== undefined && (!layered || existsSync(path.join(first, CITY_SOURCE_MANIFEST_FILE)));
  const source = firstIsSource ? first : undefined;
  const outPositional = firstIsSource ? second : first;
  if (extra.length > 0 || (!firstIsSource && second !== undefined)) {
    throw new UsageError(`unexpected arguments: ${positionals.slice(firstIsSource ? 2 : 1).join(' ')}\n\n${TILES_USAGE}`);
  }
  if (!source && !layered) throw new UsageError(`missing <source-dir> or layer files (--buildings, --components, --ifc)\n\n${TILES_USAGE}`);
  if (!source && inputs.buildings === undefined && inputs.components === undefined && inputs.ifc === undefined) {
    throw new UsageError('--dem alone gives nothing to tile: add --buildings, --components or --ifc, or a source folder');
  }
  if (outPositional && values.out) throw new UsageError('give the output folder once: as <out-dir> or --out, not both');
  const out = values.out ?? outPositional;
  if (!out) throw new UsageError(`missing the output folder (--out <dir>)\n\n${TILES_USAGE}`);
  if (source) {
    inputs.sourceDir = path.resolve(source);
    if (!existsSync(path.join(inputs.sourceDir, CITY_SOURCE_MANIFEST_FILE))) {
      throw new UsageError(`${source}: not a city source folder (no ${CITY_SOURCE_MANIFEST_FILE})`);
    }
  }
  const basemapPx = parseNumber(values['basemap-px'], '--basemap-px', { min: 256, max: 16384, integer: true });
  const workers = parseNumber(values.workers, '--workers', { min: 1, max: 64, integer: true }) ?? defaultBuildWorkers();
  const maxMemoryMb = parseNumber(values['max-memory-mb'], '--max-memory-mb', { min: 64, max: 1_048_576, integer: true });
  const minFreeDiskMb = parseNumber(values['min-free-disk-mb'], '--min-free-disk-mb', { min: 0, max: 1_048_576, integer: true });
  const limits = {
    ...(maxMemoryMb !== undefined ? { maxMemoryBytes: maxMemoryMb * 2 ** 20 } : {}),
    ...(minFreeDiskMb !== undefined ? { minFreeDiskBytes: minFreeDiskMb * 2 ** 20 } : {}),
  };

  const started = performance.now();
  const progress = progressLogger(log);
  const { source: citySource, notes } = await assembleCitySource(inputs, progress);
  for (const note of notes) log(`  note: ${note}`);
  const report = await buildTwin({ source: citySource, outDir: path.resolve(out), basemapPx, workers, limits, onProgress: progress });
  for (const [layer, r] of Object.entries(report.layers)) {
    log(`  ${layer.padEnd(12)} read ${r.read}, tiled ${r.written}, rejected ${r.rejected.length}`);
    for (const x of r.rejected.slice(0, SHOWN_REJECTIONS)) log(`    #${x.index}${x.id !== undefined ? ` ${x.id}` : ''}: ${x.reason}`);
    if (r.rejected.length > SHOWN_REJECTIONS) log(`    … ${r.rejected.length - SHOWN_REJECTIONS} more in report.json`);
  }
  log(`Twin package written to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s (details in report.json).`);
}

/** Checks the layer options: files exist and are files, the CRS is known, the name is sane. */
function layerInputs(values: Record<string, string | boolean | undefined>): LayerInputs {
  const inputs: LayerInputs = {};
  for (const key of ['buildings', 'dem', 'components', 'ifc'] as const) {
    const file = values[key];
    if (typeof file !== 'string') continue;
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`--${key}: "${file}" is not a file`);
    if (key === 'ifc') inputs.ifc = { file };
    else inputs[key] = file;
  }
  if (typeof values.at === 'string') {
    if (!inputs.ifc) throw new UsageError('--at places an IFC model: give --ifc <file.ifc> with it');
    try {
      inputs.ifc.at = parseAt(values.at);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  if (typeof values.crs === 'string') {
    const crs = normaliseCrs(values.crs);
    if (!crs || !isKnownCrs(crs)) throw new UsageError(`--crs: unknown CRS "${values.crs}" (known: ${describeKnownCrs()})`);
    inputs.crs = crs;
  }
  if (typeof values.name === 'string') {
    const name = values.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH) throw new UsageError(`--name must be 1–${MAX_NAME_LENGTH} characters`);
    inputs.name = name;
  }
  return inputs;
}
