import { describe, expect, it } from 'vitest';
import { timingsAt, type Arterial } from '../../../simulations/greenwave/arterial';
import { evaluateBandwidth, largestCommonArc } from '../../../simulations/greenwave/bandwidth';

/** Two intersections 150 m apart at 10 m/s (15 s), cycle 60 s, greens 30 s and 20 s. */
const pair: Arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [
    { id: 'A', positionM: 0, greenSeconds: 30 },
    { id: 'B', positionM: 150, greenSeconds: 20 },
  ],
};

describe('exact bandwidth of given offsets', () => {
  const timings = timingsAt(pair, 60, 10);

  it('matches hand-computed bands', () => {
    // θ_B = 20: outbound arcs [0,30] and [5,25] → 20 s from 5; inbound arcs [0,30] and [35,55] → none.
    const a = evaluateBandwidth(timings, [0, 20]);
    expect(a.outbound).toEqual({ widthSeconds: 20, startSeconds: 5 });
    expect(a.inbound.widthSeconds).toBe(0);
    // θ_B = 10: outbound [−5,15] ∩ [0,30] = [0,15]; inbound [25,45] ∩ [0,30] = [25,30].
    const b = evaluateBandwidth(timings, [0, 10]);
    expect(b.outbound).toEqual({ widthSeconds: 15, startSeconds: 0 });
    expect(b.inbound).toEqual({ widthSeconds: 5, startSeconds: 25 });
  });

  it('finds bands across the end of the cycle', () => {
    // θ_A = 50: arc [50,80]; θ_B = 10: arc [−5,15] ≡ [55,75] → [55,75].
    const band = evaluateBandwidth(timings, [50, 10]);
    expect(band.outbound.widthSeconds).toBeCloseTo(20, 9);
    expect(band.outbound.startSeconds).toBeCloseTo(55, 9);
  });

  it('keeps the longest of several common pieces', () => {
    // Arcs [0,40], [30,50] and [35,85] (≡ [35,60] ∪ [0,25]) on a 60 s circle → [35,40].
    expect(largestCommonArc([0, 30, 35], [40, 20, 50], 60)).toEqual({ widthSeconds: 5, startSeconds: 35 });
    // [0,50] and [40,100] (≡ [40,60] ∪ [0,40]) share [0,40] and [40,50]: one 50 s arc.
    expect(largestCommonArc([0, 40], [50, 60], 60).widthSeconds).toBe(50);
    // [0,50] and [45,95] share [45,50] and [0,35]: the longer is 35 s.
    expect(largestCommonArc([0, 45], [50, 50], 60)).toEqual({ widthSeconds: 35, startSeconds: 0 });
  });

  it('gives the whole cycle when every green is the whole cycle', () => {
    expect(largestCommonArc([3, 17], [60, 60], 60).widthSeconds).toBe(60);
  });

  it('uses the inbound green and its start when given', () => {
    const split: Arterial = {
      ...pair,
      intersections: [
        { id: 'A', positionM: 0, greenSeconds: 30, inboundGreenSeconds: 20, inboundGreenStartSeconds: 35 },
        { id: 'B', positionM: 150, greenSeconds: 20, inboundGreenSeconds: 20, inboundGreenStartSeconds: 30 },
      ],
    };
    // θ = [0, 10]: inbound arcs [0+35+0, 55] and [10+30+15, 75] = [55,75] → [55,55], width 0.
    // θ = [0, 0]: inbound arcs [35,55] and [45,65] → [45,55], 10 s.
    const t = timingsAt(split, 60, 10);
    expect(evaluateBandwidth(t, [0, 0]).inbound).toEqual({ widthSeconds: 10, startSeconds: 45 });
    expect(evaluateBandwidth(t, [0, 10]).inbound.widthSeconds).toBe(0);
  });
});
