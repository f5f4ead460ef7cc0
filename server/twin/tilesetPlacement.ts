/**
 * Placing a third-party tileset on the globe. 3D Tiles samples and exports from modelling tools
 * often have no geographic placement: no root `transform`, box or sphere volumes around the
 * origin, so a viewer draws them at the Earth's centre. `citytwin serve --tileset
 * dir@lon,lat,height[,heading]` gives one: the served tileset.json gets a root transform that
 * puts its local origin there (x east, y north, z up; 3D Tiles turns glTF's y-up into z-up),
 * turned clockwise by the heading. Pure: the plugin and the CLI call it with parsed JSON.
 */
import { EnuFrame } from '../../kernel/geodesy';

export interface TilesetPlacement {
  lon: number;
  lat: number;
  /** Metres above the ellipsoid. */
  height: number;
  /** Degrees clockwise from north that the tileset's +y axis points to. */
  headingDeg: number;
}

export interface ExtraTilesetSource {
  dir: string;
  placement?: TilesetPlacement;
}

/** Anything nearer the Earth's centre than this is not on its surface (the ellipsoid's minor axis is 6,357 km). */
const SURFACE_M = 6_000_000;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * `dir` or `dir@lon,lat,height[,heading]`; throws a RangeError naming the bad part. A folder
 * whose own name holds an `@` still works when no placement follows it.
 */
export function parseTilesetArg(arg: string): ExtraTilesetSource {
  const at = arg.lastIndexOf('@');
  const tail = at >= 0 ? arg.slice(at + 1) : '';
  if (at < 0 || !/^[-+\d.,eE\s]+$/.test(tail)) return { dir: arg };
  const parts = tail.split(',').map((p) => p.trim());
  if (parts.length < 3 || parts.length > 4 || !parts.every((p) => NUMBER.test(p))) {
    throw new RangeError(`"${arg}": a placement is @lon,lat,height[,heading] (degrees, metres, degrees), got "@${tail}"`);
  }
  const [lon, lat, height, headingDeg = 0] = parts.map(Number) as [number, number, number, number?];
  const check = (value: number, name: string, min: number, max: number): void => {
    if (!(value >= min && value <= max)) throw new RangeError(`"${arg}": ${name} must be between ${min} and ${max}, got ${value}`);
  };
  check(lon, 'longitude', -180, 180);
  check(lat, 'latitude', -90, 90);
  check(height, 'height', -11_000, 9_000);
  check(headingDeg, 'heading', -360, 360);
  return { dir: arg.slice(0, at), placement: { lon, lat, height, headingDeg } };
}

/** Column-major 4×4: local metres (turned by the heading) → ECEF at the placement. */
export function placementMatrix(p: TilesetPlacement): number[] {
  const enu = new EnuFrame(p.lon, p.lat, p.height).matrix;
  const h = (p.headingDeg * Math.PI) / 180;
  const [c, s] = [Math.cos(h), Math.sin(h)];
  // Heading turns clockwise seen from above: +y (north) goes to (sin h, cos h), +x to (cos h, −sin h).
  const turn = [c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  return multiply(enu, turn);
}

function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let col = 0; col < 4; col++) {
    for (let row = 0; row < 4; row++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + row]! * b[col * 4 + k]!;
      out[col * 4 + row] = sum;
    }
  }
  return out;
}

interface TilesetRoot {
  transform?: unknown;
  boundingVolume?: { region?: unknown; box?: unknown; sphere?: unknown };
}

const isMatrix = (m: unknown): m is number[] => Array.isArray(m) && m.length === 16 && m.every((v) => typeof v === 'number' && Number.isFinite(v));

/** The tileset.json with its root transform set to the placement (after any transform it had). */
export function placeTileset<T extends { root?: unknown }>(tileset: T, p: TilesetPlacement): T {
  const root = (tileset.root ?? {}) as TilesetRoot;
  const own = isMatrix(root.transform) ? root.transform : [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  return { ...tileset, root: { ...root, transform: multiply(placementMatrix(p), own) } };
}

/**
 * True when the tileset is somewhere on the globe by itself: a `region` root volume (always
 * geographic), or a box / sphere centre that its root transform puts near the Earth's surface.
 */
export function hasGeographicPlacement(tileset: { root?: unknown }): boolean {
  const root = (tileset.root ?? {}) as TilesetRoot;
  const volume = root.boundingVolume ?? {};
  if (Array.isArray(volume.region)) return true;
  const shape = Array.isArray(volume.box) ? volume.box : Array.isArray(volume.sphere) ? volume.sphere : undefined;
  const centre = shape && shape.length >= 3 ? (shape.slice(0, 3) as unknown[]) : [0, 0, 0];
  if (!centre.every((v) => typeof v === 'number')) return false;
  const [x, y, z] = centre as number[];
  const m = isMatrix(root.transform) ? root.transform : [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const world = [0, 1, 2].map((r) => m[r]! * x! + m[4 + r]! * y! + m[8 + r]! * z! + m[12 + r]!);
  return Math.hypot(world[0]!, world[1]!, world[2]!) > SURFACE_M;
}
