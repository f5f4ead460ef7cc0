/**
 * `window.citytwin`: what tests, benchmarks and kiosk scripts can read and drive. It reports
 * what the screen shows (frame rate, tiles, level, selection, tour stop, live feed) in one call,
 * and drives what a user would: levels, search, picking, the interior, environment, 2D view.
 */
import { Cartesian2 } from 'cesium';
import type { Pinia } from 'pinia';
import type { LiveStatus } from '../../../domain/terminals';
import type { LayerId, Level } from '../features/levels/core/levels';
import type { SearchHit } from '../features/search/core/searchIndex';
import type { TourStopId } from '../features/tour/core/tour';
import { i18n } from './i18n';
import type { OneMapPick } from '../features/onemap/OneMap';
import { OPTIONS } from './options';
import { buildingSelection, componentSelection } from '../features/selection/selectionOf';
import { useComponentsStore } from '../features/components/componentsStore';
import { useEnvironmentStore } from '../features/environment/environmentStore';
import { useLiveStore } from '../features/live/liveStore';
import { useOneMapStore } from '../features/onemap/oneMapStore';
import { useSceneStore } from '../twin/sceneStore';
import { useSelectionStore, type Selection } from '../features/selection/selectionStore';
import { useTourStore } from '../features/tour/tourStore';
import { useTwinStore } from '../twin/twinStore';
import { useViewStore } from '../twin/viewStore';
import type { EnvironmentSettings } from '../features/environment/Environment';
import type { ExtraTilesetsStats } from '../twin/ExtraTilesets';
import type { Measurement, MeasureMode } from '../features/measure/MeasureTool';
import type { FlyOptions, PickResult } from '../twin/TwinScene';
import { fusionAutomation, type FusionAutomation } from '../features/videoFusion/fusionAutomation';
import type { UndergroundSettings } from '../features/underground/UndergroundMode';
import { useUndergroundStore } from '../features/underground/undergroundStore';
import { planningAutomation, type PlanningApi } from '../features/planning/automation';
import { floodAutomation, type FloodAutomation } from '../features/flood/floodAutomation';

export interface TwinStats {
  fps: number;
  frameTimeMs: number;
  /** Building tiles with content loaded. */
  tilesLoaded: number;
  /** Buildings, terrain and any L3/L4 tilesets shown have nothing left to load for the current view. */
  allTilesLoaded: boolean;
  buildings: number;
  poles: number;
  /** Components on the map (the twin's own plus synthetic ones). */
  components: number;
  componentChunksInDetail: number;
  alarmsMarked: number;
  /** Third-party tilesets opened with `?tileset=`: how many loaded and whether their tiles have. */
  extraTilesets: ExtraTilesetsStats;
  /** The camera's position (degrees, metres above the ellipsoid); null before the scene exists. */
  camera: { lon: number; lat: number; height: number } | null;
  deltasReceived: number;
  lastDeltaLatencyMs: number | null;
  connection: string;
  selection: Selection | null;
  locale: string;
  level: Level;
  mode: '3d' | '2d';
  layout: 'arc' | 'standard';
  /** The building whose interior is open, how it was made and its floor state. */
  interior: { buildingId: string | null; explode: number; isolated: number | null; source: string | null; floors: number };
  tour: { active: boolean; stop: TourStopId | null; paused: boolean; visits: number };
  measurement: Measurement | null;
  environment: EnvironmentSettings & { night: number };
}

export interface CitytwinApi {
  stats(): TwinStats;
  poleStatus(id: string): LiveStatus | undefined;
  flyToBuilding(id: string, options?: FlyOptions): Promise<boolean>;
  flyToPole(id: string, options?: FlyOptions): boolean;
  home(options?: FlyOptions): void;
  setLevel(level: Level): void;
  setMode(mode: '3d' | '2d'): void;
  search(query: string): Promise<Array<Pick<SearchHit['entry'], 'kind' | 'id' | 'label'>>>;
  /** Selects a building, pole or component by id as the search box would, flying to it. */
  select(kind: 'building' | 'pole' | 'component', id: string): Promise<boolean>;
  /** Clicks a canvas position (CSS px): picks what is drawn there and selects it, as a user's click does. */
  pickAt(x: number, y: number): PickResult;
  openInterior(buildingId: string): void;
  setInterior(options: { explode?: number; floor?: number | null }): void;
  setEnvironment(settings: Partial<EnvironmentSettings>): void;
  /** Measures between canvas positions (CSS px); returns the figure, or null when a point is off the twin. */
  measure(mode: MeasureMode, points: Array<[number, number]>): Measurement | null;
  setView(lon: number, lat: number, height: number, headingDeg: number, pitchDeg: number): void;
  /** Renders one frame synchronously and returns its time in ms (benchmarks). */
  renderFrameMs(): number;
  /** The 2D view: screen position of a lon/lat, and the pole at a screen position. */
  project2d(lon: number, lat: number): [number, number] | null;
  pick2d(x: number, y: number): OneMapPick;
  urlErrors(): string[];
  /** Video fusion: fuse cameras, read the fusion list and where a camera's picture lies on screen. */
  fusion: FusionAutomation;
  /** Shows or hides one layer, as its box in the layer tree does. */
  setLayer(id: LayerId, on: boolean): void;
  /** The underground mode: see-through ground, opacity, an excavation box (null closes it). */
  setUnderground(settings: Partial<UndergroundSettings>): void;
  /** The planners' tools: section, side by side, proposal, viewshed, sunlight. */
  planning: PlanningApi;
  /** A coupled flood run on the 3D view: the pipes drawn per load class, the spilling-manhole markers. */
  flood: FloodAutomation;
}

