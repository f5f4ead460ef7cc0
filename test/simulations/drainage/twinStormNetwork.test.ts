/**
 * The twin's storm layers as a DrainageNetwork (simulations/drainage/twinStormNetwork.ts), on the
 * demo twin that test/globalSetup.ts builds, and `citytwin sim drainage export` writing it as .inp.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/index';
import type { DrainageNodeProps, DrainagePipeProps } from '../../../domain/pipes';
import type { TwinManifest } from '../../../domain/twinPackage';
import { distanceM } from '../../../kernel/geodesy';
import { parseAsciiGrid } from '../../../kernel/raster/asciiGrid';
import type { OutfallNode } from '../../../simulations/drainage/network';
import { readSwmmInp } from '../../../simulations/drainage/swmmInp';
import { readTwinStormNetwork, stormNetworkFromLayers, upstreamOf, type StormLayers } from '../../../simulations/drainage/twinStormNetwork';

const DEMO_TWIN = fileURLToPath(new URL('../../../data/demo/twin/', import.meta.url));

async function demo(): Promise<{ manifest: TwinManifest; layers: StormLayers }> {
  const manifest = JSON.parse(await readFile(join(DEMO_TWIN, 'twin.json'), 'utf8')) as TwinManifest;
  const layers: StormLayers = {
    nodes: JSON.parse(await readFile(join(DEMO_TWIN, manifest.files.drainageNodes!), 'utf8')),
    pipes: JSON.parse(await readFile(join(DEMO_TWIN, manifest.files.drainagePipes!), 'utf8')),
  };
  return { manifest, layers };
}

describe('twin storm network → DrainageNetwork', () => {
  it('the demo: storm nodes and pipes only, in the DEM CRS on the DEM, lengths, depths and offsets from the layers', async () => {
    const { manifest, layers } = await demo();
    const { network, crs } = await readTwinStormNetwork(DEMO_TWIN, manifest);
    expect(crs).toBe(manifest.files.dem.crs);
    const stormNodes = layers.nodes.features.filter((f) => f.properties.network === 'storm');
    const stormPipes = layers.pipes.features.filter((f) => f.properties.network === 'storm');
    expect(layers.nodes.features.length).toBeGreaterThan(stormNodes.length); // the sewer is left out
    expect(network.nodes.map((n) => n.id)).toEqual(stormNodes.map((f) => f.properties.id));
    expect(network.links.map((l) => l.id)).toEqual(stormPipes.map((f) => f.properties.id));

    const dem = parseAsciiGrid(await readFile(join(DEMO_TWIN, manifest.files.dem.grid), 'utf8'), 'dem');
    for (const n of network.nodes) {
      expect(n.x! >= dem.xll && n.x! <= dem.xll + dem.ncols * dem.cellSize).toBe(true);
      expect(n.y! >= dem.yll && n.y! <= dem.yll + dem.nrows * dem.cellSize).toBe(true);
    }
    const byId = new Map(stormNodes.map((f) => [f.properties.id, f.properties as DrainageNodeProps]));
    for (const [i, f] of stormNodes.entries()) {
      const p = f.properties;
      const node = network.nodes[i]!;
      expect(node.invertElevationM).toBe(p.invertElevation);
      if (p.kind === 'manhole') {
        expect(node).toMatchObject({ kind: 'junction', maxDepthM: p.rimElevation! - p.invertElevation, surfaceAreaM2: (Math.PI * (p.shaftDiameterM ?? 1) ** 2) / 4 });
      } else {
        const o = node as OutfallNode;
        expect(o.kind).toBe('outfall');
        expect(o.tidal === true).toBe(p.boundary === 'tidal');
        expect(o.flapGate === true).toBe(p.boundary === 'tidal');
        expect(o.boundary.type).toBe(p.boundary === 'tidal' ? 'fixed' : 'free');
      }
    }
    expect(network.nodes.some((n) => n.kind === 'outfall' && n.tidal)).toBe(true);
    for (const [i, f] of stormPipes.entries()) {
      const p = f.properties as DrainagePipeProps;
      const link = network.links[i]!;
      const c = f.geometry.coordinates;
      let geodesic = 0;
      for (let k = 1; k < c.length; k++) geodesic += distanceM(c[k - 1]![0]!, c[k - 1]![1]!, c[k]![0]!, c[k]![1]!);
      // plan length in the projected CRS against the haversine on a sphere, which is itself up to
      // ~0.5 % off the ellipsoid (meridional radius 6,343 km here, not the 6,371 km mean)
      expect(Math.abs(link.lengthM - geodesic) / geodesic).toBeLessThan(6e-3);
      expect(link.inOffsetM).toBeCloseTo(p.fromInvert - byId.get(p.fromNode)!.invertElevation, 9);
      expect(link.outOffsetM).toBeCloseTo(p.toInvert - byId.get(p.toNode)!.invertElevation, 9);
      expect(link.section).toEqual(p.shape === 'circular' ? { shape: 'circular', diameterM: p.diameterM } : { shape: 'rect-closed', heightM: p.heightM, widthM: p.widthM });
    }
  });

  it('maps rectangular pipes to closed boxes, takes Manning n from the material, refuses a pipe to a missing node', () => {
    const node = (id: string, kind: 'manhole' | 'outfall', lon: number): StormLayers['nodes']['features'][number] => ({
      geometry: { type: 'Point', coordinates: [lon, 22.8] },
      properties: { id, network: 'storm', kind, invertElevation: 1, ...(kind === 'manhole' ? { rimElevation: 3 } : { boundary: 'free' }) },
    });
    const layers: StormLayers = {
      nodes: { features: [node('A', 'manhole', 113.6), node('B', 'outfall', 113.601)] },
      pipes: { features: [{ geometry: { type: 'LineString', coordinates: [[113.6, 22.8], [113.601, 22.8]] }, properties: { id: 'P', network: 'storm', fromNode: 'A', toNode: 'B', fromInvert: 1.5, toInvert: 1, shape: 'rectangular', widthM: 2, heightM: 1, material: 'brick', owner: 'x', installYear: 1990 } }] },
    };
    const flat = (lon: number, lat: number): [number, number] => [lon * 1e5, lat * 1e5];
    const network = stormNetworkFromLayers(layers, flat);
    expect(network.links[0]).toMatchObject({ section: { shape: 'rect-closed', heightM: 1, widthM: 2 }, manningN: 0.015, inOffsetM: 0.5, outOffsetM: 0 });
    expect(network.links[0]!.lengthM).toBeCloseTo(100, 6);
    layers.pipes.features[0]!.properties.toNode = 'C';
    expect(() => stormNetworkFromLayers(layers, flat)).toThrow('drainagePipes: pipe "P" joins "A" and "C", not both storm nodes of drainageNodes');
  });
});

describe('citytwin sim drainage export', () => {
  it("writes an outfall's catchment of the demo as .inp that reads back as the same network, with storm inflows and the tide", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drainage-export-'));
    try {
      const { manifest } = await demo();
      const { network } = await readTwinStormNetwork(DEMO_TWIN, manifest);
      const tidal = network.nodes.find((n) => n.kind === 'outfall' && n.tidal)!;
      const out = join(dir, 'storm.inp');
      const code = await main(['sim', 'drainage', 'export', '--twin', DEMO_TWIN, '--out', out, '--outfalls', tidal.id, '--storm-mmh', '100', '--tide-amplitude-m', '1', '--duration-h', '2']);
      expect(code).toBe(0);
      const model = readSwmmInp(await readFile(out, 'utf8'), 'storm.inp');
      const expected = upstreamOf(network, [tidal.id]);
      expect(model.network.links).toEqual(expected.links);
      expect(model.network.nodes.filter((n) => n.kind === 'junction')).toEqual(expected.nodes.filter((n) => n.kind === 'junction'));
      const sea = model.network.nodes.find((n) => n.id === tidal.id) as OutfallNode;
      expect(sea.flapGate).toBe(true);
      expect(sea.boundary.type === 'timeseries' && sea.boundary.stagesM[0]).toBe(1); // high water at the start
      expect(model.inflows).toHaveLength(expected.nodes.length - 1);
      expect(model.options).toMatchObject({ durationS: 7200, reportStepS: 300, flowUnits: 'CMS' });
      expect(await main(['sim', 'drainage', 'export', '--twin', DEMO_TWIN, '--out', out, '--outfalls', 'NOPE'])).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
