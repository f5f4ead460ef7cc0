/**
 * Ground imagery for the twin: one "satellite-map-like" PNG over the district, in plate carrée
 * (rows of equal latitude step, row 0 at the north), ready for a single-tile imagery layer over
 * `bounds`.
 *
 * Passes, each over typed arrays: DEM heights per pixel → land tinted by elevation → land-use
 * areas → water (sea darkening with distance offshore and depth) → building footprints → roads at
 * their real width with markings → hillshade and canopy texture → PNG. Everything is
 * deterministic: the same input gives the same bytes.
 */
import { writeFile } from 'node:fs/promises';
import type { RoadClass, WaterKind } from '../../../domain/citySource';
import type { GeoBounds } from '../../../domain/twinPackage';
import type { Grid } from '../../../kernel/raster/grid';
import type { FootprintCollection, LanduseCollection, RoadCollection, WaterCollection } from '../geojson';
import { DemSampler } from '../terrain/demSampler';
import { metresPerDegree } from '../terrain/tilingScheme';
import {
  BUILDING,
  BUILDING_ALPHA,
  CENTRE_LINE,
  LAKE,
  LANDUSE,
  LANE_MARK,
  RIVER,
  ROAD,
  SIDEWALK,
  landTint,
  seaTint,
  type Rgb,
} from './palette';
import { encodePng } from './png';
import { fillRings, northUpTransform, preparePolygons, type PixelTransform, type SpanFn } from './raster';
import { Stroker } from './stroke';

/** What the basemap is drawn from: everything but the file it goes to (what a worker is sent). */
export type BasemapInput = Omit<BasemapOptions, 'outFile'>;

export interface BasemapOptions {
  /** Area to render (the DEM extent in lon/lat). */
  bounds: GeoBounds;
  widthPx: number;
  heightPx: number;
  /** For hillshade and the land/sea tint. */
  dem: Grid;
  demCrs: string;
  water: WaterCollection;
  landuse: LanduseCollection;
  roads: RoadCollection;
  /** Footprints, drawn as a subtle darker ground patch. */
  buildings?: FootprintCollection;
  /** PNG file to write. */
  outFile: string;
}

/** Largest image side accepted. Working buffers take 12 bytes a pixel: 0.2 GB at 4096², 3.2 GB at 16384². */
export const MAX_BASEMAP_SIDE = 16384;

// Per-pixel ground classes: what the water and shading passes need to know.
const LAND = 0;
const BELOW_SEA_LEVEL = 1; // land pixel whose DEM height is under 0 and no land use claims it: sea
const SEA = 2;
const RIVER_CLASS = 3;
const LAKE_CLASS = 4;
const WATER_CLASS: Record<WaterKind, number> = { sea: SEA, river: RIVER_CLASS, lake: LAKE_CLASS };

/** Sun for the hillshade: from the north-west, 45° up (the cartographic convention). */
const SUN_AZIMUTH_DEG = 315;
const SUN_ALTITUDE_DEG = 45;
/** Relief exaggeration and how strongly shading modulates colour (0 = none). */
const HILLSHADE_Z = 1.5;
const HILLSHADE_STRENGTH = 0.7;
/** Tree-crown texture on vegetation: its size on the ground and amplitude in colour levels. */
const CANOPY_CROWN_M = 5;
const CANOPY_TEXTURE = 7;

const ROAD_ORDER: readonly RoadClass[] = ['local', 'secondary', 'arterial'];
const SIDEWALK_M: Record<RoadClass, number> = { arterial: 2.5, secondary: 2, local: 1 };

export async function renderBasemap(opts: BasemapOptions): Promise<void> {
  await writeFile(opts.outFile, renderBasemapPng(opts));
}

/** The basemap as PNG file bytes (what `renderBasemap` writes). */
export function renderBasemapPng(opts: BasemapInput): Uint8Array {
  return encodePng(opts.widthPx, opts.heightPx, renderBasemapPixels(opts), 3);
}

