/** Argument checks shared by the subcommands: every bad value gets a message naming the option. */
import type { TInteger, TNumber } from 'typebox';
import { Value } from 'typebox/value';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A TCP port from an option or environment variable; `name` is how the user wrote it. */
export function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a port number 0–65535, got "${value}"`);
  const port = Number(value);
  if (port > 65_535) throw new UsageError(`${name} must be a port number 0–65535, got ${port}`);
  return port;
}

export function parseNumber(
  value: string | undefined,
  name: string,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (range.integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${range.integer ? 'an integer' : 'a number'}, got "${value}"`);
  }
  if (n < range.min || n > range.max) throw new UsageError(`${name} must be between ${range.min} and ${range.max}, got ${n}`);
  return n;
}

/**
 * A number option that is also a scenario parameter, checked by that parameter's TypeBox schema
 * (simulations/<kind>/scenarioParams.ts), so the CLI and the API refuse the same values.
 */
export function parseParamNumber(value: string | undefined, name: string, schema: TNumber | TInteger): number | undefined {
  const { minimum = -Infinity, maximum = Infinity } = schema as { minimum?: number; maximum?: number };
  const n = parseNumber(value, name, { min: -Infinity, max: Infinity, integer: schema.type === 'integer' });
  if (n !== undefined && !Value.Check(schema, n)) throw new UsageError(`${name} must be between ${minimum} and ${maximum}, got ${n}`);
  return n;
}
