/**
 * Coordinate reference systems the pipeline knows, by EPSG code, and transforms to WGS84.
 *
 * Definitions are proj4 strings with the EPSG registry's parameters. Zone families are generated
 * from their pattern rather than listed: WGS84 / UTM (326zz north, 327zz south), ETRS89 / UTM
 * (258zz), and CGCS2000 Gauss–Krüger, China's survey grids: 3-degree zones with the zone number
 * in the false easting (4513–4533, zones 25–45) and without it (4534–4554, CM 75°E–135°E), and
 * the 6-degree ones (4491–4501 zones 13–23, 4502–4512 CM 75°E–135°E). The demo city uses
 * EPSG:4547 (3-degree CM 114°E).
 *
 * France's conic zones: Lambert-93 (EPSG:2154) and RGF93 / CC42–CC50 (3942–3950; Lyon is CC46).
 * China's older grids, as EPSG defines them: Xi'an 1980 (IAG 1975 ellipsoid; EPSG gives no shift to
 * WGS84, so none is applied — positions are off by the datum difference, tens of metres) in
 * 2327–2390, and Beijing 1954 (Krassowsky ellipsoid, EPSG's 7-parameter shift via WGS 72BE,
 * good to a few metres) in 2401–2442, 21413–21423 and 21473–21483.
 *
 * Any other CRS a file spells out as WKT (a `.prj`, a FlatGeobuf header) is defined from the WKT
 * itself by proj4's parser (`defineCrsFromWkt`), under its EPSG code when it names one.
 *
 * Compound CRSs name their horizontal part: EPSG:7415 (Amersfoort / RD New + NAP height, what
 * Dutch CityJSON files declare) transforms as EPSG:28992, heights being metres either way.
 */
import proj4 from 'proj4';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** Amersfoort / RD New: oblique stereographic on Bessel 1841 with the EPSG 7-parameter shift to WGS84. */
const RD_NEW =
  '+proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
  '+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';

/** CH1903+ / LV95: Swiss oblique Mercator on Bessel 1841, 3-parameter shift to WGS84. */
const LV95 =
  '+proj=somerc +lat_0=46.9524055555556 +lon_0=7.43958333333333 +k_0=1 +x_0=2600000 +y_0=1200000 ' +
  '+ellps=bessel +towgs84=674.374,15.056,405.346,0,0,0,0 +units=m +no_defs';

/** Transverse Mercator with scale 1, on CGCS2000's ellipsoid (GRS80 to 0.1 mm) unless another datum is given. */
const gaussKruger = (centralMeridian: number, falseEasting: number, datum = '+ellps=GRS80'): string =>
  `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 ${datum} +units=m +no_defs`;

/** Xi'an 1980: IAG 1975 ellipsoid, no published shift to WGS84 in EPSG. */
const XIAN_1980 = '+a=6378140 +rf=298.257';
/** Beijing 1954: Krassowsky 1940 with EPSG's Beijing 1954 to WGS 84 position-vector shift. */
const BEIJING_1954 = '+ellps=krass +towgs84=31.4,-144.3,-74.8,0,0,0.814,-0.38';

/**
 * China's four Gauss–Krüger families on one datum, from their first EPSG codes: 6-degree zones
 * 13–23 with the zone in the easting, 6-degree CM 75°E–135°E, 3-degree zones 25–45, 3-degree CM 75°E–135°E.
 */
function chinaZones(defs: Record<string, string>, first: { zone6: number; cm6: number; zone3: number; cm3: number }, datum: string): void {
  for (let zone = 13; zone <= 23; zone++) {
    defs[`EPSG:${first.zone6 + zone - 13}`] = gaussKruger(6 * zone - 3, zone * 1_000_000 + 500_000, datum);
    defs[`EPSG:${first.cm6 + zone - 13}`] = gaussKruger(6 * zone - 3, 500_000, datum);
  }
  for (let zone = 25; zone <= 45; zone++) {
    defs[`EPSG:${first.zone3 + zone - 25}`] = gaussKruger(3 * zone, zone * 1_000_000 + 500_000, datum);
    defs[`EPSG:${first.cm3 + zone - 25}`] = gaussKruger(3 * zone, 500_000, datum);
  }
}

