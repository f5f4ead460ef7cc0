/**
 * Where an IFC model stands: `--at lon,lat[,height[,headingDeg]]`. The model's origin (IFC
 * x = y = z = 0) goes to lon/lat; its z = 0 to `height` metres above the ellipsoid, or to the
 * ground under the building when no height is given; its +y axis points `headingDeg` degrees
 * clockwise from north (0: the model's y is north, x east). Without --at, the file's own
 * georeferencing places it (ifcGeoreference.ts): IfcMapConversion, else IfcSite's reference point
 * with the context's TrueNorth.
 */
import { EnuFrame, ecefToGeodetic, type Vec3 } from '../../../kernel/geodesy';
import { georeferencedPlacement } from './ifcGeoreference';
import { IfcImportError, type IfcModel } from './ifcModel';

export interface IfcPlacement {
  lon: number;
  lat: number;
  /** Ellipsoidal height of the model's z = 0; undefined: the ground under the building. */
  height?: number;
  headingDeg: number;
}

/** Parses `lon,lat[,height[,headingDeg]]`; throws a message naming the part at fault. */
export function parseAt(text: string): IfcPlacement {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length < 2 || parts.length > 4) throw new RangeError(`--at "${text}": expected lon,lat[,height[,headingDeg]]`);
  const names = ['lon', 'lat', 'height', 'headingDeg'];
  const n = parts.map((p, i) => {
    const v = p === '' && i >= 2 ? Number.NaN : Number(p);
    if (p !== '' && !Number.isFinite(v)) throw new RangeError(`--at "${text}": ${names[i]} "${p}" is not a number`);
    return v;
  });
  const [lon, lat, height, heading] = n as [number, number, number?, number?];
  if (!(lon >= -180 && lon <= 180)) throw new RangeError(`--at "${text}": lon must be within −180…180`);
  if (!(lat >= -85 && lat <= 85)) throw new RangeError(`--at "${text}": lat must be within −85…85`);
  if (height !== undefined && Number.isFinite(height) && Math.abs(height) > 10_000) throw new RangeError(`--at "${text}": height must be within ±10,000 m`);
  return {
    lon,
    lat,
    ...(height !== undefined && Number.isFinite(height) ? { height } : {}),
    headingDeg: heading !== undefined && Number.isFinite(heading) ? ((heading % 360) + 360) % 360 : 0,
  };
}

export interface ChosenPlacement {
  placement: IfcPlacement;
  /** Which placement was used, for the build report: `--at`, or the file's georeferencing. */
  source: string;
  notes: string[];
}

/**
 * The placement given (`--at` overrides the file), else the file's own: IfcMapConversion, else
 * IfcSite's reference point and TrueNorth; refuses a model with none. A map conversion whose CRS
 * is unknown is refused naming it, unless `--at` is given.
 */
export function placementOf(model: IfcModel, at: IfcPlacement | undefined): ChosenPlacement {
  if (at) {
    const own = model.georeference.mapConversion ? 'IfcMapConversion' : model.georeference.site ? 'IfcSite reference point' : undefined;
    return { placement: at, source: `--at${own ? ` (overrides the file's ${own})` : ''}`, notes: [] };
  }
  const geo = georeferencedPlacement(model.georeference);
  if (geo) return { placement: { lon: geo.lon, lat: geo.lat, height: geo.height, headingDeg: geo.headingDeg }, source: geo.source, notes: geo.notes };
  throw new IfcImportError(`${model.file}: the file is not georeferenced (no IfcMapConversion, no IfcSite RefLatitude/RefLongitude); place the model with --at lon,lat[,height[,headingDeg]]`, 'IfcSite');
}

/** Model metres → east/north metres at the placement point (the heading turns the plan clockwise). */
export class ModelToEnu {
  private readonly cos: number;
  private readonly sin: number;

  constructor(headingDeg: number) {
    const h = (headingDeg * Math.PI) / 180;
    this.cos = Math.cos(h);
    this.sin = Math.sin(h);
  }

  /** (x, y) model → out [east, north]. */
  plan(x: number, y: number, out: [number, number]): [number, number] {
    out[0] = x * this.cos + y * this.sin;
    out[1] = -x * this.sin + y * this.cos;
    return out;
  }

  /** A direction (normal) the same way. */
  direction(x: number, y: number, out: [number, number]): [number, number] {
    return this.plan(x, y, out);
  }
}

/**
 * East/north/up metres at the placement point → lon/lat/height, through ECEF (exact on the
 * ellipsoid; a building's few hundred metres need no less).
 */
export class PlacementFrame {
  readonly enu: EnuFrame;
  readonly turn: ModelToEnu;
  private readonly scratch: Vec3 = [0, 0, 0];
  private readonly planScratch: [number, number] = [0, 0];

  constructor(
    readonly placement: IfcPlacement,
    /** Ellipsoidal height of the model's z = 0. */
    readonly baseHeight: number,
  ) {
    this.enu = new EnuFrame(placement.lon, placement.lat, baseHeight);
    this.turn = new ModelToEnu(placement.headingDeg);
  }

  /** A model point as lon, lat, ellipsoidal height (exact, through ECEF). */
  geodetic(x: number, y: number, z: number): { lon: number; lat: number; height: number } {
    const [e, n] = this.turn.plan(x, y, this.planScratch);
    const p = this.enu.toEcef(e, n, z, this.scratch);
    return ecefToGeodetic(p[0], p[1], p[2]);
  }

  /**
   * The same to first order: degrees per metre east and north and the height taken at the
   * placement point, for the tens of thousands of vertices of a shell. The error is the Earth's
   * curvature over the distance d from the point, about d² / 2R: 5 mm at 250 m.
   */
  linear(): (x: number, y: number, z: number, out: [number, number, number]) => [number, number, number] {
    const o = this.geodetic(0, 0, 0);
    const [e1, n1] = [this.enu.toEcef(1, 0, 0), this.enu.toEcef(0, 1, 0)];
    const east = ecefToGeodetic(e1[0], e1[1], e1[2]);
    const north = ecefToGeodetic(n1[0], n1[1], n1[2]);
    const [dLonE, dLatE, dLonN, dLatN] = [east.lon - o.lon, east.lat - o.lat, north.lon - o.lon, north.lat - o.lat];
    const xy: [number, number] = [0, 0];
    return (x, y, z, out) => {
      const [e, n] = this.turn.plan(x, y, xy);
      out[0] = o.lon + e * dLonE + n * dLonN;
      out[1] = o.lat + e * dLatE + n * dLatN;
      out[2] = o.height + z;
      return out;
    };
  }
}
