/**
 * The flood's water surface on the 3D terrain: one rectangle over the flood grid, draped on the
 * ground (a GroundPrimitive with an image material), whose image is the depth frame drawn into
 * a canvas — transparent where dry, blue deepening with depth. Frames change by redrawing the
 * canvas; two canvases alternate so Cesium sees a new image and re-uploads the texture.
 *
 * The grid is square in the DEM's projected CRS; the rectangle spans its corners' lon/lat, which
 * over a district-sized grid shifts cells by well under one cell (grid convergence ≈ 0.1°).
 */
import {
  Cartesian3,
  Math as CesiumMath,
  GeometryInstance,
  GroundPrimitive,
  Material,
  MaterialAppearance,
  Primitive,
  Rectangle,
  RectangleGeometry,
  type Scene,
} from 'cesium';
import type { DepthFrames } from './core/depthFrames';

/** Depths below this stay transparent, m. */
const SHOW_FROM_M = 0.05;
/** Depth of the darkest blue, m. */
const DARKEST_AT_M = 2;

export class WaterLayer {
  private readonly canvases: [HTMLCanvasElement, HTMLCanvasElement];
  private readonly material: Material;
  private readonly primitive: GroundPrimitive | Primitive;
  private readonly rectangle: Rectangle;
  private flip = 0;
  private shownFrame = -1;
  /** Frames drawn so far and the cells painted as water in the last one (read by the panel and tests). */
  framesDrawn = 0;
  wetCellsShown = 0;

  constructor(
    private readonly scene: Scene,
    private readonly data: DepthFrames,
    groundHeightM: number,
  ) {
    const { ncols, nrows, corners } = data.meta;
    this.canvases = [0, 1].map(() => {
      const c = document.createElement('canvas');
      c.width = ncols;
      c.height = nrows;
      return c;
    }) as [HTMLCanvasElement, HTMLCanvasElement];
    const lons = corners.map((c) => c[0]);
    const lats = corners.map((c) => c[1]);
    this.rectangle = Rectangle.fromDegrees(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats));
    this.material = Material.fromType('Image', { image: this.canvases[0] });
    const appearance = new MaterialAppearance({ material: this.material, translucent: true, flat: true });
    if (GroundPrimitive.supportsMaterials(scene)) {
      this.primitive = new GroundPrimitive({ geometryInstances: new GeometryInstance({ geometry: new RectangleGeometry({ rectangle: this.rectangle }) }), appearance, asynchronous: false });
      scene.groundPrimitives.add(this.primitive);
    } else {
      // Without material support on the ground: a flat sheet at the district's ground height.
      this.primitive = new Primitive({ geometryInstances: new GeometryInstance({ geometry: new RectangleGeometry({ rectangle: this.rectangle, height: groundHeightM }) }), appearance, asynchronous: false });
      scene.primitives.add(this.primitive);
    }
  }

  get times(): readonly number[] {
    return this.data.meta.timesS;
  }

  /** Draws frame `k` (0-based) into the next canvas and hands it to the material. */
  showFrame(k: number): void {
    if (k === this.shownFrame || k < 0 || k >= this.data.frames.length) return;
    this.shownFrame = k;
    this.flip ^= 1;
    const canvas = this.canvases[this.flip];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { ncols, nrows, scaleM, noData } = this.data.meta;
    const image = ctx.createImageData(ncols, nrows);
    const px = image.data;
    const frame = this.data.frames[k]!;
    let wet = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      const depth = v === noData ? 0 : v * scaleM;
      if (depth < SHOW_FROM_M) continue;
      wet++;
      const f = Math.min(depth / DARKEST_AT_M, 1);
      px[i * 4] = Math.round(120 * (1 - f));
      px[i * 4 + 1] = Math.round(190 - 120 * f);
      px[i * 4 + 2] = Math.round(255 - 60 * f);
      px[i * 4 + 3] = Math.round(140 + 90 * f);
    }
    ctx.putImageData(image, 0, 0);
    this.framesDrawn++;
    this.wetCellsShown = wet;
    this.material.uniforms.image = canvas;
    this.scene.requestRender();
  }

  flyTo(lon: number, lat: number, rangeM = 350): void {
    this.scene.camera.flyTo({
      destination: Cartesian3.fromDegrees(lon, lat - rangeM / 111_000, rangeM),
      orientation: { heading: 0, pitch: CesiumMath.toRadians(-45), roll: 0 },
      duration: 1.2,
    });
  }

  destroy(): void {
    if (this.primitive instanceof GroundPrimitive) this.scene.groundPrimitives.remove(this.primitive);
    else this.scene.primitives.remove(this.primitive);
    this.scene.requestRender();
  }
}
