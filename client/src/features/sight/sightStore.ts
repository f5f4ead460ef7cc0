/**
 * The sight analyses' state: the planner's proposed box, a viewshed from an observer (a person or
 * a camera), "which poles could see this point", and hours of sun on a day with the proposal's
 * loss. The work is done by the pure cores (simulations/sight); this store gathers the inputs
 * (footprints, terrain heights under the grid), keeps the figures the panel and the automation
 * hooks show, and draws through SightLayer.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, watch } from 'vue';
import { facadeSamples, groundSamples, hoursDifference, sunHours, sunSteps, type SunWindow } from '../../../../simulations/sight/sunHours';
import { HIDDEN, VISIBLE, viewshed, whoCanSee, type GridSpec } from '../../../../simulations/sight/viewshed';
import type { Grid } from '../../../../kernel/raster/grid';
import { differenceColour, paint, sunHoursColour, type Rgba } from '../../twin/core/rasterColours';
import { useSceneStore } from '../../twin/sceneStore';
import { useTwinStore } from '../../twin/twinStore';
import { SightModel, type Proposal } from './core/sightModel';
import { loadFootprints } from './footprints';
import { SightLayer } from './SightLayer';
import { loadTerrain, type HeightAt } from './terrain';

export interface ObserverSettings {
  lon: number;
  lat: number;
  /** Eye or mount height above the ground, m. */
  eyeM: number;
  rangeM: number;
  /** A camera's aim; null: all round. */
  camera: { headingDeg: number; hfovDeg: number } | null;
}

export interface SunSettings {
  /** yyyy-mm-dd, the local day. */
  date: string;
  stepMinutes: number;
  window: SunWindow;
  /** Half the side of the analysed square, m. */
  radiusM: number;
  cellM: number;
  lon: number;
  lat: number;
}

export interface ViewshedSummary {
  visible: number;
  hidden: number;
  cellM: number;
  /** Wall-clock of the run: terrain heights read, the rays, and drawing. */
  timings: RunTimings;
}

export interface RunTimings {
  groundMs: number;
  raysMs: number;
  drawMs: number;
}

export interface SunSummary {
  steps: number;
  groundCells: number;
  groundMeanH: number;
  facadeSamples: number;
  /** With a proposal: ground cells and facade samples that lose sun, and the most lost, h. */
  loss: { groundCells: number; facadeSamples: number; maxH: number } | null;
  timings: RunTimings;
}

export type Placing = 'observer' | 'target' | 'proposal' | 'sun' | null;

/** Cells per side at most (a 600 × 600 grid is 360,000 rays): keeps one run under a few seconds. */
export const MAX_CELLS_PER_SIDE = 600;
/** How far beyond the analysed square buildings are taken as casting shadows into it, m. */
const SHADOW_REACH_M = 400;
/** A candidate pole's camera mount, m above its base when the pole has no height. */
const DEFAULT_MOUNT_M = 6;

/** The winter solstice of this year, the default day (Chinese residential daylight check). */
export function defaultSunDate(now = new Date()): string {
  return `${now.getFullYear()}-12-21`;
}

