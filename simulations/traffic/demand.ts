/**
 * Travel demand: an explicit trip list and/or origin–destination matrices with time profiles.
 * Matrices become trips deterministically: a seed gives the same departures on every run.
 *
 * Demand JSON (docs/traffic.md):
 *   { "trips": [{ "id", "from", "to", "depart" }],
 *     "matrices": [{ "origins": [node…], "destinations": [node…], "vehicles": [[n…]…],
 *                    "profile": [{ "startSeconds", "endSeconds", "share" }] }],
 *     "seed": 1 }
 */
import { Rng } from '../../kernel/random';
import { NetworkError } from './networkJson';

export interface Trip {
  id: string;
  /** Origin node id. */
  from: string;
  /** Destination node id. */
  to: string;
  /** Planned departure, seconds from the start of the run. */
  depart: number;
  /** Link ids to follow; chosen by travel time when absent. */
  route?: string[];
}

export interface ProfileSlice {
  startSeconds: number;
  endSeconds: number;
  /** Fraction of the matrix's vehicles departing in this slice; shares are normalised. */
  share: number;
}

export interface OdMatrix {
  origins: string[];
  destinations: string[];
  /** vehicles[i][j]: vehicles from origins[i] to destinations[j] over the whole profile. */
  vehicles: number[][];
  profile: ProfileSlice[];
}

export interface DemandSpec {
  trips?: Trip[];
  matrices?: OdMatrix[];
  seed?: number;
}

export interface Demand {
  trips: Trip[];
}

/** More trips than this would exhaust a worker's memory before the run ends. */
export const MAX_TRIPS = 500_000;
const MAX_DEPART_S = 7 * 86_400;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function nodeId(v: unknown, path: string, nodes: ReadonlySet<string>): string {
  // OSM node ids are numbers in people's heads; accept them as numbers too.
  const id = typeof v === 'number' && Number.isInteger(v) ? String(v) : v;
  if (typeof id !== 'string' || id.length === 0) throw new NetworkError(path, 'must be a node id (string)');
  if (!nodes.has(id)) throw new NetworkError(path, `unknown node "${id}"`);
  return id;
}

