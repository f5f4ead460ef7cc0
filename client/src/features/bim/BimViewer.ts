/**
 * The indoor/BIM viewer's three.js engine for one building's L5 interior glb.
 *
 * The interior is one glb (interiors/{buildingId}.glb), not a tileset, so it is loaded with
 * three's GLTFLoader carrying 3d-tiles-renderer's EXT_mesh_features and EXT_structural_metadata
 * loader plugins — the same metadata readers its TilesRenderer uses inside tiles — rather than
 * wrapping a single file in a TilesRenderer. Storeys are the glb's `floor-<k>` nodes, categories
 * its `bim-<category>` materials (tiles/pipeline/interiors/bimInteriorGlb.ts). A pick raycasts
 * the visible meshes, turns the hit triangle and barycentric point into a feature id
 * (MeshFeatures) and the feature id into its property-table row (StructuralMetadata).
 *
 * Frames render on demand: a change marks the view dirty and one animation frame draws it.
 */
import { AmbientLight, Box3, Color, DirectionalLight, Mesh, PerspectiveCamera, Raycaster, Scene, Vector2, Vector3, WebGLRenderer, type Material, type Object3D } from 'three';
import { GLTFLoader, type GLTFLoaderPlugin, type GLTFParser } from 'three/addons/loaders/GLTFLoader.js';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { GLTFMeshFeaturesExtension, GLTFStructuralMetadataExtension, type MeshFeatures, type StructuralMetadata } from '3d-tiles-renderer/plugins';
import { BIM_VIEW_CATEGORIES, bimRow, categoryOfMaterial, explodeLiftM, storeyOfNode, storeyShown, type BimRow, type BimViewCategory, type StoreyInfo } from './core/bimView';
import { look, lookDirection, standAt, step, walkIntent, WALK_SPEED_MS, type WalkPose } from './core/walk';

interface StoreyNode {
  object: Object3D;
  baseY: number;
  /** Floor level (m above the building's base). */
  elevationM: number;
}

interface MetadataUserData {
  meshFeatures?: MeshFeatures;
  structuralMetadata?: StructuralMetadata;
}

export interface LoadedBuilding {
  storeys: StoreyInfo[];
  elements: number;
}

const BACKGROUND = new Color('#0b1626');

