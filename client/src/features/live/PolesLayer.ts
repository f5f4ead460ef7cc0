/**
 * Smart lamp poles: one point per pole head coloured by live status, and the pole shafts as one
 * batched line primitive. Primitive collections, not Entities: thousands of poles update in
 * place without re-creating anything.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  NearFarScalar,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  Primitive,
  SimplePolylineGeometry,
  type PointPrimitive,
  type Scene,
} from 'cesium';
import type { PoleRecord } from '../../../../domain/twinPackage';
import type { LiveStatus } from '../../../../domain/terminals';
import { STATUS_COLORS } from './statusColors';

/** What a pick on this layer returns as `id`. */
export interface PolePickId {
  kind: 'pole';
  id: string;
}

const COLORS = Object.fromEntries(
  Object.entries(STATUS_COLORS).map(([status, css]) => [status, Color.fromCssColorString(css)]),
) as Record<LiveStatus, Color>;
const SHAFT_COLOR = Color.fromCssColorString('#c9d1dc');
const GLOW = Color.fromCssColorString('#ffd27a').withAlpha(0.55);
const OUTLINE = Color.fromCssColorString('#0b1320').withAlpha(0.7);

export class PolesLayer {
  private readonly points: PointPrimitiveCollection;
  private readonly shafts: Primitive;
  private readonly byId = new Map<string, PointPrimitive>();
  /** Warm halos around the pole heads, shown at night. */
  private readonly glow = new PointPrimitiveCollection();
  private nightGlow = 0;

  constructor(
    private readonly scene: Scene,
    poles: readonly PoleRecord[],
  ) {
    this.points = new PointPrimitiveCollection();
    const instances: GeometryInstance[] = [];
    for (const pole of poles) {
      const base = Cartesian3.fromDegrees(pole.lon, pole.lat, pole.groundHeight);
      const head = Cartesian3.fromDegrees(pole.lon, pole.lat, pole.groundHeight + pole.heightM);
      const pickId: PolePickId = { kind: 'pole', id: pole.id };
      const point = this.points.add({
        position: head,
        pixelSize: 7,
        color: COLORS.unknown,
        outlineColor: OUTLINE,
        outlineWidth: 1,
        // Larger up close, smaller from a city-wide view, so the overview does not turn into confetti.
        scaleByDistance: new NearFarScalar(200, 1.6, 5000, 0.45),
        id: pickId,
      });
      this.byId.set(pole.id, point);
      this.glow.add({ position: head, pixelSize: 16, color: GLOW, scaleByDistance: new NearFarScalar(150, 1.8, 5000, 0.25) });
      instances.push(
        new GeometryInstance({
          geometry: new SimplePolylineGeometry({ positions: [base, head] }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(SHAFT_COLOR) },
          id: pickId,
        }),
      );
    }
    this.shafts = new Primitive({
      geometryInstances: instances,
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: false }),
      asynchronous: false,
    });
    this.glow.show = false;
    scene.primitives.add(this.shafts);
    scene.primitives.add(this.glow);
    scene.primitives.add(this.points);
  }

  setVisible(visible: boolean): void {
    this.points.show = visible;
    this.shafts.show = visible;
    this.glow.show = visible && this.nightGlow > 0;
    this.scene.requestRender();
  }

  /** Lamps light up as night falls: 0 by day, 1 at full night. */
  setNight(night: number): void {
    this.nightGlow = night;
    this.glow.show = this.points.show && night > 0.05;
    const color = GLOW.withAlpha(0.45 * night);
    for (let i = 0; i < this.glow.length; i++) this.glow.get(i).color = color;
    this.scene.requestRender();
  }

  get count(): number {
    return this.byId.size;
  }

  setStatuses(changes: ReadonlyArray<[string, LiveStatus]>): void {
    for (const [id, status] of changes) {
      const point = this.byId.get(id);
      if (point) point.color = COLORS[status];
    }
    this.scene.requestRender();
  }

  position(id: string): Cartesian3 | undefined {
    return this.byId.get(id)?.position;
  }

  destroy(): void {
    this.scene.primitives.remove(this.points);
    this.scene.primitives.remove(this.glow);
    this.scene.primitives.remove(this.shafts);
  }
}
