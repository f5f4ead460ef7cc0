/**
 * An IFC model's own georeferencing, and where it places the model when `--at` is not given.
 *
 * - IFC 4 **IfcMapConversion** (from the 'Model' IfcGeometricRepresentationContext to an
 *   IfcProjectedCRS): a model point (x, y, z) lies at
 *       E = Eastings + s·(x·a − y·b),  N = Northings + s·(x·b + y·a),  H = OrthogonalHeight + z
 *   in the projected CRS, with (a, b) = (XAxisAbscissa, XAxisOrdinate) normalised (the model's
 *   x axis in map coordinates, counter-clockwise from grid east) and s = Scale (IFC 4 §8.18.3.8).
 *   The CRS is found from IfcProjectedCRS.Name — an EPSG code ("EPSG:4547", URNs) or a name
 *   such as "CGCS2000 / 3-degree Gauss-Kruger CM 114E" — among those kernel/crs knows.
 * - IFC 2x3 and 4 **IfcSite** RefLatitude / RefLongitude / RefElevation: the geographic position
 *   of the site's placement origin, with the context's **TrueNorth** (the direction of true
 *   north in the model's x/y plane; absent: +y is north) for the heading.
 *
 * The placement is the model's origin as lon/lat/height and the heading of its +y axis
 * clockwise from true north (ifcPlacement.ts). For a map conversion both come from the CRS:
 * the origin is (Eastings, Northings) unprojected, the heading the true azimuth of the model's
 * +y axis, so the grid's meridian convergence is included. Heights are taken as they are given
 * (OrthogonalHeight or RefElevation are above sea level; the twin's terrain is too).
 */
import { crsTransform, describeKnownCrs, isKnownCrs, normaliseCrs } from '../../../kernel/crs/crs';
import { epsgFromCrsName } from '../../../kernel/crs/prjCrs';
import { EnuFrame, ecefToGeodetic } from '../../../kernel/geodesy';
import { IfcImportError, type IfcGeoreference, type IfcMapConversion } from './ifcModel';

export interface GeoPlacement {
  lon: number;
  lat: number;
  height: number;
  headingDeg: number;
  /** Which georeferencing placed it, for the build report. */
  source: string;
}

const normaliseDeg = (d: number): number => ((d % 360) + 360) % 360;
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The EPSG code (or other known name) of an IfcProjectedCRS; throws naming the CRS when none is known. */
export function projectedCrsCode(mc: Pick<IfcMapConversion, 'crsName' | 'crsWhere' | 'geodeticDatum' | 'mapZone'>): string {
  const byName = isKnownCrs(mc.crsName) ? normaliseCrs(mc.crsName) : epsgFromCrsName(mc.crsName);
  // Some exporters write the datum and zone apart: "CGCS2000" + "3-degree Gauss-Kruger CM 114E".
  const code = byName ?? epsgFromCrsName(`${mc.geodeticDatum} / ${mc.mapZone}`);
  if (code === undefined || !isKnownCrs(code)) {
    throw new IfcImportError(
      `${mc.crsWhere}: IfcMapConversion's target CRS "${mc.crsName}"${mc.geodeticDatum ? ` (datum ${mc.geodeticDatum}${mc.mapZone ? `, zone ${mc.mapZone}` : ''})` : ''} is not one citytwin knows (${describeKnownCrs()}); place the model with --at lon,lat[,height[,headingDeg]]`,
      'IfcProjectedCRS',
    );
  }
  return code;
}

