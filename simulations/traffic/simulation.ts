/**
 * The microscopic traffic core: vehicles as struct-of-arrays, IDM car following (idm.ts),
 * fixed-time signals with a virtual stopped leader at the stop line, MOBIL-style lane changes
 * (Kesting, Treiber & Helbing 2007, without the politeness term), link-to-link turning along
 * routes chosen by travel time, and insertion that queues at the origin when there is no gap.
 *
 * One step: signal lights → departures and insertion → lane changes → accelerations from the
 * state at t → ballistic update clamped to the gap seen at t (so bumpers never overlap) →
 * transfers to the next link or arrival → measurements. Pure: no I/O, no clock.
 *
 * Positions are front bumpers. A vehicle that has just crossed a node, less than its length onto
 * its next link, still reaches back over the end of the lane it left: whoever is next in that
 * lane follows its rear, whichever way either of them turns.
 */
import type { CompiledNetwork } from './compiledNetwork';
import type { Trip } from './demand';
import { FREE_GAP_M, idmAcceleration, type IdmParams } from './idm';
import { AMBER_SECONDS } from './network';
import { Router, TravelTimes } from './routing';

export const LIGHT_GREEN = 0;
export const LIGHT_AMBER = 1;
export const LIGHT_RED = 2;

export const STATE_PENDING = 0;
export const STATE_QUEUED = 1;
export const STATE_RUNNING = 2;
export const STATE_ARRIVED = 3;
export const STATE_UNROUTABLE = 4;

/** On amber a driver stops when that needs no more than this deceleration, else goes on. */
const AMBER_STOP_DECEL_MPS2 = 3;
/** Below this speed a vehicle counts as halted (SUMO's waiting threshold). */
export const HALT_SPEED_MPS = 0.1;
/** A halted vehicle's stop ends once it is moving at this speed; avoids counting creep as stops. */
const RESUME_SPEED_MPS = 1;
/** How far ahead drivers look across link ends for leaders and red lights, metres. */
const LOOKAHEAD_M = 250;
/** Lane changes are considered this often per vehicle. */
const LANE_CHANGE_PERIOD_S = 1;
/** MOBIL: acceleration advantage needed to change lanes, and the new follower's braking limit. */
const LANE_CHANGE_GAIN_MPS2 = 0.3;
const LANE_CHANGE_SAFE_DECEL_MPS2 = 3;

export interface SimulationHooks {
  /** A vehicle left `link` at time `t` after `seconds` on it (to the next link or on arrival). */
  onLinkExit?(vehicle: number, link: number, seconds: number, t: number): void;
}

export class TrafficSimulation {
  readonly idm: IdmParams;
  readonly dt: number;
  t = 0;
  steps = 0;
  vehicleUpdates = 0;
  insertedCount = 0;
  arrivedCount = 0;
  unroutableCount = 0;

  // Vehicle state, struct of arrays indexed by trip order.
  readonly state: Uint8Array;
  readonly link: Int32Array;
  readonly lane: Int32Array;
  readonly pos: Float64Array;
  readonly speed: Float64Array;
  readonly acc: Float64Array;
  /** Bumper gap to whatever is ahead (vehicle or red stop line) at the start of the step, metres. */
  readonly gap: Float64Array;
  readonly routeIdx: Int32Array;
  readonly routeStart: Int32Array;
  readonly routeLen: Int32Array;
  readonly departPlanned: Float64Array;
  readonly departActual: Float64Array;
  readonly arrival: Float64Array;
  readonly linkEnter: Float64Array;
  readonly stops: Int32Array;
  readonly halted: Uint8Array;
  readonly freeFlowS: Float64Array;
  /** Route link indices of all vehicles, back to back. */
  routePool: Int32Array;
  private routePoolUsed = 0;

