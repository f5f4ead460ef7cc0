/**
 * Exhibition mode: a scripted tour that loops unattended. Pure timing logic: the view calls
 * `tick(now)` and performs the stop it is told to; any user input pauses the tour and a quiet
 * spell (`idleMs`) resumes it from the next stop.
 */
export const TOUR_STOPS = ['overview', 'devices', 'incident', 'interior', 'simulation'] as const;
export type TourStopId = (typeof TOUR_STOPS)[number];

export interface TourOptions {
  /** How long each stop is shown. */
  stopMs: number;
  /** Quiet time after the last input before a paused tour resumes. */
  idleMs: number;
  /** Stops this twin can show now (e.g. `simulation` only when a result exists). */
  available: (stop: TourStopId) => boolean;
}

export interface TourState {
  stop: TourStopId | null;
  /** How many stops have been shown since the tour started (for tests and kiosk logs). */
  visits: number;
  paused: boolean;
}

export class TourPlayer {
  private index = -1;
  private stopStartedAt = 0;
  private lastInputAt = 0;
  private paused = false;
  private visits = 0;

  constructor(private readonly options: TourOptions) {
    if (!(options.stopMs > 0) || !(options.idleMs > 0)) throw new Error('tour stop and idle times must be positive');
  }

  /** Advances when due; returns the stop to show when it changes, else null. */
  tick(now: number): TourStopId | null {
    if (this.paused) {
      if (now - this.lastInputAt < this.options.idleMs) return null;
      this.paused = false;
      return this.advance(now);
    }
    if (this.index < 0 || now - this.stopStartedAt >= this.options.stopMs) return this.advance(now);
    return null;
  }

  /** A user touched the screen, a key or the mouse: hold the current view. */
  input(now: number): void {
    this.paused = true;
    this.lastInputAt = now;
  }

  state(): TourState {
    return { stop: this.index < 0 ? null : TOUR_STOPS[this.index]!, visits: this.visits, paused: this.paused };
  }

  private advance(now: number): TourStopId | null {
    for (let step = 1; step <= TOUR_STOPS.length; step++) {
      const next = (this.index + step + TOUR_STOPS.length) % TOUR_STOPS.length;
      if (this.options.available(TOUR_STOPS[next]!)) {
        this.index = next;
        this.stopStartedAt = now;
        this.visits++;
        return TOUR_STOPS[next]!;
      }
    }
    return null; // nothing available: stay where we are
  }
}
