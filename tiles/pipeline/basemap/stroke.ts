/**
 * Thick lines for the basemap: polylines in a local metric plane, drawn as one quad per segment
 * plus a round join (a 16-gon) at each vertex, and dashed or offset lines for lane markings.
 * Everything goes through the polygon filler, so widths are exact in metres at any scale.
 */
import { fillRings, type PixelTransform, type SpanFn } from './raster';

const JOIN_SIDES = 16;

export class Stroker {
  private readonly quad = new Float64Array(8);
  private readonly quadRings = [this.quad];
  private readonly disc = new Float64Array(2 * JOIN_SIDES);
  private readonly discRings = [this.disc];

  /**
   * @param toPixels metric plane → pixels
   * @param minHalfWidth half-widths are raised to this (metres), so hairlines stay a pixel wide
   */
  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly toPixels: PixelTransform,
    private readonly minHalfWidth: number,
  ) {}

  /** A solid line `halfWidth` metres either side of the polyline, with round joins and caps. */
  polyline(xy: Float64Array, halfWidth: number, span: SpanFn): void {
    const hw = Math.max(halfWidth, this.minHalfWidth);
    const n = xy.length / 2;
    for (let i = 0; i + 1 < n; i++) this.segment(xy[2 * i]!, xy[2 * i + 1]!, xy[2 * i + 2]!, xy[2 * i + 3]!, hw, 0, 0, 1, span);
    for (let i = 0; i < n; i++) this.join(xy[2 * i]!, xy[2 * i + 1]!, hw, span);
  }

  /**
   * A line `offset` metres to the left of the polyline (negative: right), dashed `dash` on and
   * `gap` off along the centreline; gap 0 draws it solid. Bends get no joins: markings are thin.
   */
  offsetDashed(xy: Float64Array, halfWidth: number, offset: number, dash: number, gap: number, span: SpanFn): void {
    const hw = Math.max(halfWidth, this.minHalfWidth);
    const period = dash + gap;
    const n = xy.length / 2;
    let phase = 0;
    for (let i = 0; i + 1 < n; i++) {
      const x0 = xy[2 * i]!, y0 = xy[2 * i + 1]!, x1 = xy[2 * i + 2]!, y1 = xy[2 * i + 3]!;
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len === 0) continue;
      if (gap <= 0) {
        this.segment(x0, y0, x1, y1, hw, offset, 0, 1, span);
        continue;
      }
      let s = 0;
      while (s < len) {
        const inDash = phase < dash;
        const step = Math.min(inDash ? dash - phase : period - phase, len - s);
        if (inDash) this.segment(x0, y0, x1, y1, hw, offset, s / len, (s + step) / len, span);
        s += step;
        phase += step;
        if (phase >= period) phase -= period;
      }
    }
  }

  /** The part [t0, t1] of segment (x0, y0)–(x1, y1), shifted `offset` to the left, as a quad. */
  private segment(x0: number, y0: number, x1: number, y1: number, hw: number, offset: number, t0: number, t1: number, span: SpanFn): void {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len = Math.hypot(dx, dy);
    if (len === 0) return;
    // Left normal (−dy, dx) / len.
    const nx = -dy / len;
    const ny = dx / len;
    const ax = x0 + dx * t0 + nx * offset, ay = y0 + dy * t0 + ny * offset;
    const bx = x0 + dx * t1 + nx * offset, by = y0 + dy * t1 + ny * offset;
    const q = this.quad;
    q[0] = ax + nx * hw;
    q[1] = ay + ny * hw;
    q[2] = bx + nx * hw;
    q[3] = by + ny * hw;
    q[4] = bx - nx * hw;
    q[5] = by - ny * hw;
    q[6] = ax - nx * hw;
    q[7] = ay - ny * hw;
    fillRings(this.quadRings, this.toPixels, this.width, this.height, span);
  }

  private join(x: number, y: number, r: number, span: SpanFn): void {
    const d = this.disc;
    for (let k = 0; k < JOIN_SIDES; k++) {
      const a = (2 * Math.PI * k) / JOIN_SIDES;
      d[2 * k] = x + r * Math.cos(a);
      d[2 * k + 1] = y + r * Math.sin(a);
    }
    fillRings(this.discRings, this.toPixels, this.width, this.height, span);
  }
}
