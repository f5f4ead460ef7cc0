/**
 * The section tools in the 3D scene: clipping planes on every 3D Tiles tileset in the scene (white
 * models, architecture, components, imported tilesets — each gets its own collection, as Cesium
 * requires), the section box's outline, and handles a user drags: a handle on the ground moves
 * along the ground, a handle for a height (the box's top and bottom, a horizontal cut) moves
 * up and down in the vertical plane facing the camera.
 *
 * The planes are set in an east-north-up frame at the anchor (./core/sectionPlanes.ts); each
 * tileset's collection maps that frame into the tileset's clipping origin.
 */
import {
  BoxOutlineGeometry,
  Cartesian2,
  Cartesian3,
  Cesium3DTileset,
  ClippingPlane,
  ClippingPlaneCollection,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  IntersectionTests,
  Matrix3,
  Matrix4,
  PerInstanceColorAppearance,
  Plane,
  PointPrimitiveCollection,
  Primitive,
  Ray,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  Transforms,
  type Scene,
} from 'cesium';
import { boxClip, boxHandles, dragBoxFace, dragPlane, planeClip, planeHandle, type BoxSection, type ClipPlane, type PlaneSection, type SectionMode, type Vec3 } from './core/sectionPlanes';

export interface SectionState {
  mode: SectionMode;
  anchor: { lon: number; lat: number; height: number };
  plane: PlaneSection;
  box: BoxSection;
}

const EDGE = Color.fromCssColorString('#ffd166');
const scratchRay = { origin: new Cartesian3(), direction: new Cartesian3() };

export class SectionTool {
  private state: SectionState | undefined;
  private readonly collections = new Map<Cesium3DTileset, ClippingPlaneCollection>();
  private readonly handles: PointPrimitiveCollection;
  private outline: Primitive | undefined;
  private readonly handler: ScreenSpaceEventHandler;
  private enu = Matrix4.IDENTITY.clone();
  private inverseEnu = Matrix4.IDENTITY.clone();
  private dragging: number | null = null;
  private readonly removePreUpdate: () => void;

