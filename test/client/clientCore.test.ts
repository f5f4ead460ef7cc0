/** The client's engine-free cores: level rules, URL options, components, search, tour, layout, measuring, sun. */
import { describe, expect, it } from 'vitest';
import { screenLayout } from '../../client/src/features/screens/core/arcLayout';
import { buildComponentSet, componentCode } from '../../client/src/features/components/core/componentSet';
import { defaultToggles, interiorPath, interiorPathOf, layerVisibility, levelSource, type LevelFiles } from '../../client/src/features/levels/core/levels';
import { distance3d, heightDifference, pathLength, polygonArea } from '../../client/src/features/measure/core/measure';
import { SearchIndex } from '../../client/src/features/search/core/searchIndex';
import { buildSpatialGrid, componentGridSize, nearestPoint } from '../../client/src/features/components/core/spatialGrid';
import { localInstant, nightFactor, sunPosition } from '../../client/src/features/environment/core/sun';
import { TourPlayer, type TourStopId } from '../../client/src/features/tour/core/tour';
import { parseUrlOptions } from '../../client/src/app/core/urlOptions';
import { explodeOffsetM, interiorPlan, MAX_PLAN_FLOORS } from '../../client/src/features/interior/core/interiorPlan';
import { syntheticPoles } from '../../client/src/features/live/core/syntheticDevices';
import { flowColor, roadFlows } from '../../client/src/features/onemap/core/trafficFlows';
import type { TerminalLive } from '../../domain/live';
import type { ComponentRecord, PoleRecord } from '../../domain/twinPackage';

const NONE: LevelFiles = { architectureTileset: null, componentsTileset: null, interiors: null, pipesTileset: null };
const ALL: LevelFiles = { architectureTileset: 'arch/tileset.json', componentsTileset: 'comp/tileset.json', interiors: 'interiors/{buildingId}.glb', pipesTileset: 'pipes/tileset.json' };

describe('levels', () => {
  it('adds layers level by level and keeps overlays at every level', () => {
    const l1 = layerVisibility('L1', defaultToggles(), NONE);
    expect(l1).toMatchObject({ terrain: true, whiteModels: false, components: false, interiors: false, poles: true });
    const l4 = layerVisibility('L4', defaultToggles(), NONE);
    expect(l4).toMatchObject({ terrain: true, whiteModels: true, architecture: false, components: true, interiors: false });
    expect(layerVisibility('L5', defaultToggles(), NONE).interiors).toBe(true);
  });

  it('replaces white models by architecture from L3 only when the package has it', () => {
    expect(layerVisibility('L3', defaultToggles(), ALL)).toMatchObject({ whiteModels: false, architecture: true });
    expect(layerVisibility('L2', defaultToggles(), ALL)).toMatchObject({ whiteModels: true, architecture: false });
    expect(layerVisibility('L3', { ...defaultToggles(), architecture: false }, ALL)).toMatchObject({ whiteModels: true, architecture: false });
    expect(levelSource('L3', NONE)).toBe('fallback');
    expect(levelSource('L4', ALL)).toBe('package');
  });

  it('fills the interiors path template and refuses one without the id', () => {
    expect(interiorPath('interiors/{buildingId}.glb', 'B 1/2')).toBe('interiors/B~201~2F2.glb');
    expect(interiorPath('interiors/{buildingId}.glb', 'way/360099726')).toBe('interiors/way~2F360099726.glb');
    expect(() => interiorPath('interiors/x.glb', 'B1')).toThrow(/lacks \{buildingId\}/);
  });

  it('asks for the interior of every building the index marks, file or made on demand, and none without a template', () => {
    expect(interiorPathOf(ALL, { id: 'way/1', interior: true })).toBe('interiors/way~2F1.glb');
    expect(interiorPathOf(ALL, { id: 'B1' })).toBeNull();
    expect(interiorPathOf(NONE, { id: 'B1', interior: true })).toBeNull();
  });
});

describe('URL options', () => {
  it('reads valid values and names the bad ones', () => {
    const ok = parseUrlOptions('?components=1_000_000&layout=arc&resolutionScale=0.25&mode=tour&level=4');
    expect(ok).toMatchObject({ components: 1_000_000, layout: 'arc', resolutionScale: 0.25, tour: true, level: 'L4', errors: [] });
    const bad = parseUrlOptions('?components=5e9&resolutionScale=0&level=L9&layout=wide');
    expect(bad.components).toBe(0);
    expect(bad.resolutionScale).toBe(1);
    expect(bad.errors).toHaveLength(4);
    expect(bad.errors[0]).toMatch(/\?level=L9/);
    expect(bad.errors.join(' ')).toMatch(/\?components=5e9: expected an integer from 0 to 2000000/);
  });
});

