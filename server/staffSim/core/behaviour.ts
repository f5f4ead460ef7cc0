/**
 * How the simulated operations staff behave: per-category delay distributions and the shares of
 * cases that go the exception ways (returned, extended, reopened). Pure data and draws; the
 * decisions that use them are in decide.ts.
 *
 * Delays are fractions of the step's own time limit (domain/cases/categories.ts), drawn from a
 * log-normal distribution: median `median`, spread `sigma` (of the log). The share over the limit
 * is P(Z > ln(1/median)/sigma); the defaults give about 7 % late handling, 2 % late dispatch and
 * 4 % late verification — "most on time, some overdue", as the on-time rates of the centres in
 * shared/domain.md (handling rates above 97 %) suggest.
 *
 * Every draw is a pure function of (seed, case id, what is decided, how many times the case went
 * round), so a restart decides the same and tests can check the distributions directly.
 */
import { fnv1a } from '../../../kernel/hash';

/** A log-normal share of a time limit. */
export interface Spread {
  median: number;
  sigma: number;
}

export interface CategoryBehaviour {
  /** Feedback after dispatch, as a share of the handling limit. */
  handle: Spread;
  /** Share of cases whose handler asks for more time (once per case). */
  extensionShare: number;
  /** Share of cases the first department returns as not theirs. */
  returnShare: number;
  /** Share of cases the first fix fails verification (reopened). */
  reopenShare: number;
}

export const DEFAULT_BEHAVIOUR: CategoryBehaviour = {
  handle: { median: 0.45, sigma: 0.55 },
  extensionShare: 0.05,
  returnShare: 0.03,
  reopenShare: 0.04,
};

/**
 * Per category where it differs from the default: hazards get done fast and reliably; lamps and
 * terminals wait for a crew and parts (more extensions, more rework); street-order events are
 * often sent to the wrong unit first.
 */
export const CATEGORY_BEHAVIOUR: Readonly<Record<string, Partial<CategoryBehaviour>>> = {
  'cover-missing': { handle: { median: 0.4, sigma: 0.4 }, extensionShare: 0.01, reopenShare: 0.02 },
  'road-flooding': { handle: { median: 0.4, sigma: 0.45 }, extensionShare: 0.02 },
  'lamp-out': { handle: { median: 0.35, sigma: 0.6 }, extensionShare: 0.08, reopenShare: 0.06 },
  'lamps-out-consecutive': { handle: { median: 0.5, sigma: 0.5 }, extensionShare: 0.1, reopenShare: 0.05 },
  'terminal-fault': { handle: { median: 0.4, sigma: 0.65 }, extensionShare: 0.1, reopenShare: 0.06 },
  'illegal-parking': { handle: { median: 0.5, sigma: 0.5 }, returnShare: 0.06 },
  'street-vending': { handle: { median: 0.5, sigma: 0.55 }, returnShare: 0.06, reopenShare: 0.07 },
  'business-outside-shop': { returnShare: 0.06, reopenShare: 0.07 },
  'environment-exceedance': { handle: { median: 0.5, sigma: 0.5 }, returnShare: 0.08 },
};

export function behaviourOf(categoryId: string): CategoryBehaviour {
  return { ...DEFAULT_BEHAVIOUR, ...CATEGORY_BEHAVIOUR[categoryId] };
}

/** The other steps, as shares of their limits (dispatch, verification) or in minutes (the rest). */
export const STEP_SPREADS = {
  /** Registration after the report arrives, in minutes (no limit of its own). */
  registerMin: { median: 4, sigma: 0.6 },
  /** Dispatch after registration, as a share of the dispatch limit (10 or 30 min). */
  dispatch: { median: 0.35, sigma: 0.5 },
  /** Acceptance after dispatch, in minutes (the handling clock already runs). */
  acceptMin: { median: 12, sigma: 0.7 },
  /** A return comes soon after dispatch, in minutes. */
  returnMin: { median: 20, sigma: 0.5 },
  /** The extension request, as a share of the handling limit. */
  extensionAt: { median: 0.6, sigma: 0.2 },
  /** The dispatcher's decision on an extension, in minutes after the request. */
  decideExtensionMin: { median: 15, sigma: 0.5 },
  /** On-site verification after feedback, as a share of the verification limit (1 h or 2 h). */
  verify: { median: 0.4, sigma: 0.5 },
  /** Evaluation after closing, in minutes (a daily review, so hours). */
  evaluateMin: { median: 240, sigma: 0.6 },
  /** A citizen rates after the case closed, in minutes. */
  rateMin: { median: 90, sigma: 0.8 },
} as const satisfies Record<string, Spread>;

/** Extra time asked for, as a share of the handling limit, and how often it is granted. */
export const EXTENSION = { askShare: 0.5, approveShare: 0.8 } as const;
/** A handler who asked for more time finishes at this share of the original limit. */
export const EXTENDED_HANDLE: Spread = { median: 1.2, sigma: 0.15 };
/** Citizens: the share who rate at all, and the ratings they give (1..5) with their weights. */
export const CITIZEN_RATE_SHARE = 0.6;
export const RATING_WEIGHTS: readonly number[] = [0.02, 0.03, 0.1, 0.3, 0.55];
/** Citizen reports the dispatcher cancels as invalid. */
export const INVALID_REPORT_SHARE = 0.05;

/** A uniform number in [0, 1) fixed by its key. */
export function uniform(seed: number, ...key: ReadonlyArray<string | number>): number {
  // FNV-1a over the key and the seed, then MurmurHash3's finaliser so that keys differing in one
  // character (case C00000041 and C00000042) give unrelated numbers.
  let h = fnv1a(`${key.join('|')}#${seed}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

/** True with probability `p`, fixed by its key. */
export function chance(p: number, seed: number, ...key: ReadonlyArray<string | number>): boolean {
  return uniform(seed, ...key) < p;
}

/** A log-normal draw with the spread's median and sigma, fixed by its key (Box–Muller). */
export function logNormal(spread: Spread, seed: number, ...key: ReadonlyArray<string | number>): number {
  // 1 − u keeps the logarithm finite: uniform() is in [0, 1).
  const u1 = 1 - uniform(seed, ...key, 'a');
  const u2 = uniform(seed, ...key, 'b');
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return spread.median * Math.exp(spread.sigma * z);
}

/** A rating 1..5 by RATING_WEIGHTS, fixed by its key. */
export function rating(seed: number, ...key: ReadonlyArray<string | number>): number {
  let u = uniform(seed, ...key);
  for (let i = 0; i < RATING_WEIGHTS.length; i++) {
    u -= RATING_WEIGHTS[i]!;
    if (u < 0) return i + 1;
  }
  return RATING_WEIGHTS.length;
}
