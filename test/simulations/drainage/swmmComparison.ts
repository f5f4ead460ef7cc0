/**
 * Compares the pipe model (routePipes) with EPA SWMM 5's results on the fixtures of
 * test/fixtures/swmm/ (README there): peaks of link flows, outfall inflows and node depths, and
 * when they come. Used by swmmReference.test.ts and by `npx tsx test/fixtures/swmm/compare.ts`,
 * which writes COMPARISON.md.
 *
 * Both sides are sampled at SWMM's report times. A series' peak is its largest |value| there, its
 * time the first report time it is reached. The timing holds when, within one report step of
 * SWMM's peak time, the model is at its own peak (within 1 % for flows, 1 cm for depths): on a
 * flat-topped hydrograph, where the maximum's exact report time is a matter of rounding, that asks
 * that the model is on its plateau when SWMM peaks, not that two near-equal maxima fall on the
 * same report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSwmmInp, type SwmmModel } from '../../../simulations/drainage/swmmInp';
import { routePipes } from '../../../simulations/drainage/routePipes';
import type { PipeRun } from '../../../simulations/drainage/pipeResults';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/swmm/', import.meta.url));
/** The issue's goal. */
export const FLOW_TOLERANCE = 0.05;
export const DEPTH_TOLERANCE_M = 0.05;
/** Flows below this share of the network's largest peak are compared in absolute terms (5 % of it). */
const SMALL_FLOW_SHARE = 0.05;

export interface SwmmResults {
  network: string;
  reportStepS: number;
  timesS: number[];
  nodes: Record<string, { kind: string; depthM: number[]; inflowM3s?: number[]; floodingM3s?: number[] }>;
  links: Record<string, { flowM3s: number[] }>;
}

export interface PeakComparison {
  kind: 'link' | 'outfall' | 'node';
  id: string;
  swmmPeak: number;
  modelPeak: number;
  /** Flows: relative error of the peak (or absolute over 5 % of the largest peak, for small flows); depths: metres. */
  error: number;
  peakOk: boolean;
  swmmTimeS: number;
  modelTimeS: number;
  timingOk: boolean;
}

export interface NetworkComparison {
  name: string;
  reportStepS: number;
  peaks: PeakComparison[];
  massBalanceError: number;
  wallS: number;
}

