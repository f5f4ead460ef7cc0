/**
 * Device-supplied strings reach the log escaped: control characters and the Unicode
 * bidirectional controls (a right-to-left override reorders what an operator reads) appear as
 * `\u{…}`, never as themselves.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalTopic } from '../../domain/topics';
import { escapeForLog } from '../../server/logging/escapeForLog';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { waitFor } from '../server/helpers';

const BIDI_OR_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

describe('escapeForLog', () => {
  it('escapes controls and bidi characters and leaves other text alone', () => {
    expect(escapeForLog('lamp \u202Etluaf\u202C ok')).toBe('lamp \\u{202e}tluaf\\u{202c} ok');
    expect(escapeForLog('a\u0007b\u0085c\u2067d')).toBe('a\\u{7}b\\u{85}c\\u{2067}d');
    expect(escapeForLog('路灯 P00001-lamp\ttab')).toBe('路灯 P00001-lamp\ttab');
  });
});

describe('the server log', () => {
  let twin: TinyTwin;
  let server: RunningServer;
  const lines: string[] = [];

  beforeAll(async () => {
    twin = await writeTinyTwin({ poles: 2 });
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      simulator: false,
      logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } },
    });
  });

  afterAll(async () => {
    await server?.close();
    await twin?.cleanup();
  });

  it('shows a refused device message with its bidi override escaped', async () => {
    const device = await mqtt.connectAsync(server.mqttUrl, { clientId: 'log-test', ...server.app.broker.serviceCredential, reconnectPeriod: 0 });
    try {
      const evil = JSON.stringify({ v: 1, ts: Date.now(), event: 'cover-\u202Edenepo\u202C', note: '\u001b[31mred' });
      await device.publishAsync(terminalTopic('P00001-cover-sensor', 'events'), evil, { qos: 1 });
      await waitFor(() => lines.some((l) => l.includes('refused device message')), 10_000);
    } finally {
      await device.endAsync();
    }
    const refused = lines.filter((l) => l.includes('refused device message'));
    expect(refused.length).toBeGreaterThan(0);
    for (const line of refused) {
      const parsed = JSON.parse(line) as { msg: string; payload?: string };
      expect(BIDI_OR_CONTROL.test(parsed.msg + (parsed.payload ?? '')), line).toBe(false);
    }
    expect(refused.join('\n')).toContain('\\\\u{202e}');
  });
});
