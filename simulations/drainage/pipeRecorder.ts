/**
 * Watches a pipe solver step by step and keeps what `PipeRun` reports: peaks and their times,
 * surcharge and spill durations, outfall volumes, and the values at report times. Used by the
 * pipes-alone runner and by the coupled flood run alike.
 */
import type { PipeSolver } from './pipeSolver';
import type { LinkSummary, NodeSummary, OutfallSummary, PipeMassBalance, PipeRun, PipeSeries } from './pipeResults';

export class PipeRecorder {
  private readonly peakDepth: Float64Array;
  private readonly peakDepthTime: Float64Array;
  private readonly flood: Float64Array;
  private readonly peakFloodRate: Float64Array;
  private readonly floodDuration: Float64Array;
  private readonly nodeSurcharge: Float64Array;
  private readonly peakFlow: Float64Array;
  private readonly peakFlowTime: Float64Array;
  private readonly peakVelocity: Float64Array;
  private readonly linkSurcharge: Float64Array;
  private readonly outfallVolume: Float64Array;
  private readonly peakOutfall: Float64Array;
  private readonly peakOutfallTime: Float64Array;
  private readonly outfalls: number[];
  readonly inlet: Float64Array;
  readonly series: PipeSeries;
  readonly initialStorageM3: number;
  steps = 0;
  minStepS = Number.POSITIVE_INFINITY;

  constructor(private readonly solver: PipeSolver) {
    const { net } = solver;
    const n = net.nodeCount;
    const m = net.linkCount;
    this.peakDepth = Float64Array.from(solver.depthM);
    this.peakDepthTime = new Float64Array(n);
    this.flood = new Float64Array(n);
    this.peakFloodRate = new Float64Array(n);
    this.floodDuration = new Float64Array(n);
    this.nodeSurcharge = new Float64Array(n);
    this.inlet = new Float64Array(n);
    this.peakFlow = Float64Array.from(solver.flowM3s);
    this.peakFlowTime = new Float64Array(m);
    this.peakVelocity = new Float64Array(m);
    this.linkSurcharge = new Float64Array(m);
    this.outfallVolume = new Float64Array(n);
    this.peakOutfall = new Float64Array(n);
    this.peakOutfallTime = new Float64Array(n);
    this.outfalls = [];
    for (let i = 0; i < n; i++) if (net.outfall[i]) this.outfalls.push(i);
    this.series = {
      timesS: [],
      nodeIds: net.nodeIds,
      linkIds: net.linkIds,
      outfallIds: this.outfalls.map((i) => net.nodeIds[i]!),
      nodeDepthM: [],
      linkFlowM3s: [],
      outfallFlowM3s: [],
    };
    this.initialStorageM3 = solver.storageM3();
  }

  /** After each solver step of dt seconds ending at t. */
  afterStep(dtS: number, tEndS: number): void {
    const { solver } = this;
    const { net } = solver;
    this.steps++;
    if (dtS < this.minStepS) this.minStepS = dtS;
    for (let i = 0; i < net.nodeCount; i++) {
      const y = solver.depthM[i]!;
      if (y > this.peakDepth[i]!) {
        this.peakDepth[i] = y;
        this.peakDepthTime[i] = tEndS;
      }
      if (net.outfall[i]) {
        const q = solver.outfallFlowM3s[i]!;
        this.outfallVolume[i] += q * dtS;
        if (Math.abs(q) > Math.abs(this.peakOutfall[i]!)) {
          this.peakOutfall[i] = q;
          this.peakOutfallTime[i] = tEndS;
        }
        continue;
      }
      const spilled = solver.spilledM3[i]!;
      if (spilled > 0) this.addFlood(i, spilled, dtS);
      if (y > net.crownDepthM[i]! + 1e-9) this.nodeSurcharge[i] += dtS;
    }
    for (let j = 0; j < net.linkCount; j++) {
      const q = solver.flowM3s[j]!;
      if (Math.abs(q) > Math.abs(this.peakFlow[j]!)) {
        this.peakFlow[j] = q;
        this.peakFlowTime[j] = tEndS;
      }
      if (solver.full[j]) this.linkSurcharge[j] += dtS;
      const a = solver.midAreaM2[j]!;
      if (a > 1e-6 && Math.abs(q) / a > this.peakVelocity[j]!) this.peakVelocity[j] = Math.abs(q) / a;
    }
  }