/** The basemap as RGB bytes, row 0 at the north (what `renderBasemap` encodes). */
export function renderBasemapPixels(opts: BasemapInput): Uint8Array {
  const { widthPx: W, heightPx: H, bounds: b } = opts;
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 2 || H < 2 || W > MAX_BASEMAP_SIDE || H > MAX_BASEMAP_SIDE) {
    throw new Error(`basemap size must be integers from 2 to ${MAX_BASEMAP_SIDE}, got ${W} × ${H}`);
  }
  if (!(b.east > b.west && b.north > b.south)) throw new Error('basemap bounds are empty');

  const sampler = new DemSampler(opts.dem, opts.demCrs);
  const lonLatToPx = northUpTransform(b.west, b.south, b.east, b.north, W, H);
  const m = metresPerDegree((b.south + b.north) / 2);
  const pixelW = ((b.east - b.west) * m.lon) / W; // metres per pixel, east–west
  const pixelH = ((b.north - b.south) * m.lat) / H; // north–south

  const rgb = new Uint8Array(W * H * 3);
  const cls = new Uint8Array(W * H);
  const heights = sampleHeights(sampler, b, W, H);

  paintGround(rgb, cls, heights, W, H, pixelW, pixelH);

  for (const f of opts.landuse.features) {
    if (!f.geometry) continue;
    const colour = LANDUSE[f.properties.kind];
    if (!colour) continue;
    const paint = paintSpan(rgb, W, colour, cls, LAND);
    for (const p of preparePolygons(f.geometry)) fillRings(p.rings, lonLatToPx, W, H, paint);
  }

  for (const f of opts.water.features) {
    if (!f.geometry) continue;
    const value = WATER_CLASS[f.properties.kind];
    if (value === undefined) continue;
    const mark: SpanFn = (row, x0, x1) => cls.fill(value, row * W + x0, row * W + x1);
    for (const p of preparePolygons(f.geometry)) fillRings(p.rings, lonLatToPx, W, H, mark);
  }
  paintWater(rgb, cls, heights, W, H, pixelW, pixelH);

  if (opts.buildings) {
    const blend = blendSpan(rgb, W, BUILDING, BUILDING_ALPHA);
    for (const f of opts.buildings.features) {
      if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
      for (const p of preparePolygons(f.geometry)) fillRings(p.rings, lonLatToPx, W, H, blend);
    }
  }

  drawRoads(opts.roads, rgb, cls, b, W, H, m, Math.min(pixelW, pixelH));
  shade(rgb, cls, heights, W, H, pixelW, pixelH);
  return rgb;
}

/**
 * DEM height at every pixel centre. The DEM's box has corners the (slightly rotated) grid does
 * not reach; those take the nearest edge height, so the coast does not end in a sliver of
 * "land" along the image border. NaN only on no-data cells.
 */
function sampleHeights(sampler: DemSampler, b: GeoBounds, W: number, H: number): Float32Array {
  const heights = new Float32Array(W * H);
  const dLon = (b.east - b.west) / W;
  const dLat = (b.north - b.south) / H;
  for (let y = 0; y < H; y++) {
    const lat = b.north - (y + 0.5) * dLat;
    for (let x = 0; x < W; x++) heights[y * W + x] = sampler.sampleExtended(b.west + (x + 0.5) * dLon, lat);
  }
  return heights;
}

/**
 * Height gradient at pixel (x, y) in metres per metre (east, north), by central differences
 * (one-sided at the image edge); rows run south, so north is row y − 1. Off the DEM (NaN) is flat.
 */
function gradient(heights: Float32Array, W: number, H: number, x: number, y: number, pixelW: number, pixelH: number, out: Float64Array): void {
  const xe = x < W - 1 ? x + 1 : x;
  const xw = x > 0 ? x - 1 : x;
  const yn = y > 0 ? y - 1 : y;
  const ys = y < H - 1 ? y + 1 : y;
  const hE = heights[y * W + xe]!;
  const hW = heights[y * W + xw]!;
  const hN = heights[yn * W + x]!;
  const hS = heights[ys * W + x]!;
  out[0] = hE === hE && hW === hW ? (hE - hW) / ((xe - xw) * pixelW) : 0;
  out[1] = hN === hN && hS === hS ? (hN - hS) / ((ys - yn) * pixelH) : 0;
}

const scratchGradient = new Float64Array(2);

/** Bare ground by height and slope; land below sea level counts as sea unless land use claims it. */
function paintGround(rgb: Uint8Array, cls: Uint8Array, heights: Float32Array, W: number, H: number, pixelW: number, pixelH: number): void {
  const g = scratchGradient;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      const h = heights[k]!;
      gradient(heights, W, H, x, y, pixelW, pixelH, g);
      landTint(h, Math.sqrt(g[0]! * g[0]! + g[1]! * g[1]!), rgb, 3 * k);
      cls[k] = h < 0 ? BELOW_SEA_LEVEL : LAND;
    }
  }
}

function paintSpan(rgb: Uint8Array, W: number, colour: Rgb, cls?: Uint8Array, value?: number): SpanFn {
  const [r, g, bl] = colour;
  return (row, x0, x1) => {
    for (let k = row * W + x0, end = row * W + x1; k < end; k++) {
      rgb[3 * k] = r;
      rgb[3 * k + 1] = g;
      rgb[3 * k + 2] = bl;
    }
    if (cls && value !== undefined) cls.fill(value, row * W + x0, row * W + x1);
  };
}

