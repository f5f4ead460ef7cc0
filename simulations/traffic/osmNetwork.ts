/**
 * A Network from OpenStreetMap XML: drivable `highway=*` ways with `oneway`, `lanes`
 * (`lanes:forward` / `lanes:backward`) and `maxspeed`; nodes tagged `highway=traffic_signals`
 * become signalised junctions with the default plan (signalPlan.ts), approaches grouped by
 * direction. Network node ids are the OSM node ids; way nodes shared by several ways, way ends
 * and signals are junctions, the rest shape the links.
 */
import { XMLParser } from 'fast-xml-parser';
import { EnuFrame } from '../../kernel/geodesy';
import type { Link, NetNode, Network } from './network';
import { polylineLength } from './network';
import { NetworkError } from './networkJson';
import { twoPhasePlan } from './signalPlan';

/** Default speed (km/h) and lanes each way by highway class, for ways that do not say. */
const HIGHWAY_DEFAULTS: Record<string, { kmh: number; lanes: number }> = {
  motorway: { kmh: 100, lanes: 2 },
  trunk: { kmh: 80, lanes: 2 },
  primary: { kmh: 60, lanes: 2 },
  secondary: { kmh: 50, lanes: 1 },
  tertiary: { kmh: 50, lanes: 1 },
  unclassified: { kmh: 40, lanes: 1 },
  residential: { kmh: 30, lanes: 1 },
  living_street: { kmh: 10, lanes: 1 },
  service: { kmh: 20, lanes: 1 },
  road: { kmh: 40, lanes: 1 },
};
/** Largest OSM document accepted, characters: a district, not a country. */
export const MAX_OSM_CHARS = 200_000_000;

interface OsmTagged {
  '@_id': string;
  tag?: Array<{ '@_k': string; '@_v': string }>;
}
interface OsmNode extends OsmTagged {
  '@_lat': string;
  '@_lon': string;
}
interface OsmWay extends OsmTagged {
  nd?: Array<{ '@_ref': string }>;
}

const tagsOf = (e: OsmTagged): Map<string, string> => new Map((e.tag ?? []).map((t) => [t['@_k'], t['@_v']]));

function highwayClass(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const base = v.endsWith('_link') ? v.slice(0, -5) : v;
  return base in HIGHWAY_DEFAULTS ? base : undefined;
}

/** `maxspeed` as m/s: "50", "30 mph", "50 km/h"; anything else (e.g. "RU:urban") → undefined. */
export function parseMaxspeed(v: string | undefined): number | undefined {
  const m = v?.trim().match(/^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh)?$/);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'mph' ? n * 0.44704 : n / 3.6;
}

function positiveInt(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 && n <= 8 ? n : undefined;
}

