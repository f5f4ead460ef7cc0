/**
 * The ground under the sight analyses: the package's DEM (`files.dem`, the raster the flood
 * model runs on, in its own projected CRS), fetched once and sampled bilinearly under each
 * analysis grid — thousands of heights in milliseconds, where asking the 3D globe costs
 * milliseconds each. Only ESRI ASCII DEMs are read here; a package whose DEM is another format
 * gets no terrain (the analyses then take the ground as flat at the observer's height).
 */
import type { TwinManifest } from '../../../../domain/twinPackage';
import { crsTransform } from '../../../../kernel/crs/crs';
import { parseAsciiGrid } from '../../../../kernel/raster/asciiGrid';
import { sampleGrid, type Grid } from '../../../../kernel/raster/grid';
import { twinUrl } from '../../shared/twinApi';

/** Ground height (m above the ellipsoid, as the package's heights) at a lon/lat; NaN off the DEM. */
export type HeightAt = (lon: number, lat: number) => number;

let cached: { path: string; heights: Promise<HeightAt | null> } | undefined;

export function loadTerrain(manifest: TwinManifest): Promise<HeightAt | null> {
  const { grid: path, crs } = manifest.files.dem;
  if (cached?.path !== path) cached = { path, heights: path.toLowerCase().endsWith('.asc') ? fetchDem(path, crs) : Promise.resolve(null) };
  return cached.heights;
}

async function fetchDem(path: string, crs: string): Promise<HeightAt> {
  const response = await fetch(twinUrl(path));
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  const dem: Grid = parseAsciiGrid(await response.text(), path);
  const transform = crsTransform(crs);
  return (lon, lat) => {
    const [x, y] = transform.fromLonLat(lon, lat);
    return sampleGrid(dem, x, y);
  };
}
