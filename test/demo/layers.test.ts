import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILDING_USES,
  LANDUSE_KINDS,
  ROAD_CLASSES,
  WATER_KINDS,
  type BuildingProps,
  type ComponentProps,
  type Department,
  type GridCellProps,
  type LanduseProps,
  type PoleProps,
  type RoadProps,
  type SignalProps,
  type TerminalProps,
  type WaterProps,
} from '../../domain/citySource';
import { DEFAULT_COMPONENT_CLASSES, parseComponentCode } from '../../domain/components';
import { TERMINAL_TYPES } from '../../domain/terminals';
import { terminalTopic } from '../../domain/topics';
import { generateInTemp, toMetres, type Feature, type Generated } from './helpers';

type XY = [number, number];

const ring = (f: Feature<unknown>): Array<[number, number]> => {
  if (f.geometry.type !== 'Polygon') throw new Error('not a polygon');
  return f.geometry.coordinates[0]!;
};
const line = (f: Feature<unknown>): Array<[number, number]> => {
  if (f.geometry.type !== 'LineString') throw new Error('not a line');
  return f.geometry.coordinates;
};
const pt = (f: Feature<unknown>): [number, number] => {
  if (f.geometry.type !== 'Point') throw new Error('not a point');
  return f.geometry.coordinates;
};

function area(r: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i < r.length - 1; i++) s += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
  return s / 2;
}

