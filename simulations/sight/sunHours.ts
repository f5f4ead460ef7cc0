/**
 * Hours of direct sun on the ground and on facades over a day, and what a proposed building
 * takes away from its neighbours. The day is cut into steps of N minutes; at each step's middle
 * the sun's direction comes from kernel/solar.ts, and a ray from each sample towards the sun is
 * tested against the obstacles (./obstacles.ts: building prisms, terrain). A facade sample only
 * gets sun while the sun is in front of it.
 *
 * The planning window: Chinese residential daylight rules (GB 50180-2018, 城市居住区规划设计标准,
 * §4.0.9) count sunshine within an effective window of true solar time — 09:00–15:00 on the
 * winter solstice (冬至日), 08:00–16:00 on Great Cold (大寒日). `window: 'planning'` uses
 * 09:00–15:00 true solar time around apparent noon; `'daylight'` counts from sunrise to sunset.
 */
import { solarNoonMs, sunDirectionEnu, sunPosition } from '../../kernel/solar';
import type { Obstacles, Prism } from './obstacles';
import { cellCentre, type GridSpec } from './viewshed';

export type SunWindow = 'planning' | 'daylight';

export interface SunStep {
  /** The step's middle, UTC ms. */
  ms: number;
  /** Unit vector towards the sun, local east-north-up. */
  dir: [number, number, number];
  /** Hours the step stands for. */
  hours: number;
}

export interface SunDay {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
}

/** The winter solstice of a year (21 or 22 December; the 21st is within a day for shadows either way). */
export const winterSolstice = (year: number): SunDay => ({ year, month: 12, day: 21 });

const HOUR_MS = 3_600_000;
/** Half the planning window, h (09:00–15:00 true solar time). */
const PLANNING_HALF_H = 3;
/** Samples sit this far off their surface so it does not shadow itself. */
const LIFT_M = 0.05;

/** The steps of `stepMinutes` on a day at a place during which the sun is up (and in the window). */
export function sunSteps(day: SunDay, latDeg: number, lonDeg: number, stepMinutes: number, window: SunWindow): SunStep[] {
  if (!(stepMinutes >= 1 && stepMinutes <= 120)) throw new RangeError(`sunSteps: step of ${stepMinutes} min is outside 1–120`);
  // The UTC day holding this place's apparent noon: local noon less the longitude's offset.
  const noon = solarNoonMs(Date.UTC(day.year, day.month - 1, day.day, 12) - lonDeg * 240_000, lonDeg);
  const half = window === 'planning' ? PLANNING_HALF_H : 12;
  const stepMs = stepMinutes * 60_000;
  const steps: SunStep[] = [];
  for (let t = noon - half * HOUR_MS; t + stepMs <= noon + half * HOUR_MS + 1; t += stepMs) {
    const ms = t + stepMs / 2;
    const position = sunPosition(ms, latDeg, lonDeg);
    if (position.elevationDeg <= 0) continue;
    steps.push({ ms, dir: sunDirectionEnu(position), hours: stepMinutes / 60 });
  }
  return steps;
}

/** Sample points (x, y, z triples) with, for facades, their outward normal in plan (nx, ny; 0, 0 on the ground). */
export interface SunSamples {
  points: Float64Array;
  normals: Float32Array;
}

/** Hours of sun at each sample; `maxRayM` bounds how far (horizontally) a shadow is looked for. */
export function sunHours(samples: SunSamples, steps: readonly SunStep[], obstacles: Obstacles, maxRayM = 1500): Float32Array {
  const n = samples.points.length / 3;
  const hours = new Float32Array(n);
  const top = obstacles.maxHeightM + 1;
  for (let i = 0; i < n; i++) {
    const x = samples.points[i * 3]!;
    const y = samples.points[i * 3 + 1]!;
    const z = samples.points[i * 3 + 2]!;
    const nx = samples.normals[i * 2]!;
    const ny = samples.normals[i * 2 + 1]!;
    let sum = 0;
    for (const { dir, hours: h } of steps) {
      if (nx * dir[0] + ny * dir[1] < 0 || (nx === 0 && ny === 0 && dir[2] <= 0)) continue;
      // Far enough along the ray to be above everything, but no further than maxRayM in plan.
      const flat = Math.hypot(dir[0], dir[1]);
      let length = (top - z) / dir[2];
      if (flat > 0) length = Math.min(length, maxRayM / flat);
      if (length > 0 && obstacles.blocked(x, y, z, x + dir[0] * length, y + dir[1] * length, z + dir[2] * length)) continue;
      sum += h;
    }
    hours[i] = sum;
  }
  return hours;
}

