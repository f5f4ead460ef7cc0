/** simulations/sight: obstacles, viewshed, "who can see this point" and hours of sun, against geometry worked by hand. */
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../kernel/raster/grid';
import { boxPrism, Obstacles } from '../../simulations/sight/obstacles';
import { facadeSamples, groundSunHours, hoursDifference, sunHours, sunSteps, winterSolstice } from '../../simulations/sight/sunHours';
import { cellCentre, HIDDEN, OUT_OF_VIEW, VISIBLE, viewshed, whoCanSee, type GridSpec } from '../../simulations/sight/viewshed';

const LAT = 22.83;
const LON = 113.7;

describe('obstacles', () => {
  const box = boxPrism('b', 0, 0, 10, 10, 0, 0, 20);
  const obstacles = new Obstacles([box]);

  it('blocks a segment through a prism and not one over, beside or ending short of it', () => {
    expect(obstacles.blocked(-20, 0, 5, 20, 0, 5)).toBe(true);
    expect(obstacles.blocked(-20, 0, 25, 20, 0, 25)).toBe(false);
    expect(obstacles.blocked(-20, 8, 5, 20, 8, 5)).toBe(false);
    expect(obstacles.blocked(-20, 0, 5, -6, 0, 5)).toBe(false);
    // Rising through the roof line: enters the footprint at x = −5 at z = 17.5 < 20 → blocked.
    expect(obstacles.blocked(-20, 0, 10, 20, 0, 30)).toBe(true);
    // Rising faster: z = 21.25 at the footprint's edge → passes over.
    expect(obstacles.blocked(-20, 0, 10, 20, 0, 55)).toBe(false);
    // A diagonal across many index cells, and one starting inside the prism.
    expect(obstacles.blocked(-300, -290, 3, 300, 310, 3)).toBe(true);
    expect(obstacles.blocked(0, 0, 5, 100, 0, 5)).toBe(true);
    expect(obstacles.roofAt(1, 1)).toBe(20);
    expect(obstacles.roofAt(6, 6)).toBeNaN();
  });

  it('lets the terrain block what runs below a hill', () => {
    // A 40 m ridge along x = 0 on a flat plain at 0 m, 10 m cells.
    const values = new Float32Array(21 * 21);
    for (let r = 0; r < 21; r++) values[r * 21 + 10] = 40;
    const ground: Grid = { ncols: 21, nrows: 21, xll: -105, yll: -105, cellSize: 10, values };
    const hilly = new Obstacles([], ground);
    expect(hilly.blocked(-80, 0, 2, 80, 0, 2)).toBe(true);
    expect(hilly.blocked(-80, 0, 60, 80, 0, 60)).toBe(false);
    expect(hilly.blocked(-80, 0, 2, -30, 0, 2)).toBe(false);
    // Sloping segments: rising through the ridge's top (z = 16 at x = 0) and descending over it.
    expect(hilly.blocked(-80, 0, 2, 80, 0, 30)).toBe(true);
    expect(hilly.blocked(-80, 0, 90, 80, 0, 45)).toBe(false);
    expect(hilly.blocked(-80, 0, 60, 80, 0, 2)).toBe(true);
  });
});

describe('viewshed', () => {
  // A 5 m wall 40 m long, east–west, 10 m north of an observer whose eye is 1.7 m above flat ground.
  const wall = boxPrism('wall', 0, 10, 40, 1, 0, 0, 5);
  const obstacles = new Obstacles([wall]);
  const grid: GridSpec = { ncols: 60, nrows: 60, xll: -60, yll: -60, cellSize: 2 };
  const observer = { x: 0, y: 0, z: 1.7, rangeM: 200 };
  const at = (cells: Uint8Array, x: number, y: number): number => cells[Math.floor((grid.yll + grid.nrows * grid.cellSize - y) / grid.cellSize) * grid.ncols + Math.floor((x - grid.xll) / grid.cellSize)]!;

  it('sees the ground in front of a wall and its top, not the ground behind it', () => {
    const result = viewshed(grid, obstacles, observer, 0);
    expect(at(result.cells, 1, 5)).toBe(VISIBLE);
    expect(at(result.cells, -30, -30)).toBe(VISIBLE);
    expect(at(result.cells, 1, 10)).toBe(VISIBLE); // the wall's top
    expect(at(result.cells, 1, 20)).toBe(HIDDEN);
    expect(at(result.cells, 10, 50)).toBe(HIDDEN);
    // Past the wall's end the view opens again: (50, 20) is seen along a line clear of x ≤ 20.
    expect(at(result.cells, 50, 20)).toBe(VISIBLE);
    // Every hidden cell lies behind the wall in the observer's shadow of it.
    result.cells.forEach((v, i) => {
      if (v !== HIDDEN) return;
      const [x, y] = cellCentre(grid, i % grid.ncols, Math.floor(i / grid.ncols));
      expect(y).toBeGreaterThan(10);
      expect(Math.abs((x * 10.5) / y)).toBeLessThanOrEqual(20 + grid.cellSize);
    });
    expect(result.hidden).toBeGreaterThan(100);
    expect(result.visible + result.hidden).toBe(grid.ncols * grid.nrows);
  });

  it('limits a camera to its range and field of view', () => {
    const camera = { ...observer, z: 8, rangeM: 40, view: { headingDeg: 180, hfovDeg: 60 } };
    const result = viewshed(grid, obstacles, camera, 0);
    expect(at(result.cells, 0, -20)).toBe(VISIBLE);
    expect(at(result.cells, 30, -10)).toBe(OUT_OF_VIEW); // 71.6° off its heading
    expect(at(result.cells, 0, -50)).toBe(OUT_OF_VIEW); // beyond 40 m
    expect(at(result.cells, 0, 20)).toBe(OUT_OF_VIEW); // behind it
  });

  it('lists the candidates that see a point behind the wall, nearest first', () => {
    const target = { x: 0, y: 20, z: 0.1 };
    const seen = whoCanSee(target, [
      { id: 'front', x: 0, y: 0, z: 1.7, rangeM: 100 },
      { id: 'high', x: 0, y: 0, z: 30, rangeM: 100 },
      { id: 'side', x: 40, y: 20, z: 3, rangeM: 100 },
      { id: 'far', x: 0, y: 90, z: 3, rangeM: 50 },
      { id: 'looks-away', x: 0, y: 30, z: 3, rangeM: 100, view: { headingDeg: 0, hfovDeg: 90 } },
    ], obstacles);
    expect(seen.map((s) => s.id)).toEqual(['high', 'side']);
    expect(seen[1]!.distanceM).toBeCloseTo(Math.hypot(40, 2.9), 6);
  });
});

