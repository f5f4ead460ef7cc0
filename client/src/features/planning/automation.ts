/**
 * `window.citytwin.planning`: the planners' tools as tests and scripts drive them — the section,
 * the side-by-side comparison, the proposed box, viewshed, "what can see this point" and
 * sunlight — and the values they drew, read back at a lon/lat.
 */
import { Cartesian3, Math as CesiumMath, SceneTransforms } from 'cesium';
import type { Pinia } from 'pinia';
import { useSceneStore } from '../../twin/sceneStore';
import { useCompareStore, type CompareKind, type CompareMode, type Side } from '../compare/compareStore';
import type { SectionState } from '../section/SectionTool';
import { useSectionStore } from '../section/sectionStore';
import type { Proposal } from '../sight/core/sightModel';
import { useSightStore, type ObserverSettings, type SunSettings, type SunSummary, type ViewshedSummary } from '../sight/sightStore';

export interface PlanningApi {
  setSection(next: Partial<SectionState>): void;
  fitSectionToBuilding(id: string): Promise<boolean>;
  section(): { mode: SectionState['mode']; clippedTilesets: number; state: SectionState };
  compare(kind: CompareKind, a: Side, b: Side, mode: CompareMode): Promise<{ ok: boolean; error: string | null; splitPosition: number; shown: { mode: CompareMode; left: string; right: string } | null }>;
  /** Moves the split (0–1 of the view's width) when given; returns where it is. */
  split(position?: number): number;
  stopCompare(): void;
  /** The green-wave corridor the comparison drew: its box in degrees, or null. */
  compareCorridor(): { west: number; south: number; east: number; north: number } | null;
  placeProposal(p: (Omit<Proposal, 'baseM'> & { baseM?: number }) | null): Proposal | null;
  viewshed(o: Partial<ObserverSettings> & { lon: number; lat: number }): Promise<ViewshedSummary | null>;
  whoCanSee(lon: number, lat: number, height?: number): Promise<Array<{ id: string; distanceM: number }> | null>;
  sunHours(s: Partial<SunSettings> & { lon: number; lat: number }): Promise<SunSummary | null>;
  /** The last viewshed or sun raster's value at a point (viewshed: 0 out, 1 hidden, 2 visible; sun: hours, or their change with a proposal). */
  rasterAt(lon: number, lat: number): Promise<{ kind: 'viewshed' | 'sun'; value: number } | null>;
  /** Where the camera is and looks (degrees, metres above the ellipsoid). */
  cameraPose(): { lon: number; lat: number; height: number; headingDeg: number; pitchDeg: number } | null;
  /** Where a point shows on the canvas (CSS px), or null when off screen. */
  project(lon: number, lat: number, height: number): [number, number] | null;
  error(): string | null;
}

export function planningAutomation(pinia: Pinia): PlanningApi {
  // Stores are made on first use, so a page that never plans never builds their scene layers.
  const section = (): ReturnType<typeof useSectionStore> => useSectionStore(pinia);
  const compareStore = (): ReturnType<typeof useCompareStore> => useCompareStore(pinia);
  const sight = (): ReturnType<typeof useSightStore> => useSightStore(pinia);
  const scene = useSceneStore(pinia);
  return {
    setSection: (next) => {
      if (next.mode) section().setMode(next.mode);
      section().set(next);
    },
    fitSectionToBuilding: (id) => section().fitBuilding(id),
    section: () => ({ mode: section().state.mode, clippedTilesets: section().tool?.clippedTilesets ?? 0, state: JSON.parse(JSON.stringify(section().state)) as SectionState }),
    async compare(kind, a, b, mode) {
      const compare = compareStore();
      compare.setKind(kind);
      compare.a = a;
      compare.b = b;
      compare.mode = mode;
      const ok = await compare.show();
      return { ok, error: compare.error, splitPosition: compare.layer?.splitPosition ?? Number.NaN, shown: compare.shown };
    },
    split: (position) => {
      const layer = compareStore().layer;
      if (layer && position !== undefined) layer.splitPosition = position;
      return layer?.splitPosition ?? Number.NaN;
    },
    stopCompare: () => compareStore().stop(),
    compareCorridor: () => (compareStore().corridorBox ? { ...compareStore().corridorBox! } : null),
    placeProposal: (p) => {
      sight().setProposal(p);
      return sight().proposal;
    },
    viewshed: (o) => sight().runViewshed({ ...sight().defaultObserver(), ...o }),
    whoCanSee: (lon, lat, height) => sight().runWhoCanSee(lon, lat, height),
    sunHours: (s) => sight().runSun({ ...sight().defaultSun(), ...s }),
    rasterAt: (lon, lat) => sight().rasterAt(lon, lat),
    cameraPose() {
      const camera = scene.scene?.widget.scene.camera;
      if (!camera) return null;
      const c = camera.positionCartographic;
      return { lon: CesiumMath.toDegrees(c.longitude), lat: CesiumMath.toDegrees(c.latitude), height: c.height, headingDeg: CesiumMath.toDegrees(camera.heading), pitchDeg: CesiumMath.toDegrees(camera.pitch) };
    },
    project(lon, lat, height) {
      const s = scene.scene?.widget.scene;
      const p = s ? SceneTransforms.worldToWindowCoordinates(s, Cartesian3.fromDegrees(lon, lat, height)) : undefined;
      return p ? [p.x, p.y] : null;
    },
    error: () => sight().error ?? compareStore().error,
  };
}
