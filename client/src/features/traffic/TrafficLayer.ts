/**
 * A traffic run on the 3D roads: vehicles as one point collection (thousands move smoothly,
 * positions interpolated between the sampled frames), links draped on the terrain and coloured
 * by their measured speed in the current interval, and a signal head at each signalised stop
 * line showing its light. Positions come in the network's local east-north-up frame.
 */
import {
  Cartesian3,
  Cartographic,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  Matrix4,
  PointPrimitiveCollection,
  PolylineColorAppearance,
  Transforms,
  type PointPrimitive,
  type Scene,
} from 'cesium';
import { signalLight, type Network, type Signal } from '../../../../simulations/traffic/network';
import { positionsAt } from './core/playback';
import type { TrafficRunData } from './trafficStore';

/** Terrain heights are looked up once per cell of this size, metres. */
const HEIGHT_CELL_M = 40;
/** Vehicles and signal heads float this far above the ground so the terrain never hides them, metres. */
const VEHICLE_LIFT_M = 2;
const SIGNAL_LIFT_M = 6;
/** Link outlines sit this far right of the centreline, so both directions show. */
const LINK_SIDE_M = 3;
/** Vehicles are coloured against the city speed limit (54 km/h); links against their own limit. */
const CITY_SPEED_MPS = 15;

const SPEED_FAST = Color.fromCssColorString('#2ecc71');
const SPEED_SLOW = Color.fromCssColorString('#f5a623');
const SPEED_JAM = Color.fromCssColorString('#e74c3c');
const NO_DATA = Color.fromCssColorString('#8aa0b8').withAlpha(0.35);
const LIGHTS = { green: Color.fromCssColorString('#27e36b'), amber: Color.fromCssColorString('#ffc400'), red: Color.fromCssColorString('#ff3b30') };

/** Colour of a speed relative to the limit: green at 70 % and above, amber from 40 %, red below. */
export function speedColor(ratio: number | null): Color {
  if (ratio === null) return NO_DATA;
  return ratio >= 0.7 ? SPEED_FAST : ratio >= 0.4 ? SPEED_SLOW : SPEED_JAM;
}

const scratchLocal = new Cartesian3();
const scratchWorld = new Cartesian3();
const scratchCarto = new Cartographic();

export class TrafficLayer {
  private readonly enu: Matrix4;
  private readonly heights = new Map<number, number>();
  private readonly vehicles: PointPrimitiveCollection;
  private readonly vehiclePoints: PointPrimitive[] = [];
  private readonly signals: PointPrimitiveCollection;
  private readonly heads: Array<{ point: PointPrimitive; signal: Signal; linkId: string }> = [];
  private readonly links: GroundPolylinePrimitive;
  private readonly scratch = new Float32Array(3 * 20_000);
  private readonly nextIndex = new Map<number, number>();
  private lastInterval = -1;
  private readonly fallbackHeight: number;

