import { describe, expect, it } from 'vitest';
import type { DrainageLink, DrainageNode } from '../../../simulations/drainage/network';
import { DrainageNetworkError } from '../../../simulations/drainage/networkCheck';
import type { DrainageCouplingSpec, NodeCell } from '../../../simulations/drainage/surfaceCoupling';
import type { FloodProblem } from '../../../simulations/flood/floodProblem';
import { runFlood } from '../../../simulations/flood/runFlood';
import { problem } from '../flood/floodCases';

const NCOLS = 36;
const NROWS = 24;
const DX = 5;

/** A street falling 1 % eastwards with a shallow dip in the middle, walls around. */
function bed(): Float64Array {
  const z = new Float64Array(NCOLS * NROWS);
  for (let r = 0; r < NROWS; r++) {
    for (let c = 0; c < NCOLS; c++) z[r * NCOLS + c] = 5 + 0.01 * (NCOLS - c) * DX + 0.15 * Math.cos(r / 3) - 0.4 * Math.exp(-((c - 18) ** 2 + (r - 12) ** 2) / 20);
  }
  return z;
}

/**
 * Six manholes along row 12 with 2 m deep inverts, a small pipe in the middle (it surcharges),
 * and a tidal outfall: a sea level rising above the lower manholes' ground pushes water back up.
 */
function coupled(z: Float64Array, tide: boolean): DrainageCouplingSpec {
  const nodes: DrainageNode[] = [];
  const links: DrainageLink[] = [];
  const nodeCells: NodeCell[] = [];
  for (let k = 0; k < 6; k++) {
    const col = 3 + 6 * k;
    const ground = z[12 * NCOLS + col]!;
    nodes.push({ kind: 'junction', id: `M${k}`, invertElevationM: ground - 2, maxDepthM: 2, surfaceAreaM2: 1.2, initialDepthM: 0.1 });
    nodeCells.push({ nodeId: `M${k}`, row: 12, col });
    if (k > 0) {
      links.push({
        id: `P${k}`,
        fromNode: `M${k - 1}`,
        toNode: `M${k}`,
        lengthM: 30,
        manningN: 0.013,
        inOffsetM: 0,
        outOffsetM: 0,
        section: { shape: 'circular', diameterM: k === 3 ? 0.25 : 0.5 },
        initialFlowM3s: 0,
      });
    }
  }
  const lastInvert = nodes[5]!.invertElevationM;
  nodes.push({ kind: 'outfall', id: 'SEA', invertElevationM: lastInvert - 0.2, boundary: { type: 'free' }, tidal: tide });
  links.push({ id: 'P6', fromNode: 'M5', toNode: 'SEA', lengthM: 30, manningN: 0.013, inOffsetM: 0, outOffsetM: 0.1, section: { shape: 'circular', diameterM: 0.6 }, initialFlowM3s: 0 });
  return {
    network: { nodes, links },
    nodeCells,
    reportStepS: 120,
    seaLevelM: tide ? { seconds: [0, 600, 1200], values: [lastInvert, lastInvert + 3, lastInvert + 3] } : undefined,
  };
}

function floodWithDrains(tide: boolean): FloodProblem {
  const z = bed();
  return {
    ...problem(
      { ncols: NCOLS, nrows: NROWS, cellSizeM: DX, bedM: z, manningN: 0.02 },
      { rain: { kind: 'series', series: { seconds: [0, 300, 900], values: [150, 150, 0] } } },
      { durationS: 1200 },
    ),
    drainage: coupled(z, tide),
  };
}

