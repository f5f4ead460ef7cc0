/**
 * Micro-baselines of the ingest's per-message work, without MQTT or sockets:
 *   - `JSON.parse` of the payload bytes (decode + parse): the floor any JSON consumer pays;
 *   - `validatePayload` (domain/payloads.ts): decode + parse + schema check, what the ingest calls;
 *   - the ingest handler's steps for one message (topic parse, terminal look-up, validatePayload,
 *     LiveState.apply), with the stream's `takeDelta` every 2,000 messages as in production, on a
 *     LiveState of its own.
 * Each runs on a pool of distinct, valid payloads per terminal type.
 */
import { validatePayload } from '../../domain/payloads';
import { TERMINAL_TYPES, type TerminalType } from '../../domain/terminals';
import { parseTerminalTopic, terminalTopic } from '../../domain/topics';
import { LiveState } from '../../server/devices/state/LiveState';
import type { TwinIndex } from '../../server/twin/TwinIndex';
import { opsPerSecond } from '../support/stats';
import { createRng, telemetryPayload } from './telemetry';

export interface MicroRow {
  type: TerminalType;
  payloadBytes: number;
  jsonParseOpsPerS: number;
  validateOpsPerS: number;
  /** validatePayload time ÷ JSON.parse time. */
  validateVsParse: number;
}

export interface MicroResults {
  perType: MicroRow[];
  /** Topic parse + look-up + validatePayload + LiveState.apply, all terminals round-robin. */
  handlerOpsPerS: number;
}

const POOL = 256;
const DELTA_EVERY = 2000;

export function runMicro(twin: TwinIndex): MicroResults {
  const rng = createRng(7);
  const ts = Date.now();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let sink = 0;

  const perType = TERMINAL_TYPES.map((type): MicroRow => {
    const pool = Array.from({ length: POOL }, (_, i) => Buffer.from(telemetryPayload(type, ts + i, rng)));
    const first = validatePayload('telemetry', type, pool[0]!);
    if (!first.ok) throw new Error(`benchmark payload for ${type} is invalid: ${first.error}`);
    const jsonParseOpsPerS = opsPerSecond((i) => {
      sink += (JSON.parse(utf8.decode(pool[i % POOL]!)) as { ts: number }).ts & 1;
    });
    const validateOpsPerS = opsPerSecond((i) => {
      sink += validatePayload('telemetry', type, pool[i % POOL]!).ok ? 1 : 0;
    });
    const payloadBytes = Math.round(pool.reduce((n, b) => n + b.byteLength, 0) / POOL);
    return { type, payloadBytes, jsonParseOpsPerS, validateOpsPerS, validateVsParse: jsonParseOpsPerS / validateOpsPerS };
  });

  const live = new LiveState(twin);
  const terminals = twin.terminals;
  const messages = terminals.map((t, i) => ({
    topic: terminalTopic(t.id, 'telemetry'),
    payload: Buffer.from(telemetryPayload(t.type, ts + i, rng)),
  }));
  const handlerOpsPerS = opsPerSecond((i) => {
    const m = messages[i % messages.length]!;
    // The same steps, in the same order, as server/devices/ingest/plugin.ts onMessage.
    const parsed = parseTerminalTopic(m.topic);
    const terminal = parsed && twin.terminalById.get(parsed.terminalId);
    if (!parsed || !terminal) throw new Error(`unroutable benchmark topic ${m.topic}`);
    const result = validatePayload(parsed.kind, terminal.type, m.payload);
    if (!result.ok) throw new Error(result.error);
    live.apply(terminal.id, parsed.kind, result.payload, ts);
    if (i % DELTA_EVERY === 0) sink += live.takeDelta()?.terminals.length ?? 0;
  });

  if (sink === -1) console.log('unreachable: keeps the measured results alive');
  return { perType, handlerOpsPerS };
}
