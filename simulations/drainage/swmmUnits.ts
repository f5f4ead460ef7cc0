/**
 * EPA SWMM 5's units, clock and errors, shared by the `.inp` reader and writer
 * (swmmInp.ts, swmmInpWriter.ts). SWMM keeps US customary units (feet) under CFS, GPM and MGD and
 * SI (metres) under CMS, LPS and MLD (SWMM 5 User's Manual, Table 2-1 / Appendix D "FLOW_UNITS").
 */
import { DomainError } from '../../domain/DomainError';

export const FLOW_UNITS = ['CFS', 'GPM', 'MGD', 'CMS', 'LPS', 'MLD'] as const;
export type FlowUnits = (typeof FLOW_UNITS)[number];

/** m³/s per one unit of each FLOW_UNITS (US gallon 3.785411784 l, foot 0.3048 m exactly). */
export const M3S_PER_FLOW_UNIT: Record<FlowUnits, number> = {
  CFS: 0.3048 ** 3,
  GPM: 0.003785411784 / 60,
  MGD: 3785.411784 / 86400,
  CMS: 1,
  LPS: 0.001,
  MLD: 1000 / 86400,
};

export const METRES_PER_FOOT = 0.3048;

/** Metres per length unit of a file in these flow units (feet for the US ones). */
export function metresPerLengthUnit(units: FlowUnits): number {
  return units === 'CFS' || units === 'GPM' || units === 'MGD' ? METRES_PER_FOOT : 1;
}

/** SWMM's default minimum node surface area, 12.566 ft² (dynwave.c DEFAULT_SURFAREA), in m². */
export const SWMM_DEFAULT_SURFACE_AREA_M2 = 12.566 * METRES_PER_FOOT ** 2;

/** One data line of a `.inp` section: its 1-based line number in the file and its tokens. */
export interface InpRow {
  line: number;
  tokens: string[];
}

/** A `.inp` line SWMM or this model cannot take: the message names the line (1-based) and section. */
export class SwmmInpError extends DomainError {
  constructor(message: string) {
    super('invalid', message, ['inp']);
  }
}

/**
 * SWMM clock times: `H:MM[:SS]` or decimal hours (datetime.c datetime_strToTime). Returns seconds,
 * or NaN when the text is neither.
 */
export function parseClockS(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text) * 3600;
  const m = /^(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/**
 * SWMM dates `MM/DD/YYYY` (the default DATE format; also `YYYY-MM-DD`), as milliseconds of UTC
 * midnight (SWMM's clock has no zone; UTC is only the arithmetic here). NaN when not a date.
 */
export function parseDateMs(text: string): number {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return NaN;
}

/** `MM/DD/YYYY` and `HH:MM:SS` of a UTC millisecond time, for writing SWMM's options. */
export function formatDateTime(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return {
    date: `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()}`,
    time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
  };
}

/** Seconds as SWMM's `H:MM:SS` (whole seconds) or decimal hours (fractions of a second). */
export function formatClock(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) return String(seconds / 3600);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
