/**
 * The drill-in overlay in the 3D twin: the case's place as a red marker with its id, the nearby
 * camera poles in cyan and the other nearby poles in white, and a camera flight to the site.
 * One point and one label collection reused for every case, so drilling through a list of cases
 * allocates nothing per case beyond its few points.
 */
import {
  BoundingSphere,
  Cartographic,
  Cartesian2,
  Cartesian3,
  Color,
  HeadingPitchRange,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  Math as CesiumMath,
  PointPrimitiveCollection,
  VerticalOrigin,
  type CesiumWidget,
} from 'cesium';
import type { CaseSurroundings } from './core/caseSurroundings';

const CASE_COLOR = Color.fromCssColorString('#ff3b30');
const CAMERA_COLOR = Color.fromCssColorString('#38d9ff');
const POLE_COLOR = Color.WHITE.withAlpha(0.85);
/** Markers float this far above the ground so buildings' bases and the terrain do not hide them. */
const LIFT_M = 6;

export class CaseOverlay {
  private readonly points = new PointPrimitiveCollection();
  private readonly labels = new LabelCollection();

  constructor(private readonly widget: CesiumWidget) {
    widget.scene.primitives.add(this.points);
    widget.scene.primitives.add(this.labels);
  }

  show(caseId: string, lon: number, lat: number, groundHeight: number, around: CaseSurroundings, fly = true): void {
    this.clear();
    const site = Cartesian3.fromDegrees(lon, lat, groundHeight + LIFT_M);
    this.points.add({ position: site, pixelSize: 16, color: CASE_COLOR, outlineColor: Color.WHITE, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    this.labels.add({
      position: site,
      text: caseId,
      font: '600 15px sans-serif',
      fillColor: Color.WHITE,
      outlineColor: Color.BLACK,
      outlineWidth: 3,
      style: LabelStyle.FILL_AND_OUTLINE,
      pixelOffset: new Cartesian2(0, -18),
      horizontalOrigin: HorizontalOrigin.CENTER,
      verticalOrigin: VerticalOrigin.BOTTOM,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
    });
    for (const near of around.poles) {
      const camera = near.cameraIds.length > 0;
      this.points.add({
        position: Cartesian3.fromDegrees(near.pole.lon, near.pole.lat, near.pole.groundHeight + near.pole.heightM),
        pixelSize: camera ? 11 : 7,
        color: camera ? CAMERA_COLOR : POLE_COLOR,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
    if (fly) {
      this.widget.camera.flyToBoundingSphere(new BoundingSphere(site, 1), {
        offset: new HeadingPitchRange(CesiumMath.toRadians(15), CesiumMath.toRadians(-40), 260),
        duration: 1.5,
      });
    }
    this.widget.scene.requestRender();
  }

  clear(): void {
    this.points.removeAll();
    this.labels.removeAll();
    this.widget.scene.requestRender();
  }

  destroy(): void {
    this.widget.scene.primitives.remove(this.points);
    this.widget.scene.primitives.remove(this.labels);
  }
}

/** Where the camera looks: the globe under the canvas centre, or null when it looks at the sky. */
export function viewCentre(widget: CesiumWidget): { lon: number; lat: number } | null {
  const canvas = widget.scene.canvas;
  const ray = widget.camera.getPickRay(new Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2));
  const hit = ray ? widget.scene.globe.pick(ray, widget.scene) : undefined;
  if (!hit) return null;
  const c = Cartographic.fromCartesian(hit);
  return { lon: CesiumMath.toDegrees(c.longitude), lat: CesiumMath.toDegrees(c.latitude) };
}
