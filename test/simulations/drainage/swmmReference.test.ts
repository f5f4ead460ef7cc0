/**
 * The pipe model against EPA SWMM 5 on networks nobody here drew (test/fixtures/swmm/README.md):
 * each fixture's `.inp` read with the reader, routed by routePipes, its peaks compared with SWMM
 * 5.2.4's at the report step. The goal (issue 22): peak link and outfall flows within 5 %, peak
 * node depths within 5 cm, peaks within one report step of SWMM's.
 *
 * Networks the model does not yet bring within the goal are listed in KNOWN_GAPS with the figures
 * in test/fixtures/swmm/COMPARISON.md (regenerate: `npx tsx test/fixtures/swmm/compare.ts`). For
 * them the test asserts the mass balance and that the misses are still there — when the solver
 * closes a gap, the test fails until the entry is removed, so the list stays true.
 */
import { describe, expect, it } from 'vitest';
import { compareNetwork, type PeakComparison } from './swmmComparison';

const NETWORKS = ['extran1', 'extran2', 'test1', 'test3', 'test4'] as const;

/** Network → why it misses; figures in COMPARISON.md. Empty when the model meets the goal everywhere. */
const KNOWN_GAPS: Partial<Record<(typeof NETWORKS)[number], string>> = {};

const describeMiss = (p: PeakComparison): string =>
  `${p.kind} ${p.id}: SWMM ${p.swmmPeak.toFixed(3)} at ${p.swmmTimeS} s, model ${p.modelPeak.toFixed(3)} at ${p.modelTimeS} s`;

describe('pipe model against EPA SWMM 5 (dynamic wave)', () => {
  for (const name of NETWORKS) {
    it(`${name}: peaks within 5 % / 5 cm and one report step of SWMM's`, () => {
      const result = compareNetwork(name);
      expect(result.peaks.length).toBeGreaterThan(10);
      expect(Math.abs(result.massBalanceError)).toBeLessThan(1e-6);
      const misses = result.peaks.filter((p) => !p.peakOk || !p.timingOk).map(describeMiss);
      if (KNOWN_GAPS[name]) {
        expect(misses.length, `${name} now meets the goal: remove it from KNOWN_GAPS and regenerate COMPARISON.md`).toBeGreaterThan(0);
      } else {
        expect(misses).toEqual([]);
      }
    });
  }
});