function definitions(): Record<string, string> {
  const defs: Record<string, string> = {
    'EPSG:4326': WGS84,
    'EPSG:4490': '+proj=longlat +ellps=GRS80 +no_defs',
    'EPSG:3857':
      '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
    'EPSG:28992': RD_NEW,
    'EPSG:7415': RD_NEW,
    'EPSG:2056': LV95,
  };
  for (let zone = 1; zone <= 60; zone++) {
    const z = String(zone).padStart(2, '0');
    defs[`EPSG:326${z}`] = `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`;
    defs[`EPSG:327${z}`] = `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`;
  }
  // ETRS89 / UTM zones 28N–38N: European CityJSON (Germany, Austria, …) mostly comes in these.
  for (let zone = 28; zone <= 38; zone++) {
    defs[`EPSG:258${zone}`] = `+proj=utm +zone=${zone} +ellps=GRS80 +units=m +no_defs`;
  }
  // CGCS2000: 3-degree zones 25–45 (central meridian 3·zone), 6-degree zones 13–23 (6·zone − 3).
  chinaZones(defs, { zone6: 4491, cm6: 4502, zone3: 4513, cm3: 4534 }, '+ellps=GRS80');
  chinaZones(defs, { zone6: 2327, cm6: 2338, zone3: 2349, cm3: 2370 }, XIAN_1980);
  chinaZones(defs, { zone6: 21413, cm6: 21473, zone3: 2401, cm3: 2422 }, BEIJING_1954);
  // RGF93 / Lambert-93 and the nine conic conformal zones CC42–CC50 (latitude of origin 42°–50°N).
  defs['EPSG:2154'] = '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
  for (let lat = 42; lat <= 50; lat++) {
    defs[`EPSG:${3900 + lat}`] =
      `+proj=lcc +lat_0=${lat} +lon_0=3 +lat_1=${lat - 0.75} +lat_2=${lat + 0.75} +x_0=1700000 +y_0=${(lat - 41) * 1_000_000 + 200_000} ` +
      '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
  }
  return defs;
}

const DEFINITIONS = definitions();

/** CRSs defined at run time from a file's WKT (`defineCrsFromWkt`), by the name it was given. */
const FROM_WKT = new Map<string, string>();
const WKT_NAME = /^WKT:/;

/** The proj4 definition (proj string or WKT) for a normalised name. */
function definitionOf(code: string): string | undefined {
  return DEFINITIONS[code] ?? FROM_WKT.get(code);
}

/**
 * Makes the CRS a WKT string (WKT 1, ESRI's `.prj` dialect or WKT 2) describes known, parsed by
 * proj4, and returns its name: "EPSG:n" when the WKT's top-level AUTHORITY/ID names one (a code
 * already defined here keeps its own definition), else "WKT:" and the CRS's name. Undefined where
 * proj4 cannot parse it or it is neither projected nor geographic.
 */
export function defineCrsFromWkt(wkt: string, epsg?: string): string | undefined {
  if (epsg !== undefined && epsg in DEFINITIONS) return epsg;
  let projName: unknown;
  try {
    projName = (proj4.Proj(wkt) as unknown as { projName?: unknown }).projName;
    proj4(wkt, WGS84);
  } catch {
    return undefined;
  }
  if (typeof projName !== 'string') return undefined;
  const title = /^\s*[A-Z]+\s*\[\s*"([^"]{1,120})"/.exec(wkt)?.[1] ?? 'unnamed';
  const name = epsg ?? `WKT:${title}`;
  FROM_WKT.set(name, wkt);
  return name;
}

/** WKT for `.prj` files written beside grids (ESRI ASCII grids carry no CRS of their own). */
const WKT: Record<string, string> = {
  'EPSG:4547':
    'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",' +
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],' +
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],' +
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],' +
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
};

