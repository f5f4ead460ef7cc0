/**
 * Camera frustums drawn in the twin: for each camera shown, lines from the lens to the four
 * corners of its picture's footprint (on the ground, or on the far plane for rays above the
 * horizon) and the footprint's outline. Geometry from kernel/cameraProjection.ts; one polyline
 * collection for all of them, rebuilt when the set changes (a handful of cameras at a time).
 */
import { Cartesian3, Color, Material, PolylineCollection, type Scene } from 'cesium';
import { frustumOutlineEnu } from '../../../../kernel/cameraProjection';
import { EnuFrame, type Vec3 } from '../../../../kernel/geodesy';
import type { PlacedPose } from './VideoProjection';

const WIDTH_PX = 2;

export class CameraFrustumLayer {
  private readonly lines: PolylineCollection;
  private shown = '';

  constructor(private readonly scene: Scene) {
    this.lines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  }

  /** Shows exactly these cameras' frustums (fused ones in the highlight colour). */
  show(cameras: ReadonlyArray<{ id: string; placed: PlacedPose; fused: boolean }>): void {
    const key = cameras.map((c) => `${c.id}:${c.fused ? 1 : 0}`).join(',');
    if (key === this.shown) return;
    this.shown = key;
    this.lines.removeAll();
    for (const { placed, fused } of cameras) {
      const material = Material.fromType('Color', { color: fused ? Color.fromCssColorString('#ffd166') : Color.fromCssColorString('#3fb6ff') });
      const frame = new EnuFrame(placed.pose.lon, placed.pose.lat, placed.groundHeight);
      const toWorld = (p: Vec3): Cartesian3 => {
        const e = frame.toEcef(p[0], p[1], p[2]);
        return new Cartesian3(e[0], e[1], e[2]);
      };
      const { apex, corners } = frustumOutlineEnu(placed.pose);
      const lens = toWorld(apex);
      const ends = corners.map(toWorld);
      for (const end of ends) this.lines.add({ positions: [lens, end], width: WIDTH_PX, material });
      this.lines.add({ positions: [...ends, ends[0]!], width: WIDTH_PX, material });
    }
    this.scene.requestRender();
  }

  /** How many frustums are drawn. */
  get count(): number {
    return this.shown === '' ? 0 : this.shown.split(',').length;
  }

  destroy(): void {
    this.scene.primitives.remove(this.lines);
  }
}
