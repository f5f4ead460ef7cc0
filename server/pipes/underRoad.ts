/**
 * "What is under this road": the pipes whose axes run inside a road's corridor (its centreline
 * ± half its width + a margin, cut square at the road's ends), with the length inside, grouped by network. Pure.
 */
import { PIPE_NETWORKS, type PipeNetwork, type PipeRecord, type UnderRoadGroup } from '../../domain/pipes';
import { LocalMetres } from './clearances';

/** Pipe axes are walked in steps of this length to measure what lies inside the corridor, metres. */
const STEP_M = 1;

/** Distance from a point to a segment; Infinity beyond an open end (the road's ends are square, not round). */
function pointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number, openStart: boolean, openEnd: boolean): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const raw = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  if ((openStart && raw < 0) || (openEnd && raw > 1)) return Infinity;
  const t = Math.max(0, Math.min(1, raw));
  return Math.hypot(ax + dx * t - px, ay + dy * t - py);
}

/** Pipes under the road `centreline` (lon/lat) of width `widthM`, by network in PIPE_NETWORKS order. */
export function pipesUnderRoad(centreline: ReadonlyArray<readonly [number, number] | readonly number[]>, widthM: number, marginM: number, pipes: readonly PipeRecord[]): UnderRoadGroup[] {
  if (centreline.length < 2) return [];
  const local = new LocalMetres(centreline[0]![0]!, centreline[0]![1]!);
  const road = centreline.map((c) => [local.x(c[0]!), local.y(c[1]!)] as const);
  const half = widthM / 2 + marginM;
  const minX = Math.min(...road.map((p) => p[0])) - half;
  const maxX = Math.max(...road.map((p) => p[0])) + half;
  const minY = Math.min(...road.map((p) => p[1])) - half;
  const maxY = Math.max(...road.map((p) => p[1])) + half;
  const inside = (x: number, y: number): boolean => {
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    const last = road.length - 2;
    for (let i = 0; i <= last; i++) if (pointSegment(x, y, road[i]![0], road[i]![1], road[i + 1]![0], road[i + 1]![1], i === 0, i === last) <= half) return true;
    return false;
  };
  const groups = new Map<PipeNetwork, UnderRoadGroup>();
  for (const pipe of pipes) {
    let length = 0;
    let top = -Infinity;
    let bottom = Infinity;
    for (let k = 0; k + 1 < pipe.axis.length; k++) {
      const [lon0, lat0, z0] = pipe.axis[k]!;
      const [lon1, lat1, z1] = pipe.axis[k + 1]!;
      const x0 = local.x(lon0);
      const y0 = local.y(lat0);
      const x1 = local.x(lon1);
      const y1 = local.y(lat1);
      if (Math.max(x0, x1) < minX || Math.min(x0, x1) > maxX || Math.max(y0, y1) < minY || Math.min(y0, y1) > maxY) continue;
      const len = Math.hypot(x1 - x0, y1 - y0);
      const steps = Math.max(1, Math.ceil(len / STEP_M));
      for (let i = 0; i < steps; i++) {
        const t = (i + 0.5) / steps;
        if (!inside(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)) continue;
        length += len / steps;
        const z = z0 + (z1 - z0) * t;
        top = Math.max(top, z + pipe.heightM / 2);
        bottom = Math.min(bottom, z - pipe.heightM / 2);
      }
    }
    if (length < STEP_M) continue;
    let group = groups.get(pipe.network);
    if (!group) groups.set(pipe.network, (group = { network: pipe.network, lengthM: 0, pipes: [] }));
    group.lengthM += length;
    group.pipes.push({
      id: pipe.id,
      shape: pipe.shape,
      widthM: pipe.widthM,
      heightM: pipe.heightM,
      material: pipe.material,
      owner: pipe.owner,
      installYear: pipe.installYear,
      lengthM: Math.round(length * 10) / 10,
      topElevation: Math.round(top * 100) / 100,
      bottomElevation: Math.round(bottom * 100) / 100,
    });
  }
  return PIPE_NETWORKS.filter((n) => groups.has(n)).map((n) => {
    const g = groups.get(n)!;
    return { ...g, lengthM: Math.round(g.lengthM * 10) / 10 };
  });
}
