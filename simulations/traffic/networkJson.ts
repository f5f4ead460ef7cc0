/**
 * The documented network JSON (docs/traffic.md): `{ nodes, links, connections?, origin? }` as in
 * network.ts. `parseNetwork` checks every field and the references between them; an error names
 * the path of the offending value, e.g. `links[3].to: unknown node "N9"`.
 */
import type { Connection, Link, NetNode, Network, Signal } from './network';

export class NetworkError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'NetworkError';
  }
}

/** Refuse networks that would not fit a worker's memory or a browser's patience. */
export const MAX_NODES = 200_000;
export const MAX_LINKS = 400_000;
const MAX_LANES = 8;
/** Rounding slack when checking that phase durations add up to the cycle. */
const CYCLE_SLACK_S = 1e-6;

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new NetworkError(path, 'must be an object');
  return v as Obj;
}

function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new NetworkError(path, 'must be an array');
  if (v.length > max) throw new NetworkError(path, `has ${v.length} entries, more than the limit of ${max}`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new NetworkError(path, 'must be a non-empty string of at most 200 characters');
  return v;
}

function num(v: unknown, path: string, min: number, max: number, opts: { exclusiveMin?: boolean; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NetworkError(path, 'must be a finite number');
  if (opts.integer && !Number.isInteger(v)) throw new NetworkError(path, `must be an integer, got ${v}`);
  if (v < min || v > max || (opts.exclusiveMin && v === min)) {
    throw new NetworkError(path, `must be ${opts.exclusiveMin ? 'greater than' : 'at least'} ${min} and at most ${max}, got ${v}`);
  }
  return v;
}

function parseSignal(raw: unknown, path: string): Signal {
  const s = obj(raw, path);
  const cycleSeconds = num(s.cycleSeconds, `${path}.cycleSeconds`, 0, 600, { exclusiveMin: true });
  const offsetSeconds = s.offsetSeconds === undefined ? 0 : num(s.offsetSeconds, `${path}.offsetSeconds`, -86_400, 86_400);
  const phases = arr(s.phases, `${path}.phases`, 16).map((p, i) => {
    const pp = obj(p, `${path}.phases[${i}]`);
    return {
      durationSeconds: num(pp.durationSeconds, `${path}.phases[${i}].durationSeconds`, 0, 600, { exclusiveMin: true }),
      greenLinks: arr(pp.greenLinks, `${path}.phases[${i}].greenLinks`, 64).map((g, j) => str(g, `${path}.phases[${i}].greenLinks[${j}]`)),
    };
  });
  if (phases.length === 0) throw new NetworkError(`${path}.phases`, 'needs at least one phase');
  const sum = phases.reduce((a, p) => a + p.durationSeconds, 0);
  if (Math.abs(sum - cycleSeconds) > CYCLE_SLACK_S * cycleSeconds) {
    throw new NetworkError(`${path}.cycleSeconds`, `is ${cycleSeconds} but the phases add up to ${sum}`);
  }
  return { cycleSeconds, offsetSeconds, phases };
}

/** Validates a parsed network JSON document and returns it as a Network. */
export function parseNetwork(raw: unknown): Network {
  const root = obj(raw, 'network');
  const nodes: NetNode[] = arr(root.nodes, 'nodes', MAX_NODES).map((n, i) => {
    const o = obj(n, `nodes[${i}]`);
    const node: NetNode = { id: str(o.id, `nodes[${i}].id`), x: num(o.x, `nodes[${i}].x`, -1e7, 1e7), y: num(o.y, `nodes[${i}].y`, -1e7, 1e7) };
    if (o.signal !== undefined) node.signal = parseSignal(o.signal, `nodes[${i}].signal`);
    return node;
  });
  const links: Link[] = arr(root.links, 'links', MAX_LINKS).map((l, i) => {
    const o = obj(l, `links[${i}]`);
    const link: Link = {
      id: str(o.id, `links[${i}].id`),
      from: str(o.from, `links[${i}].from`),
      to: str(o.to, `links[${i}].to`),
      lengthM: num(o.lengthM, `links[${i}].lengthM`, 0, 100_000, { exclusiveMin: true }),
      lanes: num(o.lanes, `links[${i}].lanes`, 1, MAX_LANES, { integer: true }),
      speedLimitMps: num(o.speedLimitMps, `links[${i}].speedLimitMps`, 0, 70, { exclusiveMin: true }),
    };
    if (o.name !== undefined) link.name = str(o.name, `links[${i}].name`);
    if (o.shape !== undefined) {
      link.shape = arr(o.shape, `links[${i}].shape`, 10_000).map((p, j) => {
        const pt = arr(p, `links[${i}].shape[${j}]`, 2);
        return [num(pt[0], `links[${i}].shape[${j}][0]`, -1e7, 1e7), num(pt[1], `links[${i}].shape[${j}][1]`, -1e7, 1e7)] as [number, number];
      });
    }
    return link;
  });
  const network: Network = { nodes, links };
  if (root.connections !== undefined) {
    network.connections = arr(root.connections, 'connections', MAX_LINKS * 4).map((c, i): Connection => {
      const o = obj(c, `connections[${i}]`);
      return { from: str(o.from, `connections[${i}].from`), to: str(o.to, `connections[${i}].to`) };
    });
  }
  if (root.origin !== undefined) {
    const o = obj(root.origin, 'origin');
    network.origin = { lon: num(o.lon, 'origin.lon', -180, 180), lat: num(o.lat, 'origin.lat', -90, 90) };
  }
  checkReferences(network);
  return network;
}

/**
 * The cross-references every Network must satisfy, whichever importer built it: unique ids,
 * links between known nodes, green links entering their node, every approach served by a phase.
 */
export function checkReferences(network: Network): void {
  const nodeIndex = new Map<string, number>();
  network.nodes.forEach((n, i) => {
    if (nodeIndex.has(n.id)) throw new NetworkError(`nodes[${i}].id`, `duplicate node id "${n.id}"`);
    nodeIndex.set(n.id, i);
  });
  const linkIndex = new Map<string, number>();
  network.links.forEach((l, i) => {
    if (linkIndex.has(l.id)) throw new NetworkError(`links[${i}].id`, `duplicate link id "${l.id}"`);
    linkIndex.set(l.id, i);
    if (!nodeIndex.has(l.from)) throw new NetworkError(`links[${i}].from`, `unknown node "${l.from}"`);
    if (!nodeIndex.has(l.to)) throw new NetworkError(`links[${i}].to`, `unknown node "${l.to}"`);
    if (l.from === l.to) throw new NetworkError(`links[${i}].to`, `a link must join two different nodes, both are "${l.to}"`);
  });
  network.connections?.forEach((c, i) => {
    const a = linkIndex.get(c.from);
    const b = linkIndex.get(c.to);
    if (a === undefined) throw new NetworkError(`connections[${i}].from`, `unknown link "${c.from}"`);
    if (b === undefined) throw new NetworkError(`connections[${i}].to`, `unknown link "${c.to}"`);
    if (network.links[a]!.to !== network.links[b]!.from) {
      throw new NetworkError(`connections[${i}]`, `link "${c.from}" ends at "${network.links[a]!.to}" but "${c.to}" starts at "${network.links[b]!.from}"`);
    }
  });
  network.nodes.forEach((n, i) => {
    if (!n.signal) return;
    const served = new Set<string>();
    n.signal.phases.forEach((p, j) =>
      p.greenLinks.forEach((g, k) => {
        const li = linkIndex.get(g);
        const path = `nodes[${i}].signal.phases[${j}].greenLinks[${k}]`;
        if (li === undefined) throw new NetworkError(path, `unknown link "${g}"`);
        if (network.links[li]!.to !== n.id) throw new NetworkError(path, `link "${g}" does not enter node "${n.id}"`);
        served.add(g);
      }),
    );
    network.links.forEach((l) => {
      if (l.to === n.id && !served.has(l.id)) throw new NetworkError(`nodes[${i}].signal.phases`, `incoming link "${l.id}" never gets green`);
    });
  });
}
