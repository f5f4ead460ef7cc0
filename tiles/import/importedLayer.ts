/**
 * What every importer returns: the features it accepted, in the city source's shape (WGS84
 * lon/lat, validated properties), and the layer's report with each rejected feature's index, id
 * and reason. Also the shared steps between reading a file and accepting a feature:
 * reprojecting a raw GeoJSON-like geometry from the file's CRS and validating it.
 */
import type { LayerReport } from '../../domain/twinPackage';
import type { Geometry } from '../pipeline/geojson';
import { crsTransform, describeKnownCrs, isKnownCrs, normaliseCrs, type CrsTransform } from '../../kernel/crs/crs';
import { FeatureRejection, MAX_FEATURE_POSITIONS } from '../source/geometryChecks';
import type { SourceFeature } from '../source/layerValidators';
import { MAX_LAYER_FEATURES } from '../source/readCitySource';

export interface ImportedLayer<G extends Geometry, P> {
  /** The file, as the user named it, for messages. */
  file: string;
  /** The CRS the coordinates were read in ("EPSG:28992"); features are WGS84 after import. */
  crs: string;
  features: Array<SourceFeature<G, P>>;
  report: LayerReport;
  /** Facts about the whole file worth telling the user (an attribute encoding guessed, a default applied). */
  notes: string[];
}

/** Collects accepted features and rejections; keys must be unique within the layer. */
export class LayerCollector<G extends Geometry, P> {
  readonly features: Array<SourceFeature<G, P>> = [];
  readonly report: LayerReport = { read: 0, written: 0, rejected: [] };
  readonly notes: string[] = [];
  private readonly keys = new Set<string>();

  constructor(
    readonly file: string,
    readonly crs: string,
  ) {}

  /**
   * Runs `parse` for feature `index`; a FeatureRejection becomes a rejection entry, anything
   * else is a bug and propagates. `id` names the feature in the report when known.
   */
  add(index: number, id: string | undefined, parse: () => { geometry: G; properties: P; key: string }): void {
    this.report.read++;
    if (this.report.read > MAX_LAYER_FEATURES) {
      throw new Error(`${this.file}: more than ${MAX_LAYER_FEATURES} features in one layer; split the layer`);
    }
    try {
      const { geometry, properties, key } = parse();
      if (this.keys.has(key)) throw new FeatureRejection(`duplicate id "${key}"`);
      this.keys.add(key);
      this.features.push({ index, geometry, properties });
    } catch (err) {
      if (!(err instanceof FeatureRejection)) throw err;
      this.reject(index, id, err.message);
    }
  }

  /** Records a feature that could not even be parsed (a broken line of a sequence file). */
  reject(index: number, id: string | undefined, reason: string): void {
    this.report.rejected.push(id === undefined ? { index, reason } : { index, id, reason });
  }

  done(): ImportedLayer<G, P> {
    this.report.rejected.sort((a, b) => a.index - b.index);
    return { file: this.file, crs: this.crs, features: this.features, report: this.report, notes: this.notes };
  }
}

/**
 * Picks the CRS of a file: the one it declares when known, else the one given on the command
 * line, else WGS84. A declared CRS that is not known and no override is a whole-file error.
 */
export function resolveFileCrs(file: string, declared: string | undefined, override: string | undefined): string {
  if (declared !== undefined) {
    const code = normaliseCrs(declared);
    if (code !== undefined && isKnownCrs(code)) return code;
    if (override === undefined) {
      throw new Error(`${file}: unknown CRS "${declared}" (known: ${describeKnownCrs()}); give the CRS with --crs EPSG:n`);
    }
  }
  if (override !== undefined) {
    const code = normaliseCrs(override);
    if (code === undefined || !isKnownCrs(code)) throw new Error(`--crs: unknown CRS "${override}" (known: ${describeKnownCrs()})`);
    return code;
  }
  return 'EPSG:4326';
}

/** Coordinates of a raw geometry reprojected to lon/lat; nested arrays kept as they are. */
export type Reprojector = (geometry: unknown) => unknown;

/**
 * A function that rewrites the positions of a raw GeoJSON geometry from `crs` to WGS84 lon/lat.
 * Non-numeric positions are rejected here, naming the position, since after proj4 they would
 * only show as NaN. WGS84 input passes through untouched.
 */
export function reprojector(crs: string): Reprojector {
  if (crs === 'EPSG:4326') return (g) => g;
  const t = crsTransform(crs);
  return (g) => {
    if (typeof g !== 'object' || g === null || !('coordinates' in g)) return g;
    const budget = { left: MAX_FEATURE_POSITIONS };
    return { ...g, coordinates: mapPositions((g as { coordinates: unknown }).coordinates, t, budget) };
  };
}

function mapPositions(v: unknown, t: CrsTransform, budget: { left: number }): unknown {
  if (!Array.isArray(v)) return v;
  if (v.length > 0 && typeof v[0] !== 'object') {
    if (--budget.left < 0) throw new FeatureRejection(`more than ${MAX_FEATURE_POSITIONS} positions`);
    const [x, y, z] = v as unknown[];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new FeatureRejection(`position [${String(x)}, ${String(y)}] is not two finite numbers`);
    }
    const [lon, lat] = t.toLonLat(x, y);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new FeatureRejection(`position [${x}, ${y}] lies outside what its CRS can project`);
    }
    return z === undefined ? [lon, lat] : [lon, lat, z];
  }
  return v.map((item: unknown) => mapPositions(item, t, budget));
}

/** The first of several attribute names present with a usable value (not null, not empty). */
export function firstPresent(props: Record<string, unknown>, names: readonly string[]): { key: string; value: unknown } | undefined {
  for (const key of names) {
    const value = props[key];
    if (value !== undefined && value !== null && value !== '') return { key, value };
  }
  return undefined;
}

/** An id string from a raw value (string or finite number), else undefined. */
export function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 128);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}