function inside(x: number, y: number, r: readonly XY[]): boolean {
  let hit = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i]!;
    const [xj, yj] = r[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const o = (p: XY, q: XY, r: XY): number => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

function distToSegment(p: XY, a: XY, b: XY): { d: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return { d: Math.hypot(a[0] + dx * t - p[0], a[1] + dy * t - p[1]), t };
}

/** Chainage of the nearest point of a polyline, and the distance to it. */
function project(p: XY, pts: readonly XY[]): { s: number; d: number } {
  let best = { s: 0, d: Number.POSITIVE_INFINITY };
  let acc = 0;
  for (let i = 0; i < pts.length - 1; i++) {
    const len = Math.hypot(pts[i + 1]![0] - pts[i]![0], pts[i + 1]![1] - pts[i]![1]);
    const { d, t } = distToSegment(p, pts[i]!, pts[i + 1]!);
    if (d < best.d) best = { s: acc + t * len, d };
    acc += len;
  }
  return best;
}

/** A coarse bucket grid of polygons in metres, for overlap queries. */
class Buckets {
  private readonly cells = new Map<string, number[]>();
  constructor(private readonly size: number) {}
  add(i: number, r: readonly XY[]): void {
    for (const key of this.keys(r)) {
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    }
  }
  near(r: readonly XY[]): Set<number> {
    const out = new Set<number>();
    for (const key of this.keys(r)) for (const i of this.cells.get(key) ?? []) out.add(i);
    return out;
  }
  private keys(r: readonly XY[]): string[] {
    const xs = r.map((p) => p[0]);
    const ys = r.map((p) => p[1]);
    const keys: string[] = [];
    for (let x = Math.floor(Math.min(...xs) / this.size); x <= Math.floor(Math.max(...xs) / this.size); x++) {
      for (let y = Math.floor(Math.min(...ys) / this.size); y <= Math.floor(Math.max(...ys) / this.size); y++) keys.push(`${x},${y}`);
    }
    return keys;
  }
}

describe('demo city layers', () => {
  let g: Generated;
  let roads: Array<Feature<RoadProps>>;
  let signals: Array<Feature<SignalProps>>;
  let buildings: Array<Feature<BuildingProps>>;
  let poles: Array<Feature<PoleProps>>;
  let terminals: Array<Feature<TerminalProps>>;
  let components: Array<Feature<ComponentProps>>;
  let cells: Array<Feature<GridCellProps>>;
  let water: Array<Feature<WaterProps>>;
  let landuse: Array<Feature<LanduseProps>>;
  let departments: Department[];

  beforeAll(async () => {
    g = await generateInTemp(20240601);
    [roads, signals, buildings, poles, terminals, components, cells, water, landuse] = await Promise.all([
      g.layer<RoadProps>('roads.geojson'),
      g.layer<SignalProps>('signals.geojson'),
      g.layer<BuildingProps>('buildings.geojson'),
      g.layer<PoleProps>('poles.geojson'),
      g.layer<TerminalProps>('terminals.geojson'),
      g.layer<ComponentProps>('components.geojson'),
      g.layer<GridCellProps>('grid-cells.geojson'),
      g.layer<WaterProps>('water.geojson'),
      g.layer<LanduseProps>('landuse.geojson'),
    ]);
    departments = JSON.parse(await g.read('departments.json')) as Department[];
  });
  afterAll(() => g?.cleanup());

  it('reports the counts it wrote, at the scale the demo promises', () => {
    const c = g.summary.counts;
    expect(c).toEqual({
      buildings: buildings.length,
      roads: roads.length,
      signals: signals.length,
      poles: poles.length,
      terminals: terminals.length,
      components: components.length,
      gridCells: cells.length,
      departments: departments.length,
    });
    expect(c.buildings).toBeGreaterThanOrEqual(5000);
    expect(c.poles).toBeGreaterThanOrEqual(1000);
    expect(c.departments).toBeGreaterThanOrEqual(10);
    expect(c.terminals / c.poles).toBeGreaterThan(2.5);
    expect(c.terminals / c.poles).toBeLessThan(5);
  });

  it('has one arterial with at least 8 signalised intersections, and named roads of every class', () => {
    for (const r of roads) {
      expect(ROAD_CLASSES).toContain(r.properties.class);
      expect(r.properties.name).toMatch(/[\u4e00-\u9fff]/);
      expect(r.properties.nameEn).toMatch(/^[A-Z][A-Za-z0-9' ]+ (Avenue|Road|Street)$/);
      expect(r.properties.lanes).toBeGreaterThan(0);
    }
    const arterials = roads.filter((r) => r.properties.class === 'arterial');
    expect(new Set(arterials.map((r) => r.properties.name)).size).toBe(1);
    for (const a of arterials) {
      expect(a.properties.lanes).toBeGreaterThanOrEqual(6);
      expect(a.properties.widthM).toBeGreaterThanOrEqual(30);
    }
    const arterialIds = new Set(arterials.map((r) => r.properties.id));
    expect(signals.filter((s) => s.properties.roadIds.some((id) => arterialIds.has(id))).length).toBeGreaterThanOrEqual(8);
    expect(roads.filter((r) => r.properties.class === 'secondary').length).toBeGreaterThan(10);
    expect(roads.filter((r) => r.properties.class === 'local').length).toBeGreaterThan(30);
  });

  it('puts every signal on both of its roads, with a class 0208 code', () => {
    const byId = new Map(roads.map((r) => [r.properties.id, line(r).map(toMetres)]));
    for (const s of signals) {
      expect(parseComponentCode(s.properties.code)).toMatchObject({ countyCode: '441900', majorClass: '02', minorClass: '08' });
      expect(s.properties.roadIds).toHaveLength(2);
      const p = toMetres(pt(s));
      for (const id of s.properties.roadIds) expect(project(p, byId.get(id)!).d).toBeLessThan(1.5);
    }
  });

  it('spaces poles 30–40 m apart along their road, beside the carriageway', () => {
    const byId = new Map(roads.map((r) => [r.properties.id, r]));
    const chainages = new Map<string, number[]>();
    poles.forEach((p, i) => {
      expect(p.properties.id).toBe(`P${String(i + 1).padStart(5, '0')}`);
      expect(parseComponentCode(p.properties.code)).toMatchObject({ countyCode: '441900', majorClass: '01', minorClass: '18' });
      expect(p.properties.heightM).toBeGreaterThanOrEqual(8);
      expect(p.properties.heightM).toBeLessThanOrEqual(12);
      const road = byId.get(p.properties.roadId)!;
      const { s, d } = project(toMetres(pt(p)), line(road).map(toMetres));
      // Half the road's width plus a metre, to within the centimetre rounding of lon/lat.
      expect(Math.abs(d - (road.properties.widthM / 2 + 1))).toBeLessThan(0.1);
      const list = chainages.get(road.properties.id) ?? [];
      list.push(s);
      chainages.set(road.properties.id, list);
    });
    expect(chainages.size).toBe(roads.length);
    let gaps = 0;
    for (const list of chainages.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = list[i]! - list[i - 1]!;
        expect(gap).toBeGreaterThanOrEqual(29.95);
        expect(gap).toBeLessThanOrEqual(40.05);
        gaps++;
      }
    }
    expect(gaps).toBeGreaterThan(poles.length - roads.length - 1);
  });

  it('equips poles with topic-safe terminals in the expected mix', () => {
    const poleAt = new Map(poles.map((p) => [p.properties.id, pt(p)]));
    const perType = new Map<string, number>();
    const ids = new Set<string>();
    for (const t of terminals) {
      const { id, poleId, type, model } = t.properties;
      expect(TERMINAL_TYPES).toContain(type);
      expect(id).toBe(`${poleId}-${type}`);
      expect(() => terminalTopic(id, 'telemetry')).not.toThrow();
      expect(model.length).toBeGreaterThan(3);
      expect(pt(t)).toEqual(poleAt.get(poleId));
      ids.add(id);
      perType.set(type, (perType.get(type) ?? 0) + 1);
    }
    expect(ids.size).toBe(terminals.length);
    expect(perType.get('lamp')).toBe(poles.length);
    const share = (type: string): number => (perType.get(type) ?? 0) / poles.length;
    expect(share('camera')).toBeGreaterThan(0.25);
    expect(share('camera')).toBeLessThan(0.42);
    expect(share('environment')).toBeCloseTo(1 / 8, 1);
    for (const type of TERMINAL_TYPES) if (type !== 'signal-controller') expect(share(type), type).toBeGreaterThan(0.05);
    // Lamps carry their rated power; each signal controller runs one junction, from a pole within 60 m of it.
    for (const t of terminals) if (t.properties.type === 'lamp') expect(t.properties.ratedW).toSatisfy((w: number) => w >= 100 && w <= 240 && w % 10 === 0);
    const signalAt = new Map(signals.map((s) => [s.properties.id, toMetres(pt(s))]));
    const controllers = terminals.filter((t) => t.properties.type === 'signal-controller');
    expect(controllers.length).toBeGreaterThan(signals.length / 2);
    expect(new Set(controllers.map((c) => c.properties.signalId)).size).toBe(controllers.length);
    for (const c of controllers) {
      const at = signalAt.get(c.properties.signalId!)!;
      const [x, y] = toMetres(pt(c));
      expect(Math.hypot(x - at[0], y - at[1])).toBeLessThanOrEqual(60.5);
    }
  });

  it('codes components with unique 16-digit codes of catalogue classes, owned by departments', () => {
    const classes = new Set(DEFAULT_COMPONENT_CLASSES.map((c) => c.code));
    const owners = new Map(departments.map((d) => [d.id, d]));
    const cellCodes = new Set(cells.map((c) => c.properties.code));
    const codes = new Set<string>([...poles.map((p) => p.properties.code), ...signals.map((s) => s.properties.code)]);
    const perClass = new Map<string, number>();
    for (const c of components) {
      const { code, classCode, ownerId, gridCode, roadId } = c.properties;
      expect(code).toMatch(/^441900\d{10}$/);
      const parts = parseComponentCode(code)!;
      expect(`${parts.majorClass}${parts.minorClass}`).toBe(classCode);
      expect(classes.has(classCode)).toBe(true);
      expect(owners.get(ownerId)?.componentClasses).toContain(classCode);
      if (gridCode) expect(cellCodes.has(gridCode)).toBe(true);
      expect(roadId).toMatch(/^R\d{4}$/);
      expect(codes.has(code)).toBe(false);
      codes.add(code);
      perClass.set(classCode, (perClass.get(classCode) ?? 0) + 1);
    }
    for (const cls of ['0101', '0102', '0103', '0105', '0106', '0107', '0111', '0114']) expect(perClass.get(cls), cls).toBeGreaterThan(10);
    // Every terminal type and owned class has a department to dispatch to.
    for (const type of TERMINAL_TYPES) expect(departments.some((d) => d.terminalTypes.includes(type)), type).toBe(true);
  });

  it('lays 100 m grid cells with unique 14-digit codes over the land', () => {
    const codes = new Set<string>();
    const streets = new Set<string>();
    for (const c of cells) {
      expect(c.properties.code).toMatch(/^441900\d{8}$/);
      expect(codes.has(c.properties.code)).toBe(false);
      codes.add(c.properties.code);
      streets.add(c.properties.streetName);
      expect(c.properties.communityName).toMatch(/社区$/);
      const r = ring(c).map(toMetres);
      expect(Math.abs(area(r))).toBeGreaterThan(9_990);
      expect(Math.abs(area(r))).toBeLessThan(10_010);
    }
    expect(streets.size).toBe(1);
    expect(cells.length).toBeGreaterThan(500);
    expect(cells.length).toBeLessThan(900);
    const gridCoded = [...buildings, ...poles].filter((f) => f.properties.gridCode);
    expect(gridCoded.length).toBeGreaterThan(0.99 * (buildings.length + poles.length));
    for (const f of gridCoded) expect(codes.has(f.properties.gridCode!)).toBe(true);
  });

  it('writes valid building footprints with heights that match their floors', () => {
    const ids = new Set<string>();
    let tallOffices = 0;
    for (const b of buildings) {
      const { id, height, floors, use } = b.properties;
      expect(id).toMatch(/^B\d{6}$/);
      ids.add(id);
      expect(BUILDING_USES).toContain(use);
      expect(Number.isInteger(floors) && floors >= 1).toBe(true);
      expect(height).toBeGreaterThanOrEqual(2.8 * floors);
      expect(height).toBeLessThanOrEqual((use === 'industrial' ? 14 : 7) * floors);
      if (use === 'office' && height >= 100) tallOffices++;
      expect(height).toBeLessThanOrEqual(260);
      const r = ring(b);
      expect(r[0]).toEqual(r[r.length - 1]);
      // RFC 7946: exterior rings counter-clockwise.
      expect(area(r)).toBeGreaterThan(0);
      let selfCrossing = false;
      for (let i = 0; i < r.length - 1; i++) {
        for (let j = i + 2; j < r.length - 1; j++) {
          if (!(i === 0 && j === r.length - 2)) selfCrossing ||= segmentsCross(r[i]!, r[i + 1]!, r[j]!, r[j + 1]!);
        }
      }
      expect(selfCrossing, id).toBe(false);
    }
    expect(ids.size).toBe(buildings.length);
    expect(tallOffices).toBeGreaterThanOrEqual(5);
    expect(buildings.some((b) => b.properties.name)).toBe(true);
    const uses = new Set(buildings.map((b) => b.properties.use));
    for (const use of ['residential', 'office', 'industrial', 'education', 'healthcare', 'public', 'commercial']) expect(uses.has(use as BuildingProps['use']), use).toBe(true);
  });

  it('keeps buildings off each other, off roads, out of the water and off the hill park', () => {
    const rings = buildings.map((b) => ring(b).map(toMetres));
    const buckets = new Buckets(50);
    rings.forEach((r, i) => buckets.add(i, r));
    const overlaps: string[] = [];
    rings.forEach((r, i) => {
      for (const j of buckets.near(r)) {
        if (j <= i) continue;
        const o = rings[j]!;
        let bad = r.some(([x, y]) => inside(x, y, o)) || o.some(([x, y]) => inside(x, y, r));
        for (let a = 0; a < r.length - 1 && !bad; a++) {
          for (let b = 0; b < o.length - 1 && !bad; b++) bad = segmentsCross(r[a]!, r[a + 1]!, o[b]!, o[b + 1]!);
        }
        if (bad) overlaps.push(`${buildings[i]!.properties.id}/${buildings[j]!.properties.id}`);
      }
    });
    expect(overlaps).toEqual([]);
    // Walk every road centreline every 2 m: no point may fall inside a footprint.
    const onRoads: string[] = [];
    for (const road of roads) {
      const pts = line(road).map(toMetres);
      for (let k = 0; k < pts.length - 1; k++) {
        const [a, b] = [pts[k]!, pts[k + 1]!];
        const n = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 2);
        for (let s = 0; s <= n; s++) {
          const p: XY = [a[0] + ((b[0] - a[0]) * s) / n, a[1] + ((b[1] - a[1]) * s) / n];
          for (const i of buckets.near([p])) if (inside(p[0], p[1], rings[i]!)) onRoads.push(`${road.properties.id}/${buildings[i]!.properties.id}`);
        }
      }
    }
    expect(onRoads).toEqual([]);
    const hill = landuse.filter((l) => l.properties.kind === 'park' && l.properties.name?.includes('森林公园'));
    expect(hill).toHaveLength(1);
    const blocked = [...water.map((w) => ring(w).map(toMetres)), ring(hill[0]!).map(toMetres)];
    const misplaced = buildings.filter((_, i) => rings[i]!.some(([x, y]) => blocked.some((w) => inside(x, y, w))));
    expect(misplaced.map((b) => b.properties.id)).toEqual([]);
  });

  it('keeps roads out of the sea', () => {
    const sea = water.filter((w) => w.properties.kind === 'sea').map((w) => ring(w).map(toMetres));
    expect(sea).toHaveLength(1);
    for (const road of roads) for (const [x, y] of line(road).map(toMetres)) expect(inside(x, y, sea[0]!)).toBe(false);
  });

  it('describes water and land use with known kinds', () => {
    for (const w of water) expect(WATER_KINDS).toContain(w.properties.kind);
    expect(water.map((w) => w.properties.kind).sort()).toEqual(['river', 'sea']);
    const kinds = new Set(landuse.map((l) => l.properties.kind));
    for (const l of landuse) expect(LANDUSE_KINDS).toContain(l.properties.kind);
    for (const kind of LANDUSE_KINDS) expect(kinds.has(kind), kind).toBe(true);
    for (const f of [...water, ...landuse]) {
      const r = ring(f);
      expect(r[0]).toEqual(r[r.length - 1]);
      expect(area(r)).toBeGreaterThan(0);
    }
  });
});
