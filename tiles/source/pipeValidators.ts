/**
 * Validators for the underground layers of a city source (domain/pipes.ts): one spec per GeoJSON
 * layer, plus the checks between them (a pipe's end nodes exist, share its network and lie at its
 * line's ends; inverts sit at or above their node's). A bad feature is rejected with a reason
 * naming the field; the rest of the layer goes on.
 */
import {
  DRAINAGE_NETWORKS,
  DRAINAGE_NODE_KINDS,
  MAX_SECTION_M,
  OUTFALL_BOUNDARIES,
  OUTFALL_RECEIVERS,
  PIPE_SHAPES,
  UTILITY_NETWORKS,
  type DrainageNodeProps,
  type DrainagePipeProps,
  type PipeAttributes,
  type PipeSection,
  type UtilityLineProps,
} from '../../domain/pipes';
import type { LineString, Point } from '../pipeline/geojson';
import { distanceM } from '../../kernel/geodesy';
import type { LayerReport } from '../../domain/twinPackage';
import { FeatureRejection, parseLineString, parsePoint } from './geometryChecks';
import type { FeatureLayerSpec, SourceFeature } from './layerValidators';
import { num, oneOf, optStr, str, type Untrusted } from './propertyChecks';

/** Elevations outside this range are a unit or datum error (the Dead Sea shore to a high plateau). */
const ELEVATION = { min: -500, max: 9000 } as const;
const YEAR = { integer: true, min: 1800, max: 2100 } as const;
/** A pipe's line must start and end this close to its nodes (survey tolerance), metres. */
export const NODE_SNAP_M = 2;
/** An invert may sit this far below its node's invert (rounding of surveyed values), metres. */
const INVERT_SLACK_M = 0.005;

function optNum(p: Untrusted, key: string, rule: Parameters<typeof num>[2]): number | undefined {
  return p[key] === undefined || p[key] === null ? undefined : num(p, key, rule);
}

/** `shape` may be left out: a diameter means circular, a width and height rectangular. */
function section(p: Untrusted): PipeSection {
  const shape = p.shape === undefined || p.shape === null ? (p.diameterM !== undefined ? 'circular' : 'rectangular') : oneOf(p, 'shape', PIPE_SHAPES);
  const size = { above: 0, max: MAX_SECTION_M };
  if (shape === 'circular') return { shape, diameterM: num(p, 'diameterM', size) };
  return { shape, widthM: num(p, 'widthM', size), heightM: num(p, 'heightM', size) };
}

function attributes(p: Untrusted): PipeAttributes {
  return { material: str(p, 'material'), owner: str(p, 'owner'), installYear: num(p, 'installYear', YEAR) };
}

export const DRAINAGE_NODES: FeatureLayerSpec<Point, DrainageNodeProps> = {
  geometry: parsePoint,
  properties: (p) => {
    const kind = oneOf(p, 'kind', DRAINAGE_NODE_KINDS);
    const rim = optNum(p, 'rimElevation', ELEVATION);
    // Either the invert, or the depth below the rim (as a field survey records it).
    let invert = optNum(p, 'invertElevation', ELEVATION);
    if (invert === undefined) {
      const depth = optNum(p, 'depthM', { min: 0, max: 100 });
      if (depth === undefined || rim === undefined) throw new FeatureRejection('invertElevation is missing (or give rimElevation and depthM)');
      invert = Math.round((rim - depth) * 1000) / 1000;
    }
    if (kind === 'manhole' && rim === undefined) throw new FeatureRejection('rimElevation is required for a manhole');
    if (rim !== undefined && rim < invert) throw new FeatureRejection(`rimElevation ${rim} is below invertElevation ${invert}`);
    const out: DrainageNodeProps = { id: str(p, 'id'), network: oneOf(p, 'network', DRAINAGE_NETWORKS), kind, invertElevation: invert };
    if (rim !== undefined) out.rimElevation = rim;
    const shaft = optNum(p, 'shaftDiameterM', { above: 0, max: MAX_SECTION_M });
    if (shaft !== undefined) out.shaftDiameterM = shaft;
    if (kind === 'outfall') {
      out.receiving = oneOf(p, 'receiving', OUTFALL_RECEIVERS);
      out.boundary = p.boundary === undefined ? 'free' : oneOf(p, 'boundary', OUTFALL_BOUNDARIES);
    }
    const owner = optStr(p, 'owner');
    if (owner !== undefined) out.owner = owner;
    return out;
  },
  key: (p) => p.id,
};

