import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { readRaster } from '../../simulations/flood/io/rasterFiles';
import { parseGeoTiffDem } from '../../tiles/import/geotiffDem';

describe('GeoTIFF reading (kernel/raster/geoTiff.ts)', () => {
  it('gives the flood inputs and the DEM importer the same grid from the same file', async () => {
    const values = new Float32Array(5 * 4).map((_, i) => 10 + i * 0.5);
    values[7] = -9999;
    values[8] = Number.NaN;
    const bytes = writeArrayBuffer(values, {
      width: 5,
      height: 4,
      ModelPixelScale: [10, 10, 0],
      ModelTiepoint: [0, 0, 0, 500_000, 2_500_040, 0],
      ProjectedCSTypeGeoKey: 4547,
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 1,
      GDAL_NODATA: '-9999',
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-raster-'));
    try {
      const file = path.join(dir, 'dem.tif');
      await writeFile(file, new Uint8Array(bytes));
      const flood = await readRaster(file);
      const { grid } = await parseGeoTiffDem(bytes, 'dem.tif');
      expect(flood).toEqual(grid);
      expect(grid).toMatchObject({ ncols: 5, nrows: 4, xll: 500_000, yll: 2_500_000, cellSize: 10 });
      expect(grid.values[7]).toBeNaN();
      expect(grid.values[8]).toBeNaN();
      expect(grid.values[19]).toBe(19.5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
