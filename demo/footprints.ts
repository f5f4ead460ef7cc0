/**
 * Building footprint shapes: rectangles, L and U plans, turned to any angle. Each footprint keeps
 * its outline (counter-clockwise, as RFC 7946 wants exterior rings) and the convex rectangles it
 * is made of, which the overlap test needs.
 */
import type { Vec2 } from './geometry';

export interface Footprint {
  /** Exterior ring in world metres, counter-clockwise, not closed. */
  ring: Vec2[];
  /** Convex pieces whose union is the footprint. */
  parts: Vec2[][];
}

type Local = [number, number];

function place(points: readonly Local[], cx: number, cy: number, angle: number, ox: number, oy: number): Vec2[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return points.map(([x, y]) => {
    const lx = x - ox;
    const ly = y - oy;
    return [cx + lx * c - ly * s, cy + lx * s + ly * c];
  });
}

const rectLocal = (x0: number, y0: number, x1: number, y1: number): Local[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** A w × h rectangle centred on (cx, cy), its w side along `angle` (radians from east). */
export function rectFootprint(cx: number, cy: number, w: number, h: number, angle: number): Footprint {
  const ring = place(rectLocal(0, 0, w, h), cx, cy, angle, w / 2, h / 2);
  return { ring, parts: [ring] };
}

/**
 * An L: the w × h box less its top-right corner, keeping a bottom bar `b` deep and a left wing
 * `a` wide. `quarter` turns the shape by 90° steps so the notch can face any way.
 */
export function lFootprint(cx: number, cy: number, w: number, h: number, a: number, b: number, angle: number, quarter = 0): Footprint {
  const outline: Local[] = [[0, 0], [w, 0], [w, b], [a, b], [a, h], [0, h]];
  return turned(outline, [rectLocal(0, 0, w, b), rectLocal(0, b, a, h)], cx, cy, w, h, angle, quarter);
}

/** A U: the w × h box less a notch in the middle of its top side, leaving wings `a` wide and a base `b` deep. */
export function uFootprint(cx: number, cy: number, w: number, h: number, a: number, b: number, angle: number, quarter = 0): Footprint {
  const outline: Local[] = [[0, 0], [w, 0], [w, h], [w - a, h], [w - a, b], [a, b], [a, h], [0, h]];
  return turned(outline, [rectLocal(0, 0, w, b), rectLocal(0, b, a, h), rectLocal(w - a, b, w, h)], cx, cy, w, h, angle, quarter);
}

/** A w × h plan (outline and its convex parts, in local metres) centred on (cx, cy), turned by `angle` and `quarter` × 90°. */
function turned(outline: Local[], parts: Local[][], cx: number, cy: number, w: number, h: number, angle: number, quarter: number): Footprint {
  const rot = angle + (quarter * Math.PI) / 2;
  return { ring: place(outline, cx, cy, rot, w / 2, h / 2), parts: parts.map((p) => place(p, cx, cy, rot, w / 2, h / 2)) };
}