const REAL: ComponentRecord[] = [
  { code: '4419000102000001', classCode: '0102', lon: 113.69, lat: 22.82, groundHeight: 3, ownerId: 'drainage' },
  { code: '4419000107000001', classCode: '0107', lon: 113.7, lat: 22.83, groundHeight: 5, ownerId: 'telecom' },
];

describe('component set and spatial grid', () => {
  it('places synthetic components deterministically near real ones with unique codes', () => {
    const a = buildComponentSet(REAL, 1000, '441900');
    const b = buildComponentSet(REAL, 1000, '441900');
    expect(a.count).toBe(1002);
    expect(Array.from(a.lon)).toEqual(Array.from(b.lon));
    for (let i = 2; i < a.count; i++) {
      const nearA = Math.abs(a.lat[i]! - 22.82) < 0.001 && Math.abs(a.lon[i]! - 113.69) < 0.001;
      const nearB = Math.abs(a.lat[i]! - 22.83) < 0.001 && Math.abs(a.lon[i]! - 113.7) < 0.001;
      expect(nearA || nearB).toBe(true);
    }
    expect(componentCode(a, 0)).toBe('4419000102000001');
    const codes = new Set(Array.from({ length: a.count }, (_, i) => componentCode(a, i)));
    expect(codes.size).toBe(a.count);
    expect(componentCode(a, 5)).toMatch(/^441900010[27]9\d{5}$/);
  });

  it('bins every point once and finds the nearest within a radius', () => {
    const set = buildComponentSet(REAL, 5000, '441900', 7);
    const grid = buildSpatialGrid(set, 8, 8);
    expect(grid.chunks.reduce((n, c) => n + c.members.length, 0)).toBe(set.count);
    expect(nearestPoint(grid, set, 113.69, 22.82, 0.5)).toBe(0);
    expect(nearestPoint(grid, set, 113.5, 22.5, 50)).toBe(-1);
  });

  it('sizes the chunk grid for a few thousand components per chunk, 4 to 32 chunks a side', () => {
    const perChunk = (count: number) => count / componentGridSize(count) ** 2;
    expect(componentGridSize(500)).toBe(4);
    expect(componentGridSize(10_000)).toBe(4);
    expect(componentGridSize(100_000)).toBe(8);
    expect(perChunk(1_000_000)).toBeGreaterThan(1000);
    expect(perChunk(1_000_000)).toBeLessThanOrEqual(2000);
    expect(componentGridSize(50_000_000)).toBe(32);
  });
});

describe('search', () => {
  it('ranks exact, then prefix, then substring matches, ignoring case', () => {
    const index = new SearchIndex();
    index.add([
      { kind: 'pole', id: 'P00012', label: 'P00012', aliases: ['LP-00012'] },
      { kind: 'pole', id: 'P00001', label: 'P00001', aliases: [] },
      { kind: 'building', id: 'B0001', label: '滨海大厦', aliases: ['滨海大厦', 'Binhai Tower'] },
      { kind: 'component', id: '4419000102000001', label: '4419000102000001', aliases: [] },
    ]);
    expect(index.search('p00001').map((h) => h.entry.id)).toEqual(['P00001']);
    expect(index.search('P0001').map((h) => h.entry.id)).toEqual(['P00012']);
    expect(index.search('binhai')[0]!.entry.id).toBe('B0001');
    expect(index.search('大厦')[0]).toMatchObject({ rank: 2 });
    expect(index.search('0102000001')[0]!.entry.kind).toBe('component');
    expect(index.search('  ')).toEqual([]);
  });
});

describe('tour', () => {
  it('loops through available stops, pauses on input and resumes after the idle time', () => {
    const player = new TourPlayer({ stopMs: 1000, idleMs: 5000, available: (s) => s !== 'simulation' });
    const seen: Array<TourStopId | null> = [];
    for (let t = 0; t <= 4000; t += 1000) seen.push(player.tick(t));
    expect(seen).toEqual(['overview', 'devices', 'incident', 'interior', 'overview']);
    player.input(4500);
    expect(player.tick(6000)).toBeNull();
    expect(player.state()).toMatchObject({ stop: 'overview', paused: true });
    player.input(7000);
    expect(player.tick(11_999)).toBeNull();
    expect(player.tick(12_000)).toBe('devices');
    expect(player.state()).toMatchObject({ stop: 'devices', paused: false, visits: 6 });
  });
});

describe('arc screen layout', () => {
  it('switches by aspect ratio and sizes wings and type for the wall', () => {
    expect(screenLayout(1920, 1080, 'auto').arc).toBe(false);
    const wide = screenLayout(5760, 1080, 'auto');
    expect(wide.arc).toBe(true);
    expect(wide.fontPx).toBe(30);
    expect(wide.wingPx).toBeGreaterThanOrEqual(5760 * 0.15);
    expect(wide.wingPx).toBeLessThanOrEqual(5760 * 0.25);
    expect(screenLayout(11520, 2160, 'auto')).toMatchObject({ arc: true, fontPx: 60 });
    expect(screenLayout(1920, 1080, 'arc').arc).toBe(true);
    expect(screenLayout(7680, 2160, 'standard').arc).toBe(false);
  });
});

