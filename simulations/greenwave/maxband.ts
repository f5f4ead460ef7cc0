/**
 * MAXBAND (Little, Kelson & Gartner 1981) for one common cycle C and progression speed v:
 * choose offsets that maximise b + k·b̄, solved exactly.
 *
 * Reduction. Put the outbound band at [0, b] at the first intersection (time is free to shift)
 * and write u_i for the start of intersection i's outbound arc (bandwidth.ts). The outbound band
 * fits iff u_i ∈ [b − g_i, 0] (mod C); the inbound band [τ̄, τ̄ + b̄] fits iff
 * u_i ∈ [τ̄ + b̄ − ḡ_i − d_i, τ̄ − d_i] (mod C), where d_i = s_i + 2·t_i is fixed by the
 * timings. Both hold for some u_i iff the two arcs meet, i.e. iff there is an integer m_i with
 *
 *     b − g_i  ≤  δ_i := τ̄ − d_i − m_i·C  ≤  ḡ_i − b̄,        0 ≤ b ≤ min g,  0 ≤ b̄ ≤ min ḡ.
 *
 * The m_i are MAXBAND's integer loop variables (its per-link loop integers are their
 * differences). For fixed m the problem is an LP in (b, b̄, τ̄) whose constraint normals are
 * (1,0,−1), (0,1,1), (1,0,0), (0,1,0); it is bounded, so its optimum is attained at a vertex,
 * and any three independent normals among these include (1,0,0) or (0,1,0). So at every vertex
 * b ∈ {0, min g} or b̄ ∈ {0, min ḡ}, and one more tight loop constraint then fixes τ̄ to
 *
 *     τ̄ ∈ { d_i − g_i + B,  d_i + ḡ_i − B̄ }  (mod C),   B ∈ {0, min g},  B̄ ∈ {0, min ḡ}.
 *
 * Evaluating the best (b, b̄) over all m at each of these ≤ 4n candidates therefore attains the
 * MILP optimum: it is at least every LP(m)'s vertex value and at most the MILP optimum. For a
 * fixed τ̄ the best m is found exactly too: the optimal b̄ equals min ḡ or some ḡ_i − δ_i, and
 * for a lower bound β on b̄ each intersection independently takes its largest δ_i allowed.
 */
import { mod, TIME_EPS, type ArterialTimings } from './arterial';

export interface FixedCycleOptimum {
  outboundSeconds: number;
  inboundSeconds: number;
  /** b + k·b̄, seconds. */
  objective: number;
  /** Outbound green starts θ_i, seconds in [0, C), θ_0 = 0. */
  offsets: number[];
}

interface Choice {
  b: number;
  bBar: number;
  objective: number;
  tau: number;
  delta: number[];
}

/** Vertex candidates for τ̄ (see the header); `balance` adds the points where b = b̄ for tie-breaks. */
function tauCandidates(timings: ArterialTimings, d: readonly number[], balance: boolean): number[] {
  const { green: g, inboundGreen: gBar, cycleSeconds: C } = timings;
  const gMin = Math.min(...g);
  const gBarMin = Math.min(...gBar);
  const raw: number[] = [];
  for (let i = 0; i < d.length; i++) {
    raw.push(d[i]! - g[i]!, d[i]! - g[i]! + gMin, d[i]! + gBar[i]!, d[i]! + gBar[i]! - gBarMin);
    if (!balance) continue;
    raw.push(d[i]! + gBar[i]! - gMin, d[i]! - g[i]! + gBarMin);
    for (let j = 0; j < d.length; j++) {
      const mid = (gBar[j]! - g[i]! + d[i]! + d[j]!) / 2;
      raw.push(mid, mid + C / 2);
    }
  }
  const seen = new Set<number>();
  const out: number[] = [];
  for (const tau of raw) {
    const key = Math.round(mod(tau, C) * 1e6);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mod(tau, C));
  }
  return out;
}

