/**
 * A coupled flood run's spilling manholes on the 3D view: one red point per manhole, sized by
 * the volume it spilled onto the street (core/drainLoad.ts), drawn over everything so it shows
 * from above ground and in the underground mode alike. A click on a marker reports its manhole
 * (its own click handler; the pick ids say `ownClick`, so the twin's picking selects nothing else).
 */
import { Cartesian2, Cartesian3, Cartographic, Color, PointPrimitiveCollection, ScreenSpaceEventHandler, ScreenSpaceEventType, type Scene } from 'cesium';
import { LOAD_COLOURS, type ManholeMarker } from './core/drainLoad';

/** Markers stand this far above the cover so the ground does not cut them, m. */
const LIFT_M = 3;
const COLOUR = Color.fromCssColorString(LOAD_COLOURS.over).withAlpha(0.9);

interface MarkerPickId {
  kind: 'drain-manhole';
  index: number;
  /** The manhole's id, so what is drawn can be read back from the scene (drawnManholeMarkers). */
  nodeId: string;
  /** Tells the twin's picking to leave this click to the markers (TwinScene.pick). */
  ownClick: true;
}

export class DrainMarkers {
  private readonly points = new PointPrimitiveCollection();
  private readonly handler: ScreenSpaceEventHandler;

  constructor(
    private readonly scene: Scene,
    readonly markers: readonly ManholeMarker[],
    groundHeightM: number,
    onPick: (marker: ManholeMarker) => void,
  ) {
    markers.forEach((m, index) => {
      const ground = scene.globe.getHeight(Cartographic.fromDegrees(m.lon, m.lat)) ?? groundHeightM;
      const id: MarkerPickId = { kind: 'drain-manhole', index, nodeId: m.id, ownClick: true };
      this.points.add({
        id,
        position: Cartesian3.fromDegrees(m.lon, m.lat, ground + LIFT_M),
        pixelSize: m.sizePx,
        color: COLOUR,
        outlineColor: Color.WHITE,
        outlineWidth: 1.5,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    });
    scene.primitives.add(this.points);
    this.handler = new ScreenSpaceEventHandler(scene.canvas);
    this.handler.setInputAction((event: ScreenSpaceEventHandler.PositionedEvent) => {
      const marker = this.markerAt(event.position);
      if (marker) onPick(marker);
    }, ScreenSpaceEventType.LEFT_CLICK);
    scene.requestRender();
  }

  get count(): number {
    return this.points.length;
  }

  /** The manhole drawn at a window position (CSS pixels from the canvas's top-left), if any. */
  markerAt(position: Cartesian2): ManholeMarker | undefined {
    const picked: unknown = this.scene.pick(position);
    const id = (picked as { id?: unknown } | undefined)?.id;
    return isMarkerPickId(id) ? this.markers[id.index] : undefined;
  }

  destroy(): void {
    this.handler.destroy();
    this.scene.primitives.remove(this.points);
    this.scene.requestRender();
  }
}

function isMarkerPickId(id: unknown): id is MarkerPickId {
  return typeof id === 'object' && id !== null && (id as MarkerPickId).kind === 'drain-manhole';
}

/**
 * The manhole markers a scene draws, read from its primitives rather than from any list the view
 * keeps (automation and tests: what is on the screen).
 */
export function drawnManholeMarkers(scene: Scene): Array<{ id: string; sizePx: number; position: Cartesian3 }> {
  const drawn: Array<{ id: string; sizePx: number; position: Cartesian3 }> = [];
  for (let i = 0; i < scene.primitives.length; i++) {
    const primitive: unknown = scene.primitives.get(i);
    if (!(primitive instanceof PointPrimitiveCollection) || !primitive.show) continue;
    for (let j = 0; j < primitive.length; j++) {
      const point = primitive.get(j);
      const id: unknown = point.id;
      if (point.show && isMarkerPickId(id)) drawn.push({ id: id.nodeId, sizePx: point.pixelSize, position: Cartesian3.clone(point.position) });
    }
  }
  return drawn;
}
