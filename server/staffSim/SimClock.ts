/**
 * The simulated clock of the demo: simulated time runs `speedup` times faster than the wall clock,
 * as the device simulator's day already does (its readings, faults and video-AI rates follow
 * simulated time). With the simulated staff on, the case workflow runs on it too — deadlines,
 * supervision, KPIs and the staff's delays all count simulated minutes — so a 2-hour limit means
 * 2 simulated hours, and on-time rates come out as a real centre's would.
 *
 * It starts at the later of the wall clock and the newest case time, so a restart never puts new
 * cases before old ones (a demo that ran ahead of the wall clock carries on from where it was).
 */
export class SimClock {
  /** Simulated ms at `wallOrigin`. */
  readonly simOrigin: number;

  constructor(
    readonly speedup: number,
    simOrigin: number,
    readonly wallOrigin: number = Date.now(),
    private readonly wall: () => number = Date.now,
  ) {
    if (!(speedup > 0) || !Number.isFinite(speedup)) throw new RangeError(`simulated clock speed-up must be > 0, got ${speedup}`);
    this.simOrigin = Math.max(simOrigin, wallOrigin);
  }

  /** Simulated ms since epoch now. */
  readonly now = (): number => this.simOrigin + (this.wall() - this.wallOrigin) * this.speedup;

  /** Wall-clock ms that `simMs` of simulated time take. */
  wallMs(simMs: number): number {
    return simMs / this.speedup;
  }
}