function blendSpan(rgb: Uint8Array, W: number, colour: Rgb, alpha: number): SpanFn {
  const [r, g, bl] = colour;
  return (row, x0, x1) => {
    for (let k = 3 * (row * W + x0), end = 3 * (row * W + x1); k < end; k += 3) {
      rgb[k] = Math.round(rgb[k]! + (r - rgb[k]!) * alpha);
      rgb[k + 1] = Math.round(rgb[k + 1]! + (g - rgb[k + 1]!) * alpha);
      rgb[k + 2] = Math.round(rgb[k + 2]! + (bl - rgb[k + 2]!) * alpha);
    }
  };
}

/**
 * Colours water pixels. The sea darkens with distance from the nearest land pixel (a two-pass
 * chamfer distance transform in metres) and with depth where the DEM has bathymetry.
 */
function paintWater(rgb: Uint8Array, cls: Uint8Array, heights: Float32Array, W: number, H: number, pixelW: number, pixelH: number): void {
  const isWater = (c: number) => c !== LAND;
  const dist = new Float32Array(W * H);
  for (let k = 0; k < W * H; k++) dist[k] = isWater(cls[k]!) ? Infinity : 0;
  const diag = Math.hypot(pixelW, pixelH);
  // Forward pass: neighbours above and to the left; backward: below and to the right.
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      let d = dist[k]!;
      if (d === 0) continue;
      if (x > 0) d = Math.min(d, dist[k - 1]! + pixelW);
      if (y > 0) {
        d = Math.min(d, dist[k - W]! + pixelH);
        if (x > 0) d = Math.min(d, dist[k - W - 1]! + diag);
        if (x + 1 < W) d = Math.min(d, dist[k - W + 1]! + diag);
      }
      dist[k] = d;
    }
  }
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      const k = y * W + x;
      let d = dist[k]!;
      if (d === 0) continue;
      if (x + 1 < W) d = Math.min(d, dist[k + 1]! + pixelW);
      if (y + 1 < H) {
        d = Math.min(d, dist[k + W]! + pixelH);
        if (x + 1 < W) d = Math.min(d, dist[k + W + 1]! + diag);
        if (x > 0) d = Math.min(d, dist[k + W - 1]! + diag);
      }
      dist[k] = d;
    }
  }
  for (let k = 0; k < W * H; k++) {
    const c = cls[k]!;
    if (c === LAND) continue;
    if (c === SEA || c === BELOW_SEA_LEVEL) {
      const h = heights[k]!;
      seaTint(dist[k]!, h === h ? -h : 0, rgb, 3 * k);
    } else {
      const colour = c === RIVER_CLASS ? RIVER : LAKE;
      rgb[3 * k] = colour[0];
      rgb[3 * k + 1] = colour[1];
      rgb[3 * k + 2] = colour[2];
    }
  }
}

/**
 * Roads in a local metric plane (metres east and north of the image's north-west corner), so
 * widths are true metres: sidewalks for every road first, then per class from local up to
 * arterial the carriageway and its markings, so bigger roads run through smaller ones.
 */
function drawRoads(
  roads: RoadCollection,
  rgb: Uint8Array,
  cls: Uint8Array,
  b: GeoBounds,
  W: number,
  H: number,
  m: { lat: number; lon: number },
  pixelM: number,
): void {
  const metresToPx: PixelTransform = { sx: W / ((b.east - b.west) * m.lon), ox: 0, sy: -H / ((b.north - b.south) * m.lat), oy: 0 };
  const stroker = new Stroker(W, H, metresToPx, pixelM * 0.55);
  const lines: Array<{ xy: Float64Array; cls: RoadClass; widthM: number }> = [];
  for (const f of roads.features) {
    const coords = f.geometry?.coordinates;
    if (!coords || coords.length < 2 || !ROAD[f.properties.class]) continue;
    const widthM = f.properties.widthM > 0 ? f.properties.widthM : 6;
    const xy = new Float64Array(coords.length * 2);
    for (let i = 0; i < coords.length; i++) {
      xy[2 * i] = (coords[i]![0]! - b.west) * m.lon;
      xy[2 * i + 1] = (coords[i]![1]! - b.north) * m.lat;
    }
    lines.push({ xy, cls: f.properties.class, widthM });
  }
  // Roads are land even where they cross water (bridges): keep the shading pass on them.
  const sidewalk = paintSpan(rgb, W, SIDEWALK, cls, LAND);
  for (const line of lines) stroker.polyline(line.xy, line.widthM / 2 + SIDEWALK_M[line.cls], sidewalk);

  const centre = paintSpan(rgb, W, CENTRE_LINE);
  const lane = paintSpan(rgb, W, LANE_MARK);
  for (const roadClass of ROAD_ORDER) {
    const surface = paintSpan(rgb, W, ROAD[roadClass], cls, LAND);
    for (const line of lines) if (line.cls === roadClass) stroker.polyline(line.xy, line.widthM / 2, surface);
    for (const line of lines) {
      if (line.cls !== roadClass) continue;
      if (roadClass === 'arterial') {
        // One yellow centre line (a double line would alias into dots at ~1 m pixels), and
        // dashed white lane lines halfway to each kerb on wide roads.
        stroker.offsetDashed(line.xy, 0.2, 0, 1, 0, centre);
        if (line.widthM >= 12) {
          stroker.offsetDashed(line.xy, 0.08, line.widthM / 4, 6, 9, lane);
          stroker.offsetDashed(line.xy, 0.08, -line.widthM / 4, 6, 9, lane);
        }
      } else if (roadClass === 'secondary') {
        stroker.offsetDashed(line.xy, 0.08, 0, 4, 6, lane);
      }
    }
  }
}