export function networkFromOsm(xml: string): Network {
  if (xml.length > MAX_OSM_CHARS) throw new NetworkError('osm', `document has ${xml.length} characters, more than the limit of ${MAX_OSM_CHARS}`);
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'node' || name === 'way' || name === 'tag' || name === 'nd' || name === 'relation' });
  let doc: { osm?: { node?: OsmNode[]; way?: OsmWay[] } };
  try {
    doc = parser.parse(xml) as typeof doc;
  } catch (err) {
    throw new NetworkError('osm', `not well-formed XML: ${(err as Error).message}`);
  }
  if (!doc.osm) throw new NetworkError('osm', 'no <osm> root element');
  const osmNodes = new Map<string, { lat: number; lon: number; signal: boolean }>();
  for (const [i, n] of (doc.osm.node ?? []).entries()) {
    const lat = Number(n['@_lat']);
    const lon = Number(n['@_lon']);
    if (!n['@_id'] || !Number.isFinite(lat) || !Number.isFinite(lon)) throw new NetworkError(`osm.node[${i}]`, 'needs id, lat and lon');
    osmNodes.set(String(n['@_id']), { lat, lon, signal: tagsOf(n).get('highway') === 'traffic_signals' });
  }

  const ways = (doc.osm.way ?? []).flatMap((w, i) => {
    const tags = tagsOf(w);
    const cls = highwayClass(tags.get('highway'));
    if (!cls) return [];
    const refs = (w.nd ?? []).map((nd, j) => {
      const ref = String(nd['@_ref']);
      if (!osmNodes.has(ref)) throw new NetworkError(`osm.way[${i}].nd[${j}]`, `way ${w['@_id']} refers to missing node ${ref}`);
      return ref;
    });
    if (refs.length < 2) return [];
    return [{ id: String(w['@_id']), cls, tags, refs }];
  });
  if (ways.length === 0) throw new NetworkError('osm', 'no drivable highway=* ways');

  const uses = new Map<string, number>();
  for (const w of ways) for (const r of w.refs) uses.set(r, (uses.get(r) ?? 0) + 1);
  const isJunction = (ref: string, k: number, last: number): boolean => k === 0 || k === last || uses.get(ref)! > 1 || osmNodes.get(ref)!.signal;

  let lat0 = 0;
  let lon0 = 0;
  for (const r of uses.keys()) ((lat0 += osmNodes.get(r)!.lat), (lon0 += osmNodes.get(r)!.lon));
  const origin = { lon: lon0 / uses.size, lat: lat0 / uses.size };
  const frame = new EnuFrame(origin.lon, origin.lat, 0);
  const xy = (ref: string): [number, number] => {
    const n = osmNodes.get(ref)!;
    const p = frame.fromGeodetic(n.lon, n.lat, 0);
    return [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100];
  };

  const nodes = new Map<string, NetNode>();
  const links: Link[] = [];
  for (const w of ways) {
    const d = HIGHWAY_DEFAULTS[w.cls]!;
    const oneway = w.tags.get('oneway');
    const forwardOnly = oneway === 'yes' || oneway === 'true' || oneway === '1' || w.cls === 'motorway' || w.tags.get('junction') === 'roundabout';
    const backwardOnly = oneway === '-1' || oneway === 'reverse';
    const total = positiveInt(w.tags.get('lanes'));
    const oneDir = forwardOnly || backwardOnly;
    const lanesFwd = positiveInt(w.tags.get('lanes:forward')) ?? (total ? (oneDir ? total : Math.max(1, Math.floor(total / 2))) : d.lanes);
    const lanesBack = positiveInt(w.tags.get('lanes:backward')) ?? (total ? (oneDir ? total : Math.max(1, total - Math.floor(total / 2))) : d.lanes);
    const speed = parseMaxspeed(w.tags.get('maxspeed')) ?? d.kmh / 3.6;
    const name = w.tags.get('name');
    const last = w.refs.length - 1;
    let start = 0;
    let piece = 0;
    for (let k = 1; k <= last; k++) {
      if (!isJunction(w.refs[k]!, k, last)) continue;
      const refs = w.refs.slice(start, k + 1);
      const shape = refs.map(xy);
      const a = refs[0]!;
      const b = refs[refs.length - 1]!;
      start = k;
      if (a === b) continue;
      for (const ref of [a, b]) if (!nodes.has(ref)) nodes.set(ref, { id: ref, x: xy(ref)[0], y: xy(ref)[1] });
      piece += 1;
      const lengthM = Math.max(0.5, Math.round(polylineLength(shape) * 100) / 100);
      const common = { lengthM, speedLimitMps: Math.round(speed * 100) / 100, ...(name ? { name } : {}) };
      if (!backwardOnly) links.push({ id: `${w.id}-${piece}f`, from: a, to: b, lanes: lanesFwd, ...common, shape });
      if (!forwardOnly) links.push({ id: `${w.id}-${piece}b`, from: b, to: a, lanes: lanesBack, ...common, shape: [...shape].reverse() });
    }
  }

  for (const node of nodes.values()) {
    if (!osmNodes.get(node.id)!.signal) continue;
    const incoming = links.filter((l) => l.to === node.id);
    if (incoming.length === 0) continue;
    // Approaches heading the same way or opposite share a phase; the first link's group is main.
    const bearing = (l: Link): number => {
      const s = l.shape!;
      const p = s[s.length - 2]!;
      const q = s[s.length - 1]!;
      return Math.atan2(q[1] - p[1], q[0] - p[0]);
    };
    const ref = bearing(incoming.reduce((m, l) => (l.lanes * l.speedLimitMps > m.lanes * m.speedLimitMps ? l : m)));
    const parallel = (l: Link): boolean => Math.abs(Math.sin(bearing(l) - ref)) < Math.SQRT1_2;
    node.signal = twoPhasePlan(
      incoming.filter(parallel).map((l) => l.id),
      incoming.filter((l) => !parallel(l)).map((l) => l.id),
    );
  }
  return { nodes: [...nodes.values()], links, origin };
}
