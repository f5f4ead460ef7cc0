/**
 * Which alarm each condition raises, and how severe it is.
 *
 * Reading limits come from domain/terminals.ts (READING_LIMITS); this file only names them.
 * Severity: `critical` for hazards to people on the street right now (standing water that closes
 * a lane, an open manhole), `warning` for what is handled within the working day (a dark lamp —
 * local rules allow one working day for three lamps out —, a silent or faulty sensor, air and
 * noise over their limits, three lamps out in a row, a video-AI sighting).
 *
 * Besides the per-terminal limits, two rules look wider: `lampsOutRuns` finds runs of consecutive
 * dark lamps along a road (local rules: three consecutive street lamps out are fixed within one
 * working day, so they need a case of their own, not three lamp faults), and `acceptsVideoEvent`
 * decides whether a video-AI detection is confident enough to raise an alarm.
 */
import type { AlarmKind, AlarmSeverity } from '../../../domain/live';
import { READING_LIMITS, TERMINAL_TYPES, type ReadingLimit, type TerminalType } from '../../../domain/terminals';
import { VIDEO_EVENT_INFO, type VideoEventCategory } from '../../../domain/videoEvents';

export const ALARM_SEVERITY: Record<AlarmKind, AlarmSeverity> = {
  'device-fault': 'warning',
  'device-offline': 'warning',
  'lamp-fault': 'warning',
  'water-level': 'critical',
  'cover-open': 'critical',
  'cover-tilt': 'warning',
  'air-quality': 'warning',
  noise: 'warning',
  'lamps-out': 'warning',
  'video-ai': 'warning',
};

/** The shortest run of consecutive dark lamps along a road that raises a `lamps-out` alarm. */
export const MIN_LAMPS_OUT_RUN = 3;

/**
 * Runs of at least `minRun` consecutive `true` in `out` (lamps in road order), as [first, last]
 * index pairs, inclusive.
 */
export function lampsOutRuns(out: readonly boolean[], minRun = MIN_LAMPS_OUT_RUN): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && out[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= minRun) runs.push([start, i - 1]);
      start = -1;
    }
  }
  return runs;
}

/** A detection raises an alarm only when the video system is sure enough for its category. */
export function acceptsVideoEvent(category: VideoEventCategory, confidence: number): boolean {
  return confidence >= VIDEO_EVENT_INFO[category].minConfidence;
}

/** Alarm kind per `${terminalType}/${field}` of READING_LIMITS. */
const LIMIT_ALARM_KIND: Record<string, AlarmKind> = {
  'water-level/depthCm': 'water-level',
  'cover-sensor/open': 'cover-open',
  'cover-sensor/tiltDeg': 'cover-tilt',
  'environment/pm25': 'air-quality',
  'environment/noiseDb': 'noise',
};

export interface LimitRule extends ReadingLimit {
  kind: AlarmKind;
  severity: AlarmSeverity;
}

function buildRules(): Record<TerminalType, LimitRule[]> {
  const rules = {} as Record<TerminalType, LimitRule[]>;
  for (const type of TERMINAL_TYPES) {
    rules[type] = READING_LIMITS[type].map((limit) => {
      const kind = LIMIT_ALARM_KIND[`${type}/${limit.field}`];
      // A limit added to the domain without an alarm kind is a programming error: fail at start-up, not later.
      if (!kind) throw new Error(`no alarm kind for reading limit ${type}/${limit.field}`);
      return { ...limit, kind, severity: ALARM_SEVERITY[kind] };
    });
  }
  return rules;
}

export const LIMIT_RULES: Record<TerminalType, LimitRule[]> = buildRules();

/** The alarm a device's own fault report raises: lamps have their own kind, since lamp outages are tallied apart. */
export function faultAlarmKind(type: TerminalType): AlarmKind {
  return type === 'lamp' ? 'lamp-fault' : 'device-fault';
}

/** True when the reading breaks the limit; a missing or mistyped reading breaks nothing. */
export function breaches(rule: ReadingLimit, value: number | boolean | undefined): boolean {
  if (rule.above !== undefined) return typeof value === 'number' && value > rule.above;
  if (rule.equals !== undefined) return typeof value === 'boolean' && value === rule.equals;
  return false;
}
