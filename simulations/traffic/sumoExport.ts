/**
 * A network and demand as SUMO plain XML, for cross-checking with SUMO (Eclipse SUMO user
 * documentation: "Networks/PlainXML", "Simulation/Traffic Lights", "Definition of Vehicles"):
 * nodes (.nod.xml), edges (.edg.xml), connections (.con.xml), signal programs with their
 * link indices (.tll.xml) and routes (.rou.xml). Build the net with
 *   netconvert -n n.nod.xml -e e.edg.xml -x c.con.xml -i t.tll.xml --no-internal-links -o net.xml
 * Unsignalised nodes are "unregulated" (no right of way), as in the simulation here; vehicles
 * use SUMO's IDM with the same parameters and no driver imperfection.
 */
import { compileNetwork } from './compiledNetwork';
import type { Trip } from './demand';
import type { IdmParams } from './idm';
import { AMBER_SECONDS, type Network } from './network';

export interface SumoFiles {
  'network.nod.xml': string;
  'network.edg.xml': string;
  'network.con.xml': string;
  'network.tll.xml': string;
  'demand.rou.xml': string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number): string => String(Math.round(v * 100) / 100);

export function exportSumo(network: Network, trips: readonly Trip[], idm: IdmParams): SumoFiles {
  const net = compileNetwork(network);
  const header = '<?xml version="1.0" encoding="UTF-8"?>\n';

  const nodes = network.nodes.map((n) => `  <node id="${esc(n.id)}" x="${f2(n.x)}" y="${f2(n.y)}" type="${n.signal ? 'traffic_light' : 'unregulated'}"/>`);
  const edges = network.links.map((l) => {
    const shape = l.shape && l.shape.length > 2 ? ` shape="${l.shape.map((p) => `${f2(p[0])},${f2(p[1])}`).join(' ')}"` : '';
    const name = l.name ? ` name="${esc(l.name)}"` : '';
    return `  <edge id="${esc(l.id)}" from="${esc(l.from)}" to="${esc(l.to)}" numLanes="${l.lanes}" speed="${f2(l.speedLimitMps)}" length="${f2(l.lengthM)}"${shape}${name}/>`;
  });

  // Lane-to-lane connections: lane k continues on lane min(k, lanes − 1) of each successor, and
  // the leftmost lane also feeds the successor's extra lanes, so every lane is reachable.
  const connections: string[] = [];
  const tlConnections: string[] = [];
  const tlLogics: string[] = [];
  const linkIndexAt = new Map<number, number>();
  const signalLinks = new Map<number, number[]>();
  network.links.forEach((l, li) => {
    for (const s of net.successors[li]!) {
      const to = network.links[s]!;
      const pairs: Array<[number, number]> = [];
      for (let k = 0; k < l.lanes; k++) pairs.push([k, Math.min(k, to.lanes - 1)]);
      for (let k = l.lanes; k < to.lanes; k++) pairs.push([l.lanes - 1, k]);
      for (const [k, toLane] of pairs) {
        const attrs = `from="${esc(l.id)}" to="${esc(to.id)}" fromLane="${k}" toLane="${toLane}"`;
        connections.push(`  <connection ${attrs}/>`);
        const sig = net.linkSignal[li]!;
        if (sig < 0) continue;
        const node = net.signals[sig]!.nodeIndex;
        const index = linkIndexAt.get(node) ?? 0;
        linkIndexAt.set(node, index + 1);
        tlConnections.push(`  <connection ${attrs} tl="${esc(network.nodes[node]!.id)}" linkIndex="${index}"/>`);
        let list = signalLinks.get(node);
        if (!list) signalLinks.set(node, (list = []));
        list.push(li);
      }
    }
  });
  for (const s of net.signals) {
    const node = network.nodes[s.nodeIndex]!;
    const controlled = signalLinks.get(s.nodeIndex) ?? [];
    if (controlled.length === 0) continue;
    const phases = s.signal.phases;
    const lines: string[] = [];
    phases.forEach((p, pi) => {
      const next = phases[(pi + 1) % phases.length]!;
      const green = (li: number): boolean => p.greenLinks.includes(network.links[li]!.id);
      const continues = (li: number): boolean => next.greenLinks.includes(network.links[li]!.id);
      const main = controlled.map((li) => (green(li) ? 'G' : 'r')).join('');
      // The simulation's amber: the last AMBER_SECONDS seconds of a green that the next phase ends.
      const amber = controlled.map((li) => (green(li) ? (continues(li) ? 'G' : 'y') : 'r')).join('');
      if (amber !== main && p.durationSeconds > AMBER_SECONDS) {
        lines.push(`    <phase duration="${f2(p.durationSeconds - AMBER_SECONDS)}" state="${main}"/>`);
        lines.push(`    <phase duration="${f2(AMBER_SECONDS)}" state="${amber}"/>`);
      } else lines.push(`    <phase duration="${f2(p.durationSeconds)}" state="${amber}"/>`);
    });
    tlLogics.push(`  <tlLogic id="${esc(node.id)}" type="static" programID="0" offset="${f2(s.signal.offsetSeconds)}">\n${lines.join('\n')}\n  </tlLogic>`);
  }

  const vtype =
    `  <vType id="car" carFollowModel="IDM" accel="${idm.a_mps2}" decel="${idm.b_mps2}" emergencyDecel="9" tau="${idm.T_s}" ` +
    `minGap="${idm.s0_m}" length="${idm.length_m}" maxSpeed="${f2(idm.v0_mps)}" delta="${idm.delta}" sigma="0" speedDev="0"/>`;
  const vehicles = [...trips]
    .sort((a, b) => a.depart - b.depart)
    .map((t) => {
      const common = `id="${esc(t.id)}" type="car" depart="${f2(t.depart)}" departLane="best" departSpeed="max" arrivalPos="max"`;
      if (t.route && t.route.length > 0) return `  <vehicle ${common}>\n    <route edges="${t.route.map(esc).join(' ')}"/>\n  </vehicle>`;
      // Node-to-node trips need `sumo --junction-taz`.
      return `  <trip ${common} fromJunction="${esc(t.from)}" toJunction="${esc(t.to)}"/>`;
    });

  return {
    'network.nod.xml': `${header}<nodes>\n${nodes.join('\n')}\n</nodes>\n`,
    'network.edg.xml': `${header}<edges>\n${edges.join('\n')}\n</edges>\n`,
    'network.con.xml': `${header}<connections>\n${connections.join('\n')}\n</connections>\n`,
    'network.tll.xml': `${header}<tlLogics>\n${tlLogics.join('\n')}\n${tlConnections.join('\n')}\n</tlLogics>\n`,
    'demand.rou.xml': `${header}<routes>\n${vtype}\n${vehicles.join('\n')}\n</routes>\n`,
  };
}

/** The netconvert arguments that build `outFile` from the files exportSumo wrote into `dir`. */
export function netconvertArgs(dir: string, outFile: string): string[] {
  const at = (name: keyof SumoFiles): string => `${dir}/${name}`;
  return [
    '--node-files', at('network.nod.xml'),
    '--edge-files', at('network.edg.xml'),
    '--connection-files', at('network.con.xml'),
    '--tllogic-files', at('network.tll.xml'),
    '--no-internal-links', 'true',
    '--no-turnarounds', 'true',
    '--offset.disable-normalization', 'true',
    '--output-file', outFile,
  ];
}
