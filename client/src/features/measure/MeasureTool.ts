/**
 * Distance, area and height measurement on the twin. Clicks add points picked on whatever is drawn
 * (terrain, buildings); the figures come from the engine-free measure core, the drawing is a
 * polyline, point and label collection that is cleared with the next measurement.
 */
import {
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  LabelCollection,
  LabelStyle,
  Material,
  PointPrimitiveCollection,
  PolylineCollection,
  VerticalOrigin,
  Math as CesiumMath,
  type Scene,
} from 'cesium';
import { heightDifference, pathLength, polygonArea, type GeoPoint } from './core/measure';

export type MeasureMode = 'distance' | 'area' | 'height';

export interface Measurement {
  mode: MeasureMode;
  points: GeoPoint[];
  /** Metres for distance and height, square metres for area. */
  value: number;
}

const LINE = Color.fromCssColorString('#ffd166');

export class MeasureTool {
  private readonly lines = new PolylineCollection();
  private readonly points = new PointPrimitiveCollection();
  private readonly labels = new LabelCollection();
  private cartesians: Cartesian3[] = [];
  mode: MeasureMode | null = null;
  result: Measurement | null = null;
  /** Told of every new figure (and null when cleared), for the tools panel. */
  onChange: ((result: Measurement | null) => void) | undefined;

  constructor(private readonly scene: Scene) {
    scene.primitives.add(this.lines);
    scene.primitives.add(this.points);
    scene.primitives.add(this.labels);
  }

  start(mode: MeasureMode | null): void {
    this.mode = mode;
    this.clear();
  }

  /** Adds the point under a window position; returns the measurement so far, or null off the ground. */
  addAt(position: Cartesian2): Measurement | null {
    if (!this.mode) return null;
    const picked = this.scene.pickPositionSupported ? this.scene.pickPosition(position) : undefined;
    const cartesian = picked ?? this.scene.camera.pickEllipsoid(position);
    if (!cartesian) return null;
    // Height needs exactly two points: a new measurement starts after the second.
    if (this.mode === 'height' && this.cartesians.length >= 2) this.clear();
    return this.add(cartesian);
  }

  add(cartesian: Cartesian3): Measurement {
    this.cartesians.push(Cartesian3.clone(cartesian));
    this.points.add({ position: cartesian, pixelSize: 8, color: LINE, outlineColor: Color.BLACK, outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    const geo = this.cartesians.map(toGeo);
    const mode = this.mode ?? 'distance';
    const value = mode === 'area' ? polygonArea(geo) : mode === 'height' ? (geo.length === 2 ? Math.abs(heightDifference(geo[0]!, geo[1]!).heightM) : 0) : pathLength(geo);
    this.result = { mode, points: geo, value };
    this.redraw();
    this.onChange?.(this.result);
    return this.result;
  }

  clear(): void {
    this.cartesians = [];
    this.result = null;
    this.lines.removeAll();
    this.points.removeAll();
    this.labels.removeAll();
    this.onChange?.(null);
    this.scene.requestRender();
  }

  private redraw(): void {
    this.lines.removeAll();
    this.labels.removeAll();
    const positions = this.mode === 'area' && this.cartesians.length >= 3 ? [...this.cartesians, this.cartesians[0]!] : this.cartesians;
    if (positions.length >= 2) {
      this.lines.add({ positions, width: 3, material: Material.fromType('Color', { color: LINE }) });
    }
    if (this.result && this.cartesians.length >= 2) {
      const text = this.result.mode === 'area' ? `${formatNumber(this.result.value)} m²` : `${formatNumber(this.result.value)} m`;
      this.labels.add({
        position: this.cartesians[this.cartesians.length - 1]!,
        text,
        font: '600 16px sans-serif',
        fillColor: Color.WHITE,
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        verticalOrigin: VerticalOrigin.BOTTOM,
        pixelOffset: new Cartesian2(0, -12),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
    this.scene.requestRender();
  }

  destroy(): void {
    this.scene.primitives.remove(this.lines);
    this.scene.primitives.remove(this.points);
    this.scene.primitives.remove(this.labels);
  }
}

function toGeo(cartesian: Cartesian3): GeoPoint {
  const c = Cartographic.fromCartesian(cartesian);
  return { lon: CesiumMath.toDegrees(c.longitude), lat: CesiumMath.toDegrees(c.latitude), height: c.height };
}

function formatNumber(value: number): string {
  return value >= 1000 ? value.toFixed(0) : value.toFixed(1);
}
