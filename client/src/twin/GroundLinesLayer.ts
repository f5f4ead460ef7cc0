/**
 * Vector outlines draped on the terrain (roads, grid cells): one batched ground-polyline primitive
 * per layer, so hills and the river bank never hide or float a line.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  PolylineColorAppearance,
  type Scene,
} from 'cesium';

type Position = number[];
interface LineFeature {
  geometry: { type: string; coordinates: unknown } | null;
}

/** Every line (LineString, MultiLineString) or ring (Polygon, MultiPolygon) of a GeoJSON collection. */
export function linesOf(features: readonly LineFeature[]): Position[][] {
  const lines: Position[][] = [];
  for (const feature of features) {
    const g = feature.geometry;
    if (!g) continue;
    if (g.type === 'LineString') lines.push(g.coordinates as Position[]);
    else if (g.type === 'MultiLineString' || g.type === 'Polygon') lines.push(...(g.coordinates as Position[][]));
    else if (g.type === 'MultiPolygon') for (const polygon of g.coordinates as Position[][][]) lines.push(...polygon);
  }
  return lines.filter((line) => line.length >= 2);
}

export class GroundLinesLayer {
  private readonly primitive: GroundPolylinePrimitive;

  constructor(
    private readonly scene: Scene,
    lines: Position[][],
    color: string,
    widthPx: number,
  ) {
    const attribute = ColorGeometryInstanceAttribute.fromColor(Color.fromCssColorString(color));
    this.primitive = new GroundPolylinePrimitive({
      geometryInstances: lines.map(
        (line) =>
          new GeometryInstance({
            geometry: new GroundPolylineGeometry({ positions: Cartesian3.fromDegreesArray(line.flatMap(([lon, lat]) => [lon!, lat!])), width: widthPx }),
            attributes: { color: attribute },
          }),
      ),
      appearance: new PolylineColorAppearance(),
      allowPicking: false,
    });
    this.primitive.show = false;
    scene.groundPrimitives.add(this.primitive);
  }

  setVisible(visible: boolean): void {
    this.primitive.show = visible;
    this.scene.requestRender();
  }

  destroy(): void {
    this.scene.groundPrimitives.remove(this.primitive);
  }
}
