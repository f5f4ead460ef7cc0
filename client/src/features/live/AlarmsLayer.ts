/**
 * Open alarms marked on the poles that raised them: a large ring per pole in the severity's
 * colour, drawn over buildings so an incident is never hidden behind a tower.
 */
import { Color, NearFarScalar, PointPrimitiveCollection, type Cartesian3, type Scene } from 'cesium';
import type { Alarm } from '../../../../domain/live';

const SEVERITY_COLORS = { critical: Color.fromCssColorString('#ff3b30'), warning: Color.fromCssColorString('#ffb020') } as const;

export class AlarmsLayer {
  private readonly rings = new PointPrimitiveCollection();
  private marked = 0;

  constructor(
    private readonly scene: Scene,
    private readonly polePosition: (poleId: string) => Cartesian3 | undefined,
  ) {
    scene.primitives.add(this.rings);
  }

  get count(): number {
    return this.marked;
  }

  setVisible(visible: boolean): void {
    this.rings.show = visible;
    this.scene.requestRender();
  }

  /** Redraws from the current open alarms; one ring per pole, in its most severe alarm's colour. */
  update(alarms: readonly Alarm[]): void {
    const worst = new Map<string, Alarm['severity']>();
    for (const alarm of alarms) {
      if (worst.get(alarm.poleId) !== 'critical') worst.set(alarm.poleId, alarm.severity);
    }
    this.rings.removeAll();
    for (const [poleId, severity] of worst) {
      const position = this.polePosition(poleId);
      if (!position) continue;
      this.rings.add({
        position,
        pixelSize: 14,
        color: Color.TRANSPARENT,
        outlineColor: SEVERITY_COLORS[severity],
        outlineWidth: 3,
        scaleByDistance: new NearFarScalar(200, 1.6, 6000, 0.7),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        id: { kind: 'pole', id: poleId },
      });
    }
    this.marked = this.rings.length;
    this.scene.requestRender();
  }

  destroy(): void {
    this.scene.primitives.remove(this.rings);
  }
}
