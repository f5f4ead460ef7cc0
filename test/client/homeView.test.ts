/**
 * The home view's distance fits what it frames (client/src/twin/core/homeView.ts): the demo's
 * 3.6 km district stays about where the old fixed 4.2 km put it, a 600 m district (the OSM
 * fixture's extent) comes close enough to fill the screen, a tileset sphere gets its height.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundsRadiusM, MIN_HOME_RANGE_M, rangeToFit, type HomeCamera } from '../../client/src/twin/core/homeView';
import type { GeoBounds } from '../../domain/twinPackage';
import { REPO_ROOT } from '../support/cliServer';

const WIDE: HomeCamera = { fovRad: Math.PI / 3, aspect: 960 / 600, pitchRad: (-32 * Math.PI) / 180 };

/** The rectangle around every coordinate of a GeoJSON file. */
function extentOf(file: string): GeoBounds {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const lons: number[] = [];
  const lats: number[] = [];
  for (const m of text.matchAll(/\[\s*(-?\d+\.\d+),\s*(-?\d+\.\d+)\s*\]/g)) {
    lons.push(Number(m[1]));
    lats.push(Number(m[2]));
  }
  return { west: Math.min(...lons), east: Math.max(...lons), south: Math.min(...lats), north: Math.max(...lats) };
}

describe('home view', () => {
  it('measures a bounds rectangle in metres', () => {
    // The demo twin: 0.0351° × 0.0326° at 22.83°N ≈ 3.6 km × 3.6 km.
    const demo = { west: 113.68238, south: 22.81333, east: 113.71752, north: 22.8459 };
    expect(boundsRadiusM(demo)).toBeCloseTo(2552, -1);
  });

  it('frames a 600 m OSM district from well under a kilometre, and the demo district from about 4–5 km', () => {
    const osm = extentOf('test/fixtures/real/osm-district.geojson');
    const radius = boundsRadiusM(osm);
    expect(radius).toBeGreaterThan(250);
    expect(radius).toBeLessThan(400);
    const near = rangeToFit(radius, WIDE);
    expect(near).toBeGreaterThan(radius);
    expect(near).toBeLessThan(1000);
    // With the flat-ground margin the pipeline adds (200 m each side) it is still far below 4.2 km.
    expect(rangeToFit(radius + 280, WIDE)).toBeLessThan(1500);
    const demo = rangeToFit(2552, WIDE);
    expect(demo).toBeGreaterThan(4000);
    expect(demo).toBeLessThan(5500);
  });

  it('needs more range on a portrait screen and for a sphere than for flat ground, and never comes closer than the minimum', () => {
    const portrait = { ...WIDE, aspect: 600 / 960 };
    expect(rangeToFit(500, portrait)).toBeGreaterThan(rangeToFit(500, WIDE));
    expect(rangeToFit(500, WIDE, false)).toBeGreaterThan(rangeToFit(500, WIDE, true));
    expect(rangeToFit(5, WIDE)).toBe(MIN_HOME_RANGE_M);
    // A 5760 × 1080 wall fits the demo's width, not its depth into a 12° high view.
    const wall = rangeToFit(2552, { ...WIDE, aspect: 5760 / 1080 });
    expect(wall).toBeLessThan(7000);
    expect(wall).toBeGreaterThanOrEqual(rangeToFit(2552, WIDE));
    expect(() => rangeToFit(100, { ...WIDE, aspect: 0 })).toThrow(/aspect/);
  });
});
