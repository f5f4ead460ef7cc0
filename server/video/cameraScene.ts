/**
 * What a demo camera sees, built once when its encoder starts: the parts of the twin's roads
 * within its range, in local metres around the camera (cameraView.ts), each with its width and
 * lanes, and the chainage window over which traffic and pedestrians move.
 *
 * Roads come from the twin package's roads layer (GeoJSON LineStrings with `widthM`, `lanes`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CameraPose } from '../../domain/cameras';
import { CameraView } from './cameraView';

/** A road centreline as the twin's roads layer gives it. */
export interface RoadSource {
  id: string;
  widthM: number;
  lanes: number;
  /** LineString parts, [lon, lat] vertices. */
  parts: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
}

/** One road part near the camera, in local metres. */
export interface SceneRoad {
  id: string;
  /** x, y of each vertex. */
  xy: Float64Array;
  /** Chainage of each vertex, metres. */
  cum: Float64Array;
  halfWidthM: number;
  lanesPerDirection: number;
  /** Chainage window near the camera where things move. */
  s0: number;
  s1: number;
}

export interface CameraScene {
  cameraId: string;
  pose: CameraPose;
  roads: SceneRoad[];
  /** A stable number per camera: vehicle colours, phases and spacing differ between cameras. */
  seed: number;
}

/** Roads this far beyond a camera's range still bring traffic into view. */
const MARGIN_M = 40;
const DEFAULT_WIDTH_M = 12;

/** Reads the roads layer; a missing or malformed one gives no roads (the camera sees open ground). */
export async function readRoadSources(twinDir: string, file: string): Promise<RoadSource[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(twinDir, file), 'utf8'));
  } catch {
    return [];
  }
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) return [];
  const out: RoadSource[] = [];
  for (const f of features as Array<{ properties?: Record<string, unknown>; geometry?: { type?: unknown; coordinates?: unknown } }>) {
    const p = f?.properties ?? {};
    const g = f?.geometry;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : undefined;
    if (typeof p.id !== 'string' || !Array.isArray(parts)) continue;
    const clean = (parts as unknown[])
      .filter(Array.isArray)
      .map((part) => (part as unknown[]).filter((q): q is [number, number] => Array.isArray(q) && Number.isFinite(q[0]) && Number.isFinite(q[1])))
      .filter((part) => part.length >= 2);
    const widthM = typeof p.widthM === 'number' && p.widthM > 0 ? p.widthM : DEFAULT_WIDTH_M;
    const lanes = typeof p.lanes === 'number' && p.lanes >= 1 ? Math.round(p.lanes) : 2;
    if (clean.length > 0) out.push({ id: p.id, widthM, lanes, parts: clean });
  }
  return out;
}

/** The roads within reach of a camera, in its local metres. */
export function buildCameraScene(cameraId: string, pose: CameraPose, roads: readonly RoadSource[], seed: number): CameraScene {
  const view = new CameraView(pose, 2, 2);
  const reach = pose.rangeM + MARGIN_M;
  const out: SceneRoad[] = [];
  for (const road of roads) {
    for (const part of road.parts) {
      const n = part.length;
      const xy = new Float64Array(n * 2);
      const cum = new Float64Array(n);
      let s0 = Infinity;
      let s1 = -Infinity;
      for (let i = 0; i < n; i++) {
        const [x, y] = view.local(part[i]![0], part[i]![1]);
        xy[i * 2] = x;
        xy[i * 2 + 1] = y;
        if (i > 0) cum[i] = cum[i - 1]! + Math.hypot(x - xy[i * 2 - 2]!, y - xy[i * 2 - 1]!);
      }
      // The chainages of the part that pass within reach: each segment's nearest foot ± reach.
      for (let i = 0; i + 1 < n; i++) {
        const ax = xy[i * 2]!;
        const ay = xy[i * 2 + 1]!;
        const dx = xy[i * 2 + 2]! - ax;
        const dy = xy[i * 2 + 3]! - ay;
        const len = cum[i + 1]! - cum[i]!;
        if (len <= 0) continue;
        const t = Math.min(1, Math.max(0, -(ax * dx + ay * dy) / (len * len)));
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d > reach) continue;
        const half = Math.sqrt(reach * reach - d * d);
        s0 = Math.min(s0, cum[i]! + t * len - half);
        s1 = Math.max(s1, cum[i]! + t * len + half);
      }
      if (s1 <= s0) continue;
      out.push({
        id: road.id,
        xy,
        cum,
        halfWidthM: road.widthM / 2,
        lanesPerDirection: Math.max(1, Math.floor(road.lanes / 2)),
        s0: Math.max(0, s0),
        s1: Math.min(cum[n - 1]!, s1),
      });
    }
  }
  return { cameraId, pose, roads: out, seed };
}

/** Position and unit tangent at chainage `s` of a scene road, into `out` [x, y, tx, ty]. */
export function pointAlong(road: SceneRoad, s: number, out: [number, number, number, number]): void {
  const { xy, cum } = road;
  const n = cum.length;
  let i = 0;
  while (i < n - 2 && cum[i + 1]! < s) i++;
  const len = cum[i + 1]! - cum[i]! || 1;
  const t = Math.min(1, Math.max(0, (s - cum[i]!) / len));
  const dx = xy[i * 2 + 2]! - xy[i * 2]!;
  const dy = xy[i * 2 + 3]! - xy[i * 2 + 1]!;
  out[0] = xy[i * 2]! + dx * t;
  out[1] = xy[i * 2 + 1]! + dy * t;
  out[2] = dx / len;
  out[3] = dy / len;
}
