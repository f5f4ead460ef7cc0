/**
 * L5: the selected building's interior. The package's `interiors/{buildingId}.glb` is drawn when
 * the manifest lists it (rooms keep their feature ids and metadata, which picking returns);
 * otherwise a schematic interior from the building's floors. Floors can be exploded apart or one
 * floor isolated; rooms are pickable.
 */
import {
  BoxGeometry,
  Cesium3DTileStyle,
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  Matrix4,
  Model,
  PerInstanceColorAppearance,
  Primitive,
  Transforms,
  type Scene,
} from 'cesium';
import type { BuildingRecord } from '../../../../domain/twinPackage';
import { explodeOffsetM, interiorPlan, type InteriorPlan, type RoomBox } from './core/interiorPlan';

export interface RoomPickId {
  kind: 'room';
  id: string;
  buildingId: string;
  floor: number;
  properties: Record<string, string | number | boolean | null>;
}

const ROOM_COLOR = Color.fromCssColorString('#7fc8ff').withAlpha(0.85);
const CORE_COLOR = Color.fromCssColorString('#ffb347').withAlpha(0.9);

export class InteriorLayer {
  private floorPrimitives: Primitive[] = [];
  private model: Model | undefined;
  private plan: InteriorPlan | undefined;
  private base = Matrix4.IDENTITY.clone();
  private explode = 0;
  private isolated: number | null = null;
  building: BuildingRecord | null = null;
  source: 'package' | 'schematic' | null = null;

  constructor(private readonly scene: Scene) {}

  get floors(): number {
    return this.plan?.floors ?? 0;
  }

  /** Shows one building's interior; the package model when `url` is given and loads, else the schematic. */
  async show(building: BuildingRecord, url: string | null): Promise<void> {
    this.clear();
    this.building = building;
    this.base = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(building.lon, building.lat, building.groundHeight));
    const plan = interiorPlan(building.id, building.height, building.floors);
    this.plan = plan;
    if (url) {
      try {
        const model = await Model.fromGltfAsync({ url, modelMatrix: this.base, id: { kind: 'interior', buildingId: building.id } });
        if (this.building?.id !== building.id) return; // another building (or none) was chosen meanwhile
        this.model = model;
        this.scene.primitives.add(model);
        this.source = 'package';
        this.applyFloors();
        return;
      } catch {
        // A missing or broken interior file falls back to the schematic rather than showing nothing.
        if (this.building?.id !== building.id) return;
      }
    }
    this.source = 'schematic';
    const byFloor = new Map<number, RoomBox[]>();
    for (const room of plan.rooms) byFloor.set(room.floor, [...(byFloor.get(room.floor) ?? []), room]);
    for (const [floor, rooms] of byFloor) {
      const primitive = new Primitive({
        geometryInstances: rooms.map((room) => roomInstance(building.id, room)),
        appearance: new PerInstanceColorAppearance({ translucent: true, closed: true }),
        modelMatrix: this.floorMatrix(floor),
        asynchronous: false,
      });
      this.floorPrimitives.push(primitive);
      this.scene.primitives.add(primitive);
    }
    this.applyFloors();
  }

  /** 0 = stacked as built, 1 = floors pulled well apart. */
  setExplode(value: number): void {
    this.explode = Math.min(1, Math.max(0, value));
    this.applyFloors();
  }

  /** Shows only one floor (1-based), or all floors with null. */
  isolate(floor: number | null): void {
    this.isolated = floor;
    this.applyFloors();
  }

  get state(): { buildingId: string | null; explode: number; isolated: number | null; source: string | null } {
    return { buildingId: this.building?.id ?? null, explode: this.explode, isolated: this.isolated, source: this.source };
  }

  clear(): void {
    for (const primitive of this.floorPrimitives) this.scene.primitives.remove(primitive);
    this.floorPrimitives = [];
    if (this.model) this.scene.primitives.remove(this.model);
    this.model = undefined;
    this.building = null;
    this.plan = undefined;
    this.source = null;
    this.isolated = null;
    this.scene.requestRender();
  }

  private floorMatrix(floor: number, result = new Matrix4()): Matrix4 {
    const lift = explodeOffsetM(floor, this.explode, this.plan?.floorHeightM ?? 3);
    return Matrix4.multiply(this.base, Matrix4.fromTranslation(new Cartesian3(0, 0, lift)), result);
  }

  private applyFloors(): void {
    this.floorPrimitives.forEach((primitive, i) => {
      const floor = i + 1;
      primitive.modelMatrix = this.floorMatrix(floor, primitive.modelMatrix);
      primitive.show = this.isolated === null || this.isolated === floor;
    });
    if (this.model) this.applyModelFloors(this.model);
    this.scene.requestRender();
  }

  /**
   * Package interiors are one mesh whose rooms are features with a 0-based `floor` property: a
   * style isolates a floor. Their floors share vertices' transform, so they do not explode.
   */
  private applyModelFloors(model: Model): void {
    const floor = this.isolated;
    model.style = new Cesium3DTileStyle({ show: floor === null ? 'true' : `\${floor} === ${floor - 1}` });
  }
}

function roomInstance(buildingId: string, room: RoomBox): GeometryInstance {
  const [w, d, h] = room.size;
  const id: RoomPickId = {
    kind: 'room',
    id: room.id,
    buildingId,
    floor: room.floor,
    properties: { id: room.id, building: buildingId, floor: room.floor, type: room.kind, areaM2: room.areaM2, source: 'schematic' },
  };
  return new GeometryInstance({
    geometry: BoxGeometry.fromDimensions({ dimensions: new Cartesian3(w, d, h), vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT }),
    modelMatrix: Matrix4.fromTranslation(new Cartesian3(...room.centre)),
    attributes: { color: ColorGeometryInstanceAttribute.fromColor(room.kind === 'core' ? CORE_COLOR : ROOM_COLOR) },
    id,
  });
}
