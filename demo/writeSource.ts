/**
 * Renders the demo model as a city source folder (domain/citySource.ts) and writes it.
 * Rendering is pure and returns the files as text, so tests can compare runs byte for byte.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CITY_SOURCE_FORMAT,
  CITY_SOURCE_MANIFEST_FILE,
  CITY_SOURCE_VERSION,
  DEMO_GENERATOR_NAME,
  type BuildingProps,
  type CitySourceManifest,
  type ComponentProps,
  type GridCellProps,
  type LanduseProps,
  type PoleProps,
  type RoadProps,
  type SignalProps,
  type TerminalProps,
  type WaterProps,
} from '../domain/citySource';
import { DEFAULT_COMPONENT_CLASSES } from '../domain/components';
import { formatAsciiGrid } from '../kernel/raster/asciiGrid';
import { crsWkt } from '../kernel/crs/crs';
import type { DemoCityModel } from './demoCity';
import { COUNTY_CODE, DEM_CRS, LonLatProjector } from './frame';
import { featureCollection, featureLine, lineString, point, polygon } from './geojson';
import type { Vec2 } from './geometry';
import { renderUnderground } from './writeUnderground';

export const GENERATOR_NAME = DEMO_GENERATOR_NAME;
export const GENERATOR_VERSION = 1;

/** File names, in the order they are written (the manifest last, once its layers exist). */
export const FILES = {
  dem: 'dem.asc',
  demPrj: 'dem.prj',
  roads: 'roads.geojson',
  signals: 'signals.geojson',
  buildings: 'buildings.geojson',
  poles: 'poles.geojson',
  terminals: 'terminals.geojson',
  components: 'components.geojson',
  gridCells: 'grid-cells.geojson',
  departments: 'departments.json',
  water: 'water.geojson',
  landuse: 'landuse.geojson',
  componentClasses: 'component-classes.json',
  drainageNodes: 'drainage-nodes.geojson',
  drainagePipes: 'drainage-pipes.geojson',
  utilityLines: 'utility-lines.geojson',
  resources: 'resources.geojson',
  manifest: CITY_SOURCE_MANIFEST_FILE,
} as const;

function centroid(ring: readonly Vec2[]): Vec2 {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]!;
    const [x1, y1] = ring[i]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of the source as text, keyed by file name, in FILES order. */