export const useSightStore = defineStore('sight', () => {
  const sceneStore = useSceneStore();
  const twin = useTwinStore();
  const proposal = ref<Proposal | null>(null);
  const placing = ref<Placing>(null);
  const observer = ref<ObserverSettings | null>(null);
  const viewshedSummary = ref<ViewshedSummary | null>(null);
  const sun = ref<SunSettings | null>(null);
  const sunSummary = ref<SunSummary | null>(null);
  const target = ref<{ lon: number; lat: number; height: number } | null>(null);
  const seenBy = ref<Array<{ id: string; distanceM: number }>>([]);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const layer = shallowRef<SightLayer | null>(null);
  let model: Promise<SightModel> | undefined;
  /** The last raster, for reading values back (automation hooks, tests). */
  let raster: { grid: GridSpec; values: ArrayLike<number>; kind: 'viewshed' | 'sun' } | null = null;

  watch(
    () => sceneStore.scene,
    (scene) => {
      layer.value?.destroy();
      layer.value = scene ? markRaw(new SightLayer(scene.widget)) : null;
      layer.value?.showProposal(proposal.value);
    },
    { immediate: true },
  );

  function sightModel(): Promise<SightModel> {
    const manifest = twin.manifest;
    if (!manifest) return Promise.reject(new Error('the twin has not loaded'));
    const footprints = loadFootprints(manifest);
    if (!footprints) return Promise.reject(new Error('this twin package has no building footprints (interiors/plans.json)'));
    model ??= Promise.all([footprints, loadGround()]).then(([f]) => new SightModel(manifest.center, f));
    return model;
  }

  /** The DEM's heights, once loaded (null: no readable DEM in this package). */
  let terrain: HeightAt | null = null;

  async function loadGround(): Promise<void> {
    if (twin.manifest) terrain = await loadTerrain(twin.manifest);
  }

  /** Ground at a point: the DEM, else the loaded 3D terrain, else the district's centre height. */
  function groundAt(lon: number, lat: number): number {
    const dem = terrain?.(lon, lat) ?? Number.NaN;
    if (!Number.isNaN(dem)) return dem;
    const h = layer.value?.groundAt(lon, lat) ?? Number.NaN;
    return Number.isNaN(h) ? (twin.manifest?.center.height ?? 0) : h;
  }

  function groundGrid(m: SightModel, grid: GridSpec): Grid | undefined {
    return terrain ? m.groundUnder(grid, terrain) : undefined;
  }

  function setProposal(next: Omit<Proposal, 'baseM'> & { baseM?: number } | null): void {
    proposal.value = next ? { ...next, baseM: next.baseM ?? groundAt(next.lon, next.lat) } : null;
    layer.value?.showProposal(proposal.value);
  }

  /** The next click on the twin sets the observer, the target, the proposal's or the sun area's centre. */
  function place(what: Placing): void {
    placing.value = what;
    const l = layer.value;
    if (!l) return;
    l.onceClicked = what
      ? (lon, lat, height) => {
          placing.value = null;
          if (what === 'observer') void runViewshed({ ...(observer.value ?? defaultObserver()), lon, lat });
          else if (what === 'target') void runWhoCanSee(lon, lat, height);
          else if (what === 'proposal') setProposal({ ...(proposal.value ?? defaultProposal(lon, lat)), lon, lat, baseM: undefined });
          else void runSun({ ...(sun.value ?? defaultSun()), lon, lat });
        }
      : null;
  }

  function defaultObserver(): ObserverSettings {
    const c = twin.manifest?.center ?? { lon: 0, lat: 0 };
    return { lon: c.lon, lat: c.lat, eyeM: 1.7, rangeM: 150, camera: null };
  }

  function defaultProposal(lon: number, lat: number): Omit<Proposal, 'baseM'> {
    return { lon, lat, widthM: 30, depthM: 20, heightM: 80, headingDeg: 0 };
  }

  function defaultSun(): SunSettings {
    const c = twin.manifest?.center ?? { lon: 0, lat: 0 };
    return { date: defaultSunDate(), stepMinutes: 15, window: 'planning', radiusM: 120, cellM: 3, lon: c.lon, lat: c.lat };
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await work();
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    } finally {
      busy.value = false;
    }
  }

  function checkGrid(radiusM: number, cellM: number): void {
    if (!(cellM >= 0.5) || !(radiusM > 0)) throw new Error(`cell ${cellM} m and radius ${radiusM} m must be positive (cell at least 0.5 m)`);
    if ((2 * radiusM) / cellM > MAX_CELLS_PER_SIDE) throw new Error(`radius ${radiusM} m at ${cellM} m cells is over ${MAX_CELLS_PER_SIDE} cells a side: use larger cells`);
  }

  async function runViewshed(settings: ObserverSettings, cellM = 2): Promise<ViewshedSummary | null> {
    return guarded(async () => {
      checkGrid(settings.rangeM, cellM);
      const m = await sightModel();
      observer.value = settings;
      const [x, y] = m.toLocal(settings.lon, settings.lat);
      const grid = SightModel.gridAround(x, y, settings.rangeM, cellM);
      const t0 = performance.now();
      const ground = groundGrid(m, grid);
      const t1 = performance.now();
      const obstacles = m.obstacles(x, y, settings.rangeM + 50, proposal.value, ground);
      // On a building the observer stands on its roof (a point clicked there, a rooftop camera).
      const roof = obstacles.roofAt(x, y);
      const base = Number.isNaN(roof) ? groundAt(settings.lon, settings.lat) : roof;
      const view = settings.camera ? { headingDeg: settings.camera.headingDeg, hfovDeg: settings.camera.hfovDeg } : undefined;
      const result = viewshed(grid, obstacles, { x, y, z: base + settings.eyeM, rangeM: settings.rangeM, view }, groundAt(settings.lon, settings.lat));
      raster = { grid, values: result.cells, kind: 'viewshed' };
      const t2 = performance.now();
      const colours: Record<number, Rgba | null> = { [VISIBLE]: [40, 200, 90, 150], [HIDDEN]: [220, 40, 50, 150] };
      await layer.value?.showRaster(paint(result.cells, (v) => colours[v] ?? null), grid, m);
      layer.value?.showSamples(m, new Float64Array(), [], [{ lon: settings.lon, lat: settings.lat, height: base + settings.eyeM, color: '#ffd166' }]);
      viewshedSummary.value = { visible: result.visible, hidden: result.hidden, cellM, timings: { groundMs: t1 - t0, raysMs: t2 - t1, drawMs: performance.now() - t2 } };
      return viewshedSummary.value;
    });
  }

  async function runWhoCanSee(lon: number, lat: number, height?: number): Promise<Array<{ id: string; distanceM: number }> | null> {
    return guarded(async () => {
      const m = await sightModel();
      const [x, y] = m.toLocal(lon, lat);
      const z = (height ?? groundAt(lon, lat)) + 0.5;
      target.value = { lon, lat, height: z };
      const reach = 200;
      const ground = groundGrid(m, SightModel.gridAround(x, y, reach, 5));
      const candidates = twin.poles.flatMap((p) => {
        const [px, py] = m.toLocal(p.lon, p.lat);
        if (Math.hypot(px - x, py - y) > reach) return [];
        return [{ id: p.id, x: px, y: py, z: p.groundHeight + (p.heightM || DEFAULT_MOUNT_M), rangeM: reach }];
      });
      const seen = whoCanSee({ x, y, z }, candidates, m.obstacles(x, y, reach + 50, proposal.value, ground));
      seenBy.value = seen;
      const byId = new Map(twin.poles.map((p) => [p.id, p]));
      layer.value?.showSamples(m, new Float64Array(), [], [
        { lon, lat, height: z, color: '#ff5d73' },
        ...seen.map((s) => {
          const p = byId.get(s.id)!;
          return { lon: p.lon, lat: p.lat, height: p.groundHeight + (p.heightM || DEFAULT_MOUNT_M), color: '#5ad1ff' };
        }),
      ]);
      return seen;
    });
  }

  async function runSun(settings: SunSettings): Promise<SunSummary | null> {
    return guarded(async () => {
      checkGrid(settings.radiusM, settings.cellM);
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(settings.date);
      if (!match) throw new Error(`date "${settings.date}" is not yyyy-mm-dd`);
      const m = await sightModel();
      sun.value = settings;
      const [x, y] = m.toLocal(settings.lon, settings.lat);
      const grid = SightModel.gridAround(x, y, settings.radiusM, settings.cellM);
      const t0 = performance.now();
      const ground = groundGrid(m, grid);
      const t1 = performance.now();
      const base = groundAt(settings.lon, settings.lat);
      const steps = sunSteps({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, settings.lat, settings.lon, settings.stepMinutes, settings.window);
      const fullH = steps.reduce((s, st) => s + st.hours, 0);
      const withProposal = m.obstacles(x, y, settings.radiusM + SHADOW_REACH_M, proposal.value, ground);
      // Ground: cells under any roof (the proposal's included) are left out of both runs alike.
      const gs = groundSamples(grid, withProposal, base);
      const after = sunHours(gs, steps, withProposal);
      // Facades of the buildings in the square (not the proposal's own).
      const inSquare = withProposal.prisms.filter((p) => p.id !== 'proposed' && p.ring.some(([bx, by]) => Math.abs(bx - x) <= settings.radiusM && Math.abs(by - y) <= settings.radiusM));
      const fs = facadeSamples(inSquare);
      const facadeAfter = sunHours(fs, steps, withProposal);
      let loss: SunSummary['loss'] = null;
      let shown: Float32Array = after;
      let facadeShown: Float32Array = facadeAfter;
      if (proposal.value) {
        const without = m.obstacles(x, y, settings.radiusM + SHADOW_REACH_M, null, ground);
        const groundDiff = hoursDifference(sunHours(gs, steps, without), after);
        const facadeDiff = hoursDifference(sunHours(fs, steps, without), facadeAfter);
        const lost = (d: Float32Array): number => d.filter((v) => v < -1e-6).length;
        let maxH = 0;
        for (const d of [groundDiff, facadeDiff]) for (const v of d) maxH = Math.max(maxH, -v);
        loss = { groundCells: lost(groundDiff), facadeSamples: lost(facadeDiff), maxH };
        shown = groundDiff;
        facadeShown = facadeDiff;
      }
      const t2 = performance.now();
      const values = new Float32Array(grid.ncols * grid.nrows).fill(Number.NaN);
      gs.cell.forEach((c, i) => (values[c] = shown[i]!));
      raster = { grid, values, kind: 'sun' };
      const colour = proposal.value ? differenceColour(Math.max(1, fullH / 2), 0.01) : sunHoursColour(fullH);
      await layer.value?.showRaster(paint(values, colour), grid, m);
      layer.value?.showSamples(m, fs.points, Array.from(facadeShown, (h) => colour(h)));
      const groundMeanH = after.length ? after.reduce((s, h) => s + h, 0) / after.length : 0;
      const timings = { groundMs: t1 - t0, raysMs: t2 - t1, drawMs: performance.now() - t2 };
      sunSummary.value = { steps: steps.length, groundCells: after.length, groundMeanH, facadeSamples: fs.points.length / 3, loss, timings };
      return sunSummary.value;
    });
  }

  /** The last raster's value at a lon/lat (viewshed: 0 out, 1 hidden, 2 visible; sun: hours or their change), null outside it. */
  async function rasterAt(lon: number, lat: number): Promise<{ kind: 'viewshed' | 'sun'; value: number } | null> {
    if (!raster) return null;
    const [x, y] = (await sightModel()).toLocal(lon, lat);
    const { grid, values, kind } = raster;
    const col = Math.floor((x - grid.xll) / grid.cellSize);
    const row = grid.nrows - 1 - Math.floor((y - grid.yll) / grid.cellSize);
    if (col < 0 || row < 0 || col >= grid.ncols || row >= grid.nrows) return null;
    return { kind, value: values[row * grid.ncols + col]! };
  }

  function clear(): void {
    raster = null;
    viewshedSummary.value = null;
    sunSummary.value = null;
    seenBy.value = [];
    layer.value?.clear();
  }

  return { proposal, placing, observer, viewshedSummary, sun, sunSummary, target, seenBy, busy, error, setProposal, place, defaultObserver, defaultSun, runViewshed, runWhoCanSee, runSun, rasterAt, clear };
});
