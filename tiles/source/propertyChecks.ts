/**
 * Small typed readers for feature properties and table rows. Each reads one key of an untrusted
 * object and returns a typed value or throws a FeatureRejection naming the key and the value.
 */
import { FeatureRejection } from './geometryChecks';

export type Untrusted = Record<string, unknown>;

/** Longest string accepted for names, ids and models: keeps one bad feature from bloating the package. */
const MAX_STRING_LENGTH = 512;

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function isRecord(v: unknown): v is Untrusted {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStr(v: unknown, label: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.trim() === '') throw new FeatureRejection(`${label} must be a non-empty string, got ${show(v)}`);
  if (v.length > MAX_STRING_LENGTH) throw new FeatureRejection(`${label} is longer than ${MAX_STRING_LENGTH} characters`);
  if (pattern && !pattern.test(v)) throw new FeatureRejection(`${label} ${show(v)} does not match ${pattern.source}`);
  return v;
}

function checkOneOf<T extends string>(v: unknown, label: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new FeatureRejection(`${label} must be one of ${values.join(', ')}, got ${show(v)}`);
  }
  return v as T;
}

export function str(o: Untrusted, key: string, pattern?: RegExp): string {
  return checkStr(o[key], key, pattern);
}

export function optStr(o: Untrusted, key: string, pattern?: RegExp): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : str(o, key, pattern);
}

export interface NumberRule {
  /** Exclusive lower bound (e.g. heights must be > 0). */
  above?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

export function num(o: Untrusted, key: string, rule: NumberRule = {}): number {
  const v = o[key];
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.above === undefined || v > rule.above) &&
    (rule.min === undefined || v >= rule.min) &&
    (rule.max === undefined || v <= rule.max);
  if (!ok) {
    const range = [
      rule.above !== undefined ? `> ${rule.above}` : undefined,
      rule.min !== undefined ? `≥ ${rule.min}` : undefined,
      rule.max !== undefined ? `≤ ${rule.max}` : undefined,
    ].filter((s) => s !== undefined);
    const what = `${rule.integer ? 'an integer' : 'a number'}${range.length ? ` ${range.join(' and ')}` : ''}`;
    throw new FeatureRejection(`${key} must be ${what}, got ${show(v)}`);
  }
  return v;
}

export function oneOf<T extends string>(o: Untrusted, key: string, values: readonly T[]): T {
  return checkOneOf(o[key], key, values);
}

export function strArray(o: Untrusted, key: string, pattern?: RegExp): string[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FeatureRejection(`${key} must be an array of strings, got ${show(v)}`);
  return v.map((item: unknown, i) => checkStr(item, `${key}[${i}]`, pattern));
}

export function oneOfArray<T extends string>(o: Untrusted, key: string, values: readonly T[]): T[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FeatureRejection(`${key} must be an array, got ${show(v)}`);
  return v.map((item: unknown, i) => checkOneOf(item, `${key}[${i}]`, values));
}

export function record(o: Untrusted, key: string): Untrusted {
  const v = o[key];
  if (!isRecord(v)) throw new FeatureRejection(`${key} must be an object, got ${show(v)}`);
  return v;
}
