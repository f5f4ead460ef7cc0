/**
 * Reading GeoTIFF rasters (OGC GeoTIFF 1.1 / GeoTIFF 1.0 revision 1.8.2) with the `geotiff`
 * package: the steps every reader takes — open the first image, place it from ModelTiepoint +
 * ModelPixelScale, read band 0 with no-data as NaN. Each reader keeps its own checks between
 * them (the flood inputs, the DEM importer) and reports through `fail`, which throws its error.
 */
import { fromArrayBuffer } from 'geotiff';

/** The package's image type (it is not exported by name). */
export type GeoTIFFImage = Awaited<ReturnType<Awaited<ReturnType<typeof fromArrayBuffer>>['getImage']>>;

/** Throws the caller's error for a reason ("file: reason"). */
export type RasterFail = (why: string) => never;

/** The first image of a GeoTIFF file's bytes. */
export async function openGeoTiff(bytes: ArrayBuffer, fail: RasterFail): Promise<GeoTIFFImage> {
  try {
    return await (await fromArrayBuffer(bytes)).getImage(0);
  } catch (err) {
    return fail(`not a readable GeoTIFF (${(err as Error).message})`);
  }
}

/** Where the image lies: the tie point (the upper-left corner, or its centre for PixelIsPoint) and the pixel size (cellY < 0 north-up). */
export function geoTiffPlacement(image: GeoTIFFImage, fail: RasterFail): { originX: number; originY: number; cellX: number; cellY: number } {
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    return fail('has no ModelTiepoint and ModelPixelScale: not georeferenced');
  }
  return { originX: origin[0]!, originY: origin[1]!, cellX: resolution[0]!, cellY: resolution[1]! };
}

/** Band 0, row-major from the north; non-finite samples and GDAL_NODATA cells become NaN. `valid` counts the rest. */
export async function readGeoTiffBand(image: GeoTIFFImage): Promise<{ values: Float32Array; valid: number }> {
  const noData = image.getGDALNoData();
  const band = (await image.readRasters({ samples: [0] }))[0] as ArrayLike<number>;
  const values = new Float32Array(image.getWidth() * image.getHeight());
  let valid = 0;
  for (let i = 0; i < values.length; i++) {
    const v = band[i]!;
    // Compared as float32 too: a float32 raster's no-data value may be written as a double.
    const isNoData = !Number.isFinite(v) || (noData !== null && Math.fround(v) === Math.fround(noData));
    values[i] = isNoData ? Number.NaN : v;
    if (!isNoData) valid++;
  }
  return { values, valid };
}
