/**
 * Reads an IFC 2x3 or IFC 4 file (ISO 10303-21 STEP physical file) with web-ifc: the building,
 * its storeys, every IfcSpace as a room and every building element with geometry, each with its
 * GlobalId, names, property sets and a triangle mesh in model metres (z up).
 *
 * What is refused, with the entity and the file's line named: a file that is not STEP, a schema
 * other than IFC2X3/IFC4, no IfcBuilding or IfcBuildingStorey, a space or element whose
 * GlobalId is not a 22-character IFC GUID or whose placement or representation points at an
 * entity that does not exist, a space web-ifc cannot triangulate. Elements other than spaces
 * without any body geometry are counted (`skippedNoGeometry`), not refused: many IFC exports
 * carry such elements (a door type without a body, an empty assembly).
 *
 * Geometry: web-ifc's meshes are y-up (x, z, −y of IFC); each vertex is placed with its
 * geometry's flatTransformation (column-major 4 × 4) and turned back to IFC's z-up
 * (placeGeometry).
 */
import {
  IFCBUILDING,
  IFCBUILDINGSTOREY,
  IFCGEOMETRICREPRESENTATIONCONTEXT,
  IFCMAPCONVERSION,
  IFCPROJECT,
  IFCRELAGGREGATES,
  IFCRELCONTAINEDINSPATIALSTRUCTURE,
  IFCSITE,
  IFCSPACE,
  type FlatMesh,
  type IfcAPI,
} from 'web-ifc';
import { ifcApi } from './ifcApi';
import { BIM_CATEGORIES, type BimCategory } from '../../../domain/bim';
import { IfcImportError, type IfcElement, type IfcGeoreference, type IfcMapConversion, type IfcMesh, type IfcModel, type IfcStorey } from './ifcModel';
import { PropertyReader, plainValue } from './ifcProperties';

/** Largest IFC file read (a whole-hospital model is a few hundred MB; more would exhaust memory). */
export const MAX_IFC_BYTES = 512 * 2 ** 20;
/** Most triangles kept over the whole model. */
export const MAX_IFC_TRIANGLES = 20_000_000;
const SCHEMAS = ['IFC2X3', 'IFC4'] as const;
/** IFC GlobalId: 22 characters of IFC's base-64 alphabet. */
const GUID = /^[0-9A-Za-z_$]{22}$/;
/** Entities with geometry that are no part of the building. */
const NOT_ELEMENTS = new Set(['IfcSite', 'IfcOpeningElement', 'IfcOpeningStandardCase', 'IfcSpace', 'IfcAnnotation', 'IfcVirtualElement', 'IfcGrid']);

const CATEGORY_OF: Record<string, BimCategory> = {
  IfcSpace: 'space',
  IfcWall: 'wall',
  IfcWallStandardCase: 'wall',
  IfcWallElementedCase: 'wall',
  IfcCurtainWall: 'wall',
  IfcDoor: 'door',
  IfcDoorStandardCase: 'door',
  IfcWindow: 'window',
  IfcWindowStandardCase: 'window',
  IfcStair: 'stair',
  IfcStairFlight: 'stair',
  IfcRamp: 'stair',
  IfcRampFlight: 'stair',
  IfcSlab: 'slab',
  IfcSlabStandardCase: 'slab',
  IfcSlabElementedCase: 'slab',
  IfcFooting: 'slab',
  IfcRoof: 'roof',
  IfcColumn: 'column',
  IfcColumnStandardCase: 'column',
  IfcBeam: 'beam',
  IfcBeamStandardCase: 'beam',
  IfcMember: 'beam',
  IfcMemberStandardCase: 'beam',
  IfcRailing: 'railing',
  IfcCovering: 'covering',
  IfcFurnishingElement: 'furniture',
  IfcFurniture: 'furniture',
};
/** IfcSIUnit prefixes as metres per unit of a length. */
const SI_PREFIX: Record<string, number> = { '': 1, KILO: 1000, HECTO: 100, DECA: 10, DECI: 0.1, CENTI: 0.01, MILLI: 0.001, MICRO: 1e-6 };
/** Space floor areas, first found wins: IFC base quantities, then common exporters' names. */
const AREA_QUANTITIES = ['NetFloorArea', 'GrossFloorArea', 'GSA BIM Area', 'Area'];

type IfcLine = Record<string, unknown> & { expressID: number };
interface Ref {
  value?: unknown;
}

