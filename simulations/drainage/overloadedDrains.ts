/**
 * The "overloaded drains" hit list of a run with a drainage network: manholes that spilled onto
 * the street (worst first by volume) and pipes whose peak flow passed their full-flow capacity
 * (worst first by load ratio), each placed on the map (a pipe at the middle of its two nodes).
 */
import type { DrainageNetwork } from './network';
import type { PipeRun } from './pipeResults';

export interface OverloadedDrain {
  kind: 'link' | 'node';
  id: string;
  /** Links: peak |flow| / full-flow capacity; nodes: volume spilled over the rim, m³. */
  value: number;
  /** Links: time surcharged (full at both ends); nodes: time spilling, s. */
  durationS: number;
  /** Where it is, when the network has positions: lon/lat through `unproject`. */
  lon?: number;
  lat?: number;
}

/** Nodes spilling less than this are not listed, m³ (a bucket's worth). */
const MIN_SPILL_M3 = 0.01;

/** Spilling nodes then overloaded links, worst first within each, at most `limit`. */
export function overloadedDrains(
  run: Pick<PipeRun, 'links' | 'nodes'>,
  limit = 50,
  network?: DrainageNetwork,
  unproject?: (x: number, y: number) => [number, number],
): OverloadedDrain[] {
  const nodes: OverloadedDrain[] = run.nodes
    .filter((n) => n.floodVolumeM3 > MIN_SPILL_M3)
    .map((n) => ({ kind: 'node', id: n.id, value: n.floodVolumeM3, durationS: n.floodDurationS }));
  const links: OverloadedDrain[] = run.links
    .filter((l) => l.peakLoadRatio > 1)
    .map((l) => ({ kind: 'link', id: l.id, value: l.peakLoadRatio, durationS: l.surchargeDurationS }));
  nodes.sort((a, b) => b.value - a.value);
  links.sort((a, b) => b.value - a.value);
  const list = [...nodes, ...links].slice(0, limit);
  if (!network || !unproject) return list;
  const position = new Map(network.nodes.flatMap((n) => (n.x !== undefined && n.y !== undefined ? [[n.id, [n.x, n.y] as const]] : [])));
  const ends = new Map(network.links.map((l) => [l.id, [l.fromNode, l.toNode] as const]));
  for (const drain of list) {
    const at =
      drain.kind === 'node'
        ? position.get(drain.id)
        : (() => {
            const [a, b] = ends.get(drain.id) ?? [];
            const pa = a === undefined ? undefined : position.get(a);
            const pb = b === undefined ? undefined : position.get(b);
            return pa && pb ? ([(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2] as const) : undefined;
          })();
    if (at) [drain.lon, drain.lat] = unproject(at[0], at[1]);
  }
  return list;
}