/** The best choice of loop integers for a fixed τ̄, or null when some intersection fits no band. */
function bestAtTau(timings: ArterialTimings, d: readonly number[], tau: number, k: number): Choice | null {
  const { green: g, inboundGreen: gBar, cycleSeconds: C } = timings;
  const n = d.length;
  const gMin = Math.min(...g);
  const gBarMin = Math.min(...gBar);
  // Per intersection the admissible δ = τ̄ − d_i − m·C, i.e. those with b ≥ 0 and b̄ ≥ 0 possible.
  const options: number[][] = [];
  for (let i = 0; i < n; i++) {
    const d0 = mod(tau - d[i]!, C);
    const opts = [d0 + C, d0, d0 - C].filter((x) => x >= -g[i]! - TIME_EPS && x <= gBar[i]! + TIME_EPS);
    if (opts.length === 0) return null;
    options.push(opts); // descending
  }
  const betas = [gBarMin];
  for (let i = 0; i < n; i++) for (const x of options[i]!) if (gBar[i]! - x < gBarMin) betas.push(gBar[i]! - x);
  let best: Choice | null = null;
  for (const beta of betas) {
    const delta: number[] = [];
    let b = gMin;
    let bBar = gBarMin;
    for (let i = 0; i < n; i++) {
      const x = options[i]!.find((o) => gBar[i]! - o >= beta - TIME_EPS);
      if (x === undefined) break;
      delta.push(x);
      b = Math.min(b, g[i]! + x);
      bBar = Math.min(bBar, gBar[i]! - x);
    }
    if (delta.length < n) continue;
    b = Math.max(0, b);
    bBar = Math.max(0, bBar);
    const objective = b + k * bBar;
    if (!best || better(objective, Math.min(b, bBar), best.objective, Math.min(best.b, best.bBar))) {
      best = { b, bBar, objective, tau, delta };
    }
  }
  return best;
}

/** Strictly better objective, or the same objective with a more balanced pair of bands. */
export function better(objective: number, balance: number, bestObjective: number, bestBalance: number): boolean {
  if (objective > bestObjective + TIME_EPS) return true;
  return objective > bestObjective - TIME_EPS && balance > bestBalance + TIME_EPS;
}

/** θ_i − θ_0 in [0, C), keeping values a hair below C from printing as C. */
function normalise(theta: readonly number[], C: number): number[] {
  const theta0 = theta[0]!;
  return theta.map((x) => {
    const r = mod(x - theta0, C);
    return r > C - TIME_EPS ? 0 : r;
  });
}

/** Offsets realising a two-way choice: each u_i centred in the slack both bands leave it. */
function offsetsOf(timings: ArterialTimings, choice: Choice): number[] {
  const { green: g, inboundGreen: gBar, travelSeconds: t } = timings;
  const theta = choice.delta.map((x, i) => {
    const lo = Math.max(choice.b - g[i]!, x + choice.bBar - gBar[i]!);
    const hi = Math.min(0, x);
    return (lo + hi) / 2 + t[i]!;
  });
  return normalise(theta, timings.cycleSeconds);
}

/**
 * The proven optimum of b + k·b̄ at one cycle and speed. `balance` also tries the points where
 * the two bands are equal, so among optimal plans a balanced one is preferred (costs O(n²) more
 * candidates; the optimum's value does not depend on it).
 *
 * The loop constraints describe plans in which both bands exist (possibly with width 0). When
 * short greens far apart leave no such plan, or when a one-way band beats every two-way one
 * (the other direction then has no band at all), the best plan is one-way: min g outbound, or
 * k·min ḡ inbound. Taking the best of the three cases keeps the optimum exact.
 */
export function maxbandFixed(timings: ArterialTimings, k: number, balance = true): FixedCycleOptimum {
  const { green: g, inboundGreen: gBar, travelSeconds: t, cycleSeconds: C } = timings;
  const n = t.length;
  const d = Array.from({ length: n }, (_, i) => timings.inboundStart[i]! + 2 * t[i]!);
  let best: Choice | null = null;
  for (const tau of tauCandidates(timings, d, balance)) {
    const c = bestAtTau(timings, d, tau, k);
    if (c && (!best || better(c.objective, Math.min(c.b, c.bBar), best.objective, Math.min(best.b, best.bBar)))) best = c;
  }
  const gMin = Math.min(...g);
  const gBarMin = Math.min(...gBar);
  const twoWay = best ? best.objective : -1;
  if (twoWay >= gMin - TIME_EPS && twoWay >= k * gBarMin - TIME_EPS && best) {
    return { outboundSeconds: best.b, inboundSeconds: best.bBar, objective: best.objective, offsets: offsetsOf(timings, best) };
  }
  if (gMin >= k * gBarMin) {
    // Outbound band [0, min g]: u_i centred in [min g − g_i, 0].
    const theta = g.map((gi, i) => (gMin - gi) / 2 + t[i]!);
    return { outboundSeconds: gMin, inboundSeconds: 0, objective: gMin, offsets: normalise(theta, C) };
  }
  // Inbound band [0, min ḡ]: ū_i = u_i + d_i centred in [min ḡ − ḡ_i, 0].
  const theta = gBar.map((gi, i) => (gBarMin - gi) / 2 - d[i]! + t[i]!);
  return { outboundSeconds: 0, inboundSeconds: gBarMin, objective: k * gBarMin, offsets: normalise(theta, C) };
}

/** Work of one maxbandFixed call without balance candidates, for limits: τ̄ × β × intersections. */
export function maxbandWork(intersections: number): number {
  return 4 * intersections * (2 * intersections + 1) * intersections;
}
