/**
 * CityJSON 1.0 / 1.1 / 2.0 files and CityJSON Text Sequences (CityJSONSeq, `.jsonl`: a CityJSON
 * header line, then one CityJSONFeature per line) → building footprints with LoD2 surfaces.
 *
 * One twin building per top-level Building (or parentless BuildingPart), with the geometry of
 * its BuildingParts folded in. Vertices are integers scaled and translated by `transform`, in the
 * CRS `metadata.referenceSystem` names (e.g. "https://www.opengis.net/def/crs/EPSG/0/7415"),
 * reprojected here to WGS84 lon/lat; z stays metres. Height is the geometry's z range,
 * footprint the GroundSurface (cityjsonGeometry.ts); attributes map as in buildingAttributes.ts.
 */
import path from 'node:path';
import type { BuildingProps, BuildingSurface } from '../../domain/citySource';
import { parseJsonText, readBoundedText } from '../source/boundedFile';
import { crsTransform } from '../../kernel/crs/crs';
import { FeatureRejection, parsePolygonal } from '../source/geometryChecks';
import { isRecord, type Untrusted } from '../source/propertyChecks';
import type { Polygonal } from '../source/readCitySource';
import { buildingPropsFrom } from './buildingAttributes';
import { chooseGeometry, footprintRings, zRange, type Surface3D, type VertexLookup } from './cityjsonGeometry';
import { LayerCollector, resolveFileCrs, type ImportedLayer } from './importedLayer';

const VERSIONS = ['1.0', '1.1', '2.0'];

interface Transform {
  scale: [number, number, number];
  translate: [number, number, number];
}

interface Header {
  crs: string;
  transform: Transform;
  toLonLat: (x: number, y: number) => [number, number];
}

export async function importCityJson(fullPath: string, file: string, crsOverride?: string): Promise<ImportedLayer<Polygonal, BuildingProps>> {
  const text = await readBoundedText(fullPath, file);
  const seq = /\.jsonl$/i.test(path.basename(file)) || looksLikeSequence(text);
  return seq ? importSequence(text, file, crsOverride) : importDocument(parseJsonText(text, file), file, crsOverride);
}

/** A sequence's first line is a complete CityJSON object; a pretty-printed document's is not. */
function looksLikeSequence(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')).trim();
  if (firstLine === '' || firstLine.length === text.trim().length) return false;
  try {
    const head: unknown = JSON.parse(firstLine);
    return isRecord(head) && head.type === 'CityJSON';
  } catch {
    return false;
  }
}

export function importDocument(doc: unknown, file: string, crsOverride?: string): ImportedLayer<Polygonal, BuildingProps> {
  const header = parseHeader(doc, file, crsOverride);
  const layer = new LayerCollector<Polygonal, BuildingProps>(file, header.crs);
  const d = doc as Untrusted;
  if (!isRecord(d.CityObjects)) throw new Error(`${file}: CityObjects must be an object`);
  if (!Array.isArray(d.vertices)) throw new Error(`${file}: vertices must be an array`);
  addCityObjects(d.CityObjects, vertexLookup(d.vertices, header), layer, { next: 0 });
  return layer.done();
}

