/**
 * Log lines carry what devices and strangers send (topics, client ids, payload samples, user
 * names). JSON escapes C0 controls but passes C1 controls and the Unicode bidirectional controls
 * through, so a right-to-left override in a device's event name would reorder what an operator
 * reads in a terminal. Every string that reaches the log goes through `escapeForLog`.
 */

/** C0 and C1 controls (tab excepted), bidi marks, embeddings, overrides and isolates, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** The text with each unsafe character written as `\u{…}`; safe text comes back unchanged. */
export function escapeForLog(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** Escapes the strings of a log argument: plain objects and arrays a few levels deep; Errors and other objects as they are. */
function escapeValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return escapeForLog(value);
  if (depth >= 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => escapeValue(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = escapeValue(v, depth + 1);
  return out;
}

type LogMethod = (this: unknown, ...args: unknown[]) => void;

/** pino options with a `logMethod` hook that escapes every logged string (Fastify's `logger` option). */
export function withLogEscaping<T extends object>(options: T): T & { hooks: { logMethod: (args: unknown[], method: LogMethod) => void } } {
  return {
    ...options,
    hooks: {
      logMethod(this: unknown, args: unknown[], method: LogMethod) {
        method.apply(this, args.map((a) => escapeValue(a, 0)));
      },
    },
  };
}