export class BimViewer {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(55, 1, 0.1, 5000);
  private readonly controls: OrbitControls;
  private readonly raycaster = new Raycaster();
  private readonly storeys = new Map<number, StoreyNode>();
  private readonly meshes: Mesh[] = [];
  private readonly categories = new Set<BimViewCategory>(BIM_VIEW_CATEGORIES);
  private isolated: number | null = null;
  private explode = 0;
  private walkPose: WalkPose | null = null;
  private readonly keys = new Set<string>();
  private frame = 0;
  private lastTime = 0;
  private disposed = false;
  private readonly resizeObserver: ResizeObserver;
  private readonly ndc = new Vector2();
  private readonly scratch = new Vector3();

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio));
    this.scene.background = BACKGROUND;
    this.scene.add(new AmbientLight(0xffffff, 1.2));
    const sun = new DirectionalLight(0xffffff, 1.6);
    sun.position.set(30, 60, 20);
    this.scene.add(sun);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.invalidate());
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
  }

  /** Loads the interior glb at `url`; storeys from its scene extras, lowest first. */
  async load(url: string): Promise<LoadedBuilding> {
    const loader = new GLTFLoader();
    // Both plugins take the parser (their typings say otherwise; the code reads `this.parser`).
    const MeshFeaturesPlugin = GLTFMeshFeaturesExtension as unknown as new (parser: GLTFParser) => GLTFLoaderPlugin;
    const MetadataPlugin = GLTFStructuralMetadataExtension as unknown as new (parser: GLTFParser) => GLTFLoaderPlugin;
    loader.register((parser) => new MeshFeaturesPlugin(parser));
    loader.register((parser) => new MetadataPlugin(parser));
    const gltf = await loader.loadAsync(url);
    if (this.disposed) return { storeys: [], elements: 0 };
    const root = gltf.scene;
    const extras = (root.userData as { storeys?: Array<{ name: string; elevationM: number }> }).storeys ?? [];
    const storeys: StoreyInfo[] = [];
    for (const child of root.children) {
      const index = storeyOfNode(child.name);
      if (index === undefined) continue;
      const elevationM = extras[index]?.elevationM ?? new Box3().setFromObject(child).min.y;
      this.storeys.set(index, { object: child, baseY: child.position.y, elevationM });
      storeys.push({ index, name: extras[index]?.name ?? `${index + 1}`, elevationM });
    }
    storeys.sort((a, b) => a.index - b.index);
    root.traverse((o) => {
      if (o instanceof Mesh) this.meshes.push(o);
    });
    this.scene.add(root);
    this.frameAll(root);
    const json = gltf.parser.json as { extensions?: { EXT_structural_metadata?: { propertyTables?: Array<{ count: number }> } } };
    this.apply();
    return { storeys, elements: json.extensions?.EXT_structural_metadata?.propertyTables?.[0]?.count ?? 0 };
  }

  setCategories(shown: readonly BimViewCategory[]): void {
    this.categories.clear();
    for (const c of shown) this.categories.add(c);
    this.apply();
  }

  /** Shows one storey (framed from above, as a plan to pick rooms on), or all with null. */
  isolate(index: number | null): void {
    this.isolated = index;
    this.apply();
    if (this.walkPose) return;
    const node = index === null ? undefined : this.storeys.get(index);
    if (node) this.framePlan(node.object);
    else this.frameAll(this.scene);
  }

  setExplode(value: number): void {
    this.explode = value;
    this.apply();
  }

  /** The element drawn at a canvas position (CSS px), or undefined. */
  pick(x: number, y: number): BimRow | undefined {
    const rect = this.canvas.getBoundingClientRect();
    this.ndc.set((x / rect.width) * 2 - 1, -(y / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(this.ndc, this.camera);
    const hits = this.raycaster.intersectObjects(this.meshes.filter((m) => shownInScene(m)), false);
    for (const hit of hits) {
      const data = hit.object.userData as MetadataUserData;
      if (!data.meshFeatures || hit.faceIndex === undefined || hit.faceIndex === null || !hit.barycoord) continue;
      const [featureId] = data.meshFeatures.getFeatures(hit.faceIndex, hit.barycoord);
      const table = data.meshFeatures.getFeatureInfo()[0]?.propertyTable;
      if (featureId === null || featureId === undefined || table === null || table === undefined || !data.structuralMetadata) continue;
      const [row] = data.structuralMetadata.getPropertyTableData([table], [featureId], []) as Array<Record<string, unknown>>;
      const parsed = bimRow(normaliseCategory(row));
      if (parsed) return parsed;
    }
    return undefined;
  }

  /** Canvas position (CSS px) of the centre of an element's vertices, if it is drawn and in view. */
  screenPointOf(globalId: string): { x: number; y: number } | null {
    const centre = new Vector3();
    let n = 0;
    for (const mesh of this.meshes) {
      if (!shownInScene(mesh)) continue;
      const data = mesh.userData as MetadataUserData;
      const table = data.meshFeatures?.getFeatureInfo()[0]?.propertyTable;
      const ids = mesh.geometry.getAttribute('_feature_id_0');
      if (!ids || table === null || table === undefined || !data.structuralMetadata) continue;
      const position = mesh.geometry.getAttribute('position');
      const index = mesh.geometry.getIndex();
      const fids = new Set<number>();
      for (let i = 0; i < (index ? index.count : position.count); i++) fids.add(ids.getX(index ? index.getX(i) : i));
      for (const fid of fids) {
        const [row] = data.structuralMetadata.getPropertyTableData([table], [fid], []) as Array<Record<string, unknown>>;
        if (row?.globalId !== globalId) continue;
        for (let v = 0; v < position.count; v++) {
          if (ids.getX(v) !== fid) continue;
          centre.add(this.scratch.fromBufferAttribute(position, v).applyMatrix4(mesh.matrixWorld));
          n++;
        }
      }
    }
    if (n === 0) return null;
    centre.divideScalar(n).project(this.camera);
    if (Math.abs(centre.x) > 1 || Math.abs(centre.y) > 1 || centre.z > 1) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: ((centre.x + 1) / 2) * rect.width, y: ((1 - centre.y) / 2) * rect.height };
  }

  visibleStoreys(): number[] {
    return [...this.storeys.entries()].filter(([, s]) => s.object.visible && s.object.children.length + (s.object instanceof Mesh ? 1 : 0) > 0).map(([k]) => k).sort((a, b) => a - b);
  }

  visibleCategories(): BimViewCategory[] {
    const shown = new Set<BimViewCategory>();
    for (const m of this.meshes) {
      const c = categoryOfMesh(m);
      if (c && shownInScene(m)) shown.add(c);
    }
    return BIM_VIEW_CATEGORIES.filter((c) => shown.has(c));
  }

  /** First person at eye height on `storey` (else the lowest storey with rooms), at its centre. */
  walk(storey: number | null): void {
    const withRooms = [...this.storeys.keys()].sort((a, b) => a - b).find((k) => this.meshes.some((m) => categoryOfMesh(m) === 'space' && isInside(m, this.storeys.get(k)!.object)));
    const target = storey ?? withRooms ?? 0;
    const node = this.storeys.get(target);
    if (!node) return;
    const centre = new Box3().setFromObject(node.object).getCenter(new Vector3());
    this.walkPose = standAt(centre.x, node.elevationM + (node.object.position.y - node.baseY), centre.z);
    this.controls.enabled = false;
    this.applyWalk();
  }

  orbit(): void {
    this.walkPose = null;
    this.keys.clear();
    this.controls.enabled = true;
    this.frameAll(this.scene);
  }

  /** Drag while walking: turns the head. */
  lookBy(dxPx: number, dyPx: number): void {
    if (!this.walkPose) return;
    this.walkPose = look(this.walkPose, dxPx, dyPx);
    this.applyWalk();
  }

  keyDown(key: string): void {
    if (!this.walkPose) return;
    this.keys.add(key);
    this.invalidate();
  }

  keyUp(key: string): void {
    this.keys.delete(key);
  }

  get isWalking(): boolean {
    return this.walkPose !== null;
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.scene.traverse((o) => {
      if (!(o instanceof Mesh)) return;
      o.geometry.dispose();
      for (const m of ([] as Material[]).concat(o.material as Material | Material[])) m.dispose();
    });
    this.renderer.dispose();
  }

  private apply(): void {
    for (const [index, s] of this.storeys) {
      s.object.visible = storeyShown(index, this.isolated);
      s.object.position.y = s.baseY + (this.isolated === null ? explodeLiftM(index, this.explode) : 0);
    }
    for (const m of this.meshes) {
      const c = categoryOfMesh(m);
      m.visible = c === undefined || this.categories.has(c);
    }
    this.scene.updateMatrixWorld(true);
    this.invalidate();
  }

  private applyWalk(): void {
    const pose = this.walkPose;
    if (!pose) return;
    const [dx, dy, dz] = lookDirection(pose);
    this.camera.position.set(...pose.position);
    this.camera.lookAt(pose.position[0] + dx, pose.position[1] + dy, pose.position[2] + dz);
    this.invalidate();
  }

  private frameAll(object: Object3D): void {
    const box = new Box3().setFromObject(object);
    if (box.isEmpty()) return;
    const centre = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3()).length();
    this.controls.target.copy(centre);
    // From the south-east, above: the storeys read as layers.
    this.camera.position.set(centre.x + size * 0.55, centre.y + size * 0.75, centre.z + size * 0.55);
    this.camera.near = Math.max(0.05, size / 2000);
    this.camera.far = size * 20;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.invalidate();
  }

  /** Looking steeply down at one storey from the south: walls do not hide the rooms behind them. */
  private framePlan(object: Object3D): void {
    const box = new Box3().setFromObject(object);
    if (box.isEmpty()) return;
    const centre = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3());
    const span = Math.max(size.x, size.z);
    const distance = (span * 0.75) / Math.tan((this.camera.fov * Math.PI) / 360);
    const pitch = (80 * Math.PI) / 180;
    this.controls.target.copy(centre);
    this.camera.position.set(centre.x, centre.y + distance * Math.sin(pitch), centre.z + distance * Math.cos(pitch));
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.invalidate();
  }

  /** The camera's position (three.js metres: east, up, −north of the building's base). */
  cameraPosition(): [number, number, number] {
    return [this.camera.position.x, this.camera.position.y, this.camera.position.z];
  }

  private resize(): void {
    const { clientWidth: w, clientHeight: h } = this.canvas;
    if (w === 0 || h === 0) return;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.invalidate();
  }

  private invalidate(): void {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame((t) => this.draw(t));
  }

  private draw(time: number): void {
    this.frame = 0;
    const dt = this.lastTime === 0 ? 0 : Math.min(0.1, (time - this.lastTime) / 1000);
    this.lastTime = time;
    if (this.walkPose && this.keys.size > 0) {
      const { forward, right } = walkIntent(this.keys);
      this.walkPose = step(this.walkPose, forward * WALK_SPEED_MS * dt, right * WALK_SPEED_MS * dt);
      this.applyWalk();
    } else if (this.keys.size === 0) this.lastTime = 0;
    this.renderer.render(this.scene, this.camera);
    // Keep stepping while a key is held.
    if (this.walkPose && this.keys.size > 0) this.invalidate();
  }
}

function categoryOfMesh(mesh: Mesh): BimViewCategory | undefined {
  const material = Array.isArray(mesh.material) ? mesh.material[0] : mesh.material;
  return material ? categoryOfMaterial(material.name) : undefined;
}

function isInside(object: Object3D, ancestor: Object3D): boolean {
  for (let o: Object3D | null = object; o; o = o.parent) if (o === ancestor) return true;
  return false;
}

/** Visible itself and through all its parents. */
function shownInScene(object: Object3D): boolean {
  for (let o: Object3D | null = object; o; o = o.parent) if (!o.visible) return false;
  return true;
}

/** Enum values may come back as their code; the row wants the category's name. */
function normaliseCategory(row: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!row || typeof row.category !== 'number') return row;
  return { ...row, category: BIM_VIEW_CATEGORIES[row.category] ?? 'other' };
}
