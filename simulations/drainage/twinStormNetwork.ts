/**
 * The twin package's storm drainage (`files.drainageNodes`, `files.drainagePipes`: validated
 * GeoJSON, schema in docs/pipes.md) as the pipe model's DrainageNetwork, nodes placed in the DEM's
 * projected CRS so they couple to the flood grid's cells. The sewer network is left out (it is a
 * separate system). Mapping, as docs/pipes.md "For the 1D drainage model (SWMM)":
 *
 *   manhole → junction: invert, max depth = rim − invert, plan area of its shaft (default Ø 1 m)
 *   outfall → outfall: `free` → FREE; `tidal` → `tidal: true` (follows the run's sea level) with
 *             a flap gate and, for runs without one, a fixed stage at mean sea level (0 m)
 *   pipe    → conduit: plan length of its line, offsets = end inverts − node inverts, circular or
 *             closed rectangular section, Manning's n given or from the material
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/DomainError';
import { manningNOf, type DrainageNodeProps, type DrainagePipeProps } from '../../domain/pipes';
import type { TwinManifest } from '../../domain/twinPackage';
import { crsTransform } from '../../kernel/crs/crs';
import { knownDemCrs, MEAN_SEA_LEVEL_M } from '../flood/twin/twinFloodSetup';
import type { CrossSection, DrainageLink, DrainageNetwork, DrainageNode } from './network';

interface Feature<G, P> {
  geometry: G;
  properties: P;
}
export interface StormLayers {
  nodes: { features: Array<Feature<{ type: 'Point'; coordinates: number[] }, DrainageNodeProps>> };
  pipes: { features: Array<Feature<{ type: 'LineString'; coordinates: number[][] }, DrainagePipeProps>> };
}

/** A twin whose storm network cannot be built (no layers, a pipe to a missing node). */
export class TwinDrainageError extends DomainError {
  constructor(message: string) {
    super('invalid', message, ['drainageNetwork']);
  }
}

const DEFAULT_SHAFT_DIAMETER_M = 1;

/** The storm network of the layers, `project` taking lon/lat to the model's x, y in metres. */
export function stormNetworkFromLayers(layers: StormLayers, project: (lon: number, lat: number) => [number, number]): DrainageNetwork {
  const nodes: DrainageNode[] = [];
  const invertOf = new Map<string, number>();
  for (const f of layers.nodes.features) {
    const p = f.properties;
    if (p.network !== 'storm') continue;
    const [x, y] = project(f.geometry.coordinates[0]!, f.geometry.coordinates[1]!);
    invertOf.set(p.id, p.invertElevation);
    if (p.kind === 'manhole') {
      if (p.rimElevation === undefined) throw new TwinDrainageError(`drainageNodes: manhole "${p.id}" has no rimElevation`);
      const d = p.shaftDiameterM ?? DEFAULT_SHAFT_DIAMETER_M;
      nodes.push({
        kind: 'junction', id: p.id, invertElevationM: p.invertElevation, maxDepthM: p.rimElevation - p.invertElevation,
        surfaceAreaM2: (Math.PI * d * d) / 4, initialDepthM: 0, x, y,
      });
    } else if (p.boundary === 'tidal') {
      nodes.push({ kind: 'outfall', id: p.id, invertElevationM: p.invertElevation, boundary: { type: 'fixed', stageM: MEAN_SEA_LEVEL_M }, tidal: true, flapGate: true, x, y });
    } else {
      nodes.push({ kind: 'outfall', id: p.id, invertElevationM: p.invertElevation, boundary: { type: 'free' }, x, y });
    }
  }
  const links: DrainageLink[] = [];
  for (const f of layers.pipes.features) {
    const p = f.properties;
    if (p.network !== 'storm') continue;
    const fromInvert = invertOf.get(p.fromNode);
    const toInvert = invertOf.get(p.toNode);
    if (fromInvert === undefined || toInvert === undefined) {
      throw new TwinDrainageError(`drainagePipes: pipe "${p.id}" joins "${p.fromNode}" and "${p.toNode}", not both storm nodes of drainageNodes`);
    }
    let length = 0;
    const xy = f.geometry.coordinates.map(([lon, lat]) => project(lon!, lat!));
    for (let i = 1; i < xy.length; i++) length += Math.hypot(xy[i]![0] - xy[i - 1]![0], xy[i]![1] - xy[i - 1]![1]);
    const section: CrossSection = p.shape === 'circular'
      ? { shape: 'circular', diameterM: p.diameterM }
      : { shape: 'rect-closed', heightM: p.heightM, widthM: p.widthM };
    links.push({
      id: p.id, fromNode: p.fromNode, toNode: p.toNode, lengthM: length,
      manningN: p.manningN ?? manningNOf(p.material),
      inOffsetM: Math.max(0, p.fromInvert - fromInvert), outOffsetM: Math.max(0, p.toInvert - toInvert),
      section, initialFlowM3s: 0,
    });
  }
  return { nodes, links };
}

