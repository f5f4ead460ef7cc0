/**
 * Bounds a whole build's memory and disk (issue 20: a countries file once grew a build to 2.6 GB
 * with no end). Each stage has its own limits (MAX_TERRAIN_TILES, the interior limits,
 * MAX_PLANS_BYTES); this guard is the backstop for what they miss: it samples the process's
 * resident memory and the free space on the staging folder's disk every second, and the next
 * progress report after a limit is crossed ends the build with a message naming the limit.
 *
 * Sampling on a timer keeps statfs and memoryUsage off the stages' hot loops; a stage reports
 * progress often enough (per tile, per few hundred buildings) that a build stops within moments.
 */
import { totalmem } from 'node:os';
import { statfs } from 'node:fs/promises';

export interface BuildLimits {
  /** Most resident memory (RSS) the build process may reach, bytes. */
  maxMemoryBytes: number;
  /** Least free space left on the output's disk while writing, bytes. */
  minFreeDiskBytes: number;
}

const MiB = 2 ** 20;

/** Default memory bound: 60 % of the machine's memory, at most 16 GiB. */
export function defaultMaxBuildMemoryBytes(): number {
  return Math.min(Math.floor(totalmem() * 0.6), 16 * 1024 * MiB);
}

/** A build stopped by a limit of BuildLimits; its message names the limit and how to change it. */
export class BuildLimitError extends Error {
  override readonly name = 'BuildLimitError';
}

export class BuildGuard {
  private failure: BuildLimitError | undefined;
  private readonly timer: NodeJS.Timeout;
  private sampling = false;

  constructor(
    private readonly dir: string,
    private readonly limits: BuildLimits,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Takes one sample now (also done every interval); resolves when it is taken. */
  async sample(): Promise<void> {
    if (this.sampling || this.failure) return;
    this.sampling = true;
    try {
      const rss = process.memoryUsage.rss();
      if (rss > this.limits.maxMemoryBytes) {
        this.failure = new BuildLimitError(
          `the build's memory reached ${Math.round(rss / MiB)} MiB, over its limit of ${Math.round(this.limits.maxMemoryBytes / MiB)} MiB (--max-memory-mb)`,
        );
        return;
      }
      const { bavail, bsize } = await statfs(this.dir);
      const free = bavail * bsize;
      if (free < this.limits.minFreeDiskBytes) {
        this.failure = new BuildLimitError(
          `${this.dir}: only ${Math.round(free / MiB)} MiB left on the disk, under the ${Math.round(this.limits.minFreeDiskBytes / MiB)} MiB a build leaves free (--min-free-disk-mb)`,
        );
      }
    } catch {
      // A folder that vanished mid-build is the build's own error to report, not the guard's.
    } finally {
      this.sampling = false;
    }
  }

  /** Throws the BuildLimitError of a crossed limit; called at every progress report and stage end. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