describe('measuring', () => {
  it('measures a 1 km north step, a 100 m square and a building height', () => {
    const a = { lon: 113.7, lat: 22.8, height: 0 };
    const north = { lon: 113.7, lat: 22.8 + 1000 / 110_760, height: 0 };
    expect(distance3d(a, north)).toBeCloseTo(1000, -1);
    expect(pathLength([a, north, a])).toBeCloseTo(2 * distance3d(a, north), 6);
    const dLat = 100 / 110_760;
    const dLon = 100 / (111_320 * Math.cos((22.8 * Math.PI) / 180));
    const square = [a, { ...a, lon: a.lon + dLon }, { ...a, lon: a.lon + dLon, lat: a.lat + dLat }, { ...a, lat: a.lat + dLat }];
    expect(polygonArea(square)).toBeGreaterThan(9_900);
    expect(polygonArea(square)).toBeLessThan(10_100);
    expect(heightDifference(a, { ...a, height: 87.5 })).toEqual({ heightM: 87.5, horizontalM: 0 });
  });
});

describe('sun', () => {
  it('stands high at local noon in summer and below the horizon at midnight over the district', () => {
    const noon = sunPosition(localInstant(2026, 6, 21, 12, 8), 113.7, 22.83);
    // Near the Tropic of Cancer at the June solstice the noon sun is almost overhead.
    expect(noon.elevationDeg).toBeGreaterThan(80);
    const midnight = sunPosition(localInstant(2026, 6, 21, 0, 8), 113.7, 22.83);
    expect(midnight.elevationDeg).toBeLessThan(-30);
    const morning = sunPosition(localInstant(2026, 3, 20, 7, 8), 113.7, 22.83);
    expect(morning.azimuthDeg).toBeGreaterThan(80);
    expect(morning.azimuthDeg).toBeLessThan(100);
    expect(nightFactor(30)).toBe(0);
    expect(nightFactor(-10)).toBe(1);
  });
});

describe('schematic interiors', () => {
  it('splits each floor into four rooms and a core, stacked by floor height', () => {
    const plan = interiorPlan('B1', 30, 10);
    expect(plan.floors).toBe(10);
    expect(plan.rooms).toHaveLength(50);
    expect(plan.rooms[0]).toMatchObject({ id: 'B1-F1-R1', floor: 1, kind: 'room' });
    expect(plan.rooms.find((r) => r.id === 'B1-F10-core')!.centre[2]).toBeCloseTo(28.5, 6);
    expect(interiorPlan('T', 400, 120).floors).toBe(MAX_PLAN_FLOORS);
    expect(() => interiorPlan('B2', 0, 3)).toThrow(/B2/);
    expect(explodeOffsetM(1, 1, 3)).toBe(0);
    expect(explodeOffsetM(3, 0.5, 4)).toBeCloseTo(6, 6);
  });
});

describe('synthetic devices and traffic flows', () => {
  const pole = (id: string, roadId: string, terminalIds: string[]): PoleRecord => ({ id, code: id, lon: 113.7, lat: 22.83, groundHeight: 4, heightM: 10, roadId, terminalIds });

  it('scatters synthetic poles near real ones with ids that cannot clash', () => {
    const extra = syntheticPoles([pole('P1', 'R1', ['P1-lamp'])], 3);
    expect(extra.map((p) => p.id)).toEqual(['SYN-000001', 'SYN-000002', 'SYN-000003']);
    expect(extra.every((p) => p.terminalIds.length === 0 && Math.abs(p.lat - 22.83) < 0.001)).toBe(true);
  });

  it('averages the traffic cameras on each road and colours heavy flow red', () => {
    const poles = [pole('P1', 'R1', ['P1-traffic-camera']), pole('P2', 'R1', ['P2-traffic-camera']), pole('P3', 'R2', ['P3-lamp'])];
    const live = new Map<string, TerminalLive>([
      ['P1-traffic-camera', { id: 'P1-traffic-camera', status: 'normal', ts: 1, values: { vehiclesPerMin: 20, meanSpeedKmh: 40 } }],
      ['P2-traffic-camera', { id: 'P2-traffic-camera', status: 'normal', ts: 1, values: { vehiclesPerMin: 40 } }],
    ]);
    const flows = roadFlows(poles, live);
    expect(flows.get('R1')).toEqual({ roadId: 'R1', vehiclesPerMin: 30, meanSpeedKmh: 40, cameras: 2 });
    expect(flows.has('R2')).toBe(false);
    expect(flowColor({ roadId: 'R', vehiclesPerMin: 60, meanSpeedKmh: null, cameras: 1 }).slice(0, 3)).toEqual([255, 58, 40]);
    expect(flowColor(undefined)[3]).toBeLessThan(200);
  });
});
