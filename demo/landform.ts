/**
 * The natural features of the demo district as smooth analytic shapes in plan coordinates:
 * the coastline (sea to the south), the river (north edge to the sea) and the hill (north-west).
 * Terrain, roads, buildings and water polygons all ask this one module, so they agree.
 */
import { smoothstep, type Vec2 } from './geometry';
import type { PlanFrame } from './frame';
import { Noise1D } from './noise';
import type { Rng } from '../kernel/random';

/** Bound on |small-scale coastline wiggle|, in metres: the coastal road keeps this much clear. */
const COAST_WIGGLE_MAX_M = 19;
/** Bound on |river swing noise|, in metres. */
const RIVER_NOISE_M = 12;
/** Widest the river gets (52–68 m). */
export const RIVER_MAX_HALF_WIDTH_M = 34;
export const BEACH_MAX_WIDTH_M = 60;

export class Landform {
  /** Mean plan q of the waterline. */
  readonly coastBaseQ: number;
  private readonly coastLarge: Noise1D;
  private readonly coastSmall: Noise1D;
  private readonly coastTiny: Noise1D;
  private readonly coastPhase: number;
  private readonly beachNoise: Noise1D;
  /** Estuary bay at the river mouth: how far the coast recedes, and over what half-width. */
  private readonly bayDepth: number;
  private readonly bayWidth: number;

  /** Mean plan p of the river's course; its meanders stay within `riverSwing` of it. */
  readonly riverAxisP: number;
  readonly riverSwing: number;
  private readonly meanderAmp: number;
  private readonly meanderWave: number;
  private readonly meanderPhase: number;
  private readonly riverNoise: Noise1D;
  private readonly widthNoise: Noise1D;
  /** River bed depth below its banks, metres. */
  readonly riverDepth: number;

  readonly hillCentre: Vec2;
  readonly hillPeak: number;
  private readonly hillSigma: number;
  private readonly ridgePhase: [number, number];

  constructor(rng: Rng, frame: PlanFrame) {
    this.coastBaseQ = -1050 + rng.range(-40, 40);
    this.coastLarge = new Noise1D(rng);
    this.coastSmall = new Noise1D(rng);
    this.coastTiny = new Noise1D(rng);
    this.coastPhase = rng.range(0, 100);
    this.beachNoise = new Noise1D(rng);
    this.bayDepth = rng.range(30, 50);
    this.bayWidth = rng.range(120, 170);

    this.riverAxisP = rng.range(150, 420);
    this.meanderAmp = rng.range(55, 80);
    this.riverSwing = this.meanderAmp + RIVER_NOISE_M;
    this.meanderWave = rng.range(950, 1300);
    this.meanderPhase = rng.range(0, Math.PI * 2);
    this.riverNoise = new Noise1D(rng);
    this.widthNoise = new Noise1D(rng);
    this.riverDepth = rng.range(3.3, 3.8);

    // The hill sits in the north-west of the district, wholly inside it.
    this.hillCentre = frame.toPlan(rng.range(620, 760), rng.range(2250, 2400));
    this.hillPeak = rng.range(135, 165);
    this.hillSigma = rng.range(220, 245);
    this.ridgePhase = [rng.range(0, Math.PI * 2), rng.range(0, Math.PI * 2)];
  }

  // ---- coast ----

  /** Large-scale coastline trend plus the estuary bay: what the coastal road and arterial follow. */
  coastTrendQ(p: number): number {
    return this.coastBaseQ + 25 * this.coastLarge.at(p / 1200 + this.coastPhase) + this.bay(p);
  }

  /** The large-scale trend alone, without the bay: the arterial follows this one. */
  coastLargeQ(p: number): number {
    return this.coastBaseQ + 25 * this.coastLarge.at(p / 1200 + this.coastPhase);
  }

  private bay(p: number): number {
    const x = (p - this.riverP(this.coastBaseQ)) / this.bayWidth;
    return this.bayDepth * Math.exp(-x * x);
  }

  /** Plan q of the waterline at p: land lies north (greater q). */
  coastQ(p: number): number {
    return this.coastTrendQ(p) + 14 * this.coastSmall.at(p / 260) + 5 * this.coastTiny.at(p / 70);
  }

  /** Upper bound of coastQ(p) − coastTrendQ(p). */
  get coastWiggleMax(): number {
    return COAST_WIGGLE_MAX_M;
  }

  /** Width of the beach above the waterline, 40–60 m. */
  beachWidth(p: number): number {
    return 50 + 10 * this.beachNoise.at(p / 400);
  }

  isSea(p: number, q: number): boolean {
    return q < this.coastQ(p);
  }

  // ---- river ----

  /** Plan p of the river centreline at q. */
  riverP(q: number): number {
    return (
      this.riverAxisP +
      this.meanderAmp * Math.sin((2 * Math.PI * q) / this.meanderWave + this.meanderPhase) +
      RIVER_NOISE_M * this.riverNoise.at(q / 280)
    );
  }

  riverHalfWidth(q: number): number {
    return 30 + 4 * this.widthNoise.at(q / 500);
  }

  /** Approximate distance to the river centreline: the offset in p times the cosine of the course's slope. */
  riverDistance(p: number, q: number): number {
    const slope = (this.riverP(q + 1) - this.riverP(q - 1)) / 2;
    return Math.abs(p - this.riverP(q)) / Math.sqrt(1 + slope * slope);
  }

  // ---- hill ----

  /** Spread of the hill along direction `angle`: lobes make the ridges. */
  private hillSpread(angle: number): number {
    return this.hillSigma * (1 + 0.16 * Math.cos(3 * angle + this.ridgePhase[0]) + 0.08 * Math.cos(5 * angle + this.ridgePhase[1]));
  }

  /** Height the hill adds at a plan point (before terrain texture). */
  hillHeight(p: number, q: number): number {
    const dp = p - this.hillCentre[0];
    const dq = q - this.hillCentre[1];
    const r = Math.hypot(dp, dq);
    const sigma = this.hillSpread(Math.atan2(dq, dp));
    return this.hillPeak * Math.exp(-(r / sigma) * (r / sigma));
  }

  /** Radius of the hill park (about where the hill adds 15 m) along direction `angle`. */
  hillParkRadius(angle: number): number {
    return 1.5 * this.hillSpread(angle);
  }

  /** True within `margin` metres outside the hill park, or inside it. */
  inHillPark(p: number, q: number, margin = 0): boolean {
    const dp = p - this.hillCentre[0];
    const dq = q - this.hillCentre[1];
    return Math.hypot(dp, dq) < this.hillParkRadius(Math.atan2(dq, dp)) + margin;
  }

  // ---- ground without the river ----

  /** Smooth ground level at distance `d` inland of the waterline (no texture), metres. */
  static profile(d: number, beachW: number): number {
    if (d < 0) return -6.2 * (1 - Math.exp(d / 140));
    if (d < beachW) return 2 * smoothstep(0, beachW, d);
    return 2 + 11 * Math.pow((d - beachW) / 2600, 1.3);
  }

  /** Level of the river banks at q: the smooth profile where the course meets it. */
  riverBankLevel(q: number): number {
    const p = this.riverP(q);
    return Math.max(0, Landform.profile(q - this.coastQ(p), this.beachWidth(p)));
  }
}
