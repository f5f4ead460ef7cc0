/**
 * SWMM 5 `[OPTIONS]`: the run's clock and the dynamic-wave settings, read into SI with SWMM 5.2's
 * defaults (project.c setDefaults) where a key is absent.
 */
import {
  FLOW_UNITS,
  SWMM_DEFAULT_SURFACE_AREA_M2,
  SwmmInpError,
  metresPerLengthUnit,
  parseClockS,
  parseDateMs,
  type FlowUnits,
  type InpRow,
} from './swmmUnits';

export interface SwmmOptions {
  /** The file's flow units (everything in the model is SI; this is what the file used). */
  flowUnits: FlowUnits;
  /** SWMM's routing method; the pipe model is dynamic wave, other methods give a warning. */
  flowRouting: 'dynwave' | 'kinwave' | 'steady';
  /** Simulation start: UTC milliseconds of START_DATE + START_TIME (SWMM's clock has no zone). */
  startMs: number;
  /** END − START, seconds. */
  durationS: number;
  /** Seconds from the start to the first reported result's period start (REPORT_START). */
  reportStartS: number;
  reportStepS: number;
  /** Fixed routing step (ROUTING_STEP), seconds. */
  routingStepS: number;
  /** VARIABLE_STEP: safety factor of the Courant step, 0 = fixed step. */
  variableStep: number;
  /** Water above a junction's rim ponds and returns (true) or is lost as flooding (false). */
  allowPonding: boolean;
  inertialDamping: 'none' | 'partial' | 'full';
  normalFlowLimited: 'slope' | 'froude' | 'both';
  surchargeMethod: 'extran' | 'slot';
  /** MIN_SURFAREA in m² (SWMM's 12.566 ft² when 0 or absent); each junction's surfaceAreaM2. */
  minSurfaceAreaM2: number;
  /** MIN_SLOPE, % (0 = none). */
  minSlopePct: number;
  /** LENGTHENING_STEP, seconds (0 = conduits not lengthened). */
  lengtheningStepS: number;
  /** HEAD_TOLERANCE, m (0 = SWMM's default 0.005 ft). */
  headToleranceM: number;
  /** MAX_TRIALS (0 = SWMM's default 8). */
  maxTrials: number;
  /** How the file gave link offsets; the network always holds depths above the node invert. */
  linkOffsets: 'depth' | 'elevation';
}

/** Keys read elsewhere or with no bearing on the pipes (hydrology, reporting, threads). */
const IGNORED_KEYS = new Set([
  'INFILTRATION', 'SWEEP_START', 'SWEEP_END', 'DRY_DAYS', 'WET_STEP', 'DRY_STEP', 'RULE_STEP',
  'SKIP_STEADY_STATE', 'IGNORE_RAINFALL', 'IGNORE_SNOWMELT', 'IGNORE_GROUNDWATER', 'IGNORE_RDII',
  'IGNORE_QUALITY', 'IGNORE_ROUTING', 'FORCE_MAIN_EQUATION', 'THREADS', 'TEMPDIR', 'COMPATIBILITY',
  'SYS_FLOW_TOL', 'LAT_FLOW_TOL', 'MINIMUM_STEP', 'CROWN_CUTOFF', 'REPORT_START_DATE',
  'REPORT_START_TIME', 'START_DATE', 'START_TIME', 'END_DATE', 'END_TIME',
]);

