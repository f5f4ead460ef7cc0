/**
 * The 3D twin: viewer, buildings, poles, picking and camera moves. Plain TypeScript around
 * Cesium, kept out of Vue's reactivity; the Vue view wires it to the stores.
 */
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Cesium3DTileFeature,
  HeadingPitchRange,
  Math as CesiumMath,
  Matrix4,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  type CesiumWidget,
} from 'cesium';
import type { BuildingRecord, PoleRecord, TwinManifest } from '../../../domain/twinPackage';
import type { LiveStatus } from '../../../domain/terminals';
import { BuildingsLayer, type FeatureProperties } from './BuildingsLayer';
import { createViewer, type ViewerOptions } from './createViewer';
import { FrameStats } from './FrameStats';
import { PolesLayer, type PolePickId } from './PolesLayer';

export type PickResult =
  | { kind: 'building'; id: string; properties: FeatureProperties }
  | { kind: 'pole'; id: string }
  | null;

export interface SceneStats {
  fps: number;
  frameTimeMs: number;
  tilesLoaded: number;
  allTilesLoaded: boolean;
  poles: number;
}

export interface FlyOptions {
  /** Seconds; 0 jumps. */
  duration?: number;
}

export class TwinScene {
  readonly widget: CesiumWidget;
  private buildings: BuildingsLayer | undefined;
  private readonly poles: PolesLayer;
  private readonly frames: FrameStats;
  private readonly handler: ScreenSpaceEventHandler;
  private readonly pickListeners = new Set<(result: PickResult) => void>();

  constructor(
    container: HTMLElement,
    private readonly manifest: TwinManifest,
    poles: readonly PoleRecord[],
    options: ViewerOptions = {},
  ) {
    this.widget = createViewer(container, manifest, options);
    this.frames = new FrameStats(this.widget.scene);
    this.poles = new PolesLayer(this.widget.scene, poles);
    this.handler = new ScreenSpaceEventHandler(this.widget.canvas);
    this.handler.setInputAction((event: ScreenSpaceEventHandler.PositionedEvent) => {
      const result = this.pick(event.position);
      for (const listener of this.pickListeners) listener(result);
    }, ScreenSpaceEventType.LEFT_CLICK);
    this.home(0);
  }

  /** Loads the building tileset; resolves when it is part of the scene (tiles keep streaming). */
  async loadBuildings(): Promise<void> {
    this.buildings = await BuildingsLayer.load(this.widget.scene, this.manifest);
    this.widget.scene.requestRender();
  }

  onPick(listener: (result: PickResult) => void): () => void {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }

  /** What is drawn at a window position (CSS pixels from the canvas's top-left). */
  pick(position: Cartesian2): PickResult {
    const picked: unknown = this.widget.scene.pick(position);
    if (picked instanceof Cesium3DTileFeature) {
      this.buildings?.highlight(picked);
      this.widget.scene.requestRender();
      const properties = BuildingsLayer.propertiesOf(picked);
      return { kind: 'building', id: String(properties.id ?? ''), properties };
    }
    this.buildings?.highlight(undefined);
    this.widget.scene.requestRender();
    const id = (picked as { id?: unknown } | undefined)?.id;
    if (isPolePickId(id)) return { kind: 'pole', id: id.id };
    return null;
  }

  /** Drops the building highlight, e.g. when the attribute panel is closed. */
  clearHighlight(): void {
    this.buildings?.highlight(undefined);
    this.widget.scene.requestRender();
  }

  setPoleStatuses(changes: ReadonlyArray<[string, LiveStatus]>): void {
    this.poles.setStatuses(changes);
  }

  /** The overview: the whole district from the south-east, as a leader's screen opens. */
  home(duration = 1.5): void {
    const { lon, lat, height } = this.manifest.center;
    this.lookAt(Cartesian3.fromDegrees(lon, lat, height), CesiumMath.toRadians(-35), CesiumMath.toRadians(-32), 4200, duration);
  }

  flyToBuilding(building: BuildingRecord, options: FlyOptions = {}): void {
    const top = building.groundHeight + building.height;
    this.topDown(building.lon, building.lat, top + Math.max(150, building.height), options.duration);
  }

  flyToPole(id: string, options: FlyOptions = {}): boolean {
    const position = this.poles.position(id);
    if (!position) return false;
    this.lookAt(position, CesiumMath.toRadians(20), CesiumMath.toRadians(-35), 180, options.duration ?? 1.5);
    return true;
  }

  stats(): SceneStats {
    const scene = this.widget.scene;
    const buildingsLoaded = this.buildings?.tileset.tilesLoaded ?? false;
    return {
      fps: this.frames.fps,
      frameTimeMs: this.frames.frameTimeMs,
      tilesLoaded: this.buildings?.tilesLoaded ?? 0,
      allTilesLoaded: buildingsLoaded && scene.globe.tilesLoaded,
      poles: this.poles.count,
    };
  }

  destroy(): void {
    this.handler.destroy();
    this.frames.destroy();
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
