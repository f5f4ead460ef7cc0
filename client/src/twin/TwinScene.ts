/**
 * The 3D twin: viewer, the five levels' layers, live overlays, picking, measuring, environment
 * and camera moves. Plain TypeScript around Cesium, kept out of Vue's reactivity; the Vue view
 * wires it to the stores. What to show comes from the engine-free level rules.
 */
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Cartographic,
  Cesium3DTileFeature,
  type Cesium3DTileset,
  HeadingPitchRange,
  Math as CesiumMath,
  Matrix4,
  ModelFeature,
  PerspectiveFrustum,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  type CesiumWidget,
} from 'cesium';
import type { Alarm } from '../../../domain/live';
import type { BuildingRecord, PoleRecord, TwinManifest } from '../../../domain/twinPackage';
import type { LiveStatus } from '../../../domain/terminals';
import { componentCode, componentProperties, type ComponentSet } from '../features/components/core/componentSet';
import { levelFiles, type LayerId } from '../features/levels/core/levels';
import { AlarmsLayer } from '../features/live/AlarmsLayer';
import { BuildingsLayer, type FeatureProperties } from './BuildingsLayer';
import { ComponentsLayer } from '../features/components/ComponentsLayer';
import { createViewer, type ViewerOptions } from './createViewer';
import { EntityComponentsLayer } from '../features/components/EntityComponentsLayer';
import { Environment } from '../features/environment/Environment';
import { ExtraTilesets, type ExtraTilesetsStats } from './ExtraTilesets';
import { FrameStats } from './FrameStats';
import { GroundLinesLayer, linesOf } from './GroundLinesLayer';
import { boundsRadiusM, rangeToFit } from './core/homeView';
import { displayValue } from '../features/selection/core/metadataValue';
import { InteriorLayer, type RoomPickId } from '../features/interior/InteriorLayer';
import { MeasureTool } from '../features/measure/MeasureTool';
import { OptionalTileset } from './OptionalTileset';
import { UndergroundMode, type UndergroundSettings } from '../features/underground/UndergroundMode';
import { PolesLayer, type PolePickId } from '../features/live/PolesLayer';
import { OPTIONS } from '../app/options';

export type PickResult =
  | { kind: 'building'; id: string; properties: FeatureProperties }
  | { kind: 'pole'; id: string }
  | { kind: 'component'; id: string; properties: FeatureProperties }
  | { kind: 'room'; id: string; buildingId: string; properties: FeatureProperties }
  /** A feature of a third-party tileset (`?tileset=`), with its own class when it declares one. */
  | { kind: 'feature'; id: string; className: string | null; properties: FeatureProperties }
  | null;

export interface SceneStats {
  fps: number;
  frameTimeMs: number;
  tilesLoaded: number;
  allTilesLoaded: boolean;
  poles: number;
  components: number;
  componentChunksInDetail: number;
  alarmsMarked: number;
  /** Third-party tilesets opened with `?tileset=`. */
  extraTilesets: ExtraTilesetsStats;
  /** Where the camera is (degrees, metres above the ellipsoid). */
  camera: { lon: number; lat: number; height: number };
}

export interface FlyOptions {
  /** Seconds; 0 jumps. */
  duration?: number;
}

export interface TwinSceneOptions extends ViewerOptions {
  componentRenderer?: 'primitive' | 'entity';
  /** Third-party tileset.json URLs shown at every level (`?tileset=`). */
  extraTilesets?: readonly string[];
  /** Fly to the first extra tileset once it is in the scene (`?tilesetFly=1`). */
  flyToExtraTileset?: boolean;
}

/** How close (screen pixels) a click must land to a component to pick it. */
const COMPONENT_PICK_PX = 8;
/** The home view looks from the south-east, down at this angle. */
const HOME_HEADING = CesiumMath.toRadians(-35);
const HOME_PITCH = CesiumMath.toRadians(-32);

/** What the home view frames: a circle on the ground (the twin's bounds) or a tileset's sphere. */
interface HomeFrame {
  target: Cartesian3;
  radiusM: number;
  flat: boolean;
}