/** Reads `bytes` (the file's content; `file` names it in messages). */
export async function readIfc(bytes: Uint8Array, file: string): Promise<IfcModel> {
  if (bytes.byteLength > MAX_IFC_BYTES) {
    throw new IfcImportError(`${file}: ${Math.round(bytes.byteLength / 2 ** 20)} MiB is over the ${MAX_IFC_BYTES / 2 ** 20} MiB limit for an IFC file (MAX_IFC_BYTES)`);
  }
  const schema = checkHeader(bytes, file);
  const api = await ifcApi();
  let model: number;
  try {
    model = api.OpenModel(bytes);
  } catch (err) {
    throw new IfcImportError(`${file}: web-ifc could not read the DATA section (${(err as Error).message})`);
  }
  try {
    return new ModelReader(api, model, bytes, file, schema).read();
  } finally {
    api.CloseModel(model);
  }
}

/** The STEP header: `ISO-10303-21;` first, then FILE_SCHEMA naming IFC2X3 or IFC4. */
function checkHeader(bytes: Uint8Array, file: string): IfcModel['schema'] {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64 * 1024));
  const first = head.replace(/^\uFEFF/, '').trimStart();
  if (!first.startsWith('ISO-10303-21')) {
    throw new IfcImportError(`${file} line 1: not an IFC file — a STEP physical file starts with "ISO-10303-21;", this one with "${first.slice(0, 20)}"`, undefined, 1);
  }
  const m = /FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'/i.exec(head);
  if (!m) throw new IfcImportError(`${file}: no FILE_SCHEMA in the STEP header`, 'FILE_SCHEMA');
  const line = head.slice(0, m.index).split('\n').length;
  const name = m[1]!.toUpperCase();
  const schema = SCHEMAS.find((s) => s === name);
  if (!schema) {
    throw new IfcImportError(`${file} line ${line}: FILE_SCHEMA '${m[1]}' is not supported (${SCHEMAS.join(' and ')} are)`, 'FILE_SCHEMA', line);
  }
  return schema;
}

class ModelReader {
  private lines: Map<number, number> | undefined;
  private readonly props: PropertyReader;
  /** Child → the spatial element or element that aggregates or contains it. */
  private readonly parent = new Map<number, number>();
  private readonly meshes = new Map<number, IfcMesh[]>();
  private triangles = 0;

  constructor(
    private readonly api: IfcAPI,
    private readonly model: number,
    private readonly bytes: Uint8Array,
    private readonly file: string,
    private readonly schema: IfcModel['schema'],
  ) {
    this.props = new PropertyReader(api, model);
  }

  read(): IfcModel {
    const buildings = this.ids(IFCBUILDING);
    if (buildings.length === 0) throw new IfcImportError(`${this.file}: no IfcBuilding — an IFC import needs a building with storeys`, 'IfcBuilding');
    const buildingLine = this.line(buildings[0]!);
    const building = { globalId: this.globalId(buildingLine, 'IfcBuilding'), name: String(plainValue(buildingLine.Name) ?? ''), properties: this.props.of(buildings[0]!) };
    this.readStructure();

    const storeyIds = this.ids(IFCBUILDINGSTOREY);
    if (storeyIds.length === 0) throw new IfcImportError(`${this.where(buildings[0]!, 'IfcBuilding')}: no IfcBuildingStorey — rooms and elements are placed by storey`, 'IfcBuilding', this.lineOf(buildings[0]!));
    const storeys: IfcStorey[] = storeyIds.map((id) => {
      const l = this.line(id);
      const elevation = plainValue(l.Elevation);
      return { expressId: id, globalId: this.globalId(l, 'IfcBuildingStorey'), name: String(plainValue(l.Name) ?? `#${id}`), elevationM: typeof elevation === 'number' ? elevation : Number.NaN };
    });

    // Geometry: every element web-ifc streams (it leaves out spaces and openings), then the spaces.
    this.api.StreamAllMeshes(this.model, (mesh) => this.collect(mesh));
    const spaceIds = this.ids(IFCSPACE);
    if (spaceIds.length > 0) this.api.StreamMeshes(this.model, spaceIds, (mesh) => this.collect(mesh));

    const elements: IfcElement[] = [];
    let skipped = 0;
    for (const id of spaceIds) elements.push(this.element(id, 'IfcSpace', storeys, true)!);
    for (const id of this.meshes.keys()) {
      const ifcType = this.api.GetNameFromTypeCode(this.api.GetLineType(this.model, id));
      if (NOT_ELEMENTS.has(ifcType)) continue;
      const e = this.element(id, ifcType, storeys, false);
      if (e) elements.push(e);
      else skipped++;
    }
    // Storeys without an Elevation take the lowest point of what they hold.
    storeys.forEach((s, k) => {
      if (Number.isFinite(s.elevationM)) return;
      let low = Infinity;
      for (const e of elements) if (e.storey === k) for (let i = 2; i < e.mesh.positions.length; i += 3) low = Math.min(low, e.mesh.positions[i]!);
      s.elevationM = Number.isFinite(low) ? low : 0;
    });
    // Sorted by elevation: the interior's floor index.
    const order = storeys.map((_, k) => k).sort((a, b) => storeys[a]!.elevationM - storeys[b]!.elevationM);
    const rank = new Map(order.map((k, i) => [k, i]));
    for (const e of elements) e.storey = rank.get(e.storey)!;
    return {
      file: this.file,
      schema: this.schema,
      building,
      storeys: order.map((k) => storeys[k]!),
      elements,
      georeference: this.georeference(),
      counts: { spaces: spaceIds.length, elements: elements.length, triangles: this.triangles, skippedNoGeometry: skipped },
    };
  }