describe('coupled 2D surface and 1D pipes', () => {
  it('closes the balance of both domains to 1e-9 with inlets taking water, a node hydrograph and a tide pushing it back out', async () => {
    const p = floodWithDrains(true);
    p.drainage!.inflows = [{ nodeId: 'M4', times: [0, 1200], flowsM3s: [0.05, 0.05] }];
    const r = await runFlood(p);
    const d = r.drainage!;
    expect(d).toBeDefined();
    expect(d.massBalance.pipeInflow).toBeCloseTo(60, 9);
    expect(Math.abs(d.massBalance.relativeError)).toBeLessThan(1e-9);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-9);
    expect(r.volumesM3.toDrains!).toBeGreaterThan(10);
    // The tide rises 1 m above the lowest manholes' ground: they spill back onto the street.
    expect(r.volumesM3.fromDrains!).toBeGreaterThan(1);
    const spilling = d.pipes.nodes.filter((n) => n.floodVolumeM3 > 0).map((n) => n.id);
    expect(spilling).toContain('M5');
    expect(d.pipes.outfalls[0]!.volumeM3).not.toBe(0);
    expect(d.pipes.series.timesS.length).toBeGreaterThanOrEqual(10);
  });

  it('closes both balances to 1e-9 with the iterated pipe step too (trials 8), and refuses trials outside [1, 50] naming them', async () => {
    const p = floodWithDrains(true);
    p.drainage!.trials = 8;
    const r = await runFlood(p);
    expect(Math.abs(r.drainage!.massBalance.relativeError)).toBeLessThan(1e-9);
    expect(Math.abs(r.massBalanceError)).toBeLessThan(1e-9);
    expect(r.volumesM3.fromDrains!).toBeGreaterThan(1);
    p.drainage!.trials = 0;
    await expect(runFlood(p)).rejects.toThrow('trials: must be an integer in [1, 50], got 0');
  });

  it('drains the street: less water stands on it than with no drains', async () => {
    const withDrains = await runFlood(floodWithDrains(false));
    const without = await runFlood({ ...floodWithDrains(false), drainage: undefined });
    // What the outfall took is no longer on the street (less what the pipes still hold).
    const d = withDrains.drainage!.massBalance;
    expect(withDrains.volumesM3.final).toBeCloseTo(without.volumesM3.final - d.outfalls - d.finalPipes + d.initialPipes, 2);
    expect(d.outfalls).toBeGreaterThan(100);
    expect(withDrains.maxDepthOverallM).toBeLessThan(without.maxDepthOverallM - 0.05);
  });

  it('gives the same depths and pipe results on two threads as on one', async () => {
    const one = await runFlood(floodWithDrains(true), { threads: 1 });
    const two = await runFlood(floodWithDrains(true), { threads: 2 });
    expect(two.threads).toBe(2);
    expect(Buffer.from(two.finalDepthM.buffer).equals(Buffer.from(one.finalDepthM.buffer))).toBe(true);
    expect(Buffer.from(two.maxDepthM.buffer).equals(Buffer.from(one.maxDepthM.buffer))).toBe(true);
    expect(two.drainage!.pipes.links).toEqual(one.drainage!.pipes.links);
    expect(two.drainage!.pipes.nodes).toEqual(one.drainage!.pipes.nodes);
    // Both threads took part in the pipe phase's links (linkTeam.ts): every link once per pipe sub-step between them.
    const updates = two.drainage!.pipes.linkUpdatesPerThread!;
    expect(updates).toHaveLength(2);
    expect(updates[0]! + updates[1]!).toBe(two.drainage!.pipes.links.length * two.drainage!.pipes.steps);
    expect(one.drainage!.pipes.linkUpdatesPerThread).toBeUndefined();
  });

  it('refuses a manhole outside the grid or in a building, naming the node', async () => {
    const p = floodWithDrains(false);
    p.drainage!.nodeCells[2] = { nodeId: 'M2', row: 40, col: 3 };
    await expect(runFlood(p)).rejects.toThrow(DrainageNetworkError);
    await expect(runFlood(p)).rejects.toThrow('nodeCells[2]: node "M2" lies at (row 40, col 3), outside the 36 × 24 grid');
    const q = floodWithDrains(false);
    const blocked = new Uint8Array(NCOLS * NROWS);
    blocked[12 * NCOLS + 9] = 1;
    q.grid.blocked = blocked;
    await expect(runFlood(q)).rejects.toThrow('node "M1" lies in a blocked cell');
    // On two threads the network is checked after the workers have started: they are stopped
    // again, and the run fails with the same error (a worker left running would hold vitest open).
    await expect(runFlood(p, { threads: 2 })).rejects.toThrow('nodeCells[2]: node "M2" lies at (row 40, col 3), outside the 36 × 24 grid');
  });
});