export function renderSource(model: DemoCityModel): Map<string, string> {
  const proj = new LonLatProjector();
  const files = new Map<string, string>();
  const wkt = crsWkt(DEM_CRS);
  if (!wkt) throw new Error(`no WKT for ${DEM_CRS}`);
  files.set(FILES.dem, formatAsciiGrid(model.dem, 2));
  files.set(FILES.demPrj, `${wkt}\n`);

  files.set(
    FILES.roads,
    featureCollection(
      model.roads.map((r) => {
        const props: RoadProps = { id: r.id, name: r.name, nameEn: r.nameEn, class: r.class, lanes: r.lanes, widthM: r.widthM, speedKmh: r.speedKmh };
        return featureLine(props, lineString(proj, r.line.points));
      }),
    ),
  );
  files.set(
    FILES.signals,
    featureCollection(
      model.signals.map((s) => {
        const props: SignalProps = { id: s.id, code: s.code, name: s.name, roadIds: [s.roads[0].id, s.roads[1].id] };
        return featureLine(props, point(proj, s.x, s.y));
      }),
    ),
  );
  files.set(
    FILES.buildings,
    featureCollection(
      model.buildings.map((b, i) => {
        const [cx, cy] = centroid(b.footprint.ring);
        const gridCode = model.cells.codeAt(cx, cy);
        const props: BuildingProps = {
          id: `B${String(i + 1).padStart(6, '0')}`,
          height: b.height,
          floors: b.floors,
          use: b.use,
          ...(b.name ? { name: b.name } : {}),
          ...(gridCode ? { gridCode } : {}),
        };
        return featureLine(props, polygon(proj, b.footprint.ring));
      }),
    ),
  );
  files.set(
    FILES.poles,
    featureCollection(
      model.poles.map((p) => {
        const gridCode = model.cells.codeAt(p.x, p.y);
        const props: PoleProps = { id: p.id, code: p.code, roadId: p.road.id, heightM: p.heightM, ...(gridCode ? { gridCode } : {}) };
        return featureLine(props, point(proj, p.x, p.y));
      }),
    ),
  );
  files.set(
    FILES.terminals,
    featureCollection(
      model.terminals.map((t) => {
        const props: TerminalProps = { id: t.id, poleId: t.pole.id, type: t.type, model: t.model, ...(t.ratedW !== undefined ? { ratedW: t.ratedW } : {}), ...(t.signalId ? { signalId: t.signalId } : {}) };
        if (t.camera) {
          const { x, y, ...look } = t.camera;
          const [lon, lat] = proj.lonLat(x, y);
          // The demo has no camera hardware: citytwin's own encoder renders each camera's view.
          props.camera = { pose: { lon, lat, ...look }, streams: [], embedded: true };
        }
        return featureLine(props, point(proj, t.pole.x, t.pole.y));
      }),
    ),
  );
  files.set(
    FILES.components,
    featureCollection(
      model.components.map((c) => {
        const gridCode = model.cells.codeAt(c.x, c.y);
        const props: ComponentProps = {
          code: c.code,
          classCode: c.classCode,
          ownerId: c.ownerId,
          ...(gridCode ? { gridCode } : {}),
          roadId: c.road.id,
        };
        return featureLine(props, point(proj, c.x, c.y));
      }),
    ),
  );
  files.set(
    FILES.gridCells,
    featureCollection(
      model.cells.cells.map((cell) => {
        const props: GridCellProps = { code: cell.code, streetName: cell.streetName, communityName: cell.communityName };
        return featureLine(props, polygon(proj, cell.ring));
      }),
    ),
  );
  files.set(FILES.departments, json(model.departments));
  files.set(
    FILES.water,
    featureCollection(
      model.water.map((w) => {
        const props: WaterProps = { id: w.id, kind: w.kind, name: w.name };
        return featureLine(props, polygon(proj, w.ring));
      }),
    ),
  );
  files.set(
    FILES.landuse,
    featureCollection(
      model.landuse.map((a, i) => {
        const props: LanduseProps = { id: `L${String(i + 1).padStart(3, '0')}`, kind: a.kind, ...(a.name ? { name: a.name } : {}) };
        return featureLine(props, polygon(proj, a.ring));
      }),
    ),
  );
  files.set(FILES.componentClasses, json(DEFAULT_COMPONENT_CLASSES));
  for (const [name, text] of renderUnderground(model.underground, proj)) files.set(FILES[name], text);
  files.set(FILES.resources, featureCollection(model.resources.map((r) => featureLine(r.props, point(proj, r.x, r.y)))));

  const manifest: CitySourceManifest = {
    format: CITY_SOURCE_FORMAT,
    version: CITY_SOURCE_VERSION,
    name: { 'zh-CN': '滨海湾示范区', en: 'Binhai Bay demo district' },
    demCrs: DEM_CRS,
    countyCode: COUNTY_CODE,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION, seed: model.seed },
    layers: {
      dem: FILES.dem,
      buildings: FILES.buildings,
      roads: FILES.roads,
      signals: FILES.signals,
      poles: FILES.poles,
      terminals: FILES.terminals,
      components: FILES.components,
      gridCells: FILES.gridCells,
      departments: FILES.departments,
      water: FILES.water,
      landuse: FILES.landuse,
      componentClasses: FILES.componentClasses,
      drainageNodes: FILES.drainageNodes,
      drainagePipes: FILES.drainagePipes,
      utilityLines: FILES.utilityLines,
      resources: FILES.resources,
    },
  };
  files.set(FILES.manifest, json(manifest));
  return files;
}

/** Writes the rendered files into `outDir` (created if missing); returns the names written. */
export async function writeSource(outDir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const names: string[] = [];
  for (const [name, text] of files) {
    await writeFile(join(outDir, name), text, 'utf8');
    names.push(name);
  }
  return names;
}
