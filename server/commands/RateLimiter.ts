/**
 * Fixed-window counters: at most `max` units per key per window. Commands count against the
 * user who sends them (requests) and each device they go to (commands), so neither a runaway
 * script nor a tight loop on one lamp floods the field network. In memory, per instance: in a
 * cluster each instance allows its own share (docs/commands.md).
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(readonly limit: RateLimit) {
    if (!(Number.isInteger(limit.max) && limit.max > 0 && limit.windowMs > 0)) throw new RangeError('rate limit: max must be a positive integer and windowMs positive');
  }

  /** Units `key` has left in its current window. */
  left(key: string, now: number): number {
    const w = this.windows.get(key);
    return !w || now - w.start >= this.limit.windowMs ? this.limit.max : this.limit.max - w.used;
  }

  /** Takes `n` units for `key`. Call only after `left` said there were enough. */
  take(key: string, now: number, n = 1): void {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.limit.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    w.used += n;
    // Forget finished windows now and then, so the map holds only recent keys.
    if (this.windows.size > 50_000) {
      for (const [k, old] of this.windows) if (now - old.start >= this.limit.windowMs) this.windows.delete(k);
    }
  }
}
