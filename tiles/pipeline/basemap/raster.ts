/**
 * A small scanline rasteriser: polygons with holes, filled at pixel centres with the even-odd
 * rule, reported as horizontal spans. The basemap paints with it and the terrain builder draws
 * its water masks with it.
 *
 * Pixel (col, row) covers [col, col+1) × [row, row+1) and is inside when its centre is. World
 * coordinates (lon/lat or local metres) reach pixels through an axis-aligned affine map.
 */
import type { MultiPolygon, Polygon, Position } from '../geojson';

/** px = x · sx + ox, py = y · sy + oy. */
export interface PixelTransform {
  sx: number;
  ox: number;
  sy: number;
  oy: number;
}

/** Called once per run of inside pixels on a row; `x1` is exclusive; both are inside the raster. */
export type SpanFn = (row: number, x0: number, x1: number) => void;

/** A polygon ready to rasterise: rings as flat [x0, y0, x1, y1, …] arrays plus its bounding box. */
export interface PreparedPolygon {
  rings: Float64Array[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function prepareRings(rings: readonly (readonly Position[])[]): PreparedPolygon {
  const out: PreparedPolygon = { rings: [], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const ring of rings) {
    if (ring.length < 3) continue;
    const flat = new Float64Array(ring.length * 2);
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i]!;
      const x = p[0]!;
      const y = p[1]!;
      flat[2 * i] = x;
      flat[2 * i + 1] = y;
      if (x < out.minX) out.minX = x;
      if (x > out.maxX) out.maxX = x;
      if (y < out.minY) out.minY = y;
      if (y > out.maxY) out.maxY = y;
    }
    out.rings.push(flat);
  }
  return out;
}

/** One prepared polygon per Polygon and per part of a MultiPolygon (so parts never cancel out). */
export function preparePolygons(geometry: Polygon | MultiPolygon): PreparedPolygon[] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return parts.map(prepareRings).filter((p) => p.rings.length > 0);
}

export function intersectsBox(p: PreparedPolygon, minX: number, minY: number, maxX: number, maxY: number): boolean {
  return p.maxX >= minX && p.minX <= maxX && p.maxY >= minY && p.minY <= maxY;
}

// Scratch storage reused across calls: per edge [yTop, yBottom, xAtTop, dx/dy].
let edges = new Float64Array(4 * 1024);
let order = new Int32Array(1024);
let active = new Int32Array(1024);
let crossings = new Float64Array(1024);

function reserve(edgeCount: number): void {
  if (order.length >= edgeCount) return;
  const size = Math.max(edgeCount, order.length * 2);
  edges = new Float64Array(4 * size);
  order = new Int32Array(size);
  active = new Int32Array(size);
  crossings = new Float64Array(size);
}

/**
 * Fills one polygon (outer ring and holes, even-odd) into a `width` × `height` raster. Rings may
 * be open or closed (first point repeated); the closing edge is implied either way.
 */
export function fillRings(rings: readonly Float64Array[], t: PixelTransform, width: number, height: number, span: SpanFn): void {
  let total = 0;
  for (const ring of rings) total += ring.length / 2;
  reserve(total);

  let count = 0;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const x0 = ring[2 * i]! * t.sx + t.ox;
      const y0 = ring[2 * i + 1]! * t.sy + t.oy;
      const x1 = ring[2 * j]! * t.sx + t.ox;
      const y1 = ring[2 * j + 1]! * t.sy + t.oy;
      // Horizontal edges never cross a scanline through pixel centres in a way that matters.
      if (y0 === y1 || !Number.isFinite(x0 + y0 + x1 + y1)) continue;
      const e = 4 * count;
      if (y0 < y1) {
        edges[e] = y0;
        edges[e + 1] = y1;
        edges[e + 2] = x0;
      } else {
        edges[e] = y1;
        edges[e + 1] = y0;
        edges[e + 2] = x1;
      }
      edges[e + 3] = (x1 - x0) / (y1 - y0);
      if (edges[e]! < minY) minY = edges[e]!;
      if (edges[e + 1]! > maxY) maxY = edges[e + 1]!;
      order[count] = count;
      count++;
    }
  }
  if (count === 0) return;
  const rowStart = Math.max(0, Math.ceil(minY - 0.5));
  const rowEnd = Math.min(height, Math.ceil(maxY - 0.5));
  if (rowStart >= rowEnd) return;

  const sorted = order.subarray(0, count).sort((a, b) => edges[4 * a]! - edges[4 * b]! || a - b);
  let next = 0;
  let activeCount = 0;
  for (let row = rowStart; row < rowEnd; row++) {
    const yc = row + 0.5;
    // An edge covers the half-open range [yTop, yBottom), so a shared vertex is counted once.
    while (next < count && edges[4 * sorted[next]!]! <= yc) active[activeCount++] = sorted[next++]!;
    let kept = 0;
    for (let k = 0; k < activeCount; k++) {
      const e = active[k]!;
      if (edges[4 * e + 1]! > yc) active[kept++] = e;
    }
    activeCount = kept;
    if (activeCount < 2) continue;

    for (let k = 0; k < activeCount; k++) {
      const e = 4 * active[k]!;
      const x = edges[e + 2]! + (yc - edges[e]!) * edges[e + 3]!;
      // Insertion sort: a row rarely has more than a handful of crossings.
      let m = k;
      while (m > 0 && crossings[m - 1]! > x) {
        crossings[m] = crossings[m - 1]!;
        m--;
      }
      crossings[m] = x;
    }
    for (let k = 0; k + 1 < activeCount; k += 2) {
      const x0 = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const x1 = Math.min(width, Math.ceil(crossings[k + 1]! - 0.5));
      if (x1 > x0) span(row, x0, x1);
    }
  }
}

/** A transform that maps the rectangle [west, east] × [south, north] onto a width × height raster, row 0 at the north. */
export function northUpTransform(west: number, south: number, east: number, north: number, width: number, height: number): PixelTransform {
  const sx = width / (east - west);
  const sy = -height / (north - south);
  return { sx, ox: -west * sx, sy, oy: -north * sy };
}
