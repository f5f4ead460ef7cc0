/**
 * Emergency command in the 3D twin: each active unit's route on the ground (a ground polyline,
 * coloured by the unit's status), the unit as a point with its name, and the incident sites.
 * Redrawn from the store's overlay (core/incidents.ts) when it changes; heights come from the
 * loaded terrain, else the district's centre height.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  LabelCollection,
  LabelStyle,
  PointPrimitiveCollection,
  PolylineColorAppearance,
  VerticalOrigin,
  type CesiumWidget,
} from 'cesium';
import { UNIT_STATUS_COLORS, type EmergencyOverlay } from './core/incidents';

const SITE_COLOR = Color.fromCssColorString('#ff3b30');
/** Points float above the ground so roofs and terrain do not hide them. */
const LIFT_M = 8;

export class EmergencyLayer {
  private readonly points = new PointPrimitiveCollection();
  private readonly labels = new LabelCollection();
  private routes: GroundPolylinePrimitive | undefined;
  private routeKey = '';

  constructor(
    private readonly widget: CesiumWidget,
    private readonly fallbackHeight: number,
  ) {
    widget.scene.primitives.add(this.points);
    widget.scene.primitives.add(this.labels);
  }

  show(overlay: EmergencyOverlay): void {
    this.points.removeAll();
    this.labels.removeAll();
    for (const site of overlay.sites) this.points.add({ position: this.at(site.lon, site.lat), pixelSize: 16, color: SITE_COLOR, outlineColor: Color.WHITE, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    for (const unit of overlay.units) {
      const position = this.at(unit.lon, unit.lat);
      this.points.add({ position, pixelSize: 12, color: Color.fromCssColorString(UNIT_STATUS_COLORS[unit.status]), outlineColor: Color.BLACK, outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY });
      this.labels.add({ position, text: unit.name, font: '600 13px sans-serif', fillColor: Color.WHITE, outlineColor: Color.BLACK, outlineWidth: 3, style: LabelStyle.FILL_AND_OUTLINE, pixelOffset: new Cartesian2(0, -12), verticalOrigin: VerticalOrigin.BOTTOM, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    }
    // Routes change only with dispatches and statuses, not with every position report.
    const key = overlay.routes.map((r) => `${r.id}:${r.status}`).join('|');
    if (key !== this.routeKey) {
      this.routeKey = key;
      this.dropRoutes();
      if (overlay.routes.length > 0) {
        this.routes = new GroundPolylinePrimitive({
          geometryInstances: overlay.routes.map(
            (r) =>
              new GeometryInstance({
                id: r.id,
                geometry: new GroundPolylineGeometry({ positions: Cartesian3.fromDegreesArray(r.path.flat()), width: 5 }),
                attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString(UNIT_STATUS_COLORS[r.status]).withAlpha(0.9)) },
              }),
          ),
          appearance: new PolylineColorAppearance(),
          asynchronous: false,
        });
        this.widget.scene.primitives.add(this.routes);
      }
    }
    this.widget.scene.requestRender();
  }

  flyTo(lon: number, lat: number): void {
    this.widget.camera.flyTo({ destination: Cartesian3.fromDegrees(lon, lat - 0.006, 900), orientation: { heading: 0, pitch: -0.75, roll: 0 }, duration: 1.2 });
  }

  destroy(): void {
    this.dropRoutes();
    this.widget.scene.primitives.remove(this.points);
    this.widget.scene.primitives.remove(this.labels);
    this.widget.scene.requestRender();
  }

  private dropRoutes(): void {
    if (this.routes) this.widget.scene.primitives.remove(this.routes);
    this.routes = undefined;
  }

  private at(lon: number, lat: number): Cartesian3 {
    const ground = this.widget.scene.globe.getHeight(Cartographic.fromDegrees(lon, lat));
    return Cartesian3.fromDegrees(lon, lat, (ground ?? this.fallbackHeight) + LIFT_M);
  }
}
