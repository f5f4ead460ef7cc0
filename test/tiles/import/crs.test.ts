/**
 * CRS definitions and recognition: proj4 transforms checked against independent reference
 * formulas and known values, the spellings files use for EPSG codes, and `.prj` WKT mapping.
 */
import { describe, expect, it } from 'vitest';
import { crsTransform, isKnownCrs, normaliseCrs, utmCrsFor } from '../../../kernel/crs/crs';
import { epsgFromWkt } from '../../../kernel/crs/prjCrs';
import { lv95ToWgs84, metresApart, rdToWgs84 } from './referencePoints';

/** Meridian arc length from the equator to 30°N on GRS80 (= WGS84 to the millimetre). */
const ARC_TO_30N_M = 3_320_113.398;

describe('CRS transforms', () => {
  it.each([
    [155_000, 463_000],
    [121_000, 487_000],
    [85_000, 446_000],
    [233_000, 581_000],
  ])('EPSG:7415 and 28992 (RD New) land within a metre of the RD series at %d, %d', (x, y) => {
    for (const crs of ['EPSG:7415', 'EPSG:28992']) {
      expect(metresApart(crsTransform(crs).toLonLat(x, y), rdToWgs84(x, y))).toBeLessThan(1);
    }
  });

  it.each([
    [2_600_000, 1_200_000],
    [2_683_000, 1_248_000],
    [2_620_000, 1_180_000],
  ])('EPSG:2056 (LV95) lands within a metre of swisstopo’s formulas at %d, %d', (e, n) => {
    expect(metresApart(crsTransform('urn:ogc:def:crs:EPSG::2056').toLonLat(e, n), lv95ToWgs84(e, n))).toBeLessThan(1);
  });

  it('puts the central meridian of CGCS2000 Gauss–Krüger zones at the false easting', () => {
    const [x, y] = crsTransform('EPSG:4547').fromLonLat(114, 30);
    expect(x).toBeCloseTo(500_000, 3);
    expect(y).toBeCloseTo(ARC_TO_30N_M, 0);
    // Zone 38 (CM 114°E) with the zone number in front of the easting.
    expect(crsTransform('EPSG:4526').fromLonLat(114, 30)[0]).toBeCloseTo(38_500_000, 3);
    // Zone families generated end to end: first and last codes of each.
    expect(crsTransform('EPSG:4534').fromLonLat(75, 0)[0]).toBeCloseTo(500_000, 3);
    expect(crsTransform('EPSG:4554').fromLonLat(135, 0)[0]).toBeCloseTo(500_000, 3);
    expect(crsTransform('EPSG:4513').fromLonLat(75, 0)[0]).toBeCloseTo(25_500_000, 3);
    expect(crsTransform('EPSG:4533').fromLonLat(135, 0)[0]).toBeCloseTo(45_500_000, 3);
    expect(crsTransform('EPSG:4509').fromLonLat(117, 0)[0]).toBeCloseTo(500_000, 3);
  });

  it('generates UTM zones north and south', () => {
    expect(crsTransform('EPSG:32650').fromLonLat(117, 0)).toEqual([500_000, 0]);
    const [x, y] = crsTransform('EPSG:32733').fromLonLat(15, -30);
    expect(x).toBeCloseTo(500_000, 3);
    // 10 000 km false northing minus the arc, scaled by UTM's 0.9996.
    expect(y).toBeCloseTo(10_000_000 - 0.9996 * ARC_TO_30N_M, 0);
    expect(utmCrsFor(113.93, 22.52)).toBe('EPSG:32649');
    expect(utmCrsFor(-70.6, -33.4)).toBe('EPSG:32719');
  });

  it('round-trips Web Mercator', () => {
    const t = crsTransform('EPSG:3857');
    const [x, y] = t.fromLonLat(180, 0);
    expect(x).toBeCloseTo(20_037_508.34, 1);
    expect(y).toBeCloseTo(0, 6);
    const [lon, lat] = t.toLonLat(...t.fromLonLat(4.9, 52.37));
    expect(lon).toBeCloseTo(4.9, 9);
    expect(lat).toBeCloseTo(52.37, 9);
  });

  it('names what it knows when a code is unknown', () => {
    expect(() => crsTransform('EPSG:2000')).toThrow(/unknown CRS "EPSG:2000"; known: EPSG:4326/);
  });
});

describe('CRS spellings', () => {
  it.each([
    ['EPSG:4547', 'EPSG:4547'],
    ['epsg:4547', 'EPSG:4547'],
    ['4547', 'EPSG:4547'],
    ['urn:ogc:def:crs:EPSG::2056', 'EPSG:2056'],
    ['urn:ogc:def:crs:EPSG:6.6:28992', 'EPSG:28992'],
    ['https://www.opengis.net/def/crs/EPSG/0/7415', 'EPSG:7415'],
    ['http://www.opengis.net/def/crs/EPSG/0/4490', 'EPSG:4490'],
    ['urn:ogc:def:crs,crs:EPSG::28992,crs:EPSG::5709', 'EPSG:28992'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
  ])('reads %s as %s', (input, expected) => {
    expect(normaliseCrs(input)).toBe(expected);
    expect(isKnownCrs(input)).toBe(true);
  });

  it('does not read names it cannot', () => {
    expect(normaliseCrs('Amersfoort / RD New')).toBeUndefined();
    expect(isKnownCrs('EPSG:2000')).toBe(false);
  });
});

describe('.prj WKT', () => {
  const gk = (name: string, cm: number, fe: number): string =>
    `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],` +
    `PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],` +
    `PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

  it.each([
    [gk('CGCS2000_3_Degree_GK_CM_114E', 114, 500000), 'EPSG:4547'],
    [gk('CGCS2000_3_Degree_GK_Zone_38', 114, 38500000), 'EPSG:4526'],
    [gk('CGCS2000_6_Degree_GK_CM_117E', 117, 500000), 'EPSG:4509'],
    // The name says nothing (a bureau's own), the parameters do: 3-degree zone 39 with its number.
    [gk('Shenzhen_local_name', 117, 39500000), 'EPSG:4527'],
    [gk('unnamed', 120, 500000), 'EPSG:4549'],
    ['PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]]', 'EPSG:32650'],
    ['PROJCS["RD_New",GEOGCS["GCS_Amersfoort",DATUM["D_Amersfoort",SPHEROID["Bessel_1841",6377397.155,299.1528128]]]]', 'EPSG:28992'],
    ['GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', 'EPSG:4326'],
    ['GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],UNIT["degree",0.0174532925199433]]', 'EPSG:4490'],
    [
      'PROJCS["CH1903+ / LV95",GEOGCS["CH1903+",DATUM["CH1903+",SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],AUTHORITY["EPSG","6150"]],AUTHORITY["EPSG","4150"]],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","2056"]]',
      'EPSG:2056',
    ],
  ])('maps %s', (wkt, expected) => {
    expect(epsgFromWkt(wkt)).toBe(expected);
  });

  it('does not take Xi’an 1980 or Beijing 1954 grids for CGCS2000, but for their own EPSG codes', () => {
    const xian = gk('Xian_1980_3_Degree_GK_CM_114E', 114, 500000).replace(/China_Geodetic_Coordinate_System_2000|China_2000|CGCS2000/g, 'Xian_1980');
    expect(epsgFromWkt(xian)).toBe('EPSG:2383');
  });
});
