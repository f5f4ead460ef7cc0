/**
 * Coordinate reference systems the pipeline knows, by EPSG code, and transforms to WGS84.
 *
 * Definitions are proj4 strings from the EPSG registry. Chinese survey data usually comes in
 * CGCS2000 (EPSG:4490) on a 3-degree Gauss–Krüger zone; the demo city uses CM 114°E (EPSG:4547).
 */
import proj4 from 'proj4';

const DEFINITIONS: Record<string, string> = {
  'EPSG:4326': '+proj=longlat +datum=WGS84 +no_defs',
  'EPSG:4490': '+proj=longlat +ellps=GRS80 +no_defs',
  'EPSG:3857':
    '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
  'EPSG:4547': '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  'EPSG:32649': '+proj=utm +zone=49 +datum=WGS84 +units=m +no_defs',
  'EPSG:32650': '+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs',
};

/** WKT for `.prj` files written beside grids (ESRI ASCII grids carry no CRS of their own). */
const WKT: Record<string, string> = {
  'EPSG:4547':
    'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",' +
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],' +
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],' +
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],' +
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
};

export function knownCrs(): string[] {
  return Object.keys(DEFINITIONS);
}

/** Normalises "epsg:4547", "EPSG:4547" and "4547" to "EPSG:4547"; undefined if not understood. */
export function normaliseCrs(crs: string): string | undefined {
  const m = /^(?:epsg:)?(\d{4,6})$/i.exec(crs.trim());
  return m ? `EPSG:${m[1]}` : undefined;
}

export function crsWkt(crs: string): string | undefined {
  return WKT[crs];
}

export interface CrsTransform {
  /** Projected (or geographic) x, y → lon, lat in degrees (WGS84; CGCS2000 agrees to centimetres). */
  toLonLat(x: number, y: number): [number, number];
  fromLonLat(lon: number, lat: number): [number, number];
}

/** A transform between the given CRS and WGS84 lon/lat; throws a clear error for unknown codes. */
export function crsTransform(crs: string): CrsTransform {
  const code = normaliseCrs(crs);
  const def = code ? DEFINITIONS[code] : undefined;
  if (!code || !def) {
    throw new Error(`unknown CRS "${crs}"; known: ${knownCrs().join(', ')}`);
  }
  const converter = proj4(def, DEFINITIONS['EPSG:4326']!);
  return {
    toLonLat: (x, y) => converter.forward([x, y]) as [number, number],
    fromLonLat: (lon, lat) => converter.inverse([lon, lat]) as [number, number],
  };
}