describe('hours of sun', () => {
  it('counts six planning-window hours on open ground at the winter solstice and a full day in daylight mode', () => {
    const steps = sunSteps(winterSolstice(2026), LAT, LON, 15, 'planning');
    expect(steps).toHaveLength(24);
    const open = sunHours({ points: new Float64Array([0, 0, 0.05]), normals: new Float32Array(2) }, steps, new Obstacles([]));
    expect(open[0]).toBeCloseTo(6, 6);
    const day = sunSteps(winterSolstice(2026), LAT, LON, 10, 'daylight');
    // About 10 h 40 min between sunrise and sunset at 22.8° N in December.
    expect(day.length * 10).toBeGreaterThan(10.3 * 60);
    expect(day.length * 10).toBeLessThan(11 * 60);
  });

  it('leaves less sun north of a tall building than south of it', () => {
    const tower = boxPrism('tower', 0, 0, 20, 20, 0, 0, 80);
    const obstacles = new Obstacles([tower]);
    const grid: GridSpec = { ncols: 40, nrows: 40, xll: -100, yll: -100, cellSize: 5 };
    const hours = groundSunHours(grid, obstacles, sunSteps(winterSolstice(2026), LAT, LON, 15, 'planning'), 0);
    const at = (x: number, y: number): number => hours[Math.floor((100 - y) / 5) * 40 + Math.floor((x + 100) / 5)]!;
    expect(at(0, -30)).toBeCloseTo(6, 6);
    // 20 m north of a 20 m wide, 80 m tower the sun is cut off while its azimuth is within
    // atan(10 / 20) = 26.6° of south: around three hours of the six.
    expect(at(0, 30)).toBeGreaterThan(2);
    expect(at(0, 30)).toBeLessThan(4);
    expect(at(0, 0)).toBeNaN(); // under the roof
    expect(at(0, 60)).toBeLessThan(at(0, -60));
  });

  it('lights a south facade all day and a north facade never, and measures what a proposal takes away', () => {
    const block = boxPrism('block', 0, 0, 30, 12, 0, 0, 9);
    const samples = facadeSamples([block], 5, 3);
    const steps = sunSteps(winterSolstice(2026), LAT, LON, 15, 'planning');
    const before = sunHours(samples, steps, new Obstacles([block]));
    const southIdx: number[] = [];
    const northIdx: number[] = [];
    for (let i = 0; i < before.length; i++) {
      if (samples.normals[i * 2 + 1]! < -0.9) southIdx.push(i);
      if (samples.normals[i * 2 + 1]! > 0.9) northIdx.push(i);
    }
    expect(southIdx.length).toBe(6 * 3); // 30 m at 5 m spacing × 3 storeys
    // A 200 m tower, 20 m square: 5 samples a side × 4 sides × 67 storeys; capped at 500 they thin out evenly.
    const tower = boxPrism('t', 0, 0, 20, 20, 0, 0, 200);
    expect(facadeSamples([tower]).points.length / 3).toBe(5 * 4 * 67);
    const thinned = facadeSamples([tower], 4, 3, 0.2, 500).points.length / 3;
    expect(thinned).toBeLessThanOrEqual(500);
    expect(thinned).toBeGreaterThan(350);
    for (const i of southIdx) expect(before[i]).toBeCloseTo(6, 6);
    for (const i of northIdx) expect(before[i]).toBe(0);
    // A 60 m tower 30 m to the south shades the block's south wall.
    const proposal = boxPrism('proposed', 0, -36, 30, 12, 0, 0, 60);
    const after = sunHours(samples, steps, new Obstacles([block, proposal]));
    const diff = hoursDifference(before, after);
    for (const i of southIdx) expect(diff[i]).toBeLessThan(0);
    for (const i of northIdx) expect(diff[i]).toBe(0);
  });
});
