/**
 * Validation of an arterial given as JSON (CLI file, scenario params): every field checked,
 * unknown fields refused, errors naming the path (`intersections[2].positionM`), and limits that
 * keep a search within seconds.
 */
import type { Arterial, ArterialIntersection } from './arterial';
import { MAX_SEARCH_WORK, searchWork } from './optimise';

export const ARTERIAL_LIMITS = {
  intersections: { min: 2, max: 40 },
  cycleSeconds: { min: 20, max: 300 },
  speedMps: { min: 1, max: 40 },
  positionM: { min: 0, max: 50_000 },
  speedStepMps: { min: 0.01, max: 10 },
  cycleStepSeconds: { min: 0.1, max: 60 },
  inboundWeight: { min: 0, max: 10 },
} as const;

export class ArterialError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'ArterialError';
  }
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function onlyKnown(obj: Json, known: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new ArterialError(path ? `${path}.${key}` : key, `unknown field; expected one of ${known.join(', ')}`);
  }
}

export function checkNumber(value: unknown, path: string, range: { min: number; max: number }, opts: { exclusiveMin?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ArterialError(path, `must be a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  const lowOk = opts.exclusiveMin ? value > range.min : value >= range.min;
  if (!lowOk || value > range.max) {
    throw new ArterialError(path, `must be ${opts.exclusiveMin ? 'above' : 'at least'} ${range.min} and at most ${range.max}, got ${value}`);
  }
  return value;
}

export function checkRange(value: unknown, path: string, limits: { min: number; max: number }): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new ArterialError(path, 'must be [min, max]');
  const lo = checkNumber(value[0], `${path}[0]`, limits);
  const hi = checkNumber(value[1], `${path}[1]`, limits);
  if (hi < lo) throw new ArterialError(path, `max ${hi} is below min ${lo}`);
  return [lo, hi];
}

const ARTERIAL_FIELDS = [
  'cycleSeconds', 'speedMps', 'intersections', 'speedRangeMps', 'cycleRangeSeconds',
  'speedStepMps', 'cycleStepSeconds', 'inboundWeight', 'offsetsSeconds',
] as const;
const INTERSECTION_FIELDS = ['id', 'positionM', 'greenSeconds', 'inboundGreenSeconds', 'inboundGreenStartSeconds'] as const;

function parseIntersection(raw: unknown, path: string, cycleSeconds: number, previous: ArterialIntersection | undefined): ArterialIntersection {
  if (!isObject(raw)) throw new ArterialError(path, 'must be an object');
  onlyKnown(raw, INTERSECTION_FIELDS, path);
  if (typeof raw.id !== 'string' || raw.id.trim() === '' || raw.id.length > 64) {
    throw new ArterialError(`${path}.id`, 'must be a non-empty string of at most 64 characters');
  }
  const positionM = checkNumber(raw.positionM, `${path}.positionM`, ARTERIAL_LIMITS.positionM);
  if (previous && positionM <= previous.positionM) {
    throw new ArterialError(`${path}.positionM`, `must be greater than the previous intersection's ${previous.positionM} (list them in order along the arterial)`);
  }
  const cycle = { min: 0, max: cycleSeconds };
  const out: ArterialIntersection = { id: raw.id, positionM, greenSeconds: checkNumber(raw.greenSeconds, `${path}.greenSeconds`, cycle, { exclusiveMin: true }) };
  if (raw.inboundGreenSeconds !== undefined) {
    out.inboundGreenSeconds = checkNumber(raw.inboundGreenSeconds, `${path}.inboundGreenSeconds`, cycle, { exclusiveMin: true });
  }
  if (raw.inboundGreenStartSeconds !== undefined) {
    out.inboundGreenStartSeconds = checkNumber(raw.inboundGreenStartSeconds, `${path}.inboundGreenStartSeconds`, { min: -cycleSeconds, max: cycleSeconds });
  }
  return out;
}

/** Throws ArterialError naming the field; `prefix` is prepended to paths (e.g. "params.arterial"). */
export function parseArterial(raw: unknown, prefix = ''): Arterial {
  try {
    return parseArterialAt(raw);
  } catch (err) {
    if (err instanceof ArterialError && prefix) throw new ArterialError(`${prefix}.${err.path}`, err.detail);
    throw err;
  }
}

function parseArterialAt(raw: unknown): Arterial {
  if (!isObject(raw)) throw new ArterialError('arterial', 'must be a JSON object');
  onlyKnown(raw, ARTERIAL_FIELDS, '');
  const cycleSeconds = checkNumber(raw.cycleSeconds, 'cycleSeconds', ARTERIAL_LIMITS.cycleSeconds);
  const speedMps = checkNumber(raw.speedMps, 'speedMps', ARTERIAL_LIMITS.speedMps);
  const list = raw.intersections;
  const { min, max } = ARTERIAL_LIMITS.intersections;
  if (!Array.isArray(list)) throw new ArterialError('intersections', 'must be an array');
  if (list.length < min || list.length > max) throw new ArterialError('intersections', `must hold ${min} to ${max} intersections, got ${list.length}`);
  const intersections: ArterialIntersection[] = [];
  const ids = new Set<string>();
  list.forEach((item, i) => {
    const parsed = parseIntersection(item, `intersections[${i}]`, cycleSeconds, intersections[i - 1]);
    if (ids.has(parsed.id)) throw new ArterialError(`intersections[${i}].id`, `duplicate id "${parsed.id}"`);
    ids.add(parsed.id);
    intersections.push(parsed);
  });
  const arterial: Arterial = { cycleSeconds, speedMps, intersections };
  if (raw.speedRangeMps !== undefined) arterial.speedRangeMps = checkRange(raw.speedRangeMps, 'speedRangeMps', ARTERIAL_LIMITS.speedMps);
  if (raw.cycleRangeSeconds !== undefined) arterial.cycleRangeSeconds = checkRange(raw.cycleRangeSeconds, 'cycleRangeSeconds', ARTERIAL_LIMITS.cycleSeconds);
  if (raw.speedStepMps !== undefined) arterial.speedStepMps = checkNumber(raw.speedStepMps, 'speedStepMps', ARTERIAL_LIMITS.speedStepMps);
  if (raw.cycleStepSeconds !== undefined) arterial.cycleStepSeconds = checkNumber(raw.cycleStepSeconds, 'cycleStepSeconds', ARTERIAL_LIMITS.cycleStepSeconds);
  if (raw.inboundWeight !== undefined) arterial.inboundWeight = checkNumber(raw.inboundWeight, 'inboundWeight', ARTERIAL_LIMITS.inboundWeight);
  if (raw.offsetsSeconds !== undefined) {
    const offsets = raw.offsetsSeconds;
    if (!isObject(offsets)) throw new ArterialError('offsetsSeconds', 'must be an object of offsets by intersection id');
    const parsed: Record<string, number> = {};
    for (const [id, value] of Object.entries(offsets)) {
      if (!ids.has(id)) throw new ArterialError(`offsetsSeconds.${id}`, 'is not an intersection id');
      parsed[id] = checkNumber(value, `offsetsSeconds.${id}`, { min: -cycleSeconds, max: cycleSeconds });
    }
    arterial.offsetsSeconds = parsed;
  }
  const work = searchWork(arterial);
  if (work > MAX_SEARCH_WORK) {
    const field = arterial.cycleRangeSeconds ? 'cycleRangeSeconds' : 'speedRangeMps';
    throw new ArterialError(field, `the search grid is too large (${work.toExponential(1)} steps, limit ${MAX_SEARCH_WORK.toExponential(1)}): narrow the range or use a coarser step`);
  }
  return arterial;
}
