/**
 * Every benchmark ends with one verdict line against its goal, and writes the same verdict to its
 * JSON: what the goal is (in words, as docs/benchmarks.md states it), what was measured, and
 * PASS, MISS, or NO RESULT when the run could not measure it (a baseline not installed, a page that
 * crashed). The verdict reports; it does not fail the run (tests assert behaviour, benchmarks report).
 */

export type VerdictOutcome = 'PASS' | 'MISS' | 'NO RESULT';

export interface Verdict {
  goal: string;
  measured: string;
  verdict: VerdictOutcome;
  /** 1-minute load average when the verdict was taken. */
  loadAvg1m: number;
}

/** `pass` undefined means the figure could not be measured in this run. */
export function verdict(goal: string, measured: string, pass: boolean | undefined, loadAvg1m: number): Verdict {
  return { goal, measured, verdict: pass === undefined ? 'NO RESULT' : pass ? 'PASS' : 'MISS', loadAvg1m };
}

/** `<name>: verdict PASS — goal: …; measured: … (load avg …)` */
export function verdictLine(name: string, v: Verdict): string {
  return `${name}: verdict ${v.verdict} — goal: ${v.goal}; measured: ${v.measured} (load avg ${v.loadAvg1m})`;
}