  constructor(
    private readonly scene: Scene,
    private readonly data: TrafficRunData,
    groundHeight: number,
  ) {
    const origin = data.network.origin ?? { lon: 0, lat: 0 };
    this.enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(origin.lon, origin.lat, 0));
    this.fallbackHeight = groundHeight;
    this.vehicles = scene.primitives.add(new PointPrimitiveCollection());
    this.signals = scene.primitives.add(new PointPrimitiveCollection());
    this.links = this.buildLinks(data.network);
    scene.groundPrimitives.add(this.links);
    this.buildSignalHeads(data.network);
  }

  /** Draws the state at simulated time `t`, seconds. */
  setTime(t: number): void {
    this.drawVehicles(t);
    this.colourLinks(t);
    for (const h of this.heads) h.point.color = LIGHTS[signalLight(h.signal, h.linkId, t)];
    this.scene.requestRender();
  }

  /** Vehicles drawn at the last setTime. */
  vehiclesShown = 0;

  destroy(): void {
    this.scene.primitives.remove(this.vehicles);
    this.scene.primitives.remove(this.signals);
    this.scene.groundPrimitives.remove(this.links);
    this.scene.requestRender();
  }

  private world(x: number, y: number, lift: number, result: Cartesian3): Cartesian3 {
    scratchLocal.x = x;
    scratchLocal.y = y;
    scratchLocal.z = this.groundAt(x, y) + lift;
    return Matrix4.multiplyByPoint(this.enu, scratchLocal, result);
  }

  /** Terrain height at a local point, cached per cell; the twin's centre height until tiles load. */
  private groundAt(x: number, y: number): number {
    const key = Math.round(x / HEIGHT_CELL_M) * 100_000 + Math.round(y / HEIGHT_CELL_M);
    const cached = this.heights.get(key);
    if (cached !== undefined) return cached;
    scratchLocal.x = Math.round(x / HEIGHT_CELL_M) * HEIGHT_CELL_M;
    scratchLocal.y = Math.round(y / HEIGHT_CELL_M) * HEIGHT_CELL_M;
    scratchLocal.z = 0;
    Cartographic.fromCartesian(Matrix4.multiplyByPoint(this.enu, scratchLocal, scratchWorld), undefined, scratchCarto);
    const h = this.scene.globe.getHeight(scratchCarto);
    if (h === undefined) return this.fallbackHeight;
    this.heights.set(key, h);
    return h;
  }

  private drawVehicles(t: number): void {
    const playback = this.data.playback;
    const n = playback ? positionsAt(playback, t, this.scratch, this.nextIndex) : 0;
    while (this.vehiclePoints.length < n) {
      this.vehiclePoints.push(this.vehicles.add({ pixelSize: 5, outlineColor: Color.BLACK, outlineWidth: 1, disableDepthTestDistance: 5000 }));
    }
    this.vehiclesShown = n;
    for (let i = 0; i < this.vehiclePoints.length; i++) {
      const p = this.vehiclePoints[i]!;
      if (i >= n) {
        p.show = false;
        continue;
      }
      p.show = true;
      p.position = this.world(this.scratch[3 * i]!, this.scratch[3 * i + 1]!, VEHICLE_LIFT_M, scratchWorld);
      p.color = speedColor(this.scratch[3 * i + 2]! / CITY_SPEED_MPS);
    }
  }

  private colourLinks(t: number): void {
    const { intervalSeconds, series } = this.data.links;
    const k = Math.max(0, Math.floor(t / intervalSeconds));
    if (k === this.lastInterval || !this.links.ready) return;
    this.lastInterval = k;
    const limits = this.data.network.links;
    series.forEach((s, i) => {
      const v = s.meanSpeedMps[Math.min(k, s.meanSpeedMps.length - 1)] ?? null;
      const attributes = this.links.getGeometryInstanceAttributes(i) as { color: Uint8Array } | undefined;
      if (attributes) attributes.color = ColorGeometryInstanceAttribute.toValue(speedColor(v === null ? null : v / limits[i]!.speedLimitMps), attributes.color);
    });
  }

  private buildLinks(network: Network): GroundPolylinePrimitive {
    const at = new Map(network.nodes.map((n) => [n.id, n]));
    const instances = network.links.map((l, i) => {
      const shape = l.shape ?? [
        [at.get(l.from)!.x, at.get(l.from)!.y],
        [at.get(l.to)!.x, at.get(l.to)!.y],
      ];
      const positions = shape.map((p, j) => {
        // Shift right of the direction of travel: both directions of a road stay visible.
        const a = shape[Math.max(0, j - 1)]!;
        const b = shape[Math.min(shape.length - 1, j + 1)]!;
        const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
        const nx = (b[1] - a[1]) / len;
        const ny = -(b[0] - a[0]) / len;
        return this.world(p[0] + nx * LINK_SIDE_M, p[1] + ny * LINK_SIDE_M, 0, new Cartesian3());
      });
      return new GeometryInstance({
        id: i,
        geometry: new GroundPolylineGeometry({ positions, width: 4 }),
        attributes: { color: ColorGeometryInstanceAttribute.fromColor(NO_DATA) },
      });
    });
    return new GroundPolylinePrimitive({ geometryInstances: instances, appearance: new PolylineColorAppearance(), allowPicking: false, asynchronous: true });
  }

  private buildSignalHeads(network: Network): void {
    const signalAt = new Map(network.nodes.filter((n) => n.signal).map((n) => [n.id, n.signal!]));
    for (const l of network.links) {
      const signal = signalAt.get(l.to);
      if (!signal || !l.shape || l.shape.length < 2) continue;
      // A head 8 m before the stop line, on the right of the approach.
      const a = l.shape[l.shape.length - 2]!;
      const b = l.shape[l.shape.length - 1]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
      const dx = (b[0] - a[0]) / len;
      const dy = (b[1] - a[1]) / len;
      const x = b[0] - dx * 8 + dy * 6;
      const y = b[1] - dy * 8 - dx * 6;
      const point = this.signals.add({ position: this.world(x, y, SIGNAL_LIFT_M, new Cartesian3()), pixelSize: 8, outlineColor: Color.BLACK, outlineWidth: 1.5, disableDepthTestDistance: 5000 });
      this.heads.push({ point, signal, linkId: l.id });
    }
  }
}
