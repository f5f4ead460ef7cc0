/**
 * Validation of a city source's `city.json` (CitySourceManifest). A bad manifest stops the
 * build: the error names the file and the field.
 */
import {
  CITY_SOURCE_FORMAT,
  CITY_SOURCE_VERSION,
  type CitySourceManifest,
} from '../../domain/citySource';
import { normaliseCrs } from '../../kernel/crs/crs';
import { FeatureRejection } from './geometryChecks';
import { COUNTY_CODE } from './layerValidators';
import { isRecord, num, optStr, record, str } from './propertyChecks';

type LayerKey = keyof CitySourceManifest['layers'];

export const REQUIRED_LAYERS = ['dem', 'buildings', 'roads'] as const satisfies readonly LayerKey[];
export const OPTIONAL_LAYERS = [
  'signals',
  'poles',
  'terminals',
  'components',
  'gridCells',
  'departments',
  'water',
  'landuse',
  'componentClasses',
  'drainageNodes',
  'drainagePipes',
  'utilityLines',
  'resources',
] as const satisfies readonly LayerKey[];

/** File names stay inside the source folder: no absolute paths, no `..`. */
const SAFE_RELATIVE_PATH = /^(?!\/)(?!.*(?:^|[\\/])\.\.(?:[\\/]|$))[^\0:]+$/;

/** Parses and checks a manifest; `file` names it in the error. */
export function parseManifest(value: unknown, file: string): CitySourceManifest {
  try {
    return checkManifest(value);
  } catch (err) {
    if (err instanceof FeatureRejection) throw new Error(`${file}: ${err.message}`);
    throw err;
  }
}

/** Runs a check with a field path prefixed to its message ("layers.dem must be …"). */
function within<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof FeatureRejection) throw new FeatureRejection(`${prefix}.${err.message}`);
    throw err;
  }
}

function checkManifest(m: unknown): CitySourceManifest {
  if (!isRecord(m)) throw new FeatureRejection('is not a JSON object');
  if (m.format !== CITY_SOURCE_FORMAT) {
    throw new FeatureRejection(`format must be "${CITY_SOURCE_FORMAT}", got ${JSON.stringify(m.format)}`);
  }
  if (m.version !== CITY_SOURCE_VERSION) {
    throw new FeatureRejection(`version ${JSON.stringify(m.version)} is not supported (this build reads version ${CITY_SOURCE_VERSION})`);
  }
  const name = record(m, 'name');
  const demCrs = str(m, 'demCrs');
  if (!normaliseCrs(demCrs)) throw new FeatureRejection(`demCrs "${demCrs}" is not an EPSG code such as "EPSG:4547"`);
  const layers = record(m, 'layers');
  const outLayers: Record<string, string> = {};
  within('layers', () => {
    for (const key of REQUIRED_LAYERS) outLayers[key] = str(layers, key, SAFE_RELATIVE_PATH);
    for (const key of OPTIONAL_LAYERS) {
      const file = optStr(layers, key, SAFE_RELATIVE_PATH);
      if (file !== undefined) outLayers[key] = file;
    }
  });
  const manifest: CitySourceManifest = {
    format: CITY_SOURCE_FORMAT,
    version: CITY_SOURCE_VERSION,
    name: within('name', () => ({ 'zh-CN': str(name, 'zh-CN'), en: str(name, 'en') })),
    demCrs,
    countyCode: str(m, 'countyCode', COUNTY_CODE),
    layers: outLayers as CitySourceManifest['layers'],
  };
  if (m.generator !== undefined) {
    const g = record(m, 'generator');
    manifest.generator = within('generator', () => ({
      name: str(g, 'name'),
      version: num(g, 'version', { integer: true, min: 0 }),
      seed: num(g, 'seed', { integer: true }),
    }));
  }
  return manifest;
}