/** Ground samples at the centres of the grid's cells; cells under a roof get NaN hours and no sample. */
export function groundSamples(grid: GridSpec, obstacles: Obstacles, groundM: number): SunSamples & { cell: Uint32Array } {
  const points: number[] = [];
  const cell: number[] = [];
  for (let row = 0; row < grid.nrows; row++) {
    for (let col = 0; col < grid.ncols; col++) {
      const [x, y] = cellCentre(grid, col, row);
      if (!Number.isNaN(obstacles.roofAt(x, y))) continue;
      const g = obstacles.groundAt(x, y);
      points.push(x, y, (Number.isNaN(g) ? groundM : g) + LIFT_M);
      cell.push(row * grid.ncols + col);
    }
  }
  return { points: Float64Array.from(points), normals: new Float32Array(cell.length * 2), cell: Uint32Array.from(cell) };
}

/** Hours of sun per grid cell (NaN under roofs), row 0 north. */
export function groundSunHours(grid: GridSpec, obstacles: Obstacles, steps: readonly SunStep[], groundM: number): Float32Array {
  const samples = groundSamples(grid, obstacles, groundM);
  const hours = sunHours(samples, steps, obstacles);
  const out = new Float32Array(grid.ncols * grid.nrows).fill(Number.NaN);
  samples.cell.forEach((c, i) => (out[c] = hours[i]!));
  return out;
}

/**
 * Samples on the prisms' walls: every `spacingM` along each edge, one per storey of `storeyM`
 * (at mid-storey, where a window is), `offsetM` out from the wall. Where that would be more than
 * `maxSamples`, both spacings grow by the same factor until it is not (towers have a lot of wall).
 */
export function facadeSamples(prisms: readonly Prism[], spacingM = 4, storeyM = 3, offsetM = 0.2, maxSamples = 30_000): SunSamples & { prism: Uint32Array } {
  let wallM2 = 0;
  for (const p of prisms) {
    for (let i = 0, j = p.ring.length - 1; i < p.ring.length; j = i++) wallM2 += Math.hypot(p.ring[i]![0] - p.ring[j]![0], p.ring[i]![1] - p.ring[j]![1]) * (p.topM - p.baseM);
  }
  const grow = Math.max(1, Math.sqrt(wallM2 / (spacingM * storeyM) / maxSamples));
  spacingM *= grow;
  storeyM *= grow;
  const points: number[] = [];
  const normals: number[] = [];
  const owner: number[] = [];
  prisms.forEach((p, k) => {
    const ring = p.ring;
    // Shoelace sign: counter-clockwise rings have their outside on the right of each edge.
    let area2 = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) area2 += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
    const sign = area2 >= 0 ? 1 : -1;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[j]!;
      const ex = ring[i]![0] - ax;
      const ey = ring[i]![1] - ay;
      const len = Math.hypot(ex, ey);
      if (len === 0) continue;
      const nx = (sign * ey) / len;
      const ny = (-sign * ex) / len;
      const along = Math.max(1, Math.round(len / spacingM));
      for (let a = 0; a < along; a++) {
        const f = (a + 0.5) / along;
        for (let z = p.baseM + storeyM / 2; z < p.topM; z += storeyM) {
          points.push(ax + ex * f + nx * offsetM, ay + ey * f + ny * offsetM, z);
          normals.push(nx, ny);
          owner.push(k);
        }
      }
    }
  });
  return { points: Float64Array.from(points), normals: Float32Array.from(normals), prism: Uint32Array.from(owner) };
}

/** After minus before, per sample (NaN stays NaN): negative where a proposal takes sun away. */
export function hoursDifference(before: Float32Array, after: Float32Array): Float32Array {
  if (before.length !== after.length) throw new RangeError(`hoursDifference: ${before.length} samples before, ${after.length} after`);
  const out = new Float32Array(before.length);
  for (let i = 0; i < out.length; i++) out[i] = after[i]! - before[i]!;
  return out;
}
