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
import type { PoleRecord } from '../../../domain/twinPackage';
import type { LiveStatus } from '../../../domain/terminals';
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
const OUTLINE = Color.fromCssColorString('#0b1320').withAlpha(0.7);

export class PolesLayer {
  private readonly points: PointPrimitiveCollection;
  private readonly shafts: Primitive;
  private readonly byId = new Map<string, PointPrimitive>();

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
    scene.primitives.add(this.shafts);
    scene.primitives.add(this.points);
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
    this.scene.primitives.remove(this.shafts);
  }
}
