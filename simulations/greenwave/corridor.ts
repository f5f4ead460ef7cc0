/**
 * The arterial inside a traffic network: its signal nodes in order, the approach links whose
 * greens the plan coordinates, and every link a vehicle drives along it in each direction.
 */
import type { Network } from '../traffic/network';

export interface ArterialCorridor {
  /** Signal nodes in outbound order (increasing position). */
  nodeIds: string[];
  /** outboundApproach[i]: the arterial link entering node i outbound. */
  outboundApproach: string[];
  /** inboundApproach[i]: the arterial link entering node i inbound. */
  inboundApproach: string[];
  /** Every arterial link driven outbound / inbound (for the figures along the arterial). */
  outboundLinks: string[];
  inboundLinks: string[];
}

/**
 * Finds the corridor through `nodeIds` (signal nodes in outbound order) when neighbouring signals
 * are joined by direct links both ways; the approach into each end is the incoming link that
 * lines up best with the arterial. Errors name the intersection (`intersections[2]`).
 */
export function findCorridor(network: Network, nodeIds: readonly string[]): ArterialCorridor {
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  nodeIds.forEach((id, i) => {
    const node = nodes.get(id);
    if (!node) throw new RangeError(`intersections[${i}].id: "${id}" is not a node of the network`);
    if (!node.signal) throw new RangeError(`intersections[${i}].id: node "${id}" has no signal`);
  });
  const between = (from: string, to: string, i: number): string => {
    const link = network.links.find((l) => l.from === from && l.to === to);
    if (!link) throw new RangeError(`intersections[${i}]: the network has no link from "${from}" to "${to}"`);
    return link.id;
  };
  /** The link entering `at` that best lines up with the arterial's next step, `at` → `away`. */
  const approach = (at: string, away: string, i: number): string => {
    const a = nodes.get(at)!;
    const b = nodes.get(away)!;
    const dir = [b.x - a.x, b.y - a.y];
    let best: { id: string; cos: number } | undefined;
    for (const l of network.links) {
      if (l.to !== at || l.from === away) continue;
      const f = nodes.get(l.from)!;
      const v = [a.x - f.x, a.y - f.y];
      const cos = (v[0]! * dir[0]! + v[1]! * dir[1]!) / (Math.hypot(v[0]!, v[1]!) * Math.hypot(dir[0]!, dir[1]!) || 1);
      if (!best || cos > best.cos) best = { id: l.id, cos };
    }
    // Perpendicular or backwards approaches are cross streets, not the arterial.
    if (!best || best.cos < 0.7) throw new RangeError(`intersections[${i}]: no link continues the arterial into "${at}"`);
    return best.id;
  };
  const n = nodeIds.length;
  const outboundApproach = [approach(nodeIds[0]!, nodeIds[1]!, 0)];
  for (let i = 1; i < n; i++) outboundApproach.push(between(nodeIds[i - 1]!, nodeIds[i]!, i));
  const inboundApproach: string[] = new Array<string>(n);
  inboundApproach[n - 1] = approach(nodeIds[n - 1]!, nodeIds[n - 2]!, n - 1);
  for (let i = n - 2; i >= 0; i--) inboundApproach[i] = between(nodeIds[i + 1]!, nodeIds[i]!, i);
  return {
    nodeIds: [...nodeIds],
    outboundApproach,
    inboundApproach,
    outboundLinks: [...outboundApproach],
    inboundLinks: [...inboundApproach].reverse(),
  };
}