  private ids(type: number): number[] {
    const v = this.api.GetLineIDsWithType(this.model, type);
    const out: number[] = [];
    for (let i = 0; i < v.size(); i++) out.push(v.get(i));
    return out;
  }

  private line(id: number): IfcLine {
    return this.api.GetLine(this.model, id) as IfcLine;
  }

  /** Aggregation and containment: who holds each element (storey, space, stair, roof …). */
  private readStructure(): void {
    for (const id of this.ids(IFCRELAGGREGATES)) {
      const rel = this.line(id);
      const whole = (rel.RelatingObject as Ref | undefined)?.value;
      for (const part of (rel.RelatedObjects as Ref[] | undefined) ?? []) if (typeof whole === 'number' && typeof part.value === 'number') this.parent.set(part.value, whole);
    }
    for (const id of this.ids(IFCRELCONTAINEDINSPATIALSTRUCTURE)) {
      const rel = this.line(id);
      const structure = (rel.RelatingStructure as Ref | undefined)?.value;
      for (const e of (rel.RelatedElements as Ref[] | undefined) ?? []) if (typeof structure === 'number' && typeof e.value === 'number') this.parent.set(e.value, structure);
    }
  }

  /** Appends one streamed mesh's geometries, placed and turned to z-up. */
  private collect(mesh: FlatMesh): void {
    const id = mesh.expressID;
    let parts = this.meshes.get(id);
    if (!parts) this.meshes.set(id, (parts = []));
    for (let g = 0; g < mesh.geometries.size(); g++) {
      const placed = mesh.geometries.get(g);
      const geometry = this.api.GetGeometry(this.model, placed.geometryExpressID);
      try {
        const verts = this.api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
        const index = this.api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
        if (this.triangles + index.length / 3 > MAX_IFC_TRIANGLES) {
          throw new IfcImportError(`${this.file}: over ${MAX_IFC_TRIANGLES.toLocaleString('en')} triangles (MAX_IFC_TRIANGLES) at ${this.where(id)}`);
        }
        parts.push(placeGeometry(verts, index, placed.flatTransformation));
        this.triangles += index.length / 3;
      } finally {
        geometry.delete();
      }
    }
  }

