/**
 * Vehicle positions sampled for playback: every few steps, each running vehicle's link, lane,
 * offset along the link and speed, in growable typed arrays. A cap on the records keeps a long
 * run with many vehicles from exhausting memory; sampling stops (and says so) when it is hit.
 */
import { STATE_RUNNING, type TrafficSimulation } from './simulation';

/** About 17 bytes a record: 4 million records stay under 70 MB. */
export const MAX_TRAJECTORY_RECORDS = 4_000_000;

export interface Trajectories {
  /** Simulated time of each frame, s. */
  times: Float64Array;
  /** Records of frame f are frameStart[f] … frameStart[f + 1] − 1. */
  frameStart: Uint32Array;
  vehicle: Uint32Array;
  link: Uint32Array;
  lane: Uint8Array;
  offsetM: Float32Array;
  speedMps: Float32Array;
  linkIds: string[];
  truncated: boolean;
}

export class TrajectoryRecorder {
  private times: number[] = [];
  private frameStart: number[] = [0];
  private used = 0;
  private cap = 4096;
  private vehicle = new Uint32Array(this.cap);
  private link = new Uint32Array(this.cap);
  private lane = new Uint8Array(this.cap);
  private offset = new Float32Array(this.cap);
  private speed = new Float32Array(this.cap);
  private truncated = false;

  constructor(private readonly everySteps: number) {}

  maybeRecord(sim: TrafficSimulation): void {
    if (this.truncated || sim.steps % this.everySteps !== 0) return;
    const running = sim.enRouteCount;
    if (this.used + running > MAX_TRAJECTORY_RECORDS) {
      this.truncated = true;
      return;
    }
    this.ensure(this.used + running);
    const net = sim.net;
    for (let l = 0; l < net.lengthM.length; l++) {
      for (let k = 0; k < net.lanes[l]!; k++) {
        for (const v of sim.laneVehicles[net.laneStart[l]! + k]!) {
          if (sim.state[v] !== STATE_RUNNING) continue;
          const i = this.used++;
          this.vehicle[i] = v;
          this.link[i] = l;
          this.lane[i] = k;
          this.offset[i] = sim.pos[v]!;
          this.speed[i] = sim.speed[v]!;
        }
      }
    }
    this.times.push(sim.t);
    this.frameStart.push(this.used);
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    while (this.cap < n) this.cap *= 2;
    const grow = <T extends Uint32Array | Uint8Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.cap);
      b.set(a.subarray(0, this.used));
      return b;
    };
    this.vehicle = grow(this.vehicle, (c) => new Uint32Array(c));
    this.link = grow(this.link, (c) => new Uint32Array(c));
    this.lane = grow(this.lane, (c) => new Uint8Array(c));
    this.offset = grow(this.offset, (c) => new Float32Array(c));
    this.speed = grow(this.speed, (c) => new Float32Array(c));
  }

  finish(linkIds: string[]): Trajectories {
    const n = this.used;
    return {
      times: Float64Array.from(this.times),
      frameStart: Uint32Array.from(this.frameStart),
      vehicle: this.vehicle.slice(0, n),
      link: this.link.slice(0, n),
      lane: this.lane.slice(0, n),
      offsetM: this.offset.slice(0, n),
      speedMps: this.speed.slice(0, n),
      linkIds,
      truncated: this.truncated,
    };
  }
}
