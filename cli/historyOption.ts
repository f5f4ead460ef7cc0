/**
 * `citytwin serve --history <spec>` (env CITYTWIN_HISTORY): `off`, or how long each kind of device
 * history is kept, as comma-separated `kind=duration` with kind raw, 1m or 1h and duration a
 * number with d (days) or y (365 days), e.g. `raw=3d,1m=30d,1h=2y`. Unnamed kinds keep their
 * defaults (raw 7 d, 1m 90 d, 1h 5 y).
 */
import type { HistoryOptions } from '../server/history/plugin';
import type { Retention } from '../server/history/rollup';
import { UsageError } from './args';

const KEYS: Record<string, keyof Retention> = { raw: 'rawMs', '1m': '1mMs', '1h': '1hMs' };
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 };

export function parseHistoryOption(spec: string | undefined, where: string): false | HistoryOptions {
  if (spec === undefined || spec === '' || spec === 'on') return {};
  if (spec === 'off') return false;
  const retention: Partial<Retention> = {};
  for (const part of spec.split(',')) {
    const m = /^(raw|1m|1h)=(\d+(?:\.\d+)?)([hdy])$/.exec(part.trim());
    if (!m) throw new UsageError(`${where}: "${part}" is not kind=duration with kind raw, 1m or 1h and duration like 7d, 12h or 5y (or use "off")`);
    retention[KEYS[m[1]!]!] = Number(m[2]) * UNIT_MS[m[3]!]!;
  }
  return { retention };
}
