/**
 * Lets through at most `maxPerWindow` log lines per window and counts the rest, so a misbehaving
 * device fleet (thousands of bad messages a second) cannot flood the log or slow the ingest.
 */
export class LogLimiter {
  private windowStart = 0;
  private used = 0;
  private suppressed = 0;

  constructor(
    readonly maxPerWindow = 20,
    readonly windowMs = 10_000,
  ) {}

  /**
   * Whether a line may be written now. When a new window starts, `onSuppressed` is told how many
   * lines the previous one dropped, so the log still says that something was left out.
   */
  allow(now: number, onSuppressed?: (count: number) => void): boolean {
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) onSuppressed?.(this.suppressed);
      this.windowStart = now;
      this.used = 0;
      this.suppressed = 0;
    }
    if (this.used < this.maxPerWindow) {
      this.used += 1;
      return true;
    }
    this.suppressed += 1;
    return false;
  }
}