declare global {
  interface Window {
    citytwin: CitytwinApi;
  }
}

export function installAutomation(pinia: Pinia): void {
  const twin = useTwinStore(pinia);
  const live = useLiveStore(pinia);
  const sceneStore = useSceneStore(pinia);
  const selection = useSelectionStore(pinia);
  const view = useViewStore(pinia);
  const tour = useTourStore(pinia);
  const environment = useEnvironmentStore(pinia);
  const components = useComponentsStore(pinia);
  const oneMap = useOneMapStore(pinia);
  const underground = useUndergroundStore(pinia);

  window.citytwin = {
    stats() {
      const scene = sceneStore.scene;
      const s = scene?.stats();
      const interior = scene?.interior;
      return {
        fps: s?.fps ?? 0,
        frameTimeMs: s?.frameTimeMs ?? 0,
        tilesLoaded: s?.tilesLoaded ?? 0,
        allTilesLoaded: s?.allTilesLoaded ?? false,
        buildings: twin.manifest?.counts.buildings ?? 0,
        poles: s?.poles ?? 0,
        components: s?.components ?? 0,
        componentChunksInDetail: s?.componentChunksInDetail ?? 0,
        alarmsMarked: s?.alarmsMarked ?? 0,
        extraTilesets: s?.extraTilesets ?? { requested: OPTIONS.tilesets.length, loaded: 0, tilesLoaded: false, tilesLoadedCount: 0, errors: [] },
        camera: s?.camera ?? null,
        deltasReceived: live.deltasReceived,
        lastDeltaLatencyMs: live.lastDeltaLatencyMs,
        connection: live.connection,
        selection: selection.selection,
        locale: i18n.global.locale.value,
        level: view.level,
        mode: view.mode,
        layout: document.querySelector('[data-testid="app"]')?.getAttribute('data-layout') === 'arc' ? 'arc' : 'standard',
        interior: { ...(interior?.state ?? { buildingId: null, explode: 0, isolated: null, source: null }), floors: interior?.floors ?? 0 },
        tour: { active: tour.active, stop: tour.stop, paused: tour.paused, visits: tour.visits },
        measurement: view.measurement,
        environment: { ...environment.settings, night: scene?.environment.night ?? 0 },
      };
    },
    poleStatus: (id) => live.poleStatus.get(id),
    async flyToBuilding(id, options) {
      const building = (await twin.buildings()).get(id);
      if (!building || !sceneStore.scene) return false;
      sceneStore.scene.flyToBuilding(building, options);
      return true;
    },
    flyToPole: (id, options) => sceneStore.scene?.flyToPole(id, options) ?? false,
    home: (options) => sceneStore.scene?.home(options?.duration),
    setLevel: (level) => view.setLevel(level),
    setMode: (mode) => {
      view.mode = mode;
    },
    async search(query) {
      const index = await components.searchIndex();
      return index.search(query).map(({ entry }) => ({ kind: entry.kind, id: entry.id, label: entry.label }));
    },
    async select(kind, id) {
      let next: Selection | null = null;
      if (kind === 'pole' && twin.poleById.has(id)) next = { kind: 'pole', id };
      else if (kind === 'building') {
        const b = (await twin.buildings()).get(id);
        if (b) next = buildingSelection(b);
      } else if (kind === 'component' && components.set && components.indexOf(id) >= 0) next = componentSelection(components.set, components.indexOf(id));
      if (!next) return false;
      selection.select(next, 'automation');
      return true;
    },
    pickAt: (x, y) => sceneStore.scene?.clickAt(new Cartesian2(x, y)) ?? null,
    openInterior(buildingId) {
      view.setLevel('L5');
      view.interiorBuildingId = buildingId;
    },
    setInterior({ explode, floor }) {
      if (explode !== undefined) view.explode = explode;
      if (floor !== undefined) view.isolatedFloor = floor;
    },
    setEnvironment: (settings) => environment.set(settings),
    measure(mode, points) {
      const scene = sceneStore.scene;
      if (!scene) return null;
      scene.measure.start(mode);
      let result: Measurement | null = null;
      for (const [x, y] of points) {
        result = scene.measure.addAt(new Cartesian2(x, y));
        if (!result) break;
      }
      // Hand clicks back to whatever the tools panel has chosen (usually picking).
      scene.measure.mode = view.measureMode;
      view.measurement = result;
      return result;
    },
    setView: (lon, lat, height, heading, pitch) => sceneStore.scene?.setView(lon, lat, height, heading, pitch),
    renderFrameMs: () => sceneStore.scene?.renderFrameMs() ?? Number.NaN,
    project2d: (lon, lat) => oneMap.map?.project(lon, lat) ?? null,
    pick2d: (x, y) => oneMap.map?.pickAt(x, y) ?? null,
    urlErrors: () => [...OPTIONS.errors],
    fusion: fusionAutomation(pinia),
    setLayer: (id, on) => view.toggle(id, on),
    setUnderground: (settings) => underground.set(settings),
    planning: planningAutomation(pinia),
    flood: floodAutomation(pinia),
  };
}