  /** Vehicles per global lane, downstream first. */
  readonly laneVehicles: number[][];
  /** Per global lane: the vehicle that last crossed out of its end (-1: none), and onto which link. */
  private readonly laneLeaver: Int32Array;
  private readonly laneLeaverOnto: Int32Array;
  /** Incoming links per node. */
  private readonly linksInto: number[][];
  /** Light at each link's stop line: LIGHT_GREEN (also unsignalised), LIGHT_AMBER or LIGHT_RED. */
  readonly light: Uint8Array;
  /** Seconds of amber left at each link's stop line while its light is amber. */
  private readonly amberLeft: Float64Array;
  readonly times: TravelTimes;
  private readonly router: Router;
  private nextPending = 0;
  /** Waiting vehicles per origin link (FIFO with a head index), and which links have any. */
  private readonly originQueue = new Map<number, { items: number[]; head: number }>();
  private readonly v0: Float64Array;

  constructor(
    readonly net: CompiledNetwork,
    readonly trips: readonly Trip[],
    idm: IdmParams,
    dt: number,
    private readonly hooks: SimulationHooks = {},
  ) {
    this.idm = idm;
    this.dt = dt;
    const n = trips.length;
    this.state = new Uint8Array(n);
    this.link = new Int32Array(n).fill(-1);
    this.lane = new Int32Array(n);
    this.pos = new Float64Array(n);
    this.speed = new Float64Array(n);
    this.acc = new Float64Array(n);
    this.gap = new Float64Array(n);
    this.routeIdx = new Int32Array(n);
    this.routeStart = new Int32Array(n);
    this.routeLen = new Int32Array(n);
    this.departPlanned = Float64Array.from(trips, (t) => t.depart);
    this.departActual = new Float64Array(n).fill(NaN);
    this.arrival = new Float64Array(n).fill(NaN);
    this.linkEnter = new Float64Array(n);
    this.stops = new Int32Array(n);
    this.halted = new Uint8Array(n);
    this.freeFlowS = new Float64Array(n);
    this.routePool = new Int32Array(Math.max(16, n * 8));
    this.laneVehicles = Array.from({ length: net.laneCount }, () => []);
    this.laneLeaver = new Int32Array(net.laneCount).fill(-1);
    this.laneLeaverOnto = new Int32Array(net.laneCount).fill(-1);
    this.linksInto = Array.from({ length: net.nodeIndex.size }, () => []);
    for (let l = 0; l < net.lengthM.length; l++) this.linksInto[net.linkTo[l]!]!.push(l);
    this.light = new Uint8Array(net.lengthM.length);
    this.amberLeft = new Float64Array(net.lengthM.length);
    this.times = new TravelTimes(net);
    this.router = new Router(net, this.times);
    // Desired speed: the driver's v0 capped by each link's limit.
    this.v0 = Float64Array.from(net.speedLimitMps, (s) => Math.min(s, idm.v0_mps));
    for (let i = 1; i < n; i++) {
      if (trips[i]!.depart < trips[i - 1]!.depart) throw new RangeError('trips must be sorted by departure');
    }
  }

  /** Vehicles inserted and not yet arrived. */
  get enRouteCount(): number {
    return this.insertedCount - this.arrivedCount;
  }

  /** Trips whose departure time has come but that are still queued at their origin. */
  get waitingCount(): number {
    return this.nextPending - this.insertedCount - this.unroutableCount;
  }

  get departedCount(): number {
    return this.nextPending;
  }

  /** Ends a routing period: routes found from now on use the travel times measured in it. */
  reroute(): void {
    for (let l = 0; l < this.net.lengthM.length; l++) {
      for (let k = 0; k < this.net.lanes[l]!; k++) {
        for (const v of this.laneVehicles[this.net.laneStart[l]! + k]!) this.times.recordOngoing(l, this.t - this.linkEnter[v]!);
      }
    }
    this.times.update();
    this.router.newPeriod();
  }

  step(): void {
    this.updateLights();
    this.releaseDepartures();
    this.insertQueued();
    if (this.steps % Math.max(1, Math.round(LANE_CHANGE_PERIOD_S / this.dt)) === 0) this.changeLanes();
    this.computeAccelerations();
    this.move();
    this.t += this.dt;
    this.steps += 1;
  }

