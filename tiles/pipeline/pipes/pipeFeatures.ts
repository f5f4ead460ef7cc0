/**
 * The city source's underground layers as 3D features at their true depth: every drainage pipe
 * and utility line as an axis polyline (lon, lat, elevation of the section's centre) with its
 * section, every manhole as a shaft from its invert to its rim, every outfall as a headwall.
 * Drainage axes run from the invert at one end to the invert at the other along the line's
 * length; utility axes follow the ground (DEM) at their burial depth. Pure apart from the sampler.
 */
import { sectionSize, type DrainageNodeProps, type PipeNetwork, type PipeRecord, type PipeShape } from '../../../domain/pipes';
import { distanceM } from '../../../kernel/geodesy';
import type { CitySource } from '../../source/readCitySource';
import type { HeightSampler } from '../ground';

export const PIPE_FEATURE_KINDS = ['pipe', 'line', 'manhole', 'outfall'] as const;
export type PipeFeatureKind = (typeof PIPE_FEATURE_KINDS)[number];

/** What the tiles draw and their property table holds, one per feature. */
export interface PipeFeature {
  id: string;
  network: PipeNetwork;
  kind: PipeFeatureKind;
  shape: PipeShape;
  widthM: number;
  heightM: number;
  material: string;
  owner: string;
  installYear: number;
  /** Pipes and lines: the section's centre per vertex; manholes and outfalls: bottom and top of the shaft. */
  axis: Array<[number, number, number]>;
  fromNode: string;
  toNode: string;
  fromInvert: number;
  toInvert: number;
  /** Fall per length in per cent (drainage pipes). */
  slopePct: number;
  /** Lines: ground to top; manholes: rim to invert. */
  depthM: number;
  rimElevation: number;
  invertElevation: number;
}

/** Written in number columns where a feature has no such value (EXT_structural_metadata noData). */
export const NO_VALUE = -9999;
/** A manhole without a shaft size in the source gets this one (metres). */
const DEFAULT_SHAFT_M = 1;
/** Outfall headwall: width across the pipe and thickness, metres. */
const HEADWALL = { widthM: 1.6, thicknessM: 0.4, aboveM: 0.6 } as const;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

function base(id: string, network: PipeNetwork, kind: PipeFeatureKind): PipeFeature {
  return {
    id,
    network,
    kind,
    shape: 'circular',
    widthM: 0,
    heightM: 0,
    material: '',
    owner: '',
    installYear: 0,
    axis: [],
    fromNode: '',
    toNode: '',
    fromInvert: NO_VALUE,
    toInvert: NO_VALUE,
    slopePct: NO_VALUE,
    depthM: NO_VALUE,
    rimElevation: NO_VALUE,
    invertElevation: NO_VALUE,
  };
}

/** Cumulative lengths (metres) along lon/lat positions. */
function chainages(coords: ReadonlyArray<ArrayLike<number>>): number[] {
  const cum = [0];
  for (let i = 1; i < coords.length; i++) cum.push(cum[i - 1]! + distanceM(coords[i - 1]![0]!, coords[i - 1]![1]!, coords[i]![0]!, coords[i]![1]!));
  return cum;
}

/** Every underground feature of the source; lines off the DEM are rejected into `reports`. */
export function pipeFeatures(source: Pick<CitySource, 'drainageNodes' | 'drainagePipes' | 'utilityLines' | 'reports'>, sample: HeightSampler): PipeFeature[] {
  const out: PipeFeature[] = [];
  for (const { properties: p, geometry } of source.drainageNodes) out.push(nodeFeature(p, geometry.coordinates));
  for (const { properties: p, geometry } of source.drainagePipes) {
    const coords = geometry.coordinates;
    const cum = chainages(coords);
    const length = cum[cum.length - 1]!;
    const { widthM, heightM } = sectionSize(p);
    const f = base(p.id, p.network, 'pipe');
    Object.assign(f, {
      shape: p.shape,
      widthM,
      heightM,
      material: p.material,
      owner: p.owner,
      installYear: p.installYear,
      fromNode: p.fromNode,
      toNode: p.toNode,
      fromInvert: p.fromInvert,
      toInvert: p.toInvert,
      slopePct: length > 0 ? round3(((p.fromInvert - p.toInvert) / length) * 100) : 0,
    });
    f.axis = coords.map((c, i): [number, number, number] => {
      const t = length > 0 ? cum[i]! / length : 0;
      return [c[0]!, c[1]!, round3(p.fromInvert + (p.toInvert - p.fromInvert) * t + heightM / 2)];
    });
    out.push(f);
  }
  for (const { index, properties: p, geometry } of source.utilityLines) {
    const { widthM, heightM } = sectionSize(p);
    const axis: Array<[number, number, number]> = [];
    for (const c of geometry.coordinates) {
      const ground = sample(c[0]!, c[1]!);
      if (Number.isNaN(ground)) break;
      axis.push([c[0]!, c[1]!, round3(ground - p.depthM - heightM / 2)]);
    }
    if (axis.length < geometry.coordinates.length) {
      source.reports.utilityLines?.rejected.push({ index, id: p.id, reason: 'outside the DEM: no ground height to measure its depth from' });
      continue;
    }
    const f = base(p.id, p.network, 'line');
    Object.assign(f, { shape: p.shape, widthM, heightM, material: p.material, owner: p.owner, installYear: p.installYear, depthM: p.depthM, axis });
    out.push(f);
  }
  return out;
}

function nodeFeature(p: DrainageNodeProps, at: ArrayLike<number>): PipeFeature {
  const f = base(p.id, p.network, p.kind);
  f.invertElevation = p.invertElevation;
  f.owner = p.owner ?? '';
  if (p.kind === 'manhole') {
    const size = p.shaftDiameterM ?? DEFAULT_SHAFT_M;
    const rim = p.rimElevation!;
    Object.assign(f, { widthM: size, heightM: size, rimElevation: rim, depthM: round3(rim - p.invertElevation) });
    f.axis = [
      [at[0]!, at[1]!, p.invertElevation],
      [at[0]!, at[1]!, rim],
    ];
  } else {
    const top = p.rimElevation ?? p.invertElevation + HEADWALL.aboveM + 1;
    Object.assign(f, { shape: 'rectangular', widthM: HEADWALL.widthM, heightM: HEADWALL.thicknessM });
    if (p.rimElevation !== undefined) f.rimElevation = p.rimElevation;
    f.axis = [
      [at[0]!, at[1]!, p.invertElevation],
      [at[0]!, at[1]!, round3(top)],
    ];
  }
  return f;
}

/** layers/pipes.json: the lines (not the nodes) with their 3D axes, for clearances and road queries. */
export function pipeRecords(features: readonly PipeFeature[]): PipeRecord[] {
  const out: PipeRecord[] = [];
  for (const f of features) {
    if (f.kind !== 'pipe' && f.kind !== 'line') continue;
    const r: PipeRecord = {
      id: f.id,
      network: f.network,
      shape: f.shape,
      widthM: f.widthM,
      heightM: f.heightM,
      material: f.material,
      owner: f.owner,
      installYear: f.installYear,
      axis: f.axis,
    };
    if (f.kind === 'pipe') Object.assign(r, { fromNode: f.fromNode, toNode: f.toNode, fromInvert: f.fromInvert, toInvert: f.toInvert });
    else r.depthM = f.depthM;
    out.push(r);
  }
  return out;
}
