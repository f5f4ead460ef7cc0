/**
 * Where a study's corridor sections lie on the map (corridor.json): each section of
 * corridorSections.ts as a lon/lat line, so the side-by-side comparison can colour the arterial
 * section by section. On the twin's network the lines are the links' own shapes; on the
 * arterial's corridor network (a straight road) they are the road's centreline cut at the
 * junctions' chainages.
 */
import { EnuFrame, ecefToGeodetic, MEAN_EARTH_RADIUS_M } from '../../kernel/geodesy';
import type { Network } from '../traffic/network';
import type { ArterialCorridor } from './corridor';
import { corridorSections, type Direction } from './corridorSections';

export interface CorridorMapSection {
  key: string;
  direction: Direction;
  /** [lon, lat] in driving order. */
  line: Array<[number, number]>;
}

export interface CorridorMap {
  roadId: string;
  roadName: string;
  network: 'twin' | 'corridor';
  sections: CorridorMapSection[];
}

const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

/** Sections of a network that has an `origin` (the twin's): the links' shapes, end to end. */
export function networkSectionLines(network: Network, corridor: ArterialCorridor): CorridorMapSection[] {
  if (!network.origin) throw new RangeError('the network has no geodetic origin: its sections cannot be placed on the map');
  const frame = new EnuFrame(network.origin.lon, network.origin.lat, 0);
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  const links = new Map(network.links.map((l) => [l.id, l]));
  return corridorSections(network, corridor).map((s) => {
    const local: Array<[number, number]> = [];
    for (const id of s.linkIds) {
      const l = links.get(id)!;
      const pts = l.shape ?? [nodes.get(l.from)!, nodes.get(l.to)!].map((n) => [n.x, n.y] as [number, number]);
      // Consecutive links share their end point: keep it once.
      local.push(...(local.length ? pts.slice(1) : pts));
    }
    const line = local.map(([x, y]) => {
      const p = frame.toEcef(x, y, 0);
      const g = ecefToGeodetic(p[0], p[1], p[2]);
      return [round7(g.lon), round7(g.lat)] as [number, number];
    });
    return { key: s.key, direction: s.direction, line };
  });
}

/** The stretch of a polyline (local metres) between chainages s0 < s1. */
function slice(line: ReadonlyArray<readonly [number, number]>, s0: number, s1: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let along = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = line[i]!;
    const [bx, by] = line[i + 1]!;
    const len = Math.hypot(bx - ax, by - ay);
    const at = (s: number): [number, number] => {
      const t = len > 0 ? (s - along) / len : 0;
      return [ax + t * (bx - ax), ay + t * (by - ay)];
    };
    if (along + len >= s0 && along <= s1) {
      if (out.length === 0) out.push(at(Math.max(s0, along)));
      if (along + len <= s1) out.push([bx, by]);
      else out.push(at(s1));
    }
    along += len;
  }
  return out;
}

/**
 * Sections of the arterial's own corridor network (arterialNetwork.ts) laid on the road's
 * centreline: `chainageM` gives each junction's distance along `road` (lon/lat, outbound from
 * its first point), and an end section (the approach before the first junction) runs back its
 * simulated length, clamped to the road.
 */
export function roadSectionLines(road: ReadonlyArray<readonly number[]>, chainageM: ReadonlyMap<string, number>, network: Network, corridor: ArterialCorridor): CorridorMapSection[] {
  const [lon0, lat0] = road[0] as [number, number];
  // A local equirectangular frame, as twinArterial.ts measured the chainages in.
  const k = (Math.PI / 180) * MEAN_EARTH_RADIUS_M;
  const cosLat = Math.cos((lat0 * Math.PI) / 180);
  const line = road.map((c) => [(c[0]! - lon0) * k * cosLat, (c[1]! - lat0) * k] as [number, number]);
  const total = line.slice(1).reduce((a, p, i) => a + Math.hypot(p[0] - line[i]![0], p[1] - line[i]![1]), 0);
  const lengths = new Map(network.links.map((l) => [l.id, l.lengthM]));
  const at = (id: string): number => {
    const s = chainageM.get(id);
    if (s === undefined) throw new RangeError(`junction "${id}" has no chainage on the road`);
    return s;
  };
  return corridorSections(network, corridor).map((s) => {
    const length = s.linkIds.reduce((a, id) => a + lengths.get(id)!, 0);
    const sign = s.direction === 'outbound' ? 1 : -1;
    const start = s.fromId !== null ? at(s.fromId) : at(s.toId!) - sign * length;
    const end = s.toId !== null ? at(s.toId) : at(s.fromId!) + sign * length;
    const [s0, s1] = [Math.max(0, Math.min(start, end)), Math.min(total, Math.max(start, end))];
    const piece = slice(line, s0, s1);
    if (s.direction === 'inbound') piece.reverse();
    return { key: s.key, direction: s.direction, line: piece.map(([x, y]) => [round7(lon0 + x / (k * cosLat)), round7(lat0 + y / k)] as [number, number]) };
  });
}