/** Reads a twin package's storm network, in the CRS of its DEM (`crs` is that CRS's code). */
export async function readTwinStormNetwork(dir: string, manifest: TwinManifest): Promise<{ network: DrainageNetwork; crs: string }> {
  const { drainageNodes, drainagePipes, dem } = manifest.files;
  if (!drainageNodes || !drainagePipes) {
    throw new TwinDrainageError(`${dir}: the twin package has no storm network (files.drainageNodes / files.drainagePipes); give the city source drainage layers and rebuild it`);
  }
  const read = async <T>(file: string): Promise<T> => {
    try {
      return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
    } catch (err) {
      throw new TwinDrainageError(`${file}: cannot read the twin's drainage layer (${(err as Error).message})`);
    }
  };
  const layers: StormLayers = { nodes: await read(drainageNodes), pipes: await read(drainagePipes) };
  const crs = await knownDemCrs(dir, dem);
  const transform = crsTransform(crs);
  const network = stormNetworkFromLayers(layers, (lon, lat) => transform.fromLonLat(lon, lat));
  if (network.nodes.length === 0) throw new TwinDrainageError(`${drainageNodes}: no storm nodes`);
  return { network, crs };
}

/**
 * The part of a network that drains to the given outfalls: those outfalls, every node with a path
 * of links to one of them, and those links (an engineer's "catchment of outfall X").
 */
export function upstreamOf(network: DrainageNetwork, outfallIds: string[]): DrainageNetwork {
  const unknown = unknownOutfall(network, outfallIds);
  if (unknown) throw new TwinDrainageError(`outfall "${unknown.id}" is not an outfall of the network`);
  const into = new Map<string, DrainageLink[]>();
  for (const l of network.links) {
    for (const end of [l.toNode, l.fromNode]) {
      if (!into.has(end)) into.set(end, []);
    }
    into.get(l.toNode)!.push(l);
  }
  const keep = new Set(outfallIds);
  const stack = [...outfallIds];
  while (stack.length > 0) {
    for (const l of into.get(stack.pop()!) ?? []) {
      if (!keep.has(l.fromNode)) {
        keep.add(l.fromNode);
        stack.push(l.fromNode);
      }
    }
  }
  return { nodes: network.nodes.filter((n) => keep.has(n.id)), links: network.links.filter((l) => keep.has(l.fromNode) && keep.has(l.toNode)) };
}

/** An outfall of a network and the size of the part that drains to it (its catchment). */
export interface OutfallCatchment {
  id: string;
  /** Follows the run's sea level (a tidal outfall), else a free outfall or a fixed stage. */
  tidal: boolean;
  /** Position in the network's CRS. */
  x: number;
  y: number;
  junctions: number;
  links: number;
}

/** Every outfall of a network with its catchment's size, the largest catchment first. */
export function outfallCatchments(network: DrainageNetwork): OutfallCatchment[] {
  const out: OutfallCatchment[] = [];
  for (const node of network.nodes) {
    if (node.kind !== 'outfall') continue;
    const part = upstreamOf(network, [node.id]);
    out.push({ id: node.id, tidal: node.tidal === true, x: node.x ?? 0, y: node.y ?? 0, junctions: part.nodes.length - 1, links: part.links.length });
  }
  return out.sort((a, b) => b.links - a.links || a.id.localeCompare(b.id));
}

/** The first of `outfallIds` that is not an outfall of the network, with its index; undefined if all are. */
export function unknownOutfall(network: DrainageNetwork, outfallIds: string[]): { index: number; id: string } | undefined {
  const known = new Set(network.nodes.filter((n) => n.kind === 'outfall').map((n) => n.id));
  const index = outfallIds.findIndex((id) => !known.has(id));
  return index < 0 ? undefined : { index, id: outfallIds[index]! };
}