function importSequence(text: string, file: string, crsOverride?: string): ImportedLayer<Polygonal, BuildingProps> {
  const lines = text.split('\n');
  const headerText = lines[0]!.trim();
  const header = parseHeader(parseJsonText(headerText, `${file} line 1`), file, crsOverride);
  const layer = new LayerCollector<Polygonal, BuildingProps>(file, header.crs);
  const counter = { next: 0 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let feature: unknown;
    try {
      feature = JSON.parse(line);
    } catch (err) {
      layer.report.read++;
      // The id is still worth reporting when the line is cut off after it.
      const id = /"id"\s*:\s*"([^"]{1,128})"/.exec(line)?.[1];
      layer.reject(counter.next++, id, `line ${i + 1}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (!isRecord(feature) || feature.type !== 'CityJSONFeature' || !isRecord(feature.CityObjects) || !Array.isArray(feature.vertices)) {
      layer.report.read++;
      const id = isRecord(feature) && typeof feature.id === 'string' ? feature.id : undefined;
      layer.reject(counter.next++, id, `line ${i + 1}: not a CityJSONFeature with CityObjects and vertices`);
      continue;
    }
    addCityObjects(feature.CityObjects, vertexLookup(feature.vertices, header), layer, counter);
  }
  return layer.done();
}

function parseHeader(doc: unknown, file: string, crsOverride: string | undefined): Header {
  if (!isRecord(doc) || doc.type !== 'CityJSON') throw new Error(`${file}: not a CityJSON file (type must be "CityJSON")`);
  const version = String(doc.version);
  if (!VERSIONS.some((v) => version === v || version.startsWith(`${v}.`))) {
    throw new Error(`${file}: CityJSON version ${JSON.stringify(doc.version)} is not supported (reads ${VERSIONS.join(', ')})`);
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const declared = typeof metadata.referenceSystem === 'string' ? metadata.referenceSystem : undefined;
  if (declared === undefined && crsOverride === undefined) {
    throw new Error(`${file}: metadata.referenceSystem is missing; give the CRS with --crs EPSG:n`);
  }
  const crs = resolveFileCrs(file, declared, crsOverride);
  const transform = parseTransform(doc.transform, file);
  const t = crsTransform(crs);
  return { crs, transform, toLonLat: crs === 'EPSG:4326' ? (x, y) => [x, y] : t.toLonLat };
}

function parseTransform(v: unknown, file: string): Transform {
  // CityJSON 1.0 allowed files without a transform (real coordinates as vertices).
  if (v === undefined) return { scale: [1, 1, 1], translate: [0, 0, 0] };
  const triple = (x: unknown, name: string): [number, number, number] => {
    if (!Array.isArray(x) || x.length !== 3 || !x.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new Error(`${file}: transform.${name} must be three finite numbers`);
    }
    return x as [number, number, number];
  };
  if (!isRecord(v)) throw new Error(`${file}: transform must be an object`);
  const scale = triple(v.scale, 'scale');
  if (scale.some((s) => s === 0)) throw new Error(`${file}: transform.scale has a zero`);
  return { scale, translate: triple(v.translate, 'translate') };
}

/** Vertex index → [lon, lat, z], reprojected on first use and cached (shared vertices are common). */
function vertexLookup(vertices: unknown[], header: Header): VertexLookup {
  const cache = new Map<number, readonly [number, number, number]>();
  const { scale, translate } = header.transform;
  return (index) => {
    const hit = cache.get(index);
    if (hit) return hit;
    const v = vertices[index];
    if (!Array.isArray(v) || v.length !== 3) return undefined;
    const [x, y, z] = v as unknown[];
    if (typeof x !== 'number' || typeof y !== 'number' || typeof z !== 'number') return [Number.NaN, Number.NaN, Number.NaN];
    const [lon, lat] = header.toLonLat(x * scale[0] + translate[0], y * scale[1] + translate[1]);
    const out = [lon, lat, z * scale[2] + translate[2]] as const;
    cache.set(index, out);
    return out;
  };
}

const TOP_LEVEL = new Set(['Building', 'BuildingPart']);

function addCityObjects(objects: Untrusted, vertex: VertexLookup, layer: LayerCollector<Polygonal, BuildingProps>, counter: { next: number }): void {
  for (const [id, obj] of Object.entries(objects)) {
    if (!isRecord(obj) || typeof obj.type !== 'string' || !TOP_LEVEL.has(obj.type)) continue;
    const parents = Array.isArray(obj.parents) ? obj.parents : [];
    if (obj.type === 'BuildingPart' && parents.some((p) => typeof p === 'string' && isRecord(objects[p]))) continue;
    layer.add(counter.next++, id, () => buildingFrom(id, obj, objects, vertex));
  }
}

function buildingFrom(id: string, obj: Untrusted, objects: Untrusted, vertex: VertexLookup): { geometry: Polygonal; properties: BuildingProps; key: string } {
  let lod = -1;
  const surfaces: Surface3D[] = [];
  for (const part of withParts(obj, objects)) {
    const chosen = chooseGeometry(part.geometry, vertex);
    if (!chosen) continue;
    lod = Math.max(lod, chosen.lod);
    surfaces.push(...chosen.surfaces);
  }
  if (surfaces.length === 0) throw new FeatureRejection('has no surface or solid geometry (LoD1 or LoD2) of its own or in its BuildingParts');
  const z = zRange(surfaces);
  const attributes = isRecord(obj.attributes) ? obj.attributes : {};
  // A flat geometry (LoD0-like) says nothing about height; attributes (measuredHeight) must then.
  const geometryHeight = z.max - z.min > 0.01 ? z.max - z.min : undefined;
  if (geometryHeight === undefined && attributes.measuredHeight === undefined) {
    throw new FeatureRejection('missing height: the geometry is flat and there is no measuredHeight attribute');
  }
  const properties = buildingPropsFrom({ ...attributes, id }, { geometryHeight, fallbackId: id });
  if (lod >= 2) properties.surfaces = surfaces.map((s) => relativeSurface(s, z.min));
  return { geometry: footprint(surfaces), properties, key: id };
}

/** The object and its BuildingParts (children, recursively; each visited once). */
function withParts(obj: Untrusted, objects: Untrusted): Untrusted[] {
  const out: Untrusted[] = [];
  const seen = new Set<Untrusted>();
  const visit = (o: Untrusted): void => {
    if (seen.has(o)) return;
    seen.add(o);
    out.push(o);
    for (const childId of Array.isArray(o.children) ? o.children : []) {
      const child = typeof childId === 'string' ? objects[childId] : undefined;
      if (isRecord(child) && child.type === 'BuildingPart') visit(child);
    }
  };
  visit(obj);
  return out;
}

function relativeSurface(s: Surface3D, zMin: number): BuildingSurface {
  return { kind: s.kind, rings: s.rings.map((ring) => ring.map((v): [number, number, number] => [v[0], v[1], Math.round((v[2] - zMin) * 1000) / 1000])) };
}

/** The ground polygons as a (Multi)Polygon; a self-intersecting or open ground surface rejects the building. */
function footprint(surfaces: readonly Surface3D[]): Polygonal {
  const polygons = footprintRings(surfaces);
  const candidate = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  try {
    return parsePolygonal(candidate);
  } catch (err) {
    if (err instanceof FeatureRejection) throw new FeatureRejection(`footprint: ${err.message}`);
    throw err;
  }
}