export function loadFixture(name: string): { model: SwmmModel; swmm: SwmmResults } {
  const model = readSwmmInp(readFileSync(join(FIXTURE_DIR, `${name}.inp`), 'utf8'), `${name}.inp`);
  const swmm = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.swmm.json`), 'utf8')) as SwmmResults;
  return { model, swmm };
}

function peakOf(values: number[]): { peak: number; index: number } {
  let peak = 0;
  let index = 0;
  values.forEach((v, i) => {
    if (Math.abs(v) > peak) {
      peak = Math.abs(v);
      index = i;
    }
  });
  return { peak, index };
}

/** Whether `values` comes within `near` of its peak within `reach` report steps of `index`. */
function peaksNear(values: number[], peak: number, near: number, index: number, reach: number): boolean {
  for (let k = Math.max(0, index - reach); k <= Math.min(values.length - 1, index + reach); k++) {
    if (Math.abs(values[k]) >= peak - near) return true;
  }
  return false;
}

/** The model's series at SWMM's report times (the model reports at multiples of the same step). */
function sampled(run: PipeRun, times: number[], pick: (row: number) => number): number[] {
  const index = new Map(run.series.timesS.map((t, r) => [Math.round(t), r]));
  return times.map((t) => {
    const r = index.get(Math.round(t));
    if (r === undefined) throw new Error(`the model has no report at ${t} s`);
    return pick(r);
  });
}

const INERTIA = { none: 'keep', partial: 'dampen', full: 'ignore' } as const;

export function compareNetwork(name: string): NetworkComparison {
  const { model, swmm } = loadFixture(name);
  const run = routePipes(model.network, model.inflows, { durationS: model.options.durationS, reportStepS: model.options.reportStepS, inertialTerms: INERTIA[model.options.inertialDamping], surcharge: model.options.surchargeMethod, lengtheningStepS: model.options.lengtheningStepS });
  const s = run.series;
  const col = (ids: string[], id: string): number => {
    const i = ids.indexOf(id);
    if (i < 0) throw new Error(`${name}: the model reports nothing for "${id}"`);
    return i;
  };
  const times = swmm.timesS;
  const step = swmm.reportStepS;
  const flowPeaks = Object.values(swmm.links).map((l) => Math.max(...l.flowM3s.map(Math.abs)));
  const smallFlow = SMALL_FLOW_SHARE * Math.max(...flowPeaks);
  const peaks: PeakComparison[] = [];
  const compareFlow = (kind: 'link' | 'outfall', id: string, ref: number[], mine: number[]): void => {
    const a = peakOf(ref);
    const b = peakOf(mine);
    const error = a.peak >= smallFlow ? Math.abs(b.peak - a.peak) / a.peak : Math.abs(b.peak - a.peak) / smallFlow;
    const timed = a.peak >= smallFlow;
    peaks.push({
      kind, id, swmmPeak: a.peak, modelPeak: b.peak, error, peakOk: error <= FLOW_TOLERANCE,
      swmmTimeS: times[a.index], modelTimeS: times[b.index],
      timingOk: !timed || peaksNear(mine, b.peak, 0.01 * b.peak, a.index, 1),
    });
  };
  for (const [id, l] of Object.entries(swmm.links)) {
    const j = col(s.linkIds, id);
    compareFlow('link', id, l.flowM3s, sampled(run, times, (r) => s.linkFlowM3s[r][j]));
  }
  for (const [id, n] of Object.entries(swmm.nodes)) {
    if (n.kind === 'outfall' && n.inflowM3s) {
      const j = col(s.outfallIds, id);
      compareFlow('outfall', id, n.inflowM3s, sampled(run, times, (r) => s.outfallFlowM3s[r][j]));
    }
    const j = col(s.nodeIds, id);
    const depths = sampled(run, times, (r) => s.nodeDepthM[r][j]);
    const a = peakOf(n.depthM);
    const b = peakOf(depths);
    const error = Math.abs(b.peak - a.peak);
    peaks.push({
      kind: 'node', id, swmmPeak: a.peak, modelPeak: b.peak, error, peakOk: error <= DEPTH_TOLERANCE_M,
      swmmTimeS: times[a.index], modelTimeS: times[b.index],
      timingOk: a.peak < DEPTH_TOLERANCE_M || peaksNear(depths, b.peak, 0.01, a.index, 1),
    });
  }
  return { name, reportStepS: step, peaks, massBalanceError: run.massBalance.relativeError, wallS: run.wallSeconds };
}

/** Markdown: one table per network, misses in bold. */
export function comparisonMarkdown(results: NetworkComparison[]): string {
  const out: string[] = [];
  const fmt = (v: number, digits = 3): string => v.toFixed(digits);
  for (const r of results) {
    const misses = r.peaks.filter((p) => !p.peakOk || !p.timingOk);
    out.push(`## ${r.name}`, '', `Report step ${r.reportStepS} s; ${r.peaks.length - misses.length} of ${r.peaks.length} peaks within the goal; model mass balance error ${r.massBalanceError.toExponential(1)}; ${fmt(r.wallS, 2)} s wall.`, '');
    out.push('| what | id | SWMM peak | model peak | error | SWMM time s | model time s |', '|---|---|---|---|---|---|---|');
    for (const p of r.peaks) {
      const unit = p.kind === 'node' ? 'm' : 'm³/s';
      const err = p.kind === 'node' ? `${fmt(p.error)} m` : `${fmt(100 * p.error, 1)} %`;
      const mark = (ok: boolean, text: string): string => (ok ? text : `**${text}**`);
      out.push(`| ${p.kind === 'node' ? 'node depth' : `${p.kind} flow`} | ${p.id} | ${fmt(p.swmmPeak)} ${unit} | ${fmt(p.modelPeak)} ${unit} | ${mark(p.peakOk, err)} | ${p.swmmTimeS} | ${mark(p.timingOk, String(p.modelTimeS))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
