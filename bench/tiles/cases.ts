/**
 * What bench:tiles asks a fresh child process (./child.ts) to do, and what the child answers.
 * Each case is timed inside the child from the first file read to the last file written, so
 * parsing, validation and placement on the DEM are in it; peak memory is the child's own max RSS.
 */

export type TilesCase =
  /** Read + validate buildings.geojson, place on dem.asc, write L2 (and L3) tiles. */
  | { kind: 'buildings'; sourceDir: string; outDir: string; architecture: boolean }
  /** Read + validate components.geojson, place on dem.asc, write L4 instanced tiles. */
  | { kind: 'components'; sourceDir: string; outDir: string }
  /** The baseline: read the same GeoJSON file and `JSON.parse` it, nothing more. */
  | { kind: 'parse'; file: string }
  /** `buildTwin` on a city source folder, from city.json to the written package. */
  | { kind: 'demo'; sourceDir: string; outDir: string; workers: number };

export type ToChild = { type: 'run'; spec: TilesCase } | { type: 'stop' };

export interface CaseResult {
  /** Items read from the file (features). */
  items: number;
  /** Wall seconds inside the child, first read to last write. */
  seconds: number;
  /** CPU seconds of the child, all its threads. */
  cpuSeconds: number;
  /** The child's peak resident memory (`process.resourceUsage().maxRSS`), MiB. */
  maxRssMiB: number;
  /** Bytes written (tiles and tilesets; the package for demo; 0 for parse). */
  bytes: number;
  /** `buildTwin`'s per-stage seconds (demo only). */
  timingsS?: Record<string, number>;
}

export type FromChild = { type: 'result'; result: CaseResult } | { type: 'failed'; error: string };

export const BUILDINGS_FILE = 'buildings.geojson';
export const COMPONENTS_FILE = 'components.geojson';
export const DEM_FILE = 'dem.asc';
/** The CRS of the synthetic DEM (the demo city's). */
export const DEM_CRS = 'EPSG:4547';
