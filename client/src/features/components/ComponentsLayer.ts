/**
 * L4 urban components at city scale: a million points in typed arrays, drawn per spatial chunk as
 * one point-list Primitive each (one draw call per chunk, no object per component). Chunks near
 * the camera show every component; distant ones collapse into one cluster marker sized by count.
 * Picking is done on the CPU against the spatial grid, so the GPU needs no pick ids per point.
 */
import {
  Appearance,
  BoundingSphere,
  Cartesian3,
  Color,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  NearFarScalar,
  PointPrimitiveCollection,
  Primitive,
  PrimitiveType,
  type Scene,
} from 'cesium';
import type { ComponentSet } from './core/componentSet';
import { buildSpatialGrid, componentGridSize, nearestPoint, type SpatialGrid } from './core/spatialGrid';

/** Chunks nearer than this (metres, camera to chunk centre) show each component. */
const DETAIL_RANGE_M = 1800;

// Class colours by the class code's leading digits (covers, hydrants, …), readable on dark ground.
export const COMPONENT_PALETTE = ['#4cc3ff', '#ffd166', '#06d6a0', '#ef476f', '#c77dff', '#f78c6b', '#83e377', '#e9ecef'];

const VERTEX_SHADER = `
in vec3 position3DHigh;
in vec3 position3DLow;
in vec4 color;
in float batchId;
out vec4 v_color;
void main() {
  vec4 p = czm_computePosition();
  vec4 eye = czm_modelViewRelativeToEye * p;
  v_color = color;
  gl_Position = czm_projection * eye;
  // Bigger up close, never vanishing far away: 2–9 px.
  gl_PointSize = clamp(2400.0 / max(-eye.z, 1.0), 2.0, 9.0) * czm_pixelRatio;
}`;

const FRAGMENT_SHADER = `
in vec4 v_color;
void main() {
  vec2 c = gl_PointCoord - vec2(0.5);
  if (dot(c, c) > 0.25) discard;
  out_FragColor = v_color;
}`;

export class ComponentsLayer {
  readonly grid: SpatialGrid;
  private readonly primitives: Array<Primitive | null>;
  private readonly clusters = new PointPrimitiveCollection();
  private readonly centres: Cartesian3[];
  private readonly removePreUpdate: () => void;
  private visible = true;
  /** Chunks drawn in detail in the last frame (for stats and tests). */
  detailChunks = 0;

  constructor(
    private readonly scene: Scene,
    readonly set: ComponentSet,
  ) {
    const gridSize = componentGridSize(set.count);
    this.grid = buildSpatialGrid(set, gridSize, gridSize);
    const appearance = new Appearance({
      vertexShaderSource: VERTEX_SHADER,
      fragmentShaderSource: FRAGMENT_SHADER,
      translucent: false,
      renderState: { depthTest: { enabled: true }, depthMask: true },
    });
    const classColors = set.classCodes.map((_, i) => Color.fromCssColorString(COMPONENT_PALETTE[i % COMPONENT_PALETTE.length]!));
    this.centres = this.grid.chunks.map((chunk) => Cartesian3.fromDegrees(chunk.lon, chunk.lat, chunk.height + 2));
    this.primitives = this.grid.chunks.map((chunk) => {
      if (chunk.members.length === 0) return null;
      const primitive = new Primitive({
        geometryInstances: new GeometryInstance({ geometry: chunkGeometry(set, chunk.members, classColors) }),
        appearance,
        asynchronous: false,
        allowPicking: false,
        compressVertices: false,
        releaseGeometryInstances: true,
      });
      primitive.show = false;
      scene.primitives.add(primitive);
      return primitive;
    });
    for (const chunk of this.grid.chunks) {
      if (chunk.members.length === 0) continue;
      this.clusters.add({
        position: this.centres[chunk.index],
        // Area grows with the count: 6 px for a handful, about 26 px for ten thousand.
        pixelSize: Math.min(28, 6 + 5 * Math.log10(chunk.members.length)),
        color: Color.fromCssColorString('#4cc3ff').withAlpha(0.75),
        outlineColor: Color.WHITE.withAlpha(0.6),
        outlineWidth: 1,
        scaleByDistance: new NearFarScalar(500, 1.2, 8000, 0.6),
        show: false,
      });
    }
    scene.primitives.add(this.clusters);
    this.removePreUpdate = scene.preUpdate.addEventListener(() => this.chooseDetail());
  }

  get count(): number {
    return this.set.count;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.chooseDetail();
    this.scene.requestRender();
  }

  /** The component within a few metres of a ground position (degrees), or -1. */
  nearest(lon: number, lat: number, radiusM: number): number {
    return nearestPoint(this.grid, this.set, lon, lat, radiusM);
  }

  position(index: number): Cartesian3 {
    return Cartesian3.fromDegrees(this.set.lon[index]!, this.set.lat[index]!, this.set.height[index]! + 1);
  }

  private chooseDetail(): void {
    const camera = this.scene.camera.positionWC;
    let detail = 0;
    let cluster = 0;
    for (let i = 0; i < this.primitives.length; i++) {
      const primitive = this.primitives[i];
      if (!primitive) continue;
      const near = Cartesian3.distance(camera, this.centres[i]!) < DETAIL_RANGE_M;
      primitive.show = this.visible && near;
      this.clusters.get(cluster).show = this.visible && !near;
      cluster++;
      if (this.visible && near) detail++;
    }
    this.detailChunks = detail;
  }

  destroy(): void {
    this.removePreUpdate();
    for (const primitive of this.primitives) if (primitive) this.scene.primitives.remove(primitive);
    this.scene.primitives.remove(this.clusters);
  }
}

/** One chunk's points as a point-list geometry: positions in doubles, colours in bytes. */
function chunkGeometry(set: ComponentSet, members: Uint32Array, classColors: Color[]): Geometry {
  const positions = new Float64Array(members.length * 3);
  const colors = new Uint8Array(members.length * 4);
  const scratch = new Cartesian3();
  members.forEach((index, k) => {
    Cartesian3.fromDegrees(set.lon[index]!, set.lat[index]!, set.height[index]! + 0.6, undefined, scratch);
    positions[k * 3] = scratch.x;
    positions[k * 3 + 1] = scratch.y;
    positions[k * 3 + 2] = scratch.z;
    const color = classColors[set.classIndex[index]!]!;
    colors[k * 4] = Color.floatToByte(color.red);
    colors[k * 4 + 1] = Color.floatToByte(color.green);
    colors[k * 4 + 2] = Color.floatToByte(color.blue);
    colors[k * 4 + 3] = 255;
  });
  const attributes = new GeometryAttributes();
  attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: positions });
  attributes.color = new GeometryAttribute({ componentDatatype: ComponentDatatype.UNSIGNED_BYTE, componentsPerAttribute: 4, normalize: true, values: colors });
  return new Geometry({ attributes, primitiveType: PrimitiveType.POINTS, boundingSphere: BoundingSphere.fromVertices(Array.from(positions)) });
}