  /** One space or element; undefined for an element without geometry (a space without is refused). */
  private element(id: number, ifcType: string, storeys: IfcStorey[], isSpace: boolean): IfcElement | undefined {
    const l = this.line(id);
    const where = (): string => this.where(id, ifcType, l);
    const globalId = this.globalId(l, ifcType, id);
    for (const field of ['ObjectPlacement', 'Representation']) {
      const ref = (l[field] as Ref | null | undefined)?.value;
      if (typeof ref === 'number' && this.api.GetLine(this.model, ref) === undefined) {
        throw new IfcImportError(`${where()}: ${field} refers to #${ref}, which is not in the file`, ifcType, this.lineOf(id));
      }
    }
    const parts = this.meshes.get(id) ?? [];
    this.meshes.delete(id);
    if (!parts.some((m) => m.indices.length > 0)) {
      if (isSpace) throw new IfcImportError(`${where()}: the room has no body geometry web-ifc can triangulate (every IfcSpace becomes a room and needs one)`, ifcType, this.lineOf(id));
      return undefined;
    }
    const mesh = joinMeshes(parts);
    const properties = this.props.of(id);
    const storey = this.storeyOf(id, storeys, mesh);
    let category: BimCategory = CATEGORY_OF[ifcType] ?? 'other';
    if (category === 'slab' && plainValue(l.PredefinedType) === 'ROOF') category = 'roof';
    return {
      expressId: id,
      globalId,
      ifcType,
      category: BIM_CATEGORIES.includes(category) ? category : 'other',
      name: String(plainValue(l.Name) ?? ''),
      longName: isSpace ? String(plainValue(l.LongName) ?? '') : '',
      storey,
      areaM2: isSpace ? spaceArea(properties, mesh) : 0,
      properties,
      mesh,
    };
  }

  /** The storey holding `id` (through spaces, stairs, roofs …), else the highest storey at or below its lowest point. */
  private storeyOf(id: number, storeys: IfcStorey[], mesh: IfcMesh): number {
    let at: number | undefined = id;
    for (let depth = 0; at !== undefined && depth < 16; depth++) {
      const k = storeys.findIndex((s) => s.expressId === at);
      if (k >= 0) return k;
      at = this.parent.get(at);
    }
    let low = Infinity;
    for (let i = 2; i < mesh.positions.length; i += 3) low = Math.min(low, mesh.positions[i]!);
    let best = 0;
    storeys.forEach((s, k) => {
      if (s.elevationM <= low + 0.05 && !(storeys[best]!.elevationM <= low + 0.05 && storeys[best]!.elevationM > s.elevationM)) best = k;
    });
    return best;
  }

  private globalId(l: IfcLine, entity: string, id = l.expressID): string {
    const g = plainValue(l.GlobalId);
    if (typeof g !== 'string' || !GUID.test(g)) {
      throw new IfcImportError(`${this.where(id, entity, l)}: GlobalId ${g === undefined ? 'is missing' : `"${String(g)}" is not a 22-character IFC GUID`}`, entity, this.lineOf(id));
    }
    return g;
  }