export function readOptions(rows: InpRow[], source: string, warnings: string[]): SwmmOptions {
  const values = new Map<string, { value: string; row: InpRow }>();
  for (const row of rows) values.set((row.tokens[0] ?? '').toUpperCase(), { value: row.tokens[1] ?? '', row });
  const where = (key: string): string => {
    const row = values.get(key)?.row;
    return row ? `${source} line ${row.line} [OPTIONS] ${key}` : `${source} [OPTIONS] ${key}`;
  };
  const pick = <T extends string>(key: string, allowed: Record<string, T>, fallback: T): T => {
    const v = values.get(key);
    if (!v) return fallback;
    const hit = allowed[v.value.toUpperCase()];
    if (hit === undefined) throw new SwmmInpError(`${where(key)}: "${v.value}" is not one of ${Object.keys(allowed).join(', ')}`);
    return hit;
  };
  const number = (key: string, fallback: number): number => {
    const v = values.get(key);
    if (!v) return fallback;
    const n = Number(v.value);
    if (!Number.isFinite(n) || n < 0) throw new SwmmInpError(`${where(key)}: must be a number ≥ 0, got "${v.value}"`);
    return n;
  };
  const clock = (key: string, fallback: number): number => {
    const v = values.get(key);
    if (!v) return fallback;
    const s = parseClockS(v.value);
    if (!Number.isFinite(s)) throw new SwmmInpError(`${where(key)}: "${v.value}" is not a time (H:MM:SS or hours)`);
    return s;
  };
  /** Steps: ROUTING_STEP is seconds when a plain number, REPORT_STEP etc. always H:MM:SS. */
  const step = (key: string, fallback: number, plainIsSeconds: boolean): number => {
    const v = values.get(key);
    if (!v) return fallback;
    const s = plainIsSeconds && /^\d+(\.\d*)?$/.test(v.value) ? Number(v.value) : parseClockS(v.value);
    if (!(s > 0)) throw new SwmmInpError(`${where(key)}: "${v.value}" is not a positive time step`);
    return s;
  };
  const date = (key: string, fallback: number): number => {
    const v = values.get(key);
    if (!v) return fallback;
    const d = parseDateMs(v.value);
    if (!Number.isFinite(d)) throw new SwmmInpError(`${where(key)}: "${v.value}" is not a date (MM/DD/YYYY)`);
    return d;
  };

  const unitsText = (values.get('FLOW_UNITS')?.value ?? 'CFS').toUpperCase();
  if (!(FLOW_UNITS as readonly string[]).includes(unitsText)) {
    throw new SwmmInpError(`${where('FLOW_UNITS')}: "${unitsText}" is not one of ${FLOW_UNITS.join(', ')}`);
  }
  const flowUnits = unitsText as FlowUnits;
  const m = metresPerLengthUnit(flowUnits);

  const startDate = date('START_DATE', Date.UTC(2004, 0, 1));
  const startMs = startDate + clock('START_TIME', 0) * 1000;
  const endMs = date('END_DATE', startDate) + clock('END_TIME', 0) * 1000;
  if (!(endMs > startMs)) throw new SwmmInpError(`${where('END_TIME')}: the end is not after the start`);
  const reportStartMs = values.has('REPORT_START_DATE') || values.has('REPORT_START_TIME')
    ? date('REPORT_START_DATE', startDate) + clock('REPORT_START_TIME', 0) * 1000
    : startMs;

  const flowRouting = pick('FLOW_ROUTING', { DYNWAVE: 'dynwave', DW: 'dynwave', KINWAVE: 'kinwave', KW: 'kinwave', STEADY: 'steady', SF: 'steady' } as const, 'dynwave');
  if (flowRouting !== 'dynwave') {
    warnings.push(`${where('FLOW_ROUTING')}: the file asks for ${flowRouting}; the pipe model routes by dynamic wave`);
  }
  const minArea = number('MIN_SURFAREA', 0);
  const headTol = number('HEAD_TOLERANCE', 0);
  for (const [key] of values) {
    if (!IGNORED_KEYS.has(key) && !KNOWN_KEYS.has(key)) warnings.push(`${where(key)}: unknown option ignored`);
  }
  return {
    flowUnits,
    flowRouting,
    startMs,
    durationS: Math.floor((endMs - startMs) / 1000),
    reportStartS: Math.max(0, (reportStartMs - startMs) / 1000),
    reportStepS: step('REPORT_STEP', 900, false),
    routingStepS: step('ROUTING_STEP', 20, true),
    variableStep: number('VARIABLE_STEP', 0),
    allowPonding: pick('ALLOW_PONDING', { YES: 'yes', NO: 'no' } as const, 'no') === 'yes',
    inertialDamping: pick('INERTIAL_DAMPING', { NONE: 'none', PARTIAL: 'partial', FULL: 'full' } as const, 'partial'),
    normalFlowLimited: pick('NORMAL_FLOW_LIMITED', { SLOPE: 'slope', FROUDE: 'froude', BOTH: 'both' } as const, 'both'),
    surchargeMethod: pick('SURCHARGE_METHOD', { EXTRAN: 'extran', SLOT: 'slot' } as const, 'extran'),
    minSurfaceAreaM2: minArea > 0 ? minArea * m * m : SWMM_DEFAULT_SURFACE_AREA_M2,
    minSlopePct: number('MIN_SLOPE', 0),
    lengtheningStepS: number('LENGTHENING_STEP', 0),
    headToleranceM: headTol * m,
    maxTrials: number('MAX_TRIALS', 0),
    linkOffsets: pick('LINK_OFFSETS', { DEPTH: 'depth', ELEVATION: 'elevation' } as const, 'depth'),
  };
}

const KNOWN_KEYS = new Set([
  'FLOW_UNITS', 'FLOW_ROUTING', 'REPORT_STEP', 'ROUTING_STEP', 'VARIABLE_STEP', 'ALLOW_PONDING',
  'INERTIAL_DAMPING', 'NORMAL_FLOW_LIMITED', 'SURCHARGE_METHOD', 'MIN_SURFAREA', 'MIN_SLOPE',
  'LENGTHENING_STEP', 'HEAD_TOLERANCE', 'MAX_TRIALS', 'LINK_OFFSETS',
]);
