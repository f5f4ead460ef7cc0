/** The planning tab's pure cores: the side-by-side comparison, the section planes, the sight model's frame and ground. */
import { describe, expect, it } from 'vitest';
import { checkSameGrid, depthDifference, depthGrid, kpiRows, linkSpeedDifference } from '../../client/src/features/compare/core/scenarioDiff';
import type { DepthFrames } from '../../client/src/features/flood/core/depthFrames';
import { SightModel } from '../../client/src/features/sight/core/sightModel';
import { boxClip, boxHandles, dragBoxFace, dragPlane, keeps, planeClip, planeHandle } from '../../client/src/features/section/core/sectionPlanes';

function frames(values: number[][]): DepthFrames {
  return {
    meta: { format: 'citytwin-flood-frames', version: 1, ncols: 2, nrows: 2, cellSizeM: 5, corners: [[0, 1], [1, 1], [1, 0], [0, 0]], timesS: values.map((_, k) => k * 60), scaleM: 0.01, noData: 65535, maxDepthM: 1 },
    frames: values.map((v) => Uint16Array.from(v)),
  };
}

describe('flood comparison', () => {
  const a = frames([[0, 10, 20, 65535], [0, 50, 10, 65535]]);
  const b = frames([[0, 0, 80, 65535], [30, 0, 90, 65535]]);

  it('takes a frame or the maxima over time, no data staying NaN', () => {
    const first = depthGrid(a, 0);
    expect(first[0]).toBe(0);
    expect(first[1]).toBeCloseTo(0.1, 6);
    expect(first[2]).toBeCloseTo(0.2, 6);
    expect(first[3]).toBeNaN();
    const max = Array.from(depthGrid(a, 'max'));
    expect(max[1]).toBeCloseTo(0.5, 6);
    expect(max[2]).toBeCloseTo(0.2, 6);
  });

  it('maps the difference B − A and counts deeper and shallower cells', () => {
    const d = depthDifference(depthGrid(a, 'max'), depthGrid(b, 'max'));
    expect(d.diff[0]).toBeCloseTo(0.3, 6);
    expect(d.diff[1]).toBeCloseTo(-0.5, 6);
    expect(d.diff[2]).toBeCloseTo(0.7, 6);
    expect(d.diff[3]).toBeNaN();
    expect(d.deeperCells).toBe(2);
    expect(d.shallowerCells).toBe(1);
    expect(d.maxDeeperM).toBeCloseTo(0.7, 6);
    expect(d.maxShallowerM).toBeCloseTo(0.5, 6);
  });

  it('refuses grids that do not match, naming what differs', () => {
    const other = frames([[0, 0, 0, 0]]);
    other.meta.cellSizeM = 10;
    expect(() => checkSameGrid(a.meta, other.meta)).toThrow(/cellSizeM \(5 and 10\)/);
    expect(() => checkSameGrid(a.meta, b.meta)).not.toThrow();
  });
});

describe('traffic comparison and KPI rows', () => {
  it('differences mean link speeds over the intervals with traffic, largest change first', () => {
    const rows = linkSpeedDifference(
      [{ linkId: 'L1', flowVehPerHour: [], meanSpeedMps: [10, null, 14], queueVehicles: [] }, { linkId: 'L2', flowVehPerHour: [], meanSpeedMps: [8], queueVehicles: [] }],
      [{ linkId: 'L1', flowVehPerHour: [], meanSpeedMps: [11, 13], queueVehicles: [] }, { linkId: 'L2', flowVehPerHour: [], meanSpeedMps: [2, 4], queueVehicles: [] }, { linkId: 'L3', flowVehPerHour: [], meanSpeedMps: [null], queueVehicles: [] }],
    );
    expect(rows.map((r) => r.linkId)).toEqual(['L2', 'L1', 'L3']);
    expect(rows[0]!.diffMps).toBeCloseTo(-5, 9);
    expect(rows[1]!.aMps).toBeCloseTo(12, 9);
    expect(rows[1]!.diffMps).toBeCloseTo(0, 9);
    expect(rows[2]).toMatchObject({ aMps: null, bMps: null, diffMps: null });
  });

  it('puts each KPI of A and B side by side with the change and its share', () => {
    const rows = kpiRows<{ trips: number; delay: number | null }>(
      [{ key: 'trips', value: (s) => s.trips }, { key: 'delay', value: (s) => s.delay }],
      { trips: 200, delay: null },
      { trips: 250, delay: 30 },
    );
    expect(rows[0]).toEqual({ key: 'trips', a: 200, b: 250, diff: 50, share: 0.25 });
    expect(rows[1]).toEqual({ key: 'delay', a: null, b: 30, diff: null, share: null });
    expect(kpiRows([{ key: 'x', value: (s: number) => s }], null, 3)[0]).toMatchObject({ a: null, b: 3, diff: null });
  });
});

