/**
 * Reading networks and demands from files: network JSON, OSM XML, or a twin package folder
 * (roads + signals + land use for the attractions). The only I/O of the traffic simulation; the
 * parsers it calls are pure.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EnuFrame } from '../../kernel/geodesy';
import type { LanduseProps } from '../../domain/citySource';
import type { TwinManifest } from '../../domain/twinPackage';
import { expandDemand, parseDemand, type Demand } from './demand';
import { nearestNodes } from './demandScenarios';
import type { Network } from './network';
import { NetworkError, parseNetwork } from './networkJson';
import { networkFromOsm } from './osmNetwork';
import { networkFromTwinLayers, type LineFeature, type PointFeature } from './twinNetwork';

/** Files larger than this are refused before reading, bytes. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Land-use kinds that draw holiday visitors. */
const ATTRACTION_KINDS = new Set(['beach', 'park', 'plaza']);

export interface TwinNetwork {
  network: Network;
  /** Nodes nearest the named parks, beaches and plazas: where holiday visitors drive to. */
  attractions: string[];
}

async function readText(file: string, what: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new NetworkError(what, `${file} does not exist or is not a file`);
  if (info.size > MAX_FILE_BYTES) throw new NetworkError(what, `${file} is ${info.size} bytes, more than the limit of ${MAX_FILE_BYTES}`);
  return readFile(file, 'utf8');
}

async function readJson(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new NetworkError(what, `${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A network JSON file, an OSM XML file (.osm, or content starting with `<`) or a twin folder. */
export async function readNetwork(source: string): Promise<Network> {
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) return (await readTwinNetwork(source)).network;
  const text = await readText(source, 'network');
  if (source.endsWith('.osm') || text.trimStart().startsWith('<')) return networkFromOsm(text);
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (err) {
    throw new NetworkError('network', `${source} is neither network JSON nor OSM XML: ${(err as Error).message}`);
  }
  return parseNetwork(raw);
}

export async function readTwinNetwork(twinDir: string): Promise<TwinNetwork> {
  const manifest = (await readJson(path.join(twinDir, 'twin.json'), 'twin')) as Partial<TwinManifest>;
  if (!manifest.files?.roads || !manifest.files.signals || !manifest.center) throw new NetworkError('twin', `${twinDir}/twin.json names no roads, signals or center`);
  const features = async <T>(file: string, what: string): Promise<T[]> => {
    const fc = (await readJson(path.join(twinDir, file), what)) as { features?: T[] };
    if (!Array.isArray(fc.features)) throw new NetworkError(what, `${file} is not a GeoJSON FeatureCollection`);
    return fc.features;
  };
  const roads = await features<LineFeature>(manifest.files.roads, 'twin.roads');
  const signals = await features<PointFeature>(manifest.files.signals, 'twin.signals');
  const network = networkFromTwinLayers(roads, signals, manifest.center);
  let attractions: string[] = [];
  if (manifest.files.landuse) {
    const areas = await features<{ geometry: { type: string; coordinates: number[][][] }; properties: LanduseProps }>(manifest.files.landuse, 'twin.landuse').catch(() => []);
    const frame = new EnuFrame(manifest.center.lon, manifest.center.lat, 0);
    const points = areas
      .filter((a) => ATTRACTION_KINDS.has(a.properties.kind) && a.properties.name && a.geometry.type === 'Polygon')
      .map((a) => {
        const ring = a.geometry.coordinates[0]!;
        const lon = ring.reduce((s, c) => s + c[0]!, 0) / ring.length;
        const lat = ring.reduce((s, c) => s + c[1]!, 0) / ring.length;
        const p = frame.fromGeodetic(lon, lat, 0);
        return { x: p[0], y: p[1] };
      });
    attractions = nearestNodes(network, points);
  }
  if (attractions.length === 0) {
    // No named parks or beaches: the signalised junctions nearest the coast (south) stand in.
    const south = network.nodes.filter((n) => n.signal).sort((a, b) => a.y - b.y);
    attractions = south.slice(0, 3).map((n) => n.id);
  }
  return { network, attractions };
}

/** A demand JSON file checked against the network's node ids and expanded into trips. */
export async function readDemand(file: string, network: Network): Promise<Demand> {
  const raw = await readJson(file, 'demand');
  return expandDemand(parseDemand(raw, new Set(network.nodes.map((n) => n.id))));
}
