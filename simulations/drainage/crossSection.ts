/**
 * Cross-section geometry of a link as functions of the flow depth y (metres above the link's
 * invert): flow area A (m²), wetted perimeter P (m), hydraulic radius R = A/P (m) and top width T
 * (m), for the four shapes of `network.ts`; the full-flow area and Manning capacity; critical and
 * normal depths for a flow. Closed shapes above their crown carry a Preissmann slot (see
 * `slotWidthM`), as SWMM 5.1.013+ does with its SLOT surcharge method; open shapes keep their top
 * width above the bank (their walls extended upwards).
 *
 * Formulas: circular segment A = D²/8·(θ − sin θ), P = D·θ/2, T = D·sin(θ/2) with
 * θ = 2·acos(1 − 2y/D) (Chow 1959, Open-Channel Hydraulics, table 2-1); rectangle and trapezoid
 * from the same table. Manning (SI): Q = (1/n)·A·R^(2/3)·√S.
 */
import type { CrossSection } from './network';

export const G = 9.81;

/** Full (crown) depth of a section, m. */
export function fullDepthM(section: CrossSection): number {
  return section.shape === 'circular' ? section.diameterM : section.heightM;
}

/** Largest top width (for the slot), m. */
export function maxWidthM(section: CrossSection): number {
  switch (section.shape) {
    case 'circular':
      return section.diameterM;
    case 'rect-closed':
    case 'rect-open':
      return section.widthM;
    case 'trapezoidal':
      return section.bottomWidthM + (section.leftSlope + section.rightSlope) * section.heightM;
  }
}

export function isClosed(section: CrossSection): boolean {
  return section.shape === 'circular' || section.shape === 'rect-closed';
}

/** Depth clamped into the section (closed shapes) or kept (open shapes extend upwards). */
function clampDepth(section: CrossSection, y: number): number {
  if (y <= 0) return 0;
  const full = fullDepthM(section);
  return isClosed(section) && y > full ? full : y;
}

function circleAngle(diameterM: number, y: number): number {
  const c = 1 - (2 * y) / diameterM;
  return 2 * Math.acos(c < -1 ? -1 : c > 1 ? 1 : c);
}

/** Flow area at depth y within the section (no slot), m². */
export function areaM2(section: CrossSection, yM: number): number {
  const y = clampDepth(section, yM);
  switch (section.shape) {
    case 'circular': {
      const th = circleAngle(section.diameterM, y);
      return ((section.diameterM * section.diameterM) / 8) * (th - Math.sin(th));
    }
    case 'rect-closed':
    case 'rect-open':
      return section.widthM * y;
    case 'trapezoidal':
      return (section.bottomWidthM + 0.5 * (section.leftSlope + section.rightSlope) * y) * y;
  }
}

/** Wetted perimeter at depth y, m. A closed rectangle running full wets its roof too. */
export function wettedPerimeterM(section: CrossSection, yM: number): number {
  const y = clampDepth(section, yM);
  switch (section.shape) {
    case 'circular':
      return (section.diameterM * circleAngle(section.diameterM, y)) / 2;
    case 'rect-closed':
      return section.widthM + 2 * y + (y >= section.heightM ? section.widthM : 0);
    case 'rect-open':
      return section.widthM + 2 * y;
    case 'trapezoidal':
      return section.bottomWidthM + y * (Math.hypot(1, section.leftSlope) + Math.hypot(1, section.rightSlope));
  }
}

/** Hydraulic radius A/P at depth y, m (0 when dry). */
export function hydraulicRadiusM(section: CrossSection, yM: number): number {
  const p = wettedPerimeterM(section, yM);
  return p > 0 ? areaM2(section, yM) / p : 0;
}

/** Top width of the water surface at depth y, m (0 for a closed shape at or above its crown). */
export function topWidthM(section: CrossSection, yM: number): number {
  const y = yM <= 0 ? 0 : yM;
  switch (section.shape) {
    case 'circular':
      if (y >= section.diameterM) return 0;
      return section.diameterM * Math.sin(circleAngle(section.diameterM, y) / 2);
    case 'rect-closed':
      return y >= section.heightM ? 0 : section.widthM;
    case 'rect-open':
      return section.widthM;
    case 'trapezoidal':
      return section.bottomWidthM + (section.leftSlope + section.rightSlope) * y;
  }
}

