/**
 * Routes inflow hydrographs through a drainage network alone (no surface), as SWMM 5 does with
 * dynamic-wave routing and no ponding: water above a junction's rim is lost as flooding. The
 * solver takes its own variable steps (Courant on the links, `pipeSolver.ts`), each iterated as
 * SWMM iterates it (up to 8 trials), cut to land on
 * every report time; values are reported as they are at those times (SWMM's report steps), peaks
 * over every step.
 */
import { seriesValueAt, type TimeSeries } from '../flood/timeSeries';
import { compileNetwork, type SurchargeStorage } from './compiledNetwork';
import { checkNodeInflows, DrainageNetworkError } from './networkCheck';
import type { DrainageNetwork, NodeInflow } from './network';
import { PipeRecorder } from './pipeRecorder';
import type { PipeRun } from './pipeResults';
import { PipeSolver, type PipeSolverOptions } from './pipeSolver';

export interface RoutePipesOptions {
  durationS: number;
  reportStepS: number;
  /** Longest pipe step, s (default 5; SWMM's routing step plays this part). */
  maxStepS?: number;
  /** Shortest pipe step, s (default 0.01): a network that needs less is refused rather than run for ever. */
  minStepS?: number;
  courant?: number;
  inertialTerms?: PipeSolverOptions['inertialTerms'];
  /** Trials per step, SWMM's MAX_TRIALS (default 8, SWMM's; 1 for a single explicit pass): pipeSolver.ts. */
  trials?: number;
  /** Junction storage above the crown, SWMM's SURCHARGE_METHOD (default 'extran', SWMM's): compiledNetwork.ts. */
  surcharge?: SurchargeStorage;
  /** SWMM's LENGTHENING_STEP: conduits lengthened for the Courant condition at this step, s (default 0: none; compiledNetwork.ts). */
  lengtheningStepS?: number;
  /** Sea level over time for outfalls marked `tidal`, m. */
  seaLevelM?: TimeSeries;
  /** Stop after this many wall-clock seconds (default 600). */
  wallClockLimitS?: number;
}

/** A week, as the flood model. */
export const MAX_PIPE_DURATION_S = 7 * 24 * 3600;
export const MAX_REPORTS = 100_000;

function checkOptions(o: RoutePipesOptions): void {
  if (!(o.durationS > 0 && o.durationS <= MAX_PIPE_DURATION_S)) throw new DrainageNetworkError('durationS', `must be between 0 and ${MAX_PIPE_DURATION_S} s, got ${o.durationS}`);
  if (!(o.reportStepS > 0) || o.durationS / o.reportStepS > MAX_REPORTS) {
    throw new DrainageNetworkError('reportStepS', `must be > 0 and give at most ${MAX_REPORTS} reports, got ${o.reportStepS}`);
  }
  if (o.maxStepS !== undefined && !(o.maxStepS > 0 && o.maxStepS <= 600)) throw new DrainageNetworkError('maxStepS', `must be in (0, 600] s, got ${o.maxStepS}`);
  if (o.minStepS !== undefined && !(o.minStepS > 0 && o.minStepS <= (o.maxStepS ?? 5))) throw new DrainageNetworkError('minStepS', `must be in (0, maxStepS], got ${o.minStepS}`);
  if (o.trials !== undefined && !(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= 50)) throw new DrainageNetworkError('trials', `must be an integer in [1, 50], got ${o.trials}`);
  if (o.lengtheningStepS !== undefined && !(o.lengtheningStepS >= 0 && o.lengtheningStepS <= 600)) throw new DrainageNetworkError('lengtheningStepS', `must be in [0, 600] s, got ${o.lengtheningStepS}`);
  if (o.courant !== undefined && !(o.courant > 0 && o.courant <= 1)) throw new DrainageNetworkError('courant', `must be in (0, 1], got ${o.courant}`);
}

export function routePipes(network: DrainageNetwork, inflows: NodeInflow[], options: RoutePipesOptions): PipeRun {
  checkOptions(options);
  checkNodeInflows(network, inflows);
  const net = compileNetwork(network, options.surcharge ?? 'extran', options.lengtheningStepS ?? 0);
  const sea = options.seaLevelM;
  const solver = new PipeSolver(net, { courant: options.courant, inertialTerms: options.inertialTerms, trials: options.trials ?? 8 }, sea ? (t) => seriesValueAt(sea, t) : undefined);
  const recorder = new PipeRecorder(solver);
  const series = inflows.map((f) => ({ node: net.nodeIndex.get(f.nodeId)!, series: { seconds: f.times, values: f.flowsM3s } }));
  const maxStep = options.maxStepS ?? 5;
  const minStep = options.minStepS ?? 0.01;
  const wallLimit = options.wallClockLimitS ?? 600;
  const started = performance.now();
  let t = 0;
  let reportIndex = 0;
  recorder.report(0);
  const reportCount = Math.floor(options.durationS / options.reportStepS + 1e-9);
  while (t < options.durationS) {
    const nextReport = reportIndex < reportCount ? (reportIndex + 1) * options.reportStepS : options.durationS;
    let dt = Math.min(solver.stableStepS(), maxStep);
    if (dt < minStep) {
      throw new DrainageNetworkError('minStepS', `the network needs pipe steps of ${dt.toExponential(2)} s at ${t.toFixed(1)} s, under the minimum ${minStep} s (a very short link or a tiny node area)`);
    }
    const landing = t + dt >= nextReport - 1e-9;
    if (landing) dt = nextReport - t;
    solver.inflowM3s.fill(0);
    const tMid = t + dt / 2;
    for (const f of series) solver.inflowM3s[f.node] += seriesValueAt(f.series, tMid);
    solver.step(dt, t);
    t = landing ? nextReport : t + dt;
    recorder.afterStep(dt, t);
    if (landing) {
      if (reportIndex < reportCount) recorder.report(t);
      reportIndex++;
      if ((performance.now() - started) / 1000 > wallLimit) throw new DrainageNetworkError('wallClockLimitS', `the pipe run passed its wall-clock limit of ${wallLimit} s at ${t.toFixed(0)} s simulated`);
    }
  }
  return recorder.result(options.durationS, (performance.now() - started) / 1000);
}