/** The placement an IfcMapConversion gives: its origin unprojected, the true heading of the model's +y. */
export function mapConversionPlacement(mc: IfcMapConversion): GeoPlacement & { notes: string[] } {
  const code = projectedCrsCode(mc);
  const crs = crsTransform(code);
  const len = Math.hypot(mc.xAxis[0], mc.xAxis[1]);
  if (!(len > 0)) throw new IfcImportError(`${mc.where}: XAxisAbscissa and XAxisOrdinate are both 0`, 'IfcMapConversion');
  const [a, b] = [mc.xAxis[0] / len, mc.xAxis[1] / len];
  const [lon, lat] = crs.toLonLat(mc.eastingsM, mc.northingsM);
  // The model's +y axis is (−b, a) on the grid; 100 m along it, measured in the local ENU frame.
  const [lon1, lat1] = crs.toLonLat(mc.eastingsM - 100 * b, mc.northingsM + 100 * a);
  const p = new EnuFrame(lon, lat, 0).fromGeodetic(lon1, lat1, 0);
  const headingDeg = normaliseDeg((Math.atan2(p[0], p[1]) * 180) / Math.PI);
  const notes: string[] = [];
  // Geometry comes in metres; s in metres per metre is the file's Scale times map unit over project unit.
  const metricScale = (mc.scale * mc.mapUnitM) / mc.projectUnitM;
  if (Math.abs(metricScale - 1) > 1e-6) notes.push(`IfcMapConversion Scale ${mc.scale} (${round(metricScale, 6)} m per model metre) is not applied: the model is placed at its true size`);
  const rotation = normaliseDeg((Math.atan2(b, a) * 180) / Math.PI);
  return {
    lon,
    lat,
    height: mc.heightM,
    headingDeg,
    notes,
    source: `IfcMapConversion to ${code} ("${mc.crsName}"): E ${round(mc.eastingsM, 3)}, N ${round(mc.northingsM, 3)}, H ${round(mc.heightM, 3)}, x axis ${round(rotation, 4)}° from grid east`,
  };
}

/** The heading of the model's +y clockwise from true north, given true north's direction in the model. */
export function headingFromTrueNorth(trueNorth: readonly [number, number] | undefined): number {
  if (!trueNorth || (trueNorth[0] === 0 && trueNorth[1] === 0)) return 0;
  return normaliseDeg((Math.atan2(-trueNorth[0], trueNorth[1]) * 180) / Math.PI);
}

/** The placement IfcSite's reference point and TrueNorth give; the model origin where the site's origin is offset. */
export function sitePlacement(site: NonNullable<IfcGeoreference['site']>, trueNorth: IfcGeoreference['trueNorth']): GeoPlacement {
  const headingDeg = headingFromTrueNorth(trueNorth);
  const [x0, y0, z0] = site.originM;
  let { lon, lat } = site;
  if (x0 !== 0 || y0 !== 0) {
    // The reference point is the site's origin: step back from it to the model's (0, 0).
    const h = (headingDeg * Math.PI) / 180;
    const e = -(x0 * Math.cos(h) + y0 * Math.sin(h));
    const n = -(-x0 * Math.sin(h) + y0 * Math.cos(h));
    const g = new EnuFrame(site.lon, site.lat, 0).toEcef(e, n, 0);
    ({ lon, lat } = ecefToGeodetic(g[0], g[1], g[2]));
  }
  const north = trueNorth ? `TrueNorth (${round(trueNorth[0], 6)}, ${round(trueNorth[1], 6)}) → heading ${round(headingDeg, 4)}°` : 'no TrueNorth: model +y is north';
  return { lon, lat, height: site.height - z0, headingDeg, source: `IfcSite RefLatitude/RefLongitude/RefElevation (${round(site.lat, 7)}, ${round(site.lon, 7)}, ${site.height} m), ${north}` };
}

/** The file's own placement: IfcMapConversion first (exact on a projected grid), else IfcSite; undefined when it has neither. */
export function georeferencedPlacement(geo: IfcGeoreference): (GeoPlacement & { notes: string[] }) | undefined {
  if (geo.mapConversion) return mapConversionPlacement(geo.mapConversion);
  if (geo.site) return { ...sitePlacement(geo.site, geo.trueNorth), notes: [] };
  return undefined;
}