  private updateLights(): void {
    const t = this.t;
    for (const s of this.net.signals) {
      const c = s.signal.cycleSeconds;
      const u = (((t - s.signal.offsetSeconds) % c) + c) % c;
      let p = s.phaseStarts.length - 1;
      while (p > 0 && s.phaseStarts[p]! > u) p--;
      const next = (p + 1) % s.phaseStarts.length;
      const intoEnd = s.phaseStarts[p]! + s.signal.phases[p]!.durationSeconds - u;
      const slots = s.links.length;
      for (let k = 0; k < slots; k++) {
        const green = s.green[p * slots + k] === 1;
        const continues = s.green[next * slots + k] === 1;
        this.light[s.links[k]!] = !green ? LIGHT_RED : !continues && intoEnd <= AMBER_SECONDS ? LIGHT_AMBER : LIGHT_GREEN;
        this.amberLeft[s.links[k]!] = intoEnd;
      }
    }
  }

  private releaseDepartures(): void {
    const n = this.trips.length;
    while (this.nextPending < n && this.departPlanned[this.nextPending]! <= this.t) {
      const v = this.nextPending++;
      const trip = this.trips[v]!;
      const route = trip.route ? this.explicitRoute(trip) : this.router.route(this.net.nodeIndex.get(trip.from)!, this.net.nodeIndex.get(trip.to)!);
      if (!route || route.length === 0) {
        this.state[v] = STATE_UNROUTABLE;
        this.unroutableCount += 1;
        continue;
      }
      this.storeRoute(v, route);
      this.state[v] = STATE_QUEUED;
      let q = this.originQueue.get(route[0]!);
      if (!q) this.originQueue.set(route[0]!, (q = { items: [], head: 0 }));
      q.items.push(v);
    }
  }

