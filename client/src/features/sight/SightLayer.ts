/**
 * The sight analyses in the 3D scene: the raster (viewshed or hours of sun) draped on the
 * ground, facade samples as coloured points, the observer, the candidate observers that see a
 * point, and the planner's proposed box.
 */
import {
  BoxGeometry,
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  Matrix3,
  Matrix4,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  Primitive,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  Transforms,
  type CesiumWidget,
} from 'cesium';
import type { GridSpec } from '../../../../simulations/sight/viewshed';
import { RasterOverlay } from '../../twin/RasterOverlay';
import type { Rgba } from '../../twin/core/rasterColours';
import type { Proposal, SightModel } from './core/sightModel';

export interface MarkerPoint {
  lon: number;
  lat: number;
  height: number;
  color: string;
}

export class SightLayer {
  private overlay: RasterOverlay | undefined;
  private readonly points: PointPrimitiveCollection;
  private box: Primitive | undefined;
  private readonly handler: ScreenSpaceEventHandler;
  /** Receives the next click on the twin (where on the surface, lon/lat/height), once. */
  onceClicked: ((lon: number, lat: number, height: number) => void) | null = null;

  constructor(private readonly widget: CesiumWidget) {
    this.points = widget.scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
    this.handler = new ScreenSpaceEventHandler(widget.canvas);
    this.handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => {
      const take = this.onceClicked;
      if (!take) return;
      const scene = this.widget.scene;
      // The depth buffer where it has something there (a roof), else the terrain under the pointer.
      const hit = scene.pickPositionSupported ? scene.pickPosition(e.position) : undefined;
      const ray = scene.camera.getPickRay(e.position);
      const at = hit ?? (ray ? scene.globe.pick(ray, scene) : undefined);
      if (!at) return;
      const c = Cartographic.fromCartesian(at);
      this.onceClicked = null;
      take((c.longitude * 180) / Math.PI, (c.latitude * 180) / Math.PI, c.height);
    }, ScreenSpaceEventType.LEFT_CLICK);
  }

  /** Height of the terrain at a point (NaN before it has loaded there). */
  groundAt(lon: number, lat: number): number {
    return this.widget.scene.globe.getHeight(Cartographic.fromDegrees(lon, lat)) ?? Number.NaN;
  }

  async showRaster(rgba: Uint8ClampedArray, grid: GridSpec, model: SightModel): Promise<void> {
    const next = await RasterOverlay.create(this.widget.imageryLayers, rgba, grid.ncols, grid.nrows, model.boxOf(grid));
    this.overlay?.destroy();
    this.overlay = next;
    this.widget.scene.requestRender();
  }

  /** Points at local (x, y, z) positions, coloured each. */
  showSamples(model: SightModel, xyz: Float64Array, colours: ReadonlyArray<Rgba | null>, markers: readonly MarkerPoint[] = []): void {
    this.points.removeAll();
    for (let i = 0; i < colours.length; i++) {
      const c = colours[i];
      if (!c) continue;
      const [lon, lat] = model.toLonLat(xyz[i * 3]!, xyz[i * 3 + 1]!);
      this.points.add({ position: Cartesian3.fromDegrees(lon, lat, xyz[i * 3 + 2]!), pixelSize: 6, color: Color.fromBytes(c[0], c[1], c[2], 255) });
    }
    for (const m of markers) {
      this.points.add({ position: Cartesian3.fromDegrees(m.lon, m.lat, m.height), pixelSize: 14, color: Color.fromCssColorString(m.color), outlineColor: Color.BLACK, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    }
    this.widget.scene.requestRender();
  }

  /** Draws the proposed box (or removes it). */
  showProposal(p: Proposal | null): void {
    if (this.box) this.widget.scene.primitives.remove(this.box);
    this.box = undefined;
    if (p) {
      const enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(p.lon, p.lat, p.baseM + p.heightM / 2));
      const local = Matrix4.fromRotationTranslation(Matrix3.fromRotationZ((-p.headingDeg * Math.PI) / 180), Cartesian3.ZERO);
      this.box = this.widget.scene.primitives.add(
        new Primitive({
          geometryInstances: new GeometryInstance({
            geometry: BoxGeometry.fromDimensions({ dimensions: new Cartesian3(p.widthM, p.depthM, p.heightM), vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
            modelMatrix: Matrix4.multiply(enu, local, new Matrix4()),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString('#ff8c42').withAlpha(0.85)) },
          }),
          appearance: new PerInstanceColorAppearance({ translucent: true }),
          asynchronous: false,
        }),
      ) as Primitive;
    }
    this.widget.scene.requestRender();
  }

  clear(): void {
    this.overlay?.destroy();
    this.overlay = undefined;
    this.points.removeAll();
    this.widget.scene.requestRender();
  }

  destroy(): void {
    this.handler.destroy();
    this.clear();
    this.showProposal(null);
    this.widget.scene.primitives.remove(this.points);
  }
}
