/**
 * The Intelligent Driver Model (Treiber, Hennecke & Helbing 2000):
 *   dv/dt = a·[1 − (v/v0)^δ − (s*(v, Δv)/s)²],  s* = s0 + max(0, v·T + v·Δv / (2√(a·b)))
 * with the city parameters of ../shared/domain.md. Δv is the approach rate v − v_leader.
 */

export interface IdmParams {
  /** Desired speed on an unlimited road, m/s; a link's speed limit caps it. */
  v0_mps: number;
  /** Safe time headway, s. */
  T_s: number;
  /** Minimum gap at standstill, m. */
  s0_m: number;
  /** Maximum acceleration, m/s². */
  a_mps2: number;
  /** Comfortable deceleration, m/s². */
  b_mps2: number;
  /** Acceleration exponent δ. */
  delta: number;
  /** Vehicle length, m. */
  length_m: number;
}

export const CITY_IDM: IdmParams = {
  v0_mps: 54 / 3.6,
  T_s: 1,
  s0_m: 2,
  a_mps2: 1,
  b_mps2: 1.5,
  delta: 4,
  length_m: 5,
};

/** Gap standing in for "no leader within sight": large enough that the interaction term vanishes. */
export const FREE_GAP_M = 1e6;

/** Hard braking limit: no car decelerates harder than this, whatever IDM asks for. */
export const MAX_DECEL_MPS2 = 9;

/**
 * IDM acceleration of a vehicle at speed `v` with desired speed `v0`, bumper gap `gap` (m) to a
 * leader moving at `vLeader`.
 */
export function idmAcceleration(p: IdmParams, v: number, v0: number, gap: number, vLeader: number): number {
  const sStar = p.s0_m + Math.max(0, v * p.T_s + (v * (v - vLeader)) / (2 * Math.sqrt(p.a_mps2 * p.b_mps2)));
  // A gap of zero would divide by zero; a hair above it gives the maximal braking that clamps below.
  const s = Math.max(gap, 0.01);
  const ratio = v / v0;
  const free = p.delta === 4 ? ratio * ratio * ratio * ratio : Math.pow(ratio, p.delta);
  const acc = p.a_mps2 * (1 - free - (sStar / s) * (sStar / s));
  return acc < -MAX_DECEL_MPS2 ? -MAX_DECEL_MPS2 : acc;
}

/** Equilibrium bumper gap at speed v (0 < v < v0): s_e = (s0 + v·T) / √(1 − (v/v0)^δ). */
export function equilibriumGap(p: IdmParams, v: number, v0: number): number {
  return (p.s0_m + v * p.T_s) / Math.sqrt(1 - Math.pow(v / v0, p.delta));
}

/**
 * Static capacity of a lane under IDM: the maximum over speeds of the equilibrium flow
 * v / (s_e(v) + length), in vehicles per second, with the speed that attains it.
 */
export function idmCapacity(p: IdmParams, v0: number): { flowVehPerS: number; speedMps: number; headwayS: number } {
  let best = { flowVehPerS: 0, speedMps: 0, headwayS: Infinity };
  // A fine scan is exact enough: the flow curve is smooth with a single maximum.
  for (let i = 1; i < 10_000; i++) {
    const v = (v0 * i) / 10_000;
    const q = v / (equilibriumGap(p, v, v0) + p.length_m);
    if (q > best.flowVehPerS) best = { flowVehPerS: q, speedMps: v, headwayS: 1 / q };
  }
  return best;
}