  /** IfcMapConversion, IfcSite's reference point and the Model context's TrueNorth (ifcGeoreference.ts). */
  private georeference(): IfcGeoreference {
    const geo: IfcGeoreference = {};
    const projectUnitM = this.projectLengthUnitM();
    const contexts = this.ids(IFCGEOMETRICREPRESENTATIONCONTEXT).map((id) => this.line(id));
    const model = contexts.find((c) => plainValue(c.ContextType) === 'Model') ?? contexts[0];
    const north = this.ref(model?.TrueNorth);
    if (north !== undefined) {
      const ratios = ((this.line(north).DirectionRatios as unknown[] | undefined) ?? []).map((r) => Number(plainValue(r)));
      if (ratios.length >= 2 && ratios.slice(0, 2).every(Number.isFinite) && (ratios[0] !== 0 || ratios[1] !== 0)) geo.trueNorth = [ratios[0]!, ratios[1]!];
    }
    const siteId = this.ids(IFCSITE)[0];
    if (siteId !== undefined) {
      const l = this.line(siteId);
      const lat = compoundAngle(l.RefLatitude);
      const lon = compoundAngle(l.RefLongitude);
      if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0)) {
        const h = plainValue(l.RefElevation);
        const origin = this.placementOrigin(this.ref(l.ObjectPlacement)).map((v) => v * projectUnitM) as [number, number, number];
        geo.site = { lon, lat, height: typeof h === 'number' ? h * projectUnitM : 0, originM: origin };
      }
    }
    const mcId = this.ids(IFCMAPCONVERSION)[0];
    if (mcId !== undefined) geo.mapConversion = this.mapConversion(mcId, projectUnitM);
    return geo;
  }

  private mapConversion(id: number, projectUnitM: number): IfcMapConversion {
    const l = this.line(id);
    const where = this.where(id, 'IfcMapConversion', l);
    const crsId = this.ref(l.TargetCRS);
    if (crsId === undefined || this.api.GetLine(this.model, crsId) === undefined) {
      throw new IfcImportError(`${where}: TargetCRS ${crsId === undefined ? 'is missing' : `refers to #${crsId}, which is not in the file`}`, 'IfcMapConversion', this.lineOf(id));
    }
    const crs = this.line(crsId);
    const text = (v: unknown): string => String(plainValue(v) ?? '');
    const unit = this.ref(crs.MapUnit);
    const mapUnitM = unit !== undefined ? this.lengthUnitM(unit) : projectUnitM;
    const num = (v: unknown, field: string, fallback?: number): number => {
      const n = plainValue(v);
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      if (fallback !== undefined && (v === null || v === undefined)) return fallback;
      throw new IfcImportError(`${where}: ${field} is ${v === null || v === undefined ? 'missing' : `"${String(n)}", not a number`}`, 'IfcMapConversion', this.lineOf(id));
    };
    return {
      where,
      crsName: text(crs.Name),
      crsWhere: this.where(crsId, 'IfcProjectedCRS', crs),
      geodeticDatum: text(crs.GeodeticDatum),
      mapZone: text(crs.MapZone),
      eastingsM: num(l.Eastings, 'Eastings') * mapUnitM,
      northingsM: num(l.Northings, 'Northings') * mapUnitM,
      heightM: num(l.OrthogonalHeight, 'OrthogonalHeight') * mapUnitM,
      xAxis: [num(l.XAxisAbscissa, 'XAxisAbscissa', 1), num(l.XAxisOrdinate, 'XAxisOrdinate', 0)],
      scale: num(l.Scale, 'Scale', 1),
      mapUnitM,
      projectUnitM,
    };
  }

  /** Metres per unit of the project's length unit (IfcProject.UnitsInContext; metres when none is given). */
  private projectLengthUnitM(): number {
    const project = this.ids(IFCPROJECT)[0];
    const units = project === undefined ? undefined : this.ref(this.line(project).UnitsInContext);
    if (units === undefined) return 1;
    for (const u of (this.line(units).Units as unknown[] | undefined) ?? []) {
      const id = this.ref(u);
      if (id !== undefined && plainValue(this.line(id).UnitType) === 'LENGTHUNIT') return this.lengthUnitM(id);
    }
    return 1;
  }

  /** Metres per unit of an IfcSIUnit (with its prefix) or an IfcConversionBasedUnit (its factor, one level). */
  private lengthUnitM(id: number): number {
    const u = this.line(id);
    const factor = this.ref(u.ConversionFactor);
    if (factor !== undefined) {
      const m = this.line(factor);
      const value = Number(plainValue(m.ValueComponent));
      const base = this.ref(m.UnitComponent);
      return Number.isFinite(value) ? value * (base !== undefined && base !== id ? this.lengthUnitM(base) : 1) : 1;
    }
    return SI_PREFIX[String(plainValue(u.Prefix) ?? '')] ?? 1;
  }

  /** The origin of an IfcLocalPlacement in model units, following PlacementRelTo (locations only). */
  private placementOrigin(id: number | undefined): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    for (let depth = 0; id !== undefined && depth < 16; depth++) {
      const p = this.line(id);
      const axis = this.ref(p?.RelativePlacement);
      const point = axis === undefined ? undefined : this.ref(this.line(axis).Location);
      const coords = point === undefined ? [] : ((this.line(point).Coordinates as unknown[] | undefined) ?? []);
      coords.slice(0, 3).forEach((c, k) => (out[k] += Number(plainValue(c)) || 0));
      id = this.ref(p?.PlacementRelTo);
    }
    return out;
  }

  private ref(v: unknown): number | undefined {
    const id = (v as Ref | null | undefined)?.value;
    return typeof id === 'number' ? id : undefined;
  }

  /** `IfcSpace #514 "A101" (duplex.ifc line 1234)`. */
  private where(id: number, entity?: string, l?: IfcLine): string {
    const type = entity ?? this.api.GetNameFromTypeCode(this.api.GetLineType(this.model, id));
    const name = plainValue((l ?? this.line(id))?.Name);
    return `${type} #${id}${typeof name === 'string' && name !== '' ? ` "${name}"` : ''} (${this.file} line ${this.lineOf(id) ?? '?'})`;
  }

  /** The file line where `#id=` starts; indexed on first use (only errors need it). */
  private lineOf(id: number): number | undefined {
    if (!this.lines) {
      this.lines = new Map();
      const text = new TextDecoder('latin1').decode(this.bytes);
      let line = 1;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) line++;
        else if (c === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) === 10)) {
          const m = /^#(\d+)\s*=/.exec(text.slice(i, i + 24));
          if (m) this.lines.set(Number(m[1]), line);
        }
      }
    }
    return this.lines.get(id);
  }
}

