import { describe, expect, it } from 'vitest';
import { timingsAt, type Arterial, type ArterialTimings } from '../../../simulations/greenwave/arterial';
import { evaluateBandwidth } from '../../../simulations/greenwave/bandwidth';
import { maxbandFixed } from '../../../simulations/greenwave/maxband';
import { optimiseGreenWave } from '../../../simulations/greenwave/optimise';
import { Rng } from '../../../kernel/random';

/** Equal spacing: 300 m at 10 m/s is 30 s = C/2 per link; 50/50 splits. */
const halfCycle: Arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [0, 300, 600, 900].map((x, i) => ({ id: `S${i}`, positionM: x, greenSeconds: 30 })),
};

/** Best b + k·b̄ over offsets on a grid of `step` seconds (θ_0 = 0), each evaluated exactly. */
function gridSearch(timings: ArterialTimings, k: number, step: number): number {
  const n = timings.green.length;
  const steps = Math.round(timings.cycleSeconds / step);
  const offsets = new Array<number>(n).fill(0);
  let best = 0;
  const visit = (i: number): void => {
    if (i === n) {
      const band = evaluateBandwidth(timings, offsets);
      best = Math.max(best, band.outbound.widthSeconds + k * band.inbound.widthSeconds);
      return;
    }
    for (let s = 0; s < steps; s++) {
      offsets[i] = s * step;
      visit(i + 1);
    }
  };
  visit(1);
  return best;
}

function randomArterial(rng: Rng, n: number, cycle: number): Arterial {
  let x = 0;
  const twoPhase = rng.chance(0.5);
  return {
    cycleSeconds: cycle,
    speedMps: rng.range(8, 16),
    inboundWeight: rng.pick([1, 0.5, 2]),
    intersections: Array.from({ length: n }, (_, i) => {
      x += i === 0 ? 0 : rng.range(80, 450);
      const green = rng.range(0.25, 0.75) * cycle;
      return twoPhase
        ? { id: `I${i}`, positionM: x, greenSeconds: green, inboundGreenSeconds: rng.range(0.2, 0.7) * cycle, inboundGreenStartSeconds: rng.range(0, cycle) }
        : { id: `I${i}`, positionM: x, greenSeconds: green };
    }),
  };
}

describe('MAXBAND optimum at a fixed cycle and speed', () => {
  it('gives C/2 each way for equal spacing with travel time C/2 and 50/50 splits', () => {
    const opt = maxbandFixed(timingsAt(halfCycle, 60, 10), 1);
    expect(opt.outboundSeconds).toBeCloseTo(30, 9);
    expect(opt.inboundSeconds).toBeCloseTo(30, 9);
    const band = evaluateBandwidth(timingsAt(halfCycle, 60, 10), opt.offsets);
    expect(band.outbound.widthSeconds).toBeCloseTo(30, 9);
    expect(band.inbound.widthSeconds).toBeCloseTo(30, 9);
    // Alternating offsets: each signal turns green half a cycle after its upstream neighbour.
    expect(opt.offsets.map((o) => Math.round(o))).toEqual([0, 30, 0, 30]);
  });

  it('never reports more than the smallest green, and its offsets give what it reports', () => {
    const rng = new Rng(7, 'greenwave-bounds');
    for (let c = 0; c < 200; c++) {
      const arterial = randomArterial(rng, rng.int(2, 12), rng.range(40, 150));
      const timings = timingsAt(arterial, arterial.cycleSeconds, arterial.speedMps);
      const k = arterial.inboundWeight!;
      const opt = maxbandFixed(timings, k);
      expect(opt.outboundSeconds).toBeLessThanOrEqual(Math.min(...timings.green) + 1e-9);
      expect(opt.inboundSeconds).toBeLessThanOrEqual(Math.min(...timings.inboundGreen) + 1e-9);
      const band = evaluateBandwidth(timings, opt.offsets);
      expect(band.outbound.widthSeconds + k * band.inbound.widthSeconds).toBeCloseTo(opt.objective, 6);
    }
  });

  it('matches exhaustive search over a 0.5 s offset grid on small arterials', () => {
    const rng = new Rng(2026, 'greenwave-exhaustive');
    const step = 0.5;
    for (let c = 0; c < 12; c++) {
      const n = c < 8 ? 3 : 4;
      const arterial = randomArterial(rng, n, n === 3 ? rng.range(40, 90) : 40);
      const timings = timingsAt(arterial, arterial.cycleSeconds, arterial.speedMps);
      const k = arterial.inboundWeight!;
      const opt = maxbandFixed(timings, k);
      const grid = gridSearch(timings, k, step);
      // Never beaten by the grid; and snapping each optimal offset to the grid moves every arc by
      // at most step/2, so the grid is within (1 + k)·step of the optimum.
      expect(opt.objective).toBeGreaterThanOrEqual(grid - 1e-9);
      expect(opt.objective - grid).toBeLessThanOrEqual((1 + k) * step + 1e-9);
    }
  });

  it('finds a one-way band when short greens leave no two-way plan', () => {
    // d_1 = 2·t_1 = 50 s on a 100 s cycle with 10 s greens: no τ̄ fits both intersections.
    const arterial: Arterial = {
      cycleSeconds: 100,
      speedMps: 10,
      intersections: [
        { id: 'A', positionM: 0, greenSeconds: 10 },
        { id: 'B', positionM: 250, greenSeconds: 10 },
      ],
    };
    const opt = maxbandFixed(timingsAt(arterial, 100, 10), 1);
    expect(opt.objective).toBeCloseTo(10, 9);
    expect(opt.outboundSeconds + opt.inboundSeconds).toBeCloseTo(10, 9);
  });
});

describe('cycle and speed search', () => {
  it('is at least as good as the optimum at every grid point and picks a grid value', () => {
    const arterial: Arterial = { ...halfCycle, speedMps: 12, speedRangeMps: [8, 12], speedStepMps: 0.5 };
    const opt = optimiseGreenWave(arterial);
    expect(opt.gridPoints).toBe(9);
    expect(opt.speedMps).toBeCloseTo(10, 9);
    expect(opt.outboundSeconds + opt.inboundSeconds).toBeCloseTo(60, 9);
    for (let v = 8; v <= 12; v += 0.5) {
      expect(opt.objective).toBeGreaterThanOrEqual(maxbandFixed(timingsAt(arterial, 60, v), 1).objective - 1e-9);
    }
  });

  it('compares cycles by bandwidth share and stretches greens with the cycle', () => {
    // 300 m at 10 m/s is 30 s: only a 60 s cycle makes it half a cycle.
    const arterial: Arterial = { ...halfCycle, cycleSeconds: 50, intersections: halfCycle.intersections.map((s) => ({ ...s, greenSeconds: 25 })), cycleRangeSeconds: [40, 80] };
    const opt = optimiseGreenWave(arterial);
    expect(opt.cycleSeconds).toBe(60);
    expect(opt.outboundSeconds).toBeCloseTo(30, 9);
    expect(opt.inboundSeconds).toBeCloseTo(30, 9);
  });
});
