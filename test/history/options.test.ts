/**
 * How history is configured: `--history` parsing (cli/historyOption.ts), the retention checks of
 * the plugin, and a server with history off (no history routes, nothing recorded).
 */
import { describe, expect, it } from 'vitest';
import { parseHistoryOption } from '../../cli/historyOption';
import { checkRetention } from '../../server/history/plugin';
import { DEFAULT_RETENTION, resolveStep } from '../../server/history/rollup';
import { buildApp } from '../../server/index';
import { writeTinyTwin } from '../fixtures/tinyTwin';

const DAY = 86_400_000;

describe('history options', () => {
  it('parses off, defaults and per-kind retention', () => {
    expect(parseHistoryOption(undefined, '--history')).toEqual({});
    expect(parseHistoryOption('off', '--history')).toBe(false);
    expect(parseHistoryOption('raw=3d,1h=2y', '--history')).toEqual({ retention: { rawMs: 3 * DAY, '1hMs': 2 * 365 * DAY } });
    expect(() => parseHistoryOption('raw=3 days', '--history')).toThrow(/--history: "raw=3 days" is not kind=duration/);
    expect(() => parseHistoryOption('5m=1d', 'CITYTWIN_HISTORY')).toThrow(/CITYTWIN_HISTORY/);
  });

  it('refuses a retention that shrinks from raw to rollups, or under a minute', () => {
    expect(checkRetention(undefined)).toEqual(DEFAULT_RETENTION);
    expect(() => checkRetention({ rawMs: 100 * DAY })).toThrow(/must not shrink/);
    expect(() => checkRetention({ rawMs: 10 })).toThrow(/rawMs must be at least one minute/);
  });

  it('resolves step=auto to the finest step within the point limit and the data kept', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(resolveStep('auto', now - 3_600_000, now, DEFAULT_RETENTION, now)).toBe('raw');
    expect(resolveStep('auto', now - 2 * DAY, now, DEFAULT_RETENTION, now)).toBe('1m');
    expect(resolveStep('auto', now - 30 * DAY, now, DEFAULT_RETENTION, now)).toBe('1h');
    expect(resolveStep('auto', now - 100 * DAY, now - 99 * DAY, DEFAULT_RETENTION, now)).toBe('1h');
  });

  it('serves no history routes when history is off', async () => {
    const twin = await writeTinyTwin({ poles: 1 });
    const app = await buildApp({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false, history: false });
    try {
      expect(app.history).toBeUndefined();
      for (const url of ['/api/history/alarms', '/api/history/snapshot', '/api/terminals/P00001-lamp/history?field=powerW']) {
        expect((await app.inject(url)).statusCode, url).toBe(404);
      }
    } finally {
      await app.close();
      await twin.cleanup();
    }
  });
});