/**
 * One web-ifc geometry (interleaved x, y, z, nx, ny, nz per vertex, y-up) placed by its
 * column-major 4 × 4 `m` and turned to IFC z-up: (x, y, z) → (x, −z, y).
 */
function placeGeometry(verts: Float32Array, index: Uint32Array, m: ArrayLike<number>): IfcMesh {
  const n = verts.length / 6;
  const positions = new Float32Array(3 * n);
  const normals = new Float32Array(3 * n);
  for (let v = 0, o = 0; v < verts.length; v += 6, o += 3) {
    const x = verts[v]!;
    const y = verts[v + 1]!;
    const z = verts[v + 2]!;
    const nx = verts[v + 3]!;
    const ny = verts[v + 4]!;
    const nz = verts[v + 5]!;
    positions[o] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    positions[o + 1] = -(m[2]! * x + m[6]! * y + m[10]! * z + m[14]!);
    positions[o + 2] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    const qx = m[0]! * nx + m[4]! * ny + m[8]! * nz;
    const qy = m[1]! * nx + m[5]! * ny + m[9]! * nz;
    const qz = m[2]! * nx + m[6]! * ny + m[10]! * nz;
    const len = Math.hypot(qx, qy, qz) || 1;
    normals[o] = qx / len;
    normals[o + 1] = -qz / len;
    normals[o + 2] = qy / len;
  }
  // A mirroring placement (negative determinant) turns the winding; keep triangles counter-clockwise.
  const det = m[0]! * (m[5]! * m[10]! - m[9]! * m[6]!) - m[4]! * (m[1]! * m[10]! - m[9]! * m[2]!) + m[8]! * (m[1]! * m[6]! - m[5]! * m[2]!);
  const indices = Uint32Array.from(index);
  if (det < 0) for (let t = 0; t < indices.length; t += 3) [indices[t + 1], indices[t + 2]] = [indices[t + 2]!, indices[t + 1]!];
  return { positions, normals, indices };
}

/** The geometries of one element as one mesh. */
function joinMeshes(parts: readonly IfcMesh[]): IfcMesh {
  if (parts.length === 1) return parts[0]!;
  const vertices = parts.reduce((n, p) => n + p.positions.length, 0);
  const positions = new Float32Array(vertices);
  const normals = new Float32Array(vertices);
  const indices = new Uint32Array(parts.reduce((n, p) => n + p.indices.length, 0));
  let v = 0;
  let i = 0;
  for (const p of parts) {
    positions.set(p.positions, v);
    normals.set(p.normals, v);
    for (let k = 0; k < p.indices.length; k++) indices[i + k] = p.indices[k]! + v / 3;
    v += p.positions.length;
    i += p.indices.length;
  }
  return { positions, normals, indices };
}

/** IfcCompoundPlaneAngleMeasure (degrees, minutes, seconds, millionths of a second) as degrees. */
function compoundAngle(v: unknown): number | undefined {
  const parts = (v as Ref | null | undefined)?.value;
  if (!Array.isArray(parts) || parts.length < 3) return undefined;
  const n = parts.map((p) => Number(plainValue(p) ?? p));
  if (n.some((x) => !Number.isFinite(x))) return undefined;
  // All parts carry the sign of the angle.
  return n[0]! + n[1]! / 60 + (n[2]! + (n[3] ?? 0) / 1e6) / 3600;
}

/** A space's floor area: its quantity or property, else the area of its downward faces. */
function spaceArea(properties: IfcElement['properties'], mesh: IfcMesh): number {
  for (const name of AREA_QUANTITIES) {
    for (const set of Object.values(properties)) {
      const v = set[name];
      if (typeof v === 'number' && v > 0) return Math.round(v * 100) / 100;
    }
  }
  const p = mesh.positions;
  let area = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [3 * mesh.indices[t]!, 3 * mesh.indices[t + 1]!, 3 * mesh.indices[t + 2]!];
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const z2 = ux * vy - uy * vx;
    // Downward faces (the floor seen from inside is the solid's bottom).
    if (z2 < 0) area -= z2 / 2;
  }
  return Math.round(area * 100) / 100;
}
