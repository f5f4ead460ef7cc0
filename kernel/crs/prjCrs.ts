/**
 * EPSG code of the CRS an ESRI `.prj` (WKT 1) describes. Files written by GDAL or QGIS carry
 * AUTHORITY["EPSG", n]; ESRI software writes none, so the projection is recognised by its name
 * (ESRI's names such as "CGCS2000_3_Degree_GK_CM_114E" or "WGS_1984_UTM_Zone_50N") or, for
 * Gauss–Krüger grids on CGCS2000 under any name, by central meridian and false easting — the
 * form in which Chinese survey and planning bureaus usually hand data over.
 */
import { defineCrsFromWkt, isKnownCrs } from './crs';

/**
 * The CRS name for a WKT string: its EPSG code ("EPSG:n") where the code is one `crs.ts` defines,
 * by authority, ESRI name or Gauss–Krüger parameters; else the CRS proj4 defines from the WKT
 * itself (under its EPSG code if it names one, "WKT:<name>" if not); undefined when proj4 cannot
 * read it either.
 */
export function epsgFromWkt(wkt: string): string | undefined {
  const text = wkt.trim();
  const authority = fromAuthority(text);
  if (authority !== undefined && isKnownCrs(authority)) return authority;
  return fromName(text) ?? fromGaussKrugerParameters(text) ?? defineCrsFromWkt(text, authority);
}

/** The outermost AUTHORITY is the last one in WKT 1 (it closes the top-level node). */
function fromAuthority(wkt: string): string | undefined {
  // WKT 1 AUTHORITY["EPSG","n"], WKT 2 ID["EPSG",n].
  const all = [...wkt.matchAll(/(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d{4,6})"?\s*\]/gi)];
  const last = all[all.length - 1];
  if (!last) return undefined;
  const depthAfter = nestingDepth(wkt.slice(last.index! + last[0].length));
  // Only the top-level node's authority names the whole CRS (depth 1 = just the closing bracket left).
  return depthAfter <= 1 ? `EPSG:${last[1]}` : undefined;
}

function nestingDepth(rest: string): number {
  let depth = 0;
  for (const ch of rest) if (ch === ']' || ch === ')') depth++;
  return depth;
}

function topName(wkt: string): { kind: string; name: string } | undefined {
  const m = /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt);
  return m ? { kind: m[1]!.toUpperCase(), name: m[2]!.replace(/[\s/-]+/g, '_').replace(/_+/g, '_') } : undefined;
}

/** ESRI's names of China's Gauss–Krüger families, by datum: the first EPSG code of each family. */
const CHINA_GRIDS: Array<[string, { zone6: number; cm6: number; zone3: number; cm3: number }]> = [
  ['CGCS2000', { zone6: 4491, cm6: 4502, zone3: 4513, cm3: 4534 }],
  ['Xian_1980', { zone6: 2327, cm6: 2338, zone3: 2349, cm3: 2370 }],
  ['Beijing_1954', { zone6: 21413, cm6: 21473, zone3: 2401, cm3: 2422 }],
];

const NAME_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => number | undefined]> = [
  ...CHINA_GRIDS.flatMap(([datum, first]): Array<[RegExp, (m: RegExpExecArray) => number | undefined]> => [
    [new RegExp(`${datum}_3_Degree_GK_CM_(\\d+)E$`, 'i'), (m) => zoneCode(Number(m[1]), 75, 135, 3, first.cm3)],
    [new RegExp(`${datum}_3_Degree_GK_Zone_(\\d+)$`, 'i'), (m) => zoneCode(Number(m[1]), 25, 45, 1, first.zone3)],
    [new RegExp(`${datum}_(?:6_Degree_)?GK_CM_(\\d+)E$`, 'i'), (m) => zoneCode(Number(m[1]), 75, 135, 6, first.cm6)],
    [new RegExp(`${datum}_(?:6_Degree_)?GK_Zone_(\\d+)$`, 'i'), (m) => zoneCode(Number(m[1]), 13, 23, 1, first.zone6)],
  ]),
  [/WGS_?84_UTM_zone_(\d+)([NS])$|WGS_1984_UTM_Zone_(\d+)([NS])$/i, (m) => utm(m[1] ?? m[3], m[2] ?? m[4])],
  [/(?:Amersfoort_)?RD_New$/i, () => 28992],
  [/CH1903\+_LV95$/i, () => 2056],
  [/(?:WGS_1984_)?(?:Web_Mercator|Pseudo_Mercator)(?:_Auxiliary_Sphere)?$/i, () => 3857],
  [/^(?:GCS_)?WGS_?(?:19)?84$/i, () => 4326],
  [/^(?:GCS_)?(?:China_Geodetic_Coordinate_System_2000|CGCS2000)$/i, () => 4490],
  [/^RGF_?1993_Lambert_93$|^RGF93(?:_v1)?_Lambert_93$/i, () => 2154],
  [/^RGF_?(?:1993|93)(?:_v1)?_CC(4[2-9]|50)$/i, (m) => 3900 + Number(m[1])],
];

