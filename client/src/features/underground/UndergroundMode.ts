/**
 * See-through ground for the underground networks: the globe made translucent (Cesium
 * `globe.translucency`), the camera allowed below the surface (collision detection off), and an
 * excavation box that removes the ground inside a rectangle (`globe.clippingPolygons`) so pipes
 * show in place. Applies settings to the scene; holds no other state.
 */
import { Cartesian3, ClippingPolygon, ClippingPolygonCollection, type Scene } from 'cesium';
import { cutRing, type CutBox } from './core/cutBox';

export interface UndergroundSettings {
  on: boolean;
  /** Opacity of the ground seen from above while on, 0–1. */
  groundOpacity: number;
  cut: CutBox | null;
}

export class UndergroundMode {
  private cutKey = '';

  constructor(private readonly scene: Scene) {}

  apply(settings: UndergroundSettings): void {
    const { globe, screenSpaceCameraController } = this.scene;
    const t = globe.translucency;
    t.enabled = settings.on;
    t.frontFaceAlpha = settings.groundOpacity;
    // Seen from below, the ground stays fainter still.
    t.backFaceAlpha = settings.groundOpacity / 2;
    screenSpaceCameraController.enableCollisionDetection = !settings.on;
    this.setCut(settings.on ? settings.cut : null);
    this.scene.requestRender();
  }

  private setCut(cut: CutBox | null): void {
    const key = cut ? JSON.stringify(cut) : '';
    if (key === this.cutKey) return;
    this.cutKey = key;
    const globe = this.scene.globe;
    if (!cut) {
      globe.clippingPolygons = new ClippingPolygonCollection();
      return;
    }
    const positions = Cartesian3.fromDegreesArray(cutRing(cut).flat());
    globe.clippingPolygons = new ClippingPolygonCollection({ polygons: [new ClippingPolygon({ positions })] });
  }
}