  constructor(
    private readonly scene: Scene,
    /** Called with the new state while a handle is dragged. */
    private readonly onDrag: (state: SectionState) => void,
  ) {
    this.handles = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
    // Tilesets that load later (architecture on L3, imported ones) are clipped as they arrive.
    this.removePreUpdate = scene.preUpdate.addEventListener(() => this.attachNewTilesets());
    this.handler = new ScreenSpaceEventHandler(scene.canvas);
    this.handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => this.down(e.position), ScreenSpaceEventType.LEFT_DOWN);
    this.handler.setInputAction((e: ScreenSpaceEventHandler.MotionEvent) => this.move(e.endPosition), ScreenSpaceEventType.MOUSE_MOVE);
    this.handler.setInputAction(() => this.up(), ScreenSpaceEventType.LEFT_UP);
  }

  /** Tilesets clipped now (tests, stats). */
  get clippedTilesets(): number {
    return [...this.collections.values()].filter((c) => c.enabled && c.length > 0).length;
  }

  set(state: SectionState): void {
    this.state = state;
    this.attachNewTilesets();
    const { lon, lat, height } = state.anchor;
    this.enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lon, lat, height));
    this.inverseEnu = Matrix4.inverseTransformation(this.enu, new Matrix4());
    for (const [tileset, collection] of this.collections) this.fill(tileset, collection);
    this.drawHandles();
    this.scene.requestRender();
  }

  private planes(): { planes: ClipPlane[]; union: boolean } {
    const s = this.state;
    if (!s || s.mode === 'off') return { planes: [], union: false };
    return s.mode === 'plane' ? { planes: planeClip(s.plane), union: false } : { planes: boxClip(s.box), union: true };
  }

  private attachNewTilesets(): void {
    // Nothing to cut: tilesets are left alone until a section is set.
    if (!this.state || this.state.mode === 'off') return;
    const primitives = this.scene.primitives;
    for (let i = 0; i < primitives.length; i++) {
      const p: unknown = primitives.get(i);
      if (!(p instanceof Cesium3DTileset) || this.collections.has(p)) continue;
      const collection = new ClippingPlaneCollection({ edgeColor: EDGE, edgeWidth: 1.5 });
      p.clippingPlanes = collection;
      this.collections.set(p, collection);
      this.fill(p, collection);
    }
  }

  private fill(tileset: Cesium3DTileset, collection: ClippingPlaneCollection): void {
    const { planes, union } = this.planes();
    collection.removeAll();
    for (const pl of planes) collection.add(new ClippingPlane(new Cartesian3(...pl.normal), pl.distance));
    collection.unionClippingRegions = union;
    collection.enabled = planes.length > 0;
    // The planes are in the anchor's ENU frame; the collection's in the tileset's clipping origin.
    collection.modelMatrix = Matrix4.multiply(Matrix4.inverseTransformation(clippingOrigin(tileset), new Matrix4()), this.enu, new Matrix4());
  }

  /** The handle positions in the anchor frame. */
  private handlePoints(): Vec3[] {
    const s = this.state;
    if (!s || s.mode === 'off') return [];
    return s.mode === 'plane' ? [planeHandle(s.plane)] : boxHandles(s.box);
  }

  private drawHandles(): void {
    this.handles.removeAll();
    this.handlePoints().forEach((p, k) => {
      this.handles.add({ position: this.toWorld(p), pixelSize: 14, color: EDGE, outlineColor: Color.BLACK, outlineWidth: 2, id: { sectionHandle: k }, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    });
    if (this.outline) this.scene.primitives.remove(this.outline);
    this.outline = undefined;
    const s = this.state;
    if (s?.mode !== 'box') return;
    const rotation = Matrix3.fromRotationZ((-s.box.headingDeg * Math.PI) / 180);
    const local = Matrix4.fromRotationTranslation(rotation, new Cartesian3(...s.box.centre));
    this.outline = this.scene.primitives.add(
      new Primitive({
        geometryInstances: new GeometryInstance({
          geometry: BoxOutlineGeometry.fromDimensions({ dimensions: new Cartesian3(...s.box.size) }),
          modelMatrix: Matrix4.multiply(this.enu, local, new Matrix4()),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(EDGE) },
        }),
        appearance: new PerInstanceColorAppearance({ flat: true, translucent: false }),
        asynchronous: false,
      }),
    ) as Primitive;
  }

  private toWorld(p: Vec3): Cartesian3 {
    return Matrix4.multiplyByPoint(this.enu, new Cartesian3(...p), new Cartesian3());
  }

  private down(position: Cartesian2): void {
    const picked: unknown = this.scene.pick(position);
    const id = (picked as { id?: { sectionHandle?: number } } | undefined)?.id?.sectionHandle;
    if (id === undefined) return;
    this.dragging = id;
    this.scene.screenSpaceCameraController.enableInputs = false;
  }

  private move(position: Cartesian2): void {
    const s = this.state;
    if (this.dragging === null || !s) return;
    const handle = this.handlePoints()[this.dragging];
    if (!handle) return;
    const vertical = s.mode === 'plane' ? s.plane.orientation === 'horizontal' : this.dragging >= 4;
    const p = this.pointerOn(position, handle, vertical);
    if (!p) return;
    const next: SectionState = s.mode === 'plane' ? { ...s, plane: dragPlane(s.plane, p) } : { ...s, box: dragBoxFace(s.box, this.dragging, p) };
    this.onDrag(next);
  }

  private up(): void {
    if (this.dragging === null) return;
    this.dragging = null;
    this.scene.screenSpaceCameraController.enableInputs = true;
  }

  /**
   * Where the pointer ray meets the plane a handle moves in, in the anchor frame: the horizontal
   * plane through the handle, or (for heights) the vertical plane through it facing the camera.
   */
  private pointerOn(position: Cartesian2, handle: Vec3, vertical: boolean): Vec3 | undefined {
    const ray = this.scene.camera.getPickRay(position);
    if (!ray) return undefined;
    const origin = Matrix4.multiplyByPoint(this.inverseEnu, ray.origin, scratchRay.origin);
    const direction = Matrix4.multiplyByPointAsVector(this.inverseEnu, ray.direction, scratchRay.direction);
    let normal = new Cartesian3(0, 0, 1);
    if (vertical) {
      normal = new Cartesian3(direction.x, direction.y, 0);
      if (Cartesian3.magnitude(normal) < 1e-6) return undefined;
      Cartesian3.normalize(normal, normal);
    }
    const plane = Plane.fromPointNormal(new Cartesian3(...handle), normal);
    const hit = IntersectionTests.rayPlane(new Ray(origin, direction), plane);
    return hit ? [hit.x, hit.y, hit.z] : undefined;
  }

  destroy(): void {
    this.removePreUpdate();
    this.handler.destroy();
    for (const [tileset, collection] of this.collections) {
      if (!tileset.isDestroyed() && tileset.clippingPlanes === collection) collection.enabled = false;
    }
    this.scene.primitives.remove(this.handles);
    if (this.outline) this.scene.primitives.remove(this.outline);
    this.scene.requestRender();
  }
}

/** The frame a tileset's clipping planes are given in: its root transform, else ENU at its centre (as Cesium does). */
function clippingOrigin(tileset: Cesium3DTileset): Matrix4 {
  const own = (tileset as unknown as { clippingPlanesOriginMatrix?: Matrix4 }).clippingPlanesOriginMatrix;
  if (own) return own;
  const root = tileset.root.transform;
  return Matrix4.equals(root, Matrix4.IDENTITY) ? Transforms.eastNorthUpToFixedFrame(tileset.boundingSphere.center) : root;
}