function zoneCode(value: number, first: number, last: number, step: number, firstCode: number): number | undefined {
  if (!Number.isInteger(value) || value < first || value > last || (value - first) % step !== 0) return undefined;
  return firstCode + (value - first) / step;
}

function utm(zone: string | undefined, hemisphere: string | undefined): number | undefined {
  const z = Number(zone);
  if (!Number.isInteger(z) || z < 1 || z > 60) return undefined;
  return (hemisphere?.toUpperCase() === 'S' ? 32700 : 32600) + z;
}

function fromName(wkt: string): string | undefined {
  const top = topName(wkt);
  return top ? fromNormalisedName(top.name) : undefined;
}

function fromNormalisedName(name: string): string | undefined {
  for (const [pattern, code] of NAME_PATTERNS) {
    const m = pattern.exec(name);
    const n = m ? code(m) : undefined;
    if (n !== undefined) return `EPSG:${n}`;
  }
  return undefined;
}

/**
 * The EPSG code of a CRS given by name alone, as EPSG or ESRI spell it ("CGCS2000 / 3-degree
 * Gauss-Kruger CM 114E", "CGCS2000_3_Degree_GK_Zone_38", "WGS 84 / UTM zone 50N"): an IFC
 * IfcProjectedCRS.Name, for one. Undefined when the name is none of those patterns.
 */
export function epsgFromCrsName(name: string): string | undefined {
  const normalised = name
    .trim()
    .replace(/Gauss[\s_-]*Kr(?:u|ü|ue)ger/gi, 'GK')
    .replace(/[\s/-]+/g, '_')
    .replace(/_+/g, '_');
  return fromNormalisedName(normalised);
}

function parameter(wkt: string, name: string): number | undefined {
  const m = new RegExp(`PARAMETER\\s*\\[\\s*"${name}"\\s*,\\s*(-?[\\d.]+)`, 'i').exec(wkt);
  return m ? Number(m[1]) : undefined;
}

/** CGCS2000 transverse Mercator with scale 1: pick the zone family from central meridian and false easting. */
function fromGaussKrugerParameters(wkt: string): string | undefined {
  if (!/China_2000|CGCS2000|China Geodetic Coordinate System 2000/i.test(wkt)) return undefined;
  if (!/Gauss_Kruger|Transverse_Mercator/i.test(wkt)) return undefined;
  const cm = parameter(wkt, 'Central_Meridian');
  const fe = parameter(wkt, 'False_Easting');
  const k = parameter(wkt, 'Scale_Factor') ?? 1;
  if (cm === undefined || fe === undefined || k !== 1) return undefined;
  let code: number | undefined;
  if (fe === 500_000) code = zoneCode(cm, 75, 135, 3, 4534) ?? zoneCode(cm, 75, 135, 6, 4502);
  else {
    const zone = (fe - 500_000) / 1_000_000;
    if (zone * 3 === cm) code = zoneCode(zone, 25, 45, 1, 4513);
    else if (zone * 6 - 3 === cm) code = zoneCode(zone, 13, 23, 1, 4491);
  }
  const epsg = code === undefined ? undefined : `EPSG:${code}`;
  return epsg !== undefined && isKnownCrs(epsg) ? epsg : undefined;
}