/** Every known code, e.g. for an error message; long, so messages should prefer `describeKnownCrs`. */
export function knownCrs(): string[] {
  return Object.keys(DEFINITIONS);
}

/** A short summary of what is known, for error messages. */
export function describeKnownCrs(): string {
  return (
    'EPSG:4326, 4490, 3857, 28992, 7415, 2056, UTM 32601–32660 and 32701–32760, ETRS89 UTM 25828–25838, ' +
    'CGCS2000 Gauss–Krüger 4491–4554, Xi\'an 1980 2327–2390, Beijing 1954 2401–2442 and 21413–21483, ' +
    'Lambert-93 2154, CC42–CC50 3942–3950, and any CRS a .prj or FlatGeobuf header spells out as WKT'
  );
}

/** URN and URL spellings of an EPSG code: OGC URNs (also compound ones, first part) and opengis.net URLs. */
const CRS_REFERENCE = [
  /^(?:epsg:)?(\d{4,6})$/i,
  /^urn:ogc:def:crs(?:,crs)?:epsg:[\d.]*:(\d{4,6})/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d{4,6})$/i,
];
const CRS84 = /^(?:urn:ogc:def:crs:ogc:[\d.]*:crs84|https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/[\d.]+\/crs84|crs84)$/i;

/**
 * Normalises the ways files name a CRS — "epsg:4547", "EPSG:4547", "4547",
 * "urn:ogc:def:crs:EPSG::2056", "https://www.opengis.net/def/crs/EPSG/0/7415", OGC CRS84 — to
 * "EPSG:n"; undefined if not understood. Whether the code is known is `crsTransform`'s question.
 */
export function normaliseCrs(crs: string): string | undefined {
  const s = crs.trim();
  if (WKT_NAME.test(s) && FROM_WKT.has(s)) return s;
  if (CRS84.test(s)) return 'EPSG:4326';
  for (const pattern of CRS_REFERENCE) {
    const m = pattern.exec(s);
    if (m) return `EPSG:${m[1]}`;
  }
  return undefined;
}

export function isKnownCrs(crs: string): boolean {
  const code = normaliseCrs(crs);
  return code !== undefined && definitionOf(code) !== undefined;
}

/** True for lon/lat CRSs, whose coordinates are degrees rather than metres. */
export function isGeographicCrs(crs: string): boolean {
  const code = normaliseCrs(crs);
  const def = code === undefined ? undefined : definitionOf(code);
  return def !== undefined && (def.startsWith('+proj=longlat') || /^\s*(GEOGCS|GEOGCRS|GEODCRS)\b/i.test(def));
}

export function crsWkt(crs: string): string | undefined {
  return WKT[crs] ?? FROM_WKT.get(crs);
}

export interface CrsTransform {
  /** Projected (or geographic) x, y → lon, lat in degrees (WGS84; CGCS2000 agrees to centimetres). */
  toLonLat(x: number, y: number): [number, number];
  fromLonLat(lon: number, lat: number): [number, number];
}

/** A transform between the given CRS and WGS84 lon/lat; throws a clear error for unknown codes. */
export function crsTransform(crs: string): CrsTransform {
  const code = normaliseCrs(crs);
  const def = code ? definitionOf(code) : undefined;
  if (!code || !def) {
    throw new Error(`unknown CRS "${crs}"; known: ${describeKnownCrs()}`);
  }
  const converter = proj4(def, WGS84);
  return {
    toLonLat: (x, y) => converter.forward([x, y]) as [number, number],
    fromLonLat: (lon, lat) => converter.inverse([lon, lat]) as [number, number],
  };
}

/** The WGS84 / UTM zone (EPSG:326zz or 327zz) whose central meridian is nearest to lon/lat. */
export function utmCrsFor(lon: number, lat: number): string {
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  return `EPSG:${lat >= 0 ? 326 : 327}${String(zone).padStart(2, '0')}`;
}