/** Depth ratio above which SWMM's slot starts (its CrownCutoff). */
export const CROWN_CUTOFF = 0.985;

/**
 * Preissmann slot width of a closed section at depth y, m: Sjöberg's formula
 * w = 0.5423·W·exp(−(y/D)^2.4) for CROWN_CUTOFF ≤ y/D ≤ 1.78 and 1 % of W beyond (as in SWMM
 * 5.1.013+, `dwflow.c` getSlotWidth; Sjöberg 1982 via Pachaly et al. 2020). 0 for open shapes
 * and below the cutoff.
 */
export function slotWidthM(section: CrossSection, yM: number): number {
  if (!isClosed(section)) return 0;
  const ratio = yM / fullDepthM(section);
  if (ratio < CROWN_CUTOFF) return 0;
  const w = maxWidthM(section);
  return ratio > 1.78 ? 0.01 * w : w * 0.5423 * Math.exp(-Math.pow(ratio, 2.4));
}

/** Flow area with the slot above the crown: A_full + (y − D)·w_slot(y), m² (SWMM's getArea). */
export function slotAreaM2(section: CrossSection, yM: number): number {
  const full = fullDepthM(section);
  if (!isClosed(section) || yM < full) return areaM2(section, yM);
  return areaM2(section, full) + (yM - full) * slotWidthM(section, yM);
}

/** Top width the water surface presents at depth y, slot included (SWMM's getWidth), m. */
export function surfaceWidthM(section: CrossSection, yM: number): number {
  const slot = slotWidthM(section, yM);
  if (slot > 0) return slot;
  return topWidthM(section, yM);
}

/** Hydraulic radius, R_full above the crown, m. */
export function slotHydraulicRadiusM(section: CrossSection, yM: number): number {
  const full = fullDepthM(section);
  return hydraulicRadiusM(section, isClosed(section) && yM > full ? full : yM);
}

/** What a link's momentum equation reads at one depth (see `slotGeometryAt`). */
export interface DepthGeometry {
  areaM2: number;
  /** R_full above a closed section's crown, m. */
  hydraulicRadiusM: number;
  /** Slot included, m. */
  surfaceWidthM: number;
}

/**
 * `areaM2`, `slotHydraulicRadiusM` and `surfaceWidthM` at one depth, into `out`, with the same
 * values bit for bit: a circle's angle is computed once instead of four times (the pipe phase of
 * a coupled run spent about 40 % of its time in these functions).
 */
export function slotGeometryAt(section: CrossSection, yM: number, out: DepthGeometry): DepthGeometry {
  if (section.shape !== 'circular') {
    out.areaM2 = areaM2(section, yM);
    out.hydraulicRadiusM = slotHydraulicRadiusM(section, yM);
    out.surfaceWidthM = surfaceWidthM(section, yM);
    return out;
  }
  const d = section.diameterM;
  // Above the crown the area and radius are the full ones (clampDepth), the width the slot's.
  const th = circleAngle(d, clampDepth(section, yM));
  const area = ((d * d) / 8) * (th - Math.sin(th));
  const perimeter = (d * th) / 2;
  out.areaM2 = area;
  out.hydraulicRadiusM = perimeter > 0 ? area / perimeter : 0;
  const slot = slotWidthM(section, yM);
  out.surfaceWidthM = slot > 0 ? slot : yM >= d ? 0 : d * Math.sin(th / 2);
  return out;
}

/** Full-flow area, m². */
export function fullAreaM2(section: CrossSection): number {
  return areaM2(section, fullDepthM(section));
}

/**
 * Manning full-flow capacity (m³/s) at bed slope `slope` (m/m): (1/n)·A_full·R_full^(2/3)·√S.
 * SWMM reports the same "full flow" for its capacity ratio. An adverse pipe gets the capacity
 * at |slope| and a flat one at 1e-5 (SWMM's minimum slope, 0.001 %), so the ratio stays finite.
 */
export function fullFlowM3s(section: CrossSection, manningN: number, slope: number): number {
  const s = Math.max(Math.abs(slope), 1e-5);
  const full = fullDepthM(section);
  return (fullAreaM2(section) * Math.pow(hydraulicRadiusM(section, full), 2 / 3) * Math.sqrt(s)) / manningN;
}