describe('section planes', () => {
  it('cuts away what lies beyond a vertical plane along its heading, and above a horizontal one', () => {
    const east = planeClip({ orientation: 'vertical', headingDeg: 90, offsetM: 10, heightM: 0 });
    expect(keeps(east, false, [5, 100, 20])).toBe(true);
    expect(keeps(east, false, [15, -100, 20])).toBe(false);
    const top = planeClip({ orientation: 'horizontal', headingDeg: 0, offsetM: 0, heightM: 12 });
    expect(keeps(top, false, [0, 0, 11])).toBe(true);
    expect(keeps(top, false, [0, 0, 13])).toBe(false);
    expect(dragPlane({ orientation: 'vertical', headingDeg: 90, offsetM: 0, heightM: 0 }, [25, 40, 0]).offsetM).toBeCloseTo(25, 9);
    expect(planeHandle({ orientation: 'vertical', headingDeg: 0, offsetM: 7, heightM: 0 })[1]).toBeCloseTo(7, 9);
  });

  it('keeps only what is inside a turned box, whose faces move with their handles', () => {
    const box = { centre: [10, 0, 5] as [number, number, number], size: [20, 10, 10] as [number, number, number], headingDeg: 90 };
    const planes = boxClip(box);
    // Heading 90°: depth (10 m) runs east-west, width (20 m) north-south.
    expect(keeps(planes, true, [10, 9, 5])).toBe(true);
    expect(keeps(planes, true, [14, 0, 5])).toBe(true);
    expect(keeps(planes, true, [16, 0, 5])).toBe(false);
    expect(keeps(planes, true, [10, 11, 5])).toBe(false);
    expect(keeps(planes, true, [10, 0, 11])).toBe(false);
    const handles = boxHandles(box);
    expect(handles).toHaveLength(6);
    for (const h of handles) expect(keeps(planes, true, h)).toBe(true);
    // Dragging the top face from 10 m to 30 m keeps the bottom at 0.
    const taller = dragBoxFace(box, 4, [0, 0, 30]);
    expect(taller.size[2]).toBeCloseTo(30, 9);
    expect(taller.centre[2]).toBeCloseTo(15, 9);
    // A face dragged past its opposite stops one metre short.
    expect(dragBoxFace(box, 4, [0, 0, -50]).size[2]).toBeCloseTo(1, 9);
  });
});

describe('sight model', () => {
  const centre = { lon: 113.7, lat: 22.83, height: 5 };
  const footprint = { id: 'B1', height: 30, polygons: [[[[-10, -5], [10, -5], [10, 5], [-10, 5]] as Array<[number, number]>]], origin: { lon: 113.701, lat: 22.83, height: 4 } };
  const model = new SightModel(centre, [footprint]);

  it('puts footprints in one local frame and converts back to lon/lat', () => {
    const b = model.buildings[0]!;
    // 0.001° of longitude at 22.83° N is about 102.6 m east.
    expect(b.ring[0]![0]).toBeCloseTo(102.6 - 10, 0);
    expect(b.ring[0]![1]).toBeCloseTo(-5, 1);
    expect(b.baseM).toBe(4);
    expect(b.topM).toBe(34);
    const [lon, lat] = model.toLonLat(...model.toLocal(113.7012, 22.8311));
    expect(lon).toBeCloseTo(113.7012, 9);
    expect(lat).toBeCloseTo(22.8311, 9);
  });

  it('keeps the buildings near a point, adds the proposal, and reads the ground under a grid', () => {
    const proposal = { lon: 113.7, lat: 22.83, widthM: 20, depthM: 10, heightM: 50, headingDeg: 0, baseM: 5 };
    expect(model.obstacles(0, 0, 50, null).prisms).toHaveLength(0);
    const near = model.obstacles(0, 0, 150, proposal);
    expect(near.prisms.map((p) => p.id)).toEqual(['B1', 'proposed']);
    expect(near.roofAt(0, 0)).toBe(55);
    const grid = SightModel.gridAround(0, 0, 10, 5);
    expect(grid).toEqual({ ncols: 4, nrows: 4, xll: -10, yll: -10, cellSize: 5 });
    const ground = model.groundUnder(grid, (_lon, lat) => (lat > 22.83 ? 7 : 3));
    expect(Array.from(ground.values.slice(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(ground.values.slice(12))).toEqual([3, 3, 3, 3]);
    const box = model.boxOf(grid);
    expect(box.west).toBeLessThan(113.7);
    expect(box.east).toBeGreaterThan(113.7);
  });
});
