/**
 * The pipe model against EPA SWMM 5 on networks nobody here drew (test/fixtures/swmm/README.md):
 * each fixture's `.inp` read with the reader, routed by routePipes, its peaks compared with SWMM
 * 5.2.4's at the report step. The goal (issue 22): peak link and outfall flows within 5 %, peak
 * node depths within 5 cm, peaks within one report step of SWMM's.
 *
 * Where the model does not yet meet the goal, KNOWN_GAPS names the network and the aspects it
 * misses (figures in test/fixtures/swmm/COMPARISON.md; regenerate with `npx tsx
 * test/fixtures/swmm/compare.ts`). Every aspect not listed is asserted in full; for a listed one
 * the test asserts that the miss is still there — when the solver closes it, the test fails until
 * the entry is removed, so the list stays true.
 */
import { describe, expect, it } from 'vitest';
import { compareNetwork, type PeakComparison } from './swmmComparison';

const NETWORKS = ['extran1', 'extran2', 'test1', 'test3', 'test4', 'demo-storm'] as const;
type Aspect = 'flow' | 'depth' | 'timing';

/** Network → the aspects of the goal it misses today (2026-12-07, s28-swmm2: the node's own area floors its storage). */
const KNOWN_GAPS: Partial<Record<(typeof NETWORKS)[number], Aspect[]>> = {
  test3: ['depth', 'timing'], // fills with SWMM (peaks 4230 s vs 4200 s) but SWMM's overshoot stands 7–18 cm higher at nodes 1–4, 6 cm lower at node 7; node 9 peaks one step early
  'demo-storm': ['flow', 'depth', 'timing'], // 3 small branches 6–17 % (flows under 0.16 m³/s), YSJ1444's 600 s spike in SWMM (depth); 7 links still settling at 900 s, 1.2–3.3 % over the plateau SWMM reaches by 800 s (timing: SWMM's surcharge transition creates ~78 m³, docs/drainage.md)
};

const miss: Record<Aspect, (p: PeakComparison) => boolean> = {
  flow: (p) => p.kind !== 'node' && !p.peakOk,
  depth: (p) => p.kind === 'node' && !p.peakOk,
  timing: (p) => !p.timingOk,
};
const describeMiss = (p: PeakComparison): string =>
  `${p.kind} ${p.id}: SWMM ${p.swmmPeak.toFixed(3)} at ${p.swmmTimeS} s, model ${p.modelPeak.toFixed(3)} at ${p.modelTimeS} s`;

describe('pipe model against EPA SWMM 5 (dynamic wave)', () => {
  for (const name of NETWORKS) {
    it(`${name}: peaks within 5 % / 5 cm and one report step of SWMM's${KNOWN_GAPS[name] ? ` (known gaps: ${KNOWN_GAPS[name]!.join(', ')})` : ''}`, () => {
      const result = compareNetwork(name);
      expect(result.peaks.length).toBeGreaterThan(10);
      expect(Math.abs(result.massBalanceError)).toBeLessThan(1e-6);
      for (const aspect of ['flow', 'depth', 'timing'] as const) {
        const misses = result.peaks.filter(miss[aspect]).map(describeMiss);
        if (KNOWN_GAPS[name]?.includes(aspect)) {
          expect(misses.length, `${name} now meets the ${aspect} goal: remove it from KNOWN_GAPS and regenerate COMPARISON.md`).toBeGreaterThan(0);
        } else {
          expect(misses, `${name}: ${aspect}`).toEqual([]);
        }
      }
    });
  }
});
