/**
 * GeoTIFF DEMs written in the test with geotiff's writeArrayBuffer: geotransform from
 * ModelTiepoint and ModelPixelScale, EPSG from the GeoKeys, GDAL_NODATA, and clear refusals.
 */
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { parseGeoTiffDem } from '../../../tiles/import/geotiffDem';
import { importDemFile } from '../../../tiles/import/layerFiles';
import { useTmpDir } from './tmpFiles';

const tmp = useTmpDir();

/** A 4 × 3 DEM: value = 10·row + col, one no-data cell, north-west corner at (500 000, 2 500 000). */
function dem(extra: Record<string, unknown> = {}, values?: Float32Array): ArrayBuffer {
  const v = values ?? Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  if (!values) v[5] = -9999;
  return writeArrayBuffer(v, {
    width: 4,
    height: 3,
    ModelPixelScale: [25, 25, 0],
    ModelTiepoint: [0, 0, 0, 500_000, 2_500_000, 0],
    ProjectedCSTypeGeoKey: 4547,
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    GDAL_NODATA: '-9999',
    ...extra,
  });
}

describe('GeoTIFF DEM', () => {
  it('reads values, corner, cell size, CRS and no-data', async () => {
    const { crs, grid } = await parseGeoTiffDem(dem(), 'dem.tif');
    expect(crs).toBe('EPSG:4547');
    expect(grid).toMatchObject({ ncols: 4, nrows: 3, cellSize: 25, xll: 500_000, yll: 2_500_000 - 75 });
    expect(Array.from(grid.values.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(Number.isNaN(grid.values[5]!)).toBe(true);
    expect(grid.values[11]).toBe(23);
  });

  it('moves the corner out by half a cell for PixelIsPoint rasters', async () => {
    const { grid } = await parseGeoTiffDem(dem({ GTRasterTypeGeoKey: 2 }), 'dem.tif');
    expect(grid.xll).toBe(500_000 - 12.5);
    expect(grid.yll).toBe(2_500_000 + 12.5 - 75);
  });

  it('takes --crs only where the GeoKeys name no EPSG code', async () => {
    const userDefined = dem({ ProjectedCSTypeGeoKey: 32767 });
    await expect(parseGeoTiffDem(userDefined, 'local.tif')).rejects.toThrow(/^local\.tif: names no EPSG code in its GeoKeys; give the CRS with --crs/);
    expect((await parseGeoTiffDem(userDefined, 'local.tif', 'epsg:32650')).crs).toBe('EPSG:32650');
    await expect(parseGeoTiffDem(dem({ ProjectedCSTypeGeoKey: 2000 }), 'odd.tif')).rejects.toThrow(/^odd\.tif: unknown CRS EPSG:2000/);
    expect((await parseGeoTiffDem(dem({ ProjectedCSTypeGeoKey: 2000 }), 'odd.tif', 'EPSG:4547')).crs).toBe('EPSG:4547');
  });

  it('refuses what is not a usable single-band north-up grid, naming the file', async () => {
    await expect(parseGeoTiffDem(new TextEncoder().encode('not a tiff').buffer, 'junk.tif')).rejects.toThrow(/^junk\.tif: not a readable GeoTIFF/);
    await expect(parseGeoTiffDem(dem({ ModelPixelScale: [25, 30, 0] }), 'rect.tif')).rejects.toThrow(/^rect\.tif: pixels are 25 × 30, 20\.00 % off square/);
    await expect(parseGeoTiffDem(dem({}, new Float32Array(12).fill(-9999)), 'empty.tif')).rejects.toThrow(/^empty\.tif: every cell is no-data/);
    const rgb = writeArrayBuffer([[[1, 2], [3, 4]], [[1, 2], [3, 4]], [[1, 2], [3, 4]]], { width: 2, height: 2, ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 0, 0, 0] });
    await expect(parseGeoTiffDem(rgb, 'photo.tif')).rejects.toThrow(/^photo\.tif: has 3 bands; a DEM needs exactly one/);
  });

  it('is picked by extension, and an ASCII grid needs a .prj or --crs', async () => {
    const tif = await tmp.write('dem.tif', new Uint8Array(dem()));
    expect((await importDemFile(tif, 'dem.tif')).grid.ncols).toBe(4);
    const asc = await tmp.write('dem.asc', 'ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 2\n3 4\n');
    await expect(importDemFile(asc, 'dem.asc')).rejects.toThrow(/^dem\.asc: an ESRI ASCII grid carries no CRS/);
    expect((await importDemFile(asc, 'dem.asc', 'EPSG:32650')).crs).toBe('EPSG:32650');
    await tmp.write('dem.prj', 'PROJCS["WGS_1984_UTM_Zone_49N",GEOGCS["GCS_WGS_1984"]]');
    expect((await importDemFile(asc, 'dem.asc')).crs).toBe('EPSG:32649');
  });
});