export class TwinScene {
  readonly widget: CesiumWidget;
  readonly environment: Environment;
  readonly measure: MeasureTool;
  readonly interior: InteriorLayer;
  private buildings: BuildingsLayer | undefined;
  private readonly architecture: OptionalTileset;
  private readonly componentTiles: OptionalTileset;
  private readonly pipeTiles: OptionalTileset;
  readonly underground: UndergroundMode;
  private readonly extras: ExtraTilesets;
  private components: ComponentsLayer | EntityComponentsLayer | undefined;
  private readonly poles: PolesLayer;
  private readonly alarms: AlarmsLayer;
  private readonly lines = new Map<'roads' | 'gridCells', GroundLinesLayer>();
  private readonly frames: FrameStats;
  private readonly handler: ScreenSpaceEventHandler;
  private readonly pickListeners = new Set<(result: PickResult) => void>();
  private visibility: Partial<Record<LayerId, boolean>> = {};
  private homeFrame: HomeFrame;

  constructor(
    container: HTMLElement,
    private readonly manifest: TwinManifest,
    poles: readonly PoleRecord[],
    private readonly options: TwinSceneOptions = {},
  ) {
    this.widget = createViewer(container, manifest, options);
    const scene = this.widget.scene;
    this.frames = new FrameStats(scene);
    this.poles = new PolesLayer(scene, poles);
    this.alarms = new AlarmsLayer(scene, (id) => this.poles.position(id));
    const files = levelFiles(manifest);
    this.architecture = new OptionalTileset(scene, files.architectureTileset);
    this.componentTiles = new OptionalTileset(scene, files.componentsTileset);
    this.pipeTiles = new OptionalTileset(scene, files.pipesTileset);
    this.underground = new UndergroundMode(scene);
    this.extras = new ExtraTilesets(scene, options.extraTilesets ?? OPTIONS.tilesets);
    this.interior = new InteriorLayer(scene);
    this.measure = new MeasureTool(scene);
    this.environment = new Environment(
      this.widget,
      manifest.center,
      () => (this.widget.imageryLayers.length > 1 ? this.widget.imageryLayers.get(1) : undefined),
      (night) => this.poles.setNight(night),
    );
    this.handler = new ScreenSpaceEventHandler(this.widget.canvas);
    this.handler.setInputAction((event: ScreenSpaceEventHandler.PositionedEvent) => this.clickAt(event.position), ScreenSpaceEventType.LEFT_CLICK);
    const { lon, lat, height } = manifest.center;
    this.homeFrame = { target: Cartesian3.fromDegrees(lon, lat, height), radiusM: boundsRadiusM(manifest.bounds), flat: true };
    this.home(0);
  }

  /** Loads the building tileset; resolves when it is part of the scene (tiles keep streaming). */
  async loadBuildings(): Promise<void> {
    this.buildings = await BuildingsLayer.load(this.widget.scene, this.manifest);
    this.buildings.setVisible(this.visibility.whiteModels ?? true);
    this.widget.scene.requestRender();
    void this.loadExtraTilesets();
  }

  /** The `?tileset=` layers; they do not hold up the twin's own, and fail one by one. */
  private async loadExtraTilesets(): Promise<void> {
    await this.extras.load();
    const first = this.extras.first;
    if (first && (this.options.flyToExtraTileset ?? OPTIONS.tilesetFly)) {
      // The tileset becomes home: the view fits its bounding sphere, now and on "home".
      const sphere = first.boundingSphere;
      this.homeFrame = { target: Cartesian3.clone(sphere.center), radiusM: sphere.radius, flat: false };
      this.home(0);
    }
  }

  /** Puts the components on the map with the configured renderer (primitive chunks, or Entities for the benchmark's baseline). */
  async loadComponents(set: ComponentSet): Promise<void> {
    this.components?.destroy();
    this.components =
      this.options.componentRenderer === 'entity' ? await EntityComponentsLayer.load(this.widget, set) : new ComponentsLayer(this.widget.scene, set);
    this.applyComponentsVisibility();
  }

  /** Draped vector outlines for the roads and grid cells layers. */
  addLines(id: 'roads' | 'gridCells', features: ReadonlyArray<{ geometry: { type: string; coordinates: unknown } | null }>): void {
    const style = id === 'roads' ? { color: '#f4a261', width: 3 } : { color: '#5ad1ff', width: 1.5 };
    this.lines.get(id)?.destroy();
    const layer = new GroundLinesLayer(this.widget.scene, linesOf(features), style.color, style.width);
    layer.setVisible(this.visibility[id] ?? false);
    this.lines.set(id, layer);
  }

