/**
 * Which alarm each condition raises, and how severe it is.
 *
 * Reading limits come from domain/terminals.ts (READING_LIMITS); this file only names them.
 * Severity: `critical` for hazards to people on the street right now (standing water that closes
 * a lane, an open manhole), `warning` for what is handled within the working day (a dark lamp —
 * local rules allow one working day for three lamps out —, a silent or faulty sensor, air and
 * noise over their limits).
 */
import type { AlarmKind, AlarmSeverity } from '../../domain/live';
import { READING_LIMITS, TERMINAL_TYPES, type ReadingLimit, type TerminalType } from '../../domain/terminals';

export const ALARM_SEVERITY: Record<AlarmKind, AlarmSeverity> = {
  'device-fault': 'warning',
  'device-offline': 'warning',
  'lamp-fault': 'warning',
  'water-level': 'critical',
  'cover-open': 'critical',
  'cover-tilt': 'warning',
  'air-quality': 'warning',
  noise: 'warning',
};

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