export const DRAINAGE_PIPES: FeatureLayerSpec<LineString, DrainagePipeProps> = {
  geometry: parseLineString,
  properties: (p) => {
    const out: DrainagePipeProps = {
      id: str(p, 'id'),
      network: oneOf(p, 'network', DRAINAGE_NETWORKS),
      fromNode: str(p, 'fromNode'),
      toNode: str(p, 'toNode'),
      fromInvert: num(p, 'fromInvert', ELEVATION),
      toInvert: num(p, 'toInvert', ELEVATION),
      ...section(p),
      ...attributes(p),
    };
    if (out.fromNode === out.toNode) throw new FeatureRejection(`fromNode and toNode are both "${out.fromNode}"`);
    const n = optNum(p, 'manningN', { above: 0, max: 0.1 });
    if (n !== undefined) out.manningN = n;
    return out;
  },
  key: (p) => p.id,
};

export const UTILITY_LINES: FeatureLayerSpec<LineString, UtilityLineProps> = {
  geometry: parseLineString,
  properties: (p) => {
    const out: UtilityLineProps = {
      id: str(p, 'id'),
      network: oneOf(p, 'network', UTILITY_NETWORKS),
      depthM: num(p, 'depthM', { min: 0, max: 100 }),
      ...section(p),
      ...attributes(p),
    };
    const pressure = optNum(p, 'pressureMPa', { min: 0, max: 20 });
    if (pressure !== undefined) out.pressureMPa = pressure;
    return out;
  },
  key: (p) => p.id,
};

/**
 * Rejects pipes whose nodes are missing (or were rejected), belong to another network, or lie
 * away from the line's ends, and pipes whose inverts lie below their node's. Returns the pipes kept.
 */
export function checkDrainageReferences(
  nodes: ReadonlyArray<SourceFeature<Point, DrainageNodeProps>>,
  pipes: ReadonlyArray<SourceFeature<LineString, DrainagePipeProps>>,
  report: LayerReport | undefined,
): Array<SourceFeature<LineString, DrainagePipeProps>> {
  const byId = new Map(nodes.map((n) => [n.properties.id, n]));
  const why = (f: SourceFeature<LineString, DrainagePipeProps>): string | undefined => {
    const p = f.properties;
    const line = f.geometry.coordinates;
    const ends = [
      ['fromNode', p.fromNode, p.fromInvert, line[0]!],
      ['toNode', p.toNode, p.toInvert, line[line.length - 1]!],
    ] as const;
    for (const [field, id, invert, end] of ends) {
      const node = byId.get(id);
      if (!node) return `${field} "${id}" is not in the drainageNodes layer (or was rejected)`;
      if (node.properties.network !== p.network) return `${field} "${id}" is a ${node.properties.network} node, the pipe is ${p.network}`;
      const at = node.geometry.coordinates;
      const gap = distanceM(at[0]!, at[1]!, end[0]!, end[1]!);
      if (gap > NODE_SNAP_M) return `${field} "${id}" lies ${gap.toFixed(1)} m from the line's ${field === 'fromNode' ? 'first' : 'last'} position (at most ${NODE_SNAP_M} m)`;
      const nodeInvert = node.properties.invertElevation;
      const inv = field === 'fromNode' ? 'fromInvert' : 'toInvert';
      if (invert < nodeInvert - INVERT_SLACK_M) return `${inv} ${invert} is below the invertElevation ${nodeInvert} of ${field} "${id}"`;
    }
    return undefined;
  };
  return pipes.filter((f) => {
    const reason = why(f);
    if (reason !== undefined) report?.rejected.push({ index: f.index, id: f.properties.id, reason });
    return reason === undefined;
  });
}
