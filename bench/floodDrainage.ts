/**
 * The coupled case of `bench:flood` (issue 22): the benchmark's rain-on-grid problem with a storm
 * network under it, against the same problem without one, interleaved round by round on the same
 * threads. The network: a manhole every 50 m along east–west streets 100 m apart, each street a
 * chain of circular pipes growing from 0.4 m to 1.5 m towards a free outfall at the east edge,
 * inverts 2 m under the ground and falling at least 0.1 % (a district's trunk sewers). The figure
 * is what coupling costs on top of the 2D run: the two runs' wall times side by side (the
 * baseline: the same problem without the network); the goal is under 30 %. The exchange and pipe
 * phase between steps, timed inside the run, is printed beside it: on several threads the other
 * threads share its links but wait through its serial parts.
 */
import type { DrainageLink, DrainageNode } from '../simulations/drainage/network';
import type { DrainageCouplingSpec, NodeCell } from '../simulations/drainage/surfaceCoupling';
import type { FloodProblem } from '../simulations/flood/floodProblem';
import { runFlood } from '../simulations/flood/runFlood';
import { loadAvg1m } from './support/machine';
import { median, round } from './support/stats';
import { fmt } from './support/table';

export const COUPLING_GOAL = 0.3;
const STREET_SPACING_CELLS = 20;
const MANHOLE_SPACING_CELLS = 10;

export interface CoupledCaseResult {
  nodes: number;
  links: number;
  wallS2d: number;
  wallSCoupled: number;
  /** Time in the serial exchange and pipe phase / (coupled run − that phase), medians: the phase's own share. */
  couplingShare: number;
  /** (coupled − 2D) / 2D wall time, medians of interleaved rounds: what the verdict judges. */
  wallShare: number;
  pipeSteps: number;
  surfaceSteps: number;
  massBalanceError: number;
  met: boolean;
  line: string;
}

/** The trunk network on a side × side grid of dx cells over `bed`. */
export function streetNetwork(side: number, dx: number, bed: Float64Array): DrainageCouplingSpec {
  const nodes: DrainageNode[] = [];
  const links: DrainageLink[] = [];
  const nodeCells: NodeCell[] = [];
  for (let row = STREET_SPACING_CELLS / 2; row < side; row += STREET_SPACING_CELLS) {
    let previous: { id: string; invert: number } | undefined;
    let k = 0;
    for (let col = MANHOLE_SPACING_CELLS / 2; col < side; col += MANHOLE_SPACING_CELLS, k++) {
      const id = `M${row}-${col}`;
      const ground = bed[row * side + col]!;
      const length = MANHOLE_SPACING_CELLS * dx;
      const invert = previous ? Math.min(ground - 2, previous.invert - 0.001 * length) : ground - 2;
      nodes.push({ kind: 'junction', id, invertElevationM: invert, maxDepthM: ground - invert, surfaceAreaM2: 1.2, initialDepthM: 0 });
      nodeCells.push({ nodeId: id, row, col });
      if (previous) links.push(pipe(`P${row}-${col}`, previous.id, id, length, Math.min(0.4 + 0.02 * k, 1.5)));
      previous = { id, invert };
    }
    if (previous) {
      const outfall = `O${row}`;
      nodes.push({ kind: 'outfall', id: outfall, invertElevationM: previous.invert - 0.05, boundary: { type: 'free' } });
      links.push(pipe(`P${row}-out`, previous.id, outfall, (MANHOLE_SPACING_CELLS / 2) * dx, 1.5));
    }
  }
  return { network: { nodes, links }, nodeCells, reportStepS: 300 };
}

function pipe(id: string, fromNode: string, toNode: string, lengthM: number, diameterM: number): DrainageLink {
  return { id, fromNode, toNode, lengthM, manningN: 0.013, inOffsetM: 0, outOffsetM: 0, section: { shape: 'circular', diameterM }, initialFlowM3s: 0 };
}

/** Runs the problem with and without the network, `rounds` times interleaved; logs and returns the figures. */
export async function coupledDrainageCase(problem: FloodProblem, threads: number, rounds: number, log: (line: string) => void): Promise<CoupledCaseResult> {
  const side = problem.grid.ncols;
  const spec = streetNetwork(side, problem.grid.cellSizeM, Float64Array.from(problem.grid.bedM));
  const coupledProblem: FloodProblem = { ...problem, drainage: spec };
  const plain: number[] = [];
  const coupled: number[] = [];
  const phase: number[] = [];
  let last: Awaited<ReturnType<typeof runFlood>> | undefined;
  let surfaceSteps = 0;
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    const a = await runFlood(problem, { threads });
    plain.push((performance.now() - t0) / 1000);
    surfaceSteps = a.steps;
    t0 = performance.now();
    last = await runFlood(coupledProblem, { threads });
    coupled.push((performance.now() - t0) / 1000);
    phase.push(last.drainage!.pipes.wallSeconds);
    log(`  round ${r + 1}: 2D ${fmt(plain[r]!, 2)} s, 2D + pipes ${fmt(coupled[r]!, 2)} s (load avg ${loadAvg1m()})`);
  }
  const wallS2d = median(plain);
  const wallSCoupled = median(coupled);
  const phaseS = median(phase);
  const share = phaseS / (wallSCoupled - phaseS);
  const wallShare = (wallSCoupled - wallS2d) / wallS2d;
  // The verdict is the wall clock against the 2D run in the same rounds: what the phase costs the
  // other threads (waiting through its serial parts) the phase's own timer does not see.
  const met = wallShare < COUPLING_GOAL;
  const d = last!.drainage!;
  const result: CoupledCaseResult = {
    nodes: spec.network.nodes.length,
    links: spec.network.links.length,
    wallS2d: round(wallS2d, 3),
    wallSCoupled: round(wallSCoupled, 3),
    couplingShare: round(share, 3),
    wallShare: round(wallShare, 3),
    pipeSteps: d.pipes.steps,
    surfaceSteps,
    massBalanceError: d.massBalance.relativeError,
    met,
    line: `verdict: coupling costs < ${COUPLING_GOAL * 100} % of the 2D run: ${fmt(wallShare * 100, 1)} % by wall clock (the pipe phase's own time ${fmt(share * 100, 1)} %) — ${met ? 'met' : 'NOT met'}`,
  };
  log(
    `  coupled case: ${result.nodes} nodes, ${result.links} pipes; 2D ${fmt(wallS2d, 2)} s (${surfaceSteps} steps), 2D + pipes ${fmt(wallSCoupled, 2)} s ` +
      `of which the pipe phase ${fmt(phaseS, 2)} s (${d.pipes.steps} pipe steps); ratio coupled / 2D ${fmt(wallSCoupled / wallS2d, 2)}×; ` +
      `both domains' mass error ${d.massBalance.relativeError.toExponential(1)}`,
  );
  const updates = d.pipes.linkUpdatesPerThread;
  if (updates) {
    const total = updates.reduce((a, b) => a + b, 0);
    log(`  link updates per thread (the pipe phase's links shared out, simulations/drainage/linkTeam.ts): ${updates.map((u) => `${fmt((100 * u) / total, 0)} %`).join(' / ')}`);
  }
  return result;
}
