/**
 * The underground layers of a city source (domain/pipes.ts): each validator turns bad input into a
 * reason naming the field, and the reader's cross-layer check rejects pipes whose nodes are
 * missing, of another network, away from the line's ends or above their inverts.
 */
import { describe, expect, it } from 'vitest';
import type { LayerReport } from '../../domain/twinPackage';
import { parseFeature, type SourceFeature } from '../../tiles/source/layerValidators';
import { DRAINAGE_NODES, DRAINAGE_PIPES, UTILITY_LINES, checkDrainageReferences } from '../../tiles/source/pipeValidators';
import type { DrainageNodeProps, DrainagePipeProps } from '../../domain/pipes';
import type { LineString, Point } from '../../tiles/pipeline/geojson';
import { rejectionReason } from './rejectionReason';

const at = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const line = (...coords: number[][]) => ({ type: 'LineString', coordinates: coords });
const feature = (properties: object, geometry: object) => ({ type: 'Feature', properties, geometry });

const manhole = { id: 'J1', network: 'storm', kind: 'manhole', rimElevation: 5.2, invertElevation: 3.1 };
const pipe = {
  id: 'P1',
  network: 'storm',
  fromNode: 'J1',
  toNode: 'O1',
  fromInvert: 3.1,
  toInvert: 2.9,
  diameterM: 0.6,
  material: 'reinforced-concrete',
  owner: 'drainage',
  installYear: 2008,
};
const utility = { id: 'W1', network: 'water', depthM: 1.2, shape: 'circular', diameterM: 0.3, material: 'ductile-iron', owner: 'water-affairs', installYear: 2001 };

const reason = rejectionReason;

describe('underground layer validators', () => {
  it('reads a manhole, an outfall from its depth, a pipe with an inferred section and a utility line', () => {
    expect(parseFeature(feature(manhole, at(113.7, 22.83)), DRAINAGE_NODES).properties).toEqual(manhole);
    const outfall = parseFeature(feature({ id: 'O1', network: 'storm', kind: 'outfall', rimElevation: 2, depthM: 1.5, receiving: 'sea', boundary: 'tidal' }, at(113.7, 22.83)), DRAINAGE_NODES);
    expect(outfall.properties).toMatchObject({ invertElevation: 0.5, receiving: 'sea', boundary: 'tidal' });
    const river = parseFeature(feature({ id: 'O2', network: 'storm', kind: 'outfall', invertElevation: 0.2, receiving: 'river' }, at(113.7, 22.83)), DRAINAGE_NODES);
    expect(river.properties.boundary).toBe('free');
    expect(parseFeature(feature(pipe, line([113.7, 22.83], [113.701, 22.83])), DRAINAGE_PIPES).properties).toMatchObject({ shape: 'circular', diameterM: 0.6 });
    const box = parseFeature(feature({ ...pipe, diameterM: undefined, widthM: 2, heightM: 1.5 }, line([113.7, 22.83], [113.701, 22.83])), DRAINAGE_PIPES);
    expect(box.properties).toMatchObject({ shape: 'rectangular', widthM: 2, heightM: 1.5 });
    expect(parseFeature(feature(utility, line([113.7, 22.83], [113.701, 22.83])), UTILITY_LINES).properties.depthM).toBe(1.2);
  });

  it.each([
    ['an unknown network', DRAINAGE_NODES, { ...manhole, network: 'rain' }, 'network must be one of storm, sewer'],
    ['a manhole without a rim', DRAINAGE_NODES, { ...manhole, rimElevation: undefined }, 'rimElevation is required'],
    ['a node without an invert or depth', DRAINAGE_NODES, { ...manhole, invertElevation: undefined }, 'invertElevation is missing'],
    ['a rim below the invert', DRAINAGE_NODES, { ...manhole, rimElevation: 1 }, 'rimElevation 1 is below invertElevation 3.1'],
    ['an outfall without a receiving water', DRAINAGE_NODES, { ...manhole, kind: 'outfall' }, 'receiving must be one of'],
    ['a pipe in millimetres', DRAINAGE_PIPES, { ...pipe, diameterM: 600 }, 'diameterM must be a number > 0 and ≤ 8'],
    ['a pipe from a node to itself', DRAINAGE_PIPES, { ...pipe, toNode: 'J1' }, 'fromNode and toNode are both "J1"'],
    ['a pipe without a year', DRAINAGE_PIPES, { ...pipe, installYear: 'old' }, 'installYear must be an integer'],
    ['a rectangular pipe without a height', DRAINAGE_PIPES, { ...pipe, shape: 'rectangular', widthM: 2 }, 'heightM must be a number'],
    ['a drainage network on a utility line', UTILITY_LINES, { ...utility, network: 'storm' }, 'network must be one of water, gas, power, telecom'],
    ['a negative depth', UTILITY_LINES, { ...utility, depthM: -1 }, 'depthM must be a number ≥ 0'],
    ['a line without material', UTILITY_LINES, { ...utility, material: '' }, 'material must be a non-empty string'],
  ])('rejects %s, naming the field', (_name, spec, props, fragment) => {
    const geometry = spec === DRAINAGE_NODES ? at(113.7, 22.83) : line([113.7, 22.83], [113.701, 22.83]);
    expect(reason(() => parseFeature(feature(props, geometry), spec as typeof DRAINAGE_NODES))).toContain(fragment);
  });
});

describe('drainage references', () => {
  const node = (props: DrainageNodeProps, lon: number, index: number): SourceFeature<Point, DrainageNodeProps> => ({ index, properties: props, geometry: { type: 'Point', coordinates: [lon, 22.83] } });
  const nodes = [
    node({ id: 'J1', network: 'storm', kind: 'manhole', rimElevation: 5, invertElevation: 3 }, 113.7, 0),
    node({ id: 'J2', network: 'storm', kind: 'manhole', rimElevation: 5, invertElevation: 2.8 }, 113.7004, 1),
    node({ id: 'S1', network: 'sewer', kind: 'manhole', rimElevation: 5, invertElevation: 2 }, 113.7004, 2),
  ];
  const link = (index: number, p: Partial<DrainagePipeProps>, toLon = 113.7004): SourceFeature<LineString, DrainagePipeProps> => ({
    index,
    properties: { ...pipe, id: `P${index}`, fromNode: 'J1', toNode: 'J2', fromInvert: 3, toInvert: 2.85, ...p } as DrainagePipeProps,
    geometry: { type: 'LineString', coordinates: [[113.7, 22.83], [toLon, 22.83]] },
  });

  it('keeps good pipes and rejects the rest with a reason naming the field and the node', () => {
    const report: LayerReport = { read: 6, written: 0, rejected: [] };
    const kept = checkDrainageReferences(
      nodes,
      [link(0, {}), link(1, { toNode: 'J9' }), link(2, { toNode: 'S1', toInvert: 2.5 }), link(3, {}, 113.7008), link(4, { fromInvert: 2.5 })],
      report,
    );
    expect(kept.map((k) => k.properties.id)).toEqual(['P0']);
    expect(report.rejected.map((r) => [r.index, r.id, r.reason])).toEqual([
      [1, 'P1', 'toNode "J9" is not in the drainageNodes layer (or was rejected)'],
      [2, 'P2', 'toNode "S1" is a sewer node, the pipe is storm'],
      [3, 'P3', expect.stringMatching(/^toNode "J2" lies 41\.\d m from the line's last position \(at most 2 m\)$/)],
      [4, 'P4', 'fromInvert 2.5 is below the invertElevation 3 of fromNode "J1"'],
    ]);
  });
});