/**
 * Hillshade on land (water stays flat), and canopy texture on vegetation: smooth value noise a
 * few metres across, which reads as tree crowns and, unlike per-pixel grain, costs little in
 * PNG size.
 */
function shade(rgb: Uint8Array, cls: Uint8Array, heights: Float32Array, W: number, H: number, pixelW: number, pixelH: number): void {
  const az = (SUN_AZIMUTH_DEG * Math.PI) / 180;
  const alt = (SUN_ALTITUDE_DEG * Math.PI) / 180;
  // Direction to the sun in east-north-up, and the flat-ground light level it is relative to.
  const le = Math.sin(az) * Math.cos(alt);
  const ln = Math.cos(az) * Math.cos(alt);
  const lu = Math.sin(alt);
  const canopy = new ValueNoise(W, H, Math.max(2, Math.round(CANOPY_CROWN_M / pixelW)));
  const noiseRow = new Float32Array(W);
  const grad = scratchGradient;
  for (let y = 0; y < H; y++) {
    canopy.row(y, noiseRow);
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (cls[k] !== LAND) continue;
      gradient(heights, W, H, x, y, pixelW, pixelH, grad);
      const dzdx = grad[0]! * HILLSHADE_Z;
      const dzdy = grad[1]! * HILLSHADE_Z;
      const lit = (-dzdx * le - dzdy * ln + lu) / Math.sqrt(dzdx * dzdx + dzdy * dzdy + 1);
      const factor = Math.min(1.5, Math.max(0.35, 1 + HILLSHADE_STRENGTH * ((lit > 0 ? lit : 0) / lu - 1)));
      const o = 3 * k;
      const r = rgb[o]!, g = rgb[o + 1]!, b = rgb[o + 2]!;
      // Greenness picks out parks and wooded hills; roads, roofs and sand stay smooth.
      const green = Math.min(1, Math.max(0, (g - r - 8) / 24));
      const texture = green * CANOPY_TEXTURE * noiseRow[x]!;
      rgb[o] = clampByte(r * factor + texture);
      rgb[o + 1] = clampByte(g * factor + texture);
      rgb[o + 2] = clampByte(b * factor + texture);
    }
  }
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/**
 * Bilinearly interpolated lattice noise in [−1, 1], one lattice value every `cell` pixels,
 * seeded by pixel position only (deterministic), evaluated a row at a time.
 */
class ValueNoise {
  private readonly lattice: Float32Array;
  private readonly cols: number;
  private readonly cell: number;

  constructor(W: number, H: number, cell: number) {
    this.cell = cell;
    this.cols = Math.ceil(W / cell) + 2;
    const rows = Math.ceil(H / cell) + 2;
    this.lattice = new Float32Array(this.cols * rows);
    for (let j = 0; j < rows; j++) for (let i = 0; i < this.cols; i++) this.lattice[j * this.cols + i] = hashNoise(i, j);
  }

  row(y: number, out: Float32Array): void {
    const fy = y / this.cell;
    const j = Math.floor(fy);
    const ty = fy - j;
    const sy = ty * ty * (3 - 2 * ty);
    const a = j * this.cols;
    const b = a + this.cols;
    for (let x = 0; x < out.length; x++) {
      const fx = x / this.cell;
      const i = Math.floor(fx);
      const tx = fx - i;
      const sx = tx * tx * (3 - 2 * tx);
      const top = this.lattice[a + i]! + (this.lattice[a + i + 1]! - this.lattice[a + i]!) * sx;
      const bottom = this.lattice[b + i]! + (this.lattice[b + i + 1]! - this.lattice[b + i]!) * sx;
      out[x] = top + (bottom - top) * sy;
    }
  }
}

/** Integer hash of a lattice point to [−1, 1): the same on every run. */
function hashNoise(x: number, y: number): number {
  let n = Math.imul(x, 374_761_393) ^ Math.imul(y, 668_265_263);
  n = Math.imul(n ^ (n >>> 13), 1_274_126_177);
  n ^= n >>> 16;
  return (n & 0xffff) / 32768 - 1;
}