/** Relative depth tolerance of `solveIncreasing` (of the search range). */
const SOLVE_TOLERANCE = 1e-12;

/**
 * Root of f(y) = target for f increasing over [0, yMax] (f(0) = 0): false position with the
 * Illinois modification (Dowell & Jarratt 1971), which keeps the bracket and converges
 * superlinearly on these smooth section functions (about 8 evaluations where 40 halvings were
 * spent before), with a halving wherever f is not finite (a closed section's crown). Returns
 * yMax when f(yMax) ≤ target. A guess (the last solution for a slowly changing flow) first
 * narrows the bracket to ±2 % around it, where two or three more evaluations finish.
 */
function solveIncreasing(f: (y: number) => number, target: number, yMax: number, guess = 0): number {
  let lo = 0;
  let hi = yMax;
  let gLo = -target;
  let gHi = f(hi) - target;
  if (gHi <= 0) return hi;
  if (guess > 0 && guess < yMax) {
    const below = 0.98 * guess;
    const gBelow = f(below) - target;
    if (gBelow > 0) {
      hi = below;
      gHi = gBelow;
    } else {
      lo = below;
      gLo = gBelow;
      const above = Math.min(1.02 * guess, yMax);
      const gAbove = f(above) - target;
      if (gAbove > 0) {
        hi = above;
        gHi = gAbove;
      } else {
        lo = above;
        gLo = gAbove;
      }
    }
  }
  const tolerance = SOLVE_TOLERANCE * yMax;
  let side = 0;
  for (let i = 0; i < 100 && hi - lo > tolerance; i++) {
    const y = Number.isFinite(gHi) ? (lo * gHi - hi * gLo) / (gHi - gLo) : 0.5 * (lo + hi);
    const g = f(y) - target;
    if (g === 0) return y;
    if (g < 0) {
      lo = y;
      gLo = g;
      if (side === -1) gHi *= 0.5;
      side = -1;
    } else {
      hi = y;
      gHi = g;
      if (side === 1) gLo *= 0.5;
      side = 1;
    }
    // The interval shrinks from one side only when the root is close: stop at the tolerance there.
    if (Math.abs(g) <= 1e-12 * target) return y;
  }
  return gHi < -gLo ? hi : lo;
}

/**
 * Critical depth for discharge q (m³/s): Q²·T = g·A³, i.e. A·√(g·A/T) = Q, m. Capped at the full
 * depth (for closed shapes the section factor A^1.5/√T grows without bound towards the crown).
 * `guessM`: a depth near the answer (e.g. the last one for this link), which saves evaluations.
 */
export function criticalDepthM(section: CrossSection, qM3s: number, guessM = 0): number {
  const q = Math.abs(qM3s);
  if (q <= 0) return 0;
  const full = fullDepthM(section);
  const factor = (y: number): number => {
    const a = areaM2(section, y);
    const t = topWidthM(section, y);
    return t > 0 ? a * Math.sqrt((G * a) / t) : Number.POSITIVE_INFINITY;
  };
  return solveIncreasing(factor, q, isClosed(section) ? full : full * 10, guessM);
}

/**
 * Normal depth for discharge q at bed slope s: (1/n)·A·R^(2/3)·√s = Q, m. For closed shapes the
 * section factor A·R^(2/3) peaks just below the crown (0.938 D for a circle); the search runs
 * up to that depth and returns the full depth for flows beyond it. `guessM` as for criticalDepthM.
 */
export function normalDepthM(section: CrossSection, manningN: number, slope: number, qM3s: number, guessM = 0): number {
  const q = Math.abs(qM3s);
  if (q <= 0) return 0;
  const beta = Math.sqrt(Math.max(Math.abs(slope), 1e-5)) / manningN;
  const conveyance = (y: number): number => beta * areaM2(section, y) * Math.pow(hydraulicRadiusM(section, y), 2 / 3);
  const full = fullDepthM(section);
  const top = section.shape === 'circular' ? 0.938 * full : isClosed(section) ? full * 0.999 : full * 10;
  const y = solveIncreasing(conveyance, q, top, guessM);
  return y >= top && isClosed(section) ? full : y;
}