  private explicitRoute(trip: Trip): Int32Array | null {
    const ids = trip.route!;
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const l = this.net.linkIndex.get(ids[i]!);
      if (l === undefined) return null;
      out[i] = l;
    }
    return out;
  }

  private storeRoute(v: number, route: Int32Array): void {
    if (this.routePoolUsed + route.length > this.routePool.length) {
      const grown = new Int32Array(Math.max(this.routePool.length * 2, this.routePoolUsed + route.length));
      grown.set(this.routePool);
      this.routePool = grown;
    }
    this.routePool.set(route, this.routePoolUsed);
    this.routeStart[v] = this.routePoolUsed;
    this.routeLen[v] = route.length;
    this.routePoolUsed += route.length;
    let ff = 0;
    for (const l of route) ff += this.times.freeFlowSeconds(l);
    this.freeFlowS[v] = ff;
  }

  /** Lane of `link` with the most room behind its last vehicle; room is +Infinity when empty. */
  private bestEntryLane(link: number): { lane: number; room: number; tail: number } {
    const start = this.net.laneStart[link]!;
    let best = { lane: 0, room: -Infinity, tail: -1 };
    for (let k = 0; k < this.net.lanes[link]!; k++) {
      const list = this.laneVehicles[start + k]!;
      const tail = list.length > 0 ? list[list.length - 1]! : -1;
      const room = tail < 0 ? Infinity : this.pos[tail]! - this.idm.length_m;
      if (room > best.room) best = { lane: k, room, tail };
    }
    return best;
  }

  /**
   * Whether a vehicle about to cross into `link` from an upstream link is too close to the node
   * for a trip to start at its beginning: the newcomer's body would stand in its way. Each needs
   * the IDM safe gap s0 + v·T to the newcomer's rear; one held by a red light is not coming yet.
   */
  private approachTooClose(link: number): boolean {
    const net = this.net;
    const { s0_m, T_s, length_m } = this.idm;
    for (const l of this.linksInto[net.linkFrom[link]!]!) {
      if (this.light[l] === LIGHT_RED) continue;
      for (let k = 0; k < net.lanes[l]!; k++) {
        const first = this.laneVehicles[net.laneStart[l]! + k]![0];
        if (first === undefined) continue;
        const idx = this.routeIdx[first]!;
        if (idx === this.routeLen[first]! - 1 || this.routePool[this.routeStart[first]! + idx + 1] !== link) continue;
        if (net.lengthM[l]! - this.pos[first]! - length_m < s0_m + this.speed[first]! * T_s) return true;
      }
    }
    return false;
  }

  private insertQueued(): void {
    const { s0_m, T_s } = this.idm;
    for (const [link, q] of this.originQueue) {
      while (q.head < q.items.length) {
        const entry = this.bestEntryLane(link);
        const v0 = this.v0[link]!;
        let speed = v0;
        if (entry.tail >= 0) {
          // Enter no faster than the car ahead and with at least the IDM safe gap s0 + v·T.
          speed = Math.min(v0, this.speed[entry.tail]!, (entry.room - s0_m) / T_s);
          if (entry.room < s0_m || speed < 0) break;
        }
        // Nor just in front of a vehicle about to cross into the link from upstream.
        if (this.approachTooClose(link)) break;
        const v = q.items[q.head++]!;
        this.state[v] = STATE_RUNNING;
        this.link[v] = link;
        this.lane[v] = entry.lane;
        this.pos[v] = 0;
        this.speed[v] = speed;
        this.routeIdx[v] = 0;
        this.departActual[v] = this.t;
        this.linkEnter[v] = this.t;
        this.laneVehicles[this.net.laneStart[link]! + entry.lane]!.push(v);
        this.insertedCount += 1;
      }
      if (q.head >= q.items.length) this.originQueue.delete(link);
    }
  }

  /**
   * What a vehicle at `pos` on route step `idx` sees beyond the last vehicle of its lane: the
   * tail of the next link's entry lane or a stop line it must stop at. Writes the bumper gap
   * and the obstacle's speed to `this.ahead`.
   */
  private readonly ahead = { gap: FREE_GAP_M, speed: 0 };
  /** Speed of the vehicle whose rear the last finite overhangGap() measured to. */
  private behindLeaver = 0;

  /** Stop on amber when that is comfortable, or when the line cannot be reached before red. */
  private stopsOnAmber(speed: number, dist: number, amberLeft: number): boolean {
    return speed * speed <= 2 * AMBER_STOP_DECEL_MPS2 * dist || dist > speed * amberLeft;
  }

  private lookAhead(v: number, speed: number): void {
    const net = this.net;
    let link = this.link[v]!;
    let idx = this.routeIdx[v]!;
    let dist = net.lengthM[link]! - this.pos[v]!;
    const last = this.routeLen[v]! - 1;
    const ahead = this.ahead;
    for (;;) {
      if (idx === last) break;
      const light = this.light[link]!;
      if (light === LIGHT_RED || (light === LIGHT_AMBER && this.stopsOnAmber(speed, dist, this.amberLeft[link]!))) {
        ahead.gap = dist;
        ahead.speed = 0;
        return;
      }
      const next = this.routePool[this.routeStart[v]! + idx + 1]!;
      const entry = this.bestEntryLane(next);
      if (entry.tail >= 0) {
        ahead.gap = dist + entry.room;
        ahead.speed = this.speed[entry.tail]!;
        return;
      }
      dist += net.lengthM[next]!;
      if (dist > LOOKAHEAD_M) break;
      link = next;
      idx += 1;
    }
    ahead.gap = FREE_GAP_M;
    ahead.speed = 0;
  }

  /**
   * Bumper gap from a vehicle at `pos`, first in global lane `lane` of `link`, to the rear of the
   * vehicle that last left that lane while its body still reaches back over the node; +Infinity
   * when none does. Writes that vehicle's speed to `this.behindLeaver`.
   */
  private overhangGap(link: number, lane: number, pos: number): number {
    const w = this.laneLeaver[lane]!;
    if (w < 0 || this.state[w] !== STATE_RUNNING || this.link[w] !== this.laneLeaverOnto[lane]) return Infinity;
    const rear = this.pos[w]! - this.idm.length_m;
    if (rear >= 0) return Infinity;
    this.behindLeaver = this.speed[w]!;
    return this.net.lengthM[link]! - pos + rear;
  }

  private computeAccelerations(): void {
    const net = this.net;
    const len = this.idm.length_m;
    for (let l = 0; l < net.lengthM.length; l++) {
      const v0 = this.v0[l]!;
      for (let k = 0; k < net.lanes[l]!; k++) {
        const list = this.laneVehicles[net.laneStart[l]! + k]!;
        for (let i = 0; i < list.length; i++) {
          const v = list[i]!;
          const sp = this.speed[v]!;
          let gap: number;
          let vLead: number;
          if (i > 0) {
            const lead = list[i - 1]!;
            gap = this.pos[lead]! - len - this.pos[v]!;
            vLead = this.speed[lead]!;
          } else {
            this.lookAhead(v, sp);
            gap = this.ahead.gap;
            vLead = this.ahead.speed;
            const behind = this.overhangGap(l, net.laneStart[l]! + k, this.pos[v]!);
            if (behind < gap) {
              gap = behind;
              vLead = this.behindLeaver;
            }
          }
          this.gap[v] = gap;
          this.acc[v] = idmAcceleration(this.idm, sp, v0, gap, vLead);
        }
        this.vehicleUpdates += list.length;
      }
    }
  }

  private move(): void {
    const net = this.net;
    const dt = this.dt;
    for (let l = 0; l < net.lengthM.length; l++) {
      for (let k = 0; k < net.lanes[l]!; k++) {
        const list = this.laneVehicles[net.laneStart[l]! + k]!;
        for (const v of list) {
          const sp = this.speed[v]!;
          const a = this.acc[v]!;
          let nv = sp + a * dt;
          // Ballistic update; a vehicle that would reverse stops where its speed reaches zero.
          let dx = nv >= 0 ? (sp + nv) * 0.5 * dt : (-sp * sp) / (2 * a);
          if (nv < 0) nv = 0;
          // Whatever was ahead at t does not move backwards, so never going past it keeps gaps ≥ 0.
          const room = Math.max(0, this.gap[v]!);
          if (dx > room) {
            dx = room;
            nv = Math.min(nv, room / dt);
          }
          this.pos[v]! += dx;
          this.speed[v] = nv;
          if (nv < HALT_SPEED_MPS) {
            if (this.halted[v] === 0) {
              this.halted[v] = 1;
              this.stops[v]! += 1;
            }
          } else if (nv > RESUME_SPEED_MPS) this.halted[v] = 0;
        }
      }
    }
    this.transfer();
  }

  /** Vehicles past their link's end move onto the next link of their route, or arrive. */
  private transfer(): void {
    const net = this.net;
    const tNew = this.t + this.dt;
    for (let l = 0; l < net.lengthM.length; l++) {
      const length = net.lengthM[l]!;
      for (let k = 0; k < net.lanes[l]!; k++) {
        const list = this.laneVehicles[net.laneStart[l]! + k]!;
        // Strictly past the end: a vehicle held at a red stop line sits exactly on it.
        while (list.length > 0 && this.pos[list[0]!]! > length) {
          const v = list[0]!;
          const idx = this.routeIdx[v]!;
          if (idx === this.routeLen[v]! - 1) {
            list.shift();
            this.hooks.onLinkExit?.(v, l, tNew - this.linkEnter[v]!, tNew);
            this.times.record(l, tNew - this.linkEnter[v]!);
            this.state[v] = STATE_ARRIVED;
            this.arrival[v] = tNew;
            this.link[v] = -1;
            this.arrivedCount += 1;
            continue;
          }
          const next = this.routePool[this.routeStart[v]! + idx + 1]!;
          const entry = this.bestEntryLane(next);
          const newPos = this.pos[v]! - length;
          if (entry.tail >= 0 && newPos > entry.room) {
            // Another approach filled the gap this step: wait at the end of this link.
            this.pos[v] = length - 1e-6;
            this.speed[v] = Math.min(this.speed[v]!, this.speed[entry.tail]!);
            break;
          }
          list.shift();
          this.laneLeaver[net.laneStart[l]! + k] = v;
          this.laneLeaverOnto[net.laneStart[l]! + k] = next;
          this.hooks.onLinkExit?.(v, l, tNew - this.linkEnter[v]!, tNew);
          this.times.record(l, tNew - this.linkEnter[v]!);
          this.link[v] = next;
          this.lane[v] = entry.lane;
          this.pos[v] = newPos;
          this.routeIdx[v] = idx + 1;
          this.linkEnter[v] = tNew;
          this.laneVehicles[net.laneStart[next]! + entry.lane]!.push(v);
        }
      }
    }
  }

  /**
   * MOBIL without politeness: move to an adjacent lane when the vehicle gains more than a
   * threshold acceleration there and its new follower need not brake harder than a safe limit.
   */
  private changeLanes(): void {
    const net = this.net;
    const len = this.idm.length_m;
    const s0 = this.idm.s0_m;
    for (let l = 0; l < net.lengthM.length; l++) {
      const lanes = net.lanes[l]!;
      if (lanes < 2) continue;
      const v0 = this.v0[l]!;
      const base = net.laneStart[l]!;
      for (let k = 0; k < lanes; k++) {
        const list = this.laneVehicles[base + k]!;
        for (let i = 0; i < list.length; i++) {
          const v = list[i]!;
          const sp = this.speed[v]!;
          const x = this.pos[v]!;
          let current: number;
          if (i > 0) current = idmAcceleration(this.idm, sp, v0, this.pos[list[i - 1]!]! - len - x, this.speed[list[i - 1]!]!);
          else {
            this.lookAhead(v, sp);
            const behind = this.overhangGap(l, base + k, x);
            current = behind < this.ahead.gap ? idmAcceleration(this.idm, sp, v0, behind, this.behindLeaver) : idmAcceleration(this.idm, sp, v0, this.ahead.gap, this.ahead.speed);
          }
          for (const side of [k - 1, k + 1]) {
            if (side < 0 || side >= lanes) continue;
            const target = this.laneVehicles[base + side]!;
            // Position in the target lane: first index whose vehicle is behind x.
            let j = 0;
            while (j < target.length && this.pos[target[j]!]! >= x) j++;
            const lead = j > 0 ? target[j - 1]! : -1;
            const follow = j < target.length ? target[j]! : -1;
            // With no vehicle ahead in that lane, the one that last left it may still reach back.
            const gapLead = lead >= 0 ? this.pos[lead]! - len - x : this.overhangGap(l, base + side, x);
            const vLeadSide = lead >= 0 ? this.speed[lead]! : this.behindLeaver;
            const gapFollow = follow >= 0 ? x - len - this.pos[follow]! : Infinity;
            if (gapLead < s0 || gapFollow < s0) continue;
            if (follow >= 0 && idmAcceleration(this.idm, this.speed[follow]!, v0, gapFollow, sp) < -LANE_CHANGE_SAFE_DECEL_MPS2) continue;
            let gain: number;
            if (lead >= 0) gain = idmAcceleration(this.idm, sp, v0, gapLead, vLeadSide);
            else {
              this.lookAhead(v, sp);
              gain = gapLead < this.ahead.gap ? idmAcceleration(this.idm, sp, v0, gapLead, vLeadSide) : idmAcceleration(this.idm, sp, v0, this.ahead.gap, this.ahead.speed);
            }
            if (gain - current <= LANE_CHANGE_GAIN_MPS2) continue;
            // A vehicle moved to a lane not yet visited may be considered again this pass; the
            // gain threshold keeps it from changing back.
            list.splice(i, 1);
            target.splice(j, 0, v);
            this.lane[v] = side;
            i -= 1;
            break;
          }
        }
      }
    }
  }
}
