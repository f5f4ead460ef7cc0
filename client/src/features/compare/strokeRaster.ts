/**
 * Strokes (traffic links, a green-wave corridor's sections) painted on a canvas into a raster
 * over their extent, georeferenced through the east-north frame they are given in, for the split
 * screen's imagery layers.
 */
import { EnuFrame, ecefToGeodetic } from '../../../../kernel/geodesy';
import type { Rgba } from '../../twin/core/rasterColours';
import type { Raster } from './CompareLayer';
import type { Extent, LinkStroke } from './core/linkRaster';

export interface StrokeRasterOptions {
  /** Longest side in pixels (default 1024). */
  sizePx?: number;
  /** Line width in pixels (default 4). */
  widthPx?: number;
  /** Shift each stroke this many pixels to the right of its direction, so two directions on one centreline both show (default 0). */
  rightOffsetPx?: number;
}

export function strokeRaster(
  strokes: readonly LinkStroke[],
  extent: Extent,
  origin: { lon: number; lat: number },
  colourOf: (id: string) => Rgba | null,
  options: StrokeRasterOptions = {},
): Raster {
  const { sizePx = 1024, widthPx = 4, rightOffsetPx = 0 } = options;
  const pad = 20;
  const w = extent.maxX - extent.minX + 2 * pad;
  const h = extent.maxY - extent.minY + 2 * pad;
  const scale = sizePx / Math.max(w, h);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext('2d')!;
  ctx.lineWidth = widthPx;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const c = colourOf(s.linkId);
    if (!c) continue;
    ctx.strokeStyle = `rgba(${c[0]},${c[1]},${c[2]},${c[3] / 255})`;
    const px = s.points.map(([x, y]) => [(x - extent.minX + pad) * scale, (extent.maxY + pad - y) * scale] as [number, number]);
    ctx.beginPath();
    for (let i = 0; i + 1 < px.length; i++) {
      const [ax, ay] = px[i]!;
      const [bx, by] = px[i + 1]!;
      const len = Math.hypot(bx - ax, by - ay) || 1;
      // Right of the direction of travel on screen (y down, north up) is (−dy, dx).
      const ox = (-(by - ay) / len) * rightOffsetPx;
      const oy = ((bx - ax) / len) * rightOffsetPx;
      if (i === 0) ctx.moveTo(ax + ox, ay + oy);
      ctx.lineTo(bx + ox, by + oy);
    }
    ctx.stroke();
  }
  const frame = new EnuFrame(origin.lon, origin.lat, 0);
  const corner = (x: number, y: number): { lon: number; lat: number } => {
    const p = frame.toEcef(x, y, 0);
    return ecefToGeodetic(p[0], p[1], p[2]);
  };
  const sw = corner(extent.minX - pad, extent.minY - pad);
  const ne = corner(extent.maxX + pad, extent.maxY + pad);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return { rgba, width: canvas.width, height: canvas.height, box: { west: sw.lon, south: sw.lat, east: ne.lon, north: ne.lat } };
}