function finite(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new NetworkError(path, `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function list(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new NetworkError(path, 'must be an array');
  if (v.length > max) throw new NetworkError(path, `has ${v.length} entries, more than the limit of ${max}`);
  return v;
}

/** Validates demand JSON against the network's node ids. Errors name the path, e.g. `trips[2].to`. */
export function parseDemand(raw: unknown, nodeIds: ReadonlySet<string>): DemandSpec {
  if (!isObj(raw)) throw new NetworkError('demand', 'must be an object with "trips" and/or "matrices"');
  if (raw.trips === undefined && raw.matrices === undefined) throw new NetworkError('demand', 'needs "trips" or "matrices"');
  const spec: DemandSpec = {};
  if (raw.seed !== undefined) spec.seed = finite(raw.seed, 'seed', 0, 2 ** 31);
  if (raw.trips !== undefined) {
    const seen = new Set<string>();
    spec.trips = list(raw.trips, 'trips', MAX_TRIPS).map((t, i) => {
      if (!isObj(t)) throw new NetworkError(`trips[${i}]`, 'must be an object');
      const id = typeof t.id === 'number' ? String(t.id) : t.id;
      if (typeof id !== 'string' || id.length === 0) throw new NetworkError(`trips[${i}].id`, 'must be a non-empty string');
      if (seen.has(id)) throw new NetworkError(`trips[${i}].id`, `duplicate trip id "${id}"`);
      seen.add(id);
      const trip: Trip = {
        id,
        from: nodeId(t.from, `trips[${i}].from`, nodeIds),
        to: nodeId(t.to, `trips[${i}].to`, nodeIds),
        depart: finite(t.depart, `trips[${i}].depart`, 0, MAX_DEPART_S),
      };
      if (trip.from === trip.to) throw new NetworkError(`trips[${i}].to`, `is the same node as from ("${trip.to}")`);
      return trip;
    });
  }
  if (raw.matrices !== undefined) {
    spec.matrices = list(raw.matrices, 'matrices', 64).map((m, i) => parseMatrix(m, `matrices[${i}]`, nodeIds));
  }
  return spec;
}

function parseMatrix(raw: unknown, path: string, nodeIds: ReadonlySet<string>): OdMatrix {
  if (!isObj(raw)) throw new NetworkError(path, 'must be an object');
  const origins = list(raw.origins, `${path}.origins`, 5_000).map((o, i) => nodeId(o, `${path}.origins[${i}]`, nodeIds));
  const destinations = list(raw.destinations, `${path}.destinations`, 5_000).map((o, i) => nodeId(o, `${path}.destinations[${i}]`, nodeIds));
  const rows = list(raw.vehicles, `${path}.vehicles`, 5_000);
  if (rows.length !== origins.length) throw new NetworkError(`${path}.vehicles`, `needs one row per origin (${origins.length}), got ${rows.length}`);
  const vehicles = rows.map((r, i) => {
    const row = list(r, `${path}.vehicles[${i}]`, 5_000);
    if (row.length !== destinations.length) throw new NetworkError(`${path}.vehicles[${i}]`, `needs one entry per destination (${destinations.length}), got ${row.length}`);
    return row.map((v, j) => finite(v, `${path}.vehicles[${i}][${j}]`, 0, MAX_TRIPS));
  });
  const profile = list(raw.profile, `${path}.profile`, 1_000).map((s, k) => {
    const p = `${path}.profile[${k}]`;
    if (!isObj(s)) throw new NetworkError(p, 'must be an object');
    const slice = {
      startSeconds: finite(s.startSeconds, `${p}.startSeconds`, 0, MAX_DEPART_S),
      endSeconds: finite(s.endSeconds, `${p}.endSeconds`, 0, MAX_DEPART_S),
      share: finite(s.share, `${p}.share`, 0, 1e6),
    };
    if (slice.endSeconds <= slice.startSeconds) throw new NetworkError(`${p}.endSeconds`, 'must be after startSeconds');
    return slice;
  });
  if (profile.length === 0 || profile.every((s) => s.share === 0)) throw new NetworkError(`${path}.profile`, 'needs at least one slice with a positive share');
  return { origins, destinations, vehicles, profile };
}

/**
 * Expands a demand spec into trips sorted by departure. Fractional matrix cells round up or down
 * at random (in proportion), and departures spread uniformly within each profile slice.
 */
export function expandDemand(spec: DemandSpec): Demand {
  const trips: Trip[] = spec.trips ? spec.trips.map((t) => ({ ...t })) : [];
  const rng = new Rng(spec.seed ?? 1, 'traffic-demand');
  (spec.matrices ?? []).forEach((m, mi) => {
    const totalShare = m.profile.reduce((a, s) => a + s.share, 0);
    for (let i = 0; i < m.origins.length; i++) {
      for (let j = 0; j < m.destinations.length; j++) {
        const from = m.origins[i]!;
        const to = m.destinations[j]!;
        if (from === to) continue;
        m.profile.forEach((slice, k) => {
          const expected = (m.vehicles[i]![j]! * slice.share) / totalShare;
          const n = Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0);
          for (let v = 0; v < n; v++) {
            if (trips.length >= MAX_TRIPS) throw new NetworkError(`matrices[${mi}]`, `expands to more than ${MAX_TRIPS} trips`);
            trips.push({ id: `m${mi}-${i}-${j}-${k}-${v}`, from, to, depart: slice.startSeconds + rng.next() * (slice.endSeconds - slice.startSeconds) });
          }
        });
      }
    }
  });
  trips.sort((a, b) => a.depart - b.depart || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { trips };
}