  /** Shows and hides layers as the level rules decided. */
  setVisibility(visibility: Record<LayerId, boolean>): void {
    this.visibility = visibility;
    this.widget.scene.globe.show = visibility.terrain;
    this.buildings?.setVisible(visibility.whiteModels);
    this.architecture.setVisible(visibility.architecture);
    this.applyComponentsVisibility();
    this.pipeTiles.setVisible(visibility.pipes);
    this.poles.setVisible(visibility.poles);
    this.alarms.setVisible(visibility.alarms);
    for (const [id, layer] of this.lines) layer.setVisible(visibility[id]);
    if (!visibility.interiors) this.closeInterior();
    this.widget.scene.requestRender();
  }

  /**
   * L4 from the package's instanced tileset when it has one; the point chunks otherwise, and
   * always when a synthetic load is asked for (the tileset holds only the twin's own).
   */
  private applyComponentsVisibility(): void {
    const shown = this.visibility.components ?? false;
    this.componentTiles.setVisible(shown && this.componentTiles.available);
    if (this.components instanceof ComponentsLayer) {
      const synthetic = this.components.set.count > this.components.set.realCount;
      this.components.setVisible(shown && (!this.componentTiles.available || synthetic));
    }
  }

  /** Colours the underground pipe tiles (a coupled flood run's pipes by load), or as built with null. */
  setPipeColours(conditions: Array<[string, string]> | null): void {
    this.pipeTiles.setColours(conditions);
  }

  /** The underground pipe tiles once loaded (automation reads what they draw), else undefined. */
  get pipesTileset(): Cesium3DTileset | undefined {
    return this.pipeTiles.current;
  }

  /** See-through ground and the excavation box (the pipes layer is its own toggle). */
  setUnderground(settings: UndergroundSettings): void {
    this.underground.apply(settings);
  }

