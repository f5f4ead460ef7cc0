/**
 * DEMs and CRSs as cities hand them over (test/fixtures/real, see its README): a lon/lat DEM
 * with 3″ cells, a Lyon DEM in EPSG:3946 with pixels 0.14 % off square, a New York shapefile with
 * an ESRI `.prj` and no `.cpg`, and China's older grids (Xi'an 1980, Beijing 1954).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crsTransform, defineCrsFromWkt, isKnownCrs } from '../../../kernel/crs/crs';
import { epsgFromWkt } from '../../../kernel/crs/prjCrs';
import { importBuildingsFile, importDemFile } from '../../../tiles/import/layerFiles';
import { DemSampler } from '../../../tiles/pipeline/terrain/demSampler';
import { DEFAULT_EDGE_FALLOFF_M, buildTerrain } from '../../../tiles/pipeline/terrain/index';
import { metresApart } from './referencePoints';

const REAL = 'test/fixtures/real';

describe('a DEM in EPSG:4326 (3″ cells)', () => {
  it('builds terrain to the level of its ~90 m cells, over its extent and falloff only', async () => {
    const dem = await importDemFile(`${REAL}/kunming-dem-4326.tif`, 'kunming-dem-4326.tif');
    expect(dem.crs).toBe('EPSG:4326');
    const sampler = new DemSampler(dem.grid, dem.crs, { edgeFalloffM: DEFAULT_EDGE_FALLOFF_M });
    // 1/1200° of latitude is 92 m at 25°N.
    expect(sampler.cellSizeM).toBeGreaterThan(91);
    expect(sampler.cellSizeM).toBeLessThan(93);
    // The falloff widens the box by 1.5 km on the ground, not by 1 500 degrees.
    const o = sampler.outerBounds;
    const b = sampler.bounds;
    expect(metresApart([o.west, b.south], [b.west, b.south])).toBeGreaterThan(1_400);
    expect(metresApart([o.west, b.south], [b.west, b.south])).toBeLessThan(1_700);
    expect(metresApart([b.west, o.north], [b.west, b.north])).toBeLessThan(1_700);

    const dir = await mkdtemp(path.join(tmpdir(), 'citytwin-geo-terrain-'));
    try {
      const terrain = await buildTerrain({ dem: dem.grid, demCrs: dem.crs, water: { type: 'FeatureCollection', features: [] }, outDir: dir });
      // Level 12's 65-vertex tiles space vertices 85 m apart north–south; level 11's 171 m.
      expect(terrain.maxLevel).toBe(12);
      expect(terrain.cappedFrom).toBeUndefined();
      expect(terrain.tiles).toBeLessThan(100);
      expect((await readdir(dir)).filter((d) => d !== 'layer.json').map(Number).sort((x, y) => x - y)).toEqual([...Array(13).keys()]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('slopes off its edge over 1.5 km on the ground: half the edge height 750 m out', async () => {
    const dem = await importDemFile(`${REAL}/kunming-dem-4326.tif`, 'kunming-dem-4326.tif');
    const sampler = new DemSampler(dem.grid, dem.crs, { edgeFalloffM: DEFAULT_EDGE_FALLOFF_M });
    const { xll, yll, nrows, cellSize } = dem.grid;
    const lat = yll + (nrows / 2) * cellSize;
    const edge = sampler.sample(xll + 1e-9, lat);
    const metresPerDegLon = metresApart([0, lat], [1, lat]);
    expect(sampler.sampleFalloff(xll - 750 / metresPerDegLon, lat) / edge).toBeCloseTo(0.5, 2);
    expect(sampler.sampleFalloff(xll - 1_600 / metresPerDegLon, lat)).toBe(0);
  });
});

describe('a Lyon DEM in EPSG:3946 with pixels 0.14 % off square', () => {
  it('is read, resampled to square 5 m cells with a note, and lands in Lyon', async () => {
    const dem = await importDemFile(`${REAL}/lyon-dem-cc46.tif`, 'lyon-dem-cc46.tif');
    expect(dem.crs).toBe('EPSG:3946');
    expect(dem.grid.cellSize).toBe(5);
    expect(dem.grid.ncols).toBe(40);
    // 40 rows of 5.007 m are 200.28 m: 40 rows of 5 m (to within half a cell).
    expect(dem.grid.nrows).toBe(40);
    expect(dem.grid.yll).toBeCloseTo(5_175_100 - 40 * 5.007, 6);
    expect(dem.notes).toEqual([expect.stringMatching(/^lyon-dem-cc46\.tif: pixels are 5 × 5\.007 \(0\.14 % off square\); resampled to 40 × 40 square cells of 5$/)]);
    const [lon, lat] = crsTransform(dem.crs).toLonLat(dem.grid.xll, dem.grid.yll);
    // Place Bellecour is at 4.832°E, 45.758°N; the DEM's corner lies in the city, west of the Rhône.
    expect(metresApart([lon, lat], [4.832, 45.758])).toBeLessThan(2_000);
  });

  it('agrees with the CRS proj4 reads from EPSG’s own WKT for 3946 to a centimetre', () => {
    const wkt =
      'PROJCS["RGF93 v1 / CC46",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101],' +
      'TOWGS84[0,0,0,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],' +
      'PARAMETER["latitude_of_origin",46],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",45.25],' +
      'PARAMETER["standard_parallel_2",46.75],PARAMETER["false_easting",1700000],PARAMETER["false_northing",5200000],UNIT["metre",1]]';
    // Recognised by name as the built-in 3946; defined from the WKT alone, the same to a centimetre.
    expect(epsgFromWkt(wkt)).toBe('EPSG:3946');
    const fromWkt = defineCrsFromWkt(wkt)!;
    expect(fromWkt).toBe('WKT:RGF93 v1 / CC46');
    const a = crsTransform(fromWkt).toLonLat(1_842_000, 5_175_000);
    const b = crsTransform('EPSG:3946').toLonLat(1_842_000, 5_175_000);
    expect(metresApart(a, b)).toBeLessThan(0.01);
  });

  it('refuses pixels more than 1 % off square, naming the tolerance', async () => {
    const { writeArrayBuffer } = await import('geotiff');
    const { parseGeoTiffDem } = await import('../../../tiles/import/geotiffDem');
    const bytes = writeArrayBuffer(new Float32Array(4), { width: 2, height: 2, ModelPixelScale: [5, 5.1, 0], ModelTiepoint: [0, 0, 0, 1_842_000, 5_175_000, 0], ProjectedCSTypeGeoKey: 3946, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1 });
    await expect(parseGeoTiffDem(bytes, 'skew.tif')).rejects.toThrow(/^skew\.tif: pixels are 5 × 5\.1, 2\.00 % off square \(over 1 %\)/);
  });
});

describe('a New York shapefile: ESRI .prj in US feet, UTF-8 text, no .cpg', () => {
  it('reprojects through the WKT proj4 reads and decodes the records as UTF-8, not GBK', async () => {
    const layer = await importBuildingsFile(`${REAL}/nyc-footprints.shp`, 'nyc-footprints.shp');
    expect(layer.crs).toBe('WKT:NAD_1983_StatePlane_New_York_Long_Island_FIPS_3104_Feet');
    expect(layer.report.rejected).toEqual([]);
    expect(layer.features).toHaveLength(130);
    expect(layer.features[7]!.properties.name).toBe('Café Lalo');
    expect(layer.notes ?? []).not.toContainEqual(expect.stringMatching(/GBK/));
    // Manhattan's Upper West Side, and a 40 ft lot is 12.2 m wide.
    const ring = (layer.features[0]!.geometry.coordinates as number[][][])[0]!;
    expect(ring[0]![0]).toBeGreaterThan(-73.99);
    expect(ring[0]![0]).toBeLessThan(-73.96);
    expect(ring[0]![1]).toBeGreaterThan(40.77);
    expect(ring[0]![1]).toBeLessThan(40.8);
    const widths = ring.slice(0, 4).map((p, i) => metresApart(p, ring[i + 1]!));
    expect(Math.min(...widths)).toBeCloseTo(12.19, 1);
  });
});

describe('China’s older grids without --crs', () => {
  it('knows Xi’an 1980 and Beijing 1954 Gauss–Krüger zones by EPSG code and by ESRI name', () => {
    for (const code of ['EPSG:2327', 'EPSG:2348', 'EPSG:2349', 'EPSG:2390', 'EPSG:2401', 'EPSG:2442', 'EPSG:21413', 'EPSG:21483']) expect(isKnownCrs(code), code).toBe(true);
    // Zone 38 (CM 114°E) with the zone number in the easting; CM 114°E without.
    expect(crsTransform('EPSG:2362').fromLonLat(114, 25)[0]).toBeCloseTo(38_500_000, 3);
    expect(crsTransform('EPSG:2383').fromLonLat(114, 25)[0]).toBeCloseTo(500_000, 3);
    // Beijing 1954's datum shift moves the central meridian by tens of metres against WGS84's.
    expect(Math.abs(crsTransform('EPSG:2435').fromLonLat(114, 25)[0] - 500_000)).toBeLessThan(100);
    expect(epsgFromWkt('PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]]]')).toBe('EPSG:2383');
    expect(epsgFromWkt('PROJCS["Beijing_1954_3_Degree_GK_Zone_38",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]]')).toBe('EPSG:2414');
    expect(epsgFromWkt('PROJCS["Beijing_1954_GK_Zone_20",GEOGCS["GCS_Beijing_1954"]]')).toBe('EPSG:21420');
  });

  it('puts a Beijing 1954 point within metres of the same point in CGCS2000 after EPSG’s datum shift', () => {
    // The same ground point: its CGCS2000 (≈ WGS84) lon/lat, through each grid and back.
    const [x, y] = crsTransform('EPSG:2435').fromLonLat(114.06, 22.54);
    const [lon, lat] = crsTransform('EPSG:2435').toLonLat(x, y);
    expect(metresApart([lon, lat], [114.06, 22.54])).toBeLessThan(0.01);
    // Krassowsky vs GRS80 and the shift move grid coordinates by tens of metres, as they should.
    const [xc, yc] = crsTransform('EPSG:4547').fromLonLat(114.06, 22.54);
    expect(Math.hypot(x - xc, y - yc)).toBeGreaterThan(10);
  });
});
