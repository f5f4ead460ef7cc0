/**
 * The drainage network of a coupled flood run on the map (client/src/features/flood/core/
 * drainLoad.ts): load classes at their bounds, the tile style conditions evaluated by Cesium's
 * own expression engine against features named as the twin's pipes are (and against the demo
 * twin's own: the network a 'twin' run couples names its links as the pipe tiles name their
 * features), manhole markers and the hit list's order.
 */

// Built by the global setup (test/globalSetup.ts) before any test runs.
const DEMO_TWIN = fileURLToPath(new URL('../../data/demo/twin/', import.meta.url));
import Expression from '@cesium/engine/Source/Scene/Expression.js';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TwinManifest } from '../../domain/twinPackage';
import { readTwinStormNetwork } from '../../simulations/drainage/twinStormNetwork';
import type { OverloadedDrain } from '../../simulations/drainage/overloadedDrains';
import { drainHitGroups, linksByClass, loadClass, LOAD_COLOURS, manholeMarkers, markerSizePx, pipeColourConditions } from '../../client/src/features/flood/core/drainLoad';

/** The colour Cesium's style gives a feature whose `id` is `id`: the first condition that holds. */
function colourOf(conditions: Array<[string, string]>, id: string): string {
  const feature = { getPropertyInherited: (name: string) => (name === 'id' ? id : undefined) };
  for (const [test, colour] of conditions) {
    if (new Expression(test).evaluate(feature as never) === true) return colour;
  }
  throw new Error(`no condition holds for ${id}`);
}

describe('drainage load on the map', () => {
  it('classes peak load ratios: < 0.5 low, < 1 high, from 1 (and non-numbers) over', () => {
    expect([0, 0.49, 0.5, 0.99, 1, 3.2].map(loadClass)).toEqual(['low', 'low', 'high', 'high', 'over', 'over']);
    expect(loadClass(Number.NaN)).toBe('over');
    expect(linksByClass([{ id: 'a', peakLoadRatio: 0.1 }, { id: 'b', peakLoadRatio: 1.4 }, { id: 'c', peakLoadRatio: 0.7 }])).toEqual({ low: ['a'], high: ['c'], over: ['b'] });
  });

  it("colours the twin's pipe features by class through Cesium's style expressions, others untouched", () => {
    const links = [
      { id: 'SP0001', peakLoadRatio: 0.2 },
      { id: 'SP0002', peakLoadRatio: 0.8 },
      { id: 'SP0003', peakLoadRatio: 1.6 },
      { id: 'SP0030', peakLoadRatio: 1.0 },
      { id: 'odd.id+(x)', peakLoadRatio: 2 },
    ];
    const conditions = pipeColourConditions(links);
    expect(conditions).toHaveLength(4);
    expect(colourOf(conditions, 'SP0001')).toBe(`color('${LOAD_COLOURS.low}')`);
    expect(colourOf(conditions, 'SP0002')).toBe(`color('${LOAD_COLOURS.high}')`);
    expect(colourOf(conditions, 'SP0003')).toBe(`color('${LOAD_COLOURS.over}')`);
    expect(colourOf(conditions, 'SP0030')).toBe(`color('${LOAD_COLOURS.over}')`);
    expect(colourOf(conditions, 'odd.id+(x)')).toBe(`color('${LOAD_COLOURS.over}')`);
    // Whole ids only: a prefix, a longer id or a regex-alike is not a pipe of the run.
    for (const other of ['SP000', 'SP00011', 'oddXid+(x)', 'SJ0001', '']) expect(colourOf(conditions, other)).toBe("color('white')");
  });

  it('keeps a network of thousands of pipes to a handful of conditions', () => {
    const links = Array.from({ length: 4000 }, (_, i) => ({ id: `SP${String(i + 1).padStart(4, '0')}`, peakLoadRatio: (i % 7) / 4 }));
    const conditions = pipeColourConditions(links);
    expect(conditions).toHaveLength(4);
    expect(colourOf(conditions, 'SP3999')).toBe(`color('${LOAD_COLOURS[loadClass(links[3998]!.peakLoadRatio)]}')`);
  });

  it("reaches every pipe of the demo twin's storm network: the model's link ids are the pipe tiles' feature ids", async () => {
    const manifest = JSON.parse(await readFile(`${DEMO_TWIN}twin.json`, 'utf8')) as TwinManifest;
    const { network } = await readTwinStormNetwork(DEMO_TWIN, manifest);
    // layers/pipes.json is what the pipe tiles were cut from (docs/pipes.md), one record per feature.
    const tiled = JSON.parse(await readFile(`${DEMO_TWIN}layers/pipes.json`, 'utf8')) as Array<{ id: string; network: string }>;
    const tiledStorm = new Set(tiled.filter((p) => p.network === 'storm').map((p) => p.id));
    expect(network.links.length).toBeGreaterThan(1000);
    expect(network.links.filter((l) => !tiledStorm.has(l.id))).toEqual([]);
    const links = network.links.map((l, i) => ({ id: l.id, peakLoadRatio: (i % 5) * 0.3 }));
    const conditions = pipeColourConditions(links);
    for (const k of [0, 1, 2, 3, 4, links.length - 1]) expect(colourOf(conditions, links[k]!.id)).toBe(`color('${LOAD_COLOURS[loadClass(links[k]!.peakLoadRatio)]}')`);
    const sewer = tiled.find((p) => p.network === 'sewer');
    expect(sewer).toBeDefined();
    expect(colourOf(conditions, sewer!.id)).toBe("color('white')");
  });

  const drains: OverloadedDrain[] = [
    { kind: 'node', id: 'SJ0007', value: 12.5, durationS: 900, lon: 113.01, lat: 22.5 },
    { kind: 'node', id: 'SJ0002', value: 240, durationS: 1800, lon: 113.02, lat: 22.51 },
    { kind: 'node', id: 'SJ0009', value: 3, durationS: 60 },
    { kind: 'link', id: 'SP0004', value: 1.2, durationS: 300, lon: 113.0, lat: 22.49 },
    { kind: 'link', id: 'SP0001', value: 2.7, durationS: 120, lon: 113.03, lat: 22.52 },
  ];

  it('marks spilling manholes that have a place, largest first, sized by volume, with their peak depth', () => {
    const markers = manholeMarkers(drains, [{ id: 'SJ0002', peakDepthM: 3.4 }]);
    expect(markers.map((m) => m.id)).toEqual(['SJ0002', 'SJ0007']);
    expect(markers[0]).toMatchObject({ peakDepthM: 3.4, floodVolumeM3: 240, floodDurationS: 1800, lon: 113.02 });
    expect(markers[1]!.peakDepthM).toBeNull();
    expect(markers[0]!.sizePx).toBeGreaterThan(markers[1]!.sizePx);
    expect([markerSizePx(0.001), markerSizePx(0.01), markerSizePx(1e4), markerSizePx(1e9)]).toEqual([10, 10, 32, 32]);
  });

  it('lists overloaded pipes by load ratio and spilling manholes by volume, worst first', () => {
    const { pipes, manholes } = drainHitGroups(drains);
    expect(pipes.map((d) => [d.id, d.value])).toEqual([['SP0001', 2.7], ['SP0004', 1.2]]);
    expect(manholes.map((d) => d.id)).toEqual(['SJ0002', 'SJ0007', 'SJ0009']);
  });
});