  /** The ground point at the middle of the view (degrees), or null when the view shows sky. */
  viewCentre(): { lon: number; lat: number } | null {
    const canvas = this.widget.canvas;
    const ray = this.widget.camera.getPickRay(new Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2));
    const hit = ray ? this.widget.scene.globe.pick(ray, this.widget.scene) : undefined;
    if (!hit) return null;
    const c = Cartographic.fromCartesian(hit);
    return { lon: CesiumMath.toDegrees(c.longitude), lat: CesiumMath.toDegrees(c.latitude) };
  }

  /** L5: opens a building's interior (hiding its shell); the package model when `url` is given. */
  async openInterior(building: BuildingRecord, url: string | null): Promise<void> {
    this.buildings?.hideBuilding(building.id);
    this.architecture.hideFeature(building.id);
    await this.interior.show(building, url);
    this.widget.scene.requestRender();
  }

  closeInterior(): void {
    if (!this.interior.building) return;
    this.interior.clear();
    this.buildings?.hideBuilding(null);
    this.architecture.hideFeature(null);
  }

  setAlarms(alarms: readonly Alarm[]): void {
    this.alarms.update(alarms);
  }

  onPick(listener: (result: PickResult) => void): () => void {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }

  /** A click: adds a measuring point while measuring, otherwise picks and tells the listeners. */
  clickAt(position: Cartesian2): PickResult {
    if (this.measure.mode) {
      this.measure.addAt(position);
      return null;
    }
    const result = this.pick(position);
    for (const listener of this.pickListeners) listener(result);
    return result;
  }

  /** What is drawn at a window position (CSS pixels from the canvas's top-left). */
  pick(position: Cartesian2): PickResult {
    const scene = this.widget.scene;
    const picked: unknown = scene.pick(position);
    this.buildings?.highlight(undefined);
    scene.requestRender();
    if (picked instanceof Cesium3DTileFeature) {
      const properties = BuildingsLayer.propertiesOf(picked);
      if (this.componentTiles.owns(picked)) return this.componentTileResult(String(properties.id ?? properties.code ?? ''), properties);
      // Underground pipes, lines, manholes and outfalls: their attributes as the tiles carry them.
      if (this.pipeTiles.owns(picked)) return { kind: 'feature', id: String(properties.id ?? ''), className: 'pipe', properties };
      if (this.extras.owns(picked)) {
        // Its own id when it has one, else its name, else its feature id in the tile.
        const id = String(properties.id ?? properties.name ?? `#${picked.featureId}`);
        return { kind: 'feature', id, className: ExtraTilesets.classNameOf(picked), properties };
      }
      if (!this.architecture.owns(picked)) this.buildings?.highlight(picked);
      return { kind: 'building', id: String(properties.id ?? ''), properties };
    }
    if (picked instanceof ModelFeature) {
      const properties: FeatureProperties = {};
      for (const name of picked.getPropertyIds()) properties[name] = displayValue(picked.getProperty(name));
      const buildingId = this.interior.building?.id ?? '';
      return { kind: 'room', id: String(properties.id ?? properties.roomId ?? properties.globalId ?? ''), buildingId, properties };
    }
    const id = (picked as { id?: unknown } | undefined)?.id;
    if (isPolePickId(id)) return { kind: 'pole', id: id.id };
    if (isRoomPickId(id)) return { kind: 'room', id: id.id, buildingId: id.buildingId, properties: id.properties };
    // An overlay that handles its own clicks (the flood's manhole markers) marks its pick ids `ownClick`.
    if (typeof id === 'object' && id !== null && (id as { ownClick?: unknown }).ownClick === true) return null;
    return this.pickComponent(position);
  }

  /**
   * L4 instances carry the id of what they stand for: a component code, a pole id, or a
   * terminal id (`{poleId}-{type}`), which selects its pole (the panel lists its terminals).
   */
  private componentTileResult(id: string, properties: FeatureProperties): PickResult {
    if (this.poles.position(id)) return { kind: 'pole', id };
    const dash = id.indexOf('-');
    if (dash > 0 && this.poles.position(id.slice(0, dash))) return { kind: 'pole', id: id.slice(0, dash) };
    return { kind: 'component', id, properties: { code: id, ...properties } };
  }

  /** Components carry no GPU pick ids: the ground point under the cursor finds the nearest on the CPU. */
  private pickComponent(position: Cartesian2): PickResult {
    const layer = this.components;
    if (!(layer instanceof ComponentsLayer) || !(this.visibility.components ?? false)) return null;
    const scene = this.widget.scene;
    const ground = scene.pickPositionSupported ? scene.pickPosition(position) : undefined;
    if (!ground) return null;
    const metresPerPixel = this.widget.camera.getPixelSize(new BoundingSphere(ground, 1), scene.drawingBufferWidth, scene.drawingBufferHeight);
    const c = Cartographic.fromCartesian(ground);
    const index = layer.nearest(CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude), Math.max(1, metresPerPixel * COMPONENT_PICK_PX));
    return index < 0 ? null : { kind: 'component', id: componentCode(layer.set, index), properties: componentProperties(layer.set, index) };
  }

  /** Drops the building highlight, e.g. when the attribute panel is closed. */
  clearHighlight(): void {
    this.buildings?.highlight(undefined);
    this.widget.scene.requestRender();
  }

  setPoleStatuses(changes: ReadonlyArray<[string, LiveStatus]>): void {
    this.poles.setStatuses(changes);
  }

  /**
   * The overview: the whole district from the south-east, as a leader's screen opens, at the
   * distance that fits the twin's bounds (or the `?tilesetFly` tileset) to the screen.
   */
  home(duration = 1.5): void {
    const frustum = this.widget.camera.frustum;
    const canvas = this.widget.canvas;
    const camera = {
      fovRad: frustum instanceof PerspectiveFrustum && frustum.fov !== undefined ? frustum.fov : CesiumMath.PI_OVER_THREE,
      aspect: canvas.clientHeight > 0 ? canvas.clientWidth / canvas.clientHeight : 16 / 9,
      pitchRad: HOME_PITCH,
    };
    const { target, radiusM, flat } = this.homeFrame;
    this.lookAt(target, HOME_HEADING, HOME_PITCH, rangeToFit(radiusM, camera, flat), duration);
  }

  flyToBuilding(building: BuildingRecord, options: FlyOptions = {}): void {
    const top = building.groundHeight + building.height;
    this.topDown(building.lon, building.lat, top + Math.max(150, building.height), options.duration);
  }

  /** An oblique view of a building, close enough to read its floors (for the interior). */
  viewBuilding(building: BuildingRecord, options: FlyOptions = {}): void {
    const target = Cartesian3.fromDegrees(building.lon, building.lat, building.groundHeight + building.height / 2);
    this.lookAt(target, CesiumMath.toRadians(30), CesiumMath.toRadians(-25), Math.max(120, building.height * 2.8), options.duration ?? 1.5);
  }

  flyToPole(id: string, options: FlyOptions = {}): boolean {
    const position = this.poles.position(id);
    if (!position) return false;
    this.lookAt(position, CesiumMath.toRadians(20), CesiumMath.toRadians(-35), 180, options.duration ?? 1.5);
    return true;
  }

  flyToComponent(index: number, options: FlyOptions = {}): boolean {
    if (!(this.components instanceof ComponentsLayer) || index < 0 || index >= this.components.count) return false;
    this.lookAt(this.components.position(index), CesiumMath.toRadians(0), CesiumMath.toRadians(-50), 90, options.duration ?? 1.5);
    return true;
  }

  /** A camera at a point, looking at a heading and pitch (degrees); for scripted paths. */
  setView(lon: number, lat: number, height: number, headingDeg: number, pitchDeg: number): void {
    this.widget.camera.setView({
      destination: Cartesian3.fromDegrees(lon, lat, height),
      orientation: { heading: CesiumMath.toRadians(headingDeg), pitch: CesiumMath.toRadians(pitchDeg), roll: 0 },
    });
    this.widget.scene.requestRender();
  }

  /** Renders one frame now and waits for the GPU (a pixel read-back), returning milliseconds. */
  renderFrameMs(): number {
    const started = performance.now();
    this.widget.render();
    const gl = this.widget.canvas.getContext('webgl2') ?? this.widget.canvas.getContext('webgl');
    gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - started;
  }

  stats(): SceneStats {
    const scene = this.widget.scene;
    const buildingsLoaded = this.buildings?.tileset.tilesLoaded ?? false;
    const components = this.components;
    return {
      fps: this.frames.fps,
      frameTimeMs: this.frames.frameTimeMs,
      tilesLoaded: this.buildings?.tilesLoaded ?? 0,
      allTilesLoaded: buildingsLoaded && scene.globe.tilesLoaded && this.architecture.settled && this.componentTiles.settled && this.pipeTiles.settled,
      poles: this.poles.count,
      components: components?.count ?? 0,
      componentChunksInDetail: components instanceof ComponentsLayer ? components.detailChunks : 0,
      alarmsMarked: this.alarms.count,
      extraTilesets: this.extras.stats(),
      camera: this.cameraPosition(),
    };
  }

  private cameraPosition(): SceneStats['camera'] {
    const c = this.widget.camera.positionCartographic;
    return { lon: CesiumMath.toDegrees(c.longitude), lat: CesiumMath.toDegrees(c.latitude), height: c.height };
  }

  destroy(): void {
    this.extras.destroy();
    this.handler.destroy();
    this.frames.destroy();
    this.environment.destroy();
    this.widget.destroy();
  }

  private topDown(lon: number, lat: number, height: number, duration = 1.5): void {
    this.widget.camera.flyTo({
      destination: Cartesian3.fromDegrees(lon, lat, height),
      orientation: { heading: 0, pitch: -CesiumMath.PI_OVER_TWO, roll: 0 },
      duration,
    });
  }

  private lookAt(target: Cartesian3, heading: number, pitch: number, range: number, duration: number): void {
    const camera = this.widget.camera;
    if (duration <= 0) {
      camera.lookAt(target, new HeadingPitchRange(heading, pitch, range));
      // Release the look-at frame so the user's mouse orbits the globe, not this point.
      camera.lookAtTransform(Matrix4.IDENTITY);
      this.widget.scene.requestRender();
      return;
    }
    camera.flyToBoundingSphere(new BoundingSphere(target, 1), {
      offset: new HeadingPitchRange(heading, pitch, range),
      duration,
    });
  }
}

function isPolePickId(value: unknown): value is PolePickId {
  return typeof value === 'object' && value !== null && (value as PolePickId).kind === 'pole';
}

function isRoomPickId(value: unknown): value is RoomPickId {
  return typeof value === 'object' && value !== null && (value as RoomPickId).kind === 'room';
}