  /** Water a node sent over its rim during a step of dt (spilled alone, or to the surface coupled), m³. */
  addFlood(node: number, volumeM3: number, dtS: number): void {
    this.flood[node] += volumeM3;
    this.floodDuration[node] += dtS;
    const rate = volumeM3 / dtS;
    if (rate > this.peakFloodRate[node]!) this.peakFloodRate[node] = rate;
  }

  /** Keeps the values at a report time. */
  report(tS: number): void {
    const { solver } = this;
    this.series.timesS.push(tS);
    this.series.nodeDepthM.push(Array.from(solver.depthM));
    this.series.linkFlowM3s.push(Array.from(solver.flowM3s));
    this.series.outfallFlowM3s.push(this.outfalls.map((i) => solver.outfallFlowM3s[i]!));
  }

  /** Everything gathered, with the mass balance over `inletM3` of surface water taken in. */
  result(simulatedSeconds: number, wallSeconds: number): PipeRun {
    const { solver } = this;
    const { net, totals } = solver;
    const links: LinkSummary[] = net.linkIds.map((id, j) => ({
      id,
      fromNode: net.nodeIds[net.from[j]!]!,
      toNode: net.nodeIds[net.to[j]!]!,
      peakFlowM3s: this.peakFlow[j]!,
      peakFlowTimeS: this.peakFlowTime[j]!,
      fullFlowM3s: net.fullFlowM3s[j]!,
      peakLoadRatio: Math.abs(this.peakFlow[j]!) / net.fullFlowM3s[j]!,
      peakVelocityMs: this.peakVelocity[j]!,
      surchargeDurationS: this.linkSurcharge[j]!,
    }));
    let inletM3 = 0;
    const nodes: NodeSummary[] = net.nodeIds.map((id, i) => {
      inletM3 += this.inlet[i]!;
      const summary: NodeSummary = {
        id,
        kind: net.outfall[i] ? 'outfall' : 'junction',
        peakDepthM: this.peakDepth[i]!,
        peakDepthTimeS: this.peakDepthTime[i]!,
        peakHeadM: net.invertM[i]! + this.peakDepth[i]!,
        maxDepthM: net.maxDepthM[i]!,
        floodVolumeM3: this.flood[i]!,
        peakFloodRateM3s: this.peakFloodRate[i]!,
        floodDurationS: this.floodDuration[i]!,
        surchargeDurationS: this.nodeSurcharge[i]!,
      };
      if (this.inlet[i]! > 0) summary.inletVolumeM3 = this.inlet[i]!;
      return summary;
    });
    const outfalls: OutfallSummary[] = this.outfalls.map((i) => ({
      id: net.nodeIds[i]!,
      volumeM3: this.outfallVolume[i]!,
      peakFlowM3s: this.peakOutfall[i]!,
      peakFlowTimeS: this.peakOutfallTime[i]!,
    }));
    let floodingM3 = 0;
    for (let i = 0; i < net.nodeCount; i++) floodingM3 += this.flood[i]!;
    const finalStorageM3 = solver.storageM3();
    const inflowM3 = totals.externalInflowM3 - inletM3 + floodingM3 - totals.floodingM3;
    const expected = this.initialStorageM3 + inflowM3 + inletM3 - totals.outfallM3 - floodingM3;
    const scale = this.initialStorageM3 + Math.max(inflowM3, 0) + inletM3;
    const massBalance: PipeMassBalance = {
      initialStorageM3: this.initialStorageM3,
      inflowM3,
      inletM3,
      outfallM3: totals.outfallM3,
      floodingM3,
      finalStorageM3,
      relativeError: scale > 0 ? (finalStorageM3 - expected) / scale : 0,
    };
    return { series: this.series, links, nodes, outfalls, massBalance, steps: this.steps, minStepS: this.minStepS, simulatedSeconds, wallSeconds };
  }
}
