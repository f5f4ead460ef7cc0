/**
 * Side by side: two saved results of one kind — flood (or a flood against the twin now, dry),
 * traffic, or green-wave studies (a study's plan or its "before", the signals as they run now) —
 * shown left and right of a splitter on one camera, or their difference over the whole view,
 * with the KPI table. Results come from the scenario API as the simulation panels fetch them;
 * the numbers from ./core/scenarioDiff.ts and ./core/greenWaveDiff.ts.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { DepthFramesMeta } from '../../../../simulations/flood/io/depthFrames';
import type { Network } from '../../../../simulations/traffic/network';
import type { LinkSeries } from '../../../../simulations/traffic/runTraffic';
import { decodeDepthFrames, type DepthFrames } from '../flood/core/depthFrames';
import type { FloodRunSummary } from '../flood/floodStore';
import type { TrafficRunSummary } from '../traffic/trafficStore';
import { getScenarioBytes, getScenarioJson } from '../scenarios/scenariosApi';
import { useScenariosStore } from '../scenarios/scenariosStore';
import { i18n } from '../../app/i18n';
import { useSceneStore } from '../../twin/sceneStore';
import { depthColour, differenceColour, paint, rampColour, type Rgba } from '../../twin/core/rasterColours';
import { CompareLayer, type Raster } from './CompareLayer';
import { checkSameGrid, depthDifference, depthGrid, kpiRows, linkSpeedDifference, type KpiRow, type LinkSpeedChange } from './core/scenarioDiff';
import { greenWaveKpis, junctionChanges, sectionChanges, type JunctionChange, type SectionChange } from './core/greenWaveDiff';
import { linkStrokes } from './core/linkRaster';
import { differenceRaster, loadGreenWaveSide, parseGreenWaveSide, swipeRasters } from './greenWaveCompare';
import { strokeRaster } from './strokeRaster';

export type CompareKind = 'flood' | 'traffic' | 'greenwave';
export type CompareMode = 'swipe' | 'difference';
/** A saved scenario's id, or the twin as it is now (a flood: dry); a green-wave study's "before" is `before:<id>`. */
export type Side = string | 'now';

const FLOOD_KPIS: ReadonlyArray<{ key: string; value: (s: FloodRunSummary) => number | null }> = [
  { key: 'flood.maxDepth', value: (s) => s.maxLandDepthM },
  { key: 'flood.wetArea', value: (s) => (s.floodedLandAreaM2 ?? s.wetAreaM2) / 1e4 },
  { key: 'flood.hitBuildings', value: (s) => s.hit.buildings },
  { key: 'flood.hitRoadLength', value: (s) => s.hit.roadLengthM / 1000 },
  { key: 'flood.rain', value: (s) => s.volumeInM3.rain },
];
const TRAFFIC_KPIS: ReadonlyArray<{ key: string; value: (s: TrafficRunSummary) => number | null }> = [
  { key: 'traffic.trips', value: (s) => s.trips },
  { key: 'traffic.arrived', value: (s) => s.vehiclesArrived },
  { key: 'traffic.meanTravelTime', value: (s) => s.meanTravelTimeSeconds },
  { key: 'traffic.meanDelay', value: (s) => s.meanDelaySeconds },
  { key: 'traffic.meanStops', value: (s) => s.meanStops },
];
/** Link rasters: longest side in pixels, and line width. */
const LINK_RASTER_PX = 1024;
const LINK_WIDTH_PX = 4;
const SPEED_STOPS: Array<[number, Rgba]> = [
  [0, [200, 30, 40, 230]],
  [5, [240, 150, 40, 230]],
  [12, [60, 200, 90, 230]],
];

export interface CompareFigures {
  kpis: KpiRow[];
  flood: { deeperCells: number; shallowerCells: number; maxDeeperM: number; maxShallowerM: number; cellAreaM2: number } | null;
  links: LinkSpeedChange[] | null;
  greenwave: {
    junctions: JunctionChange[];
    sections: SectionChange[];
    /** The networks the two sides' traffic ran on ("twin", "corridor"), when known. */
    networks: [string | null, string | null];
    /** Whether the map shows the corridor (runs older than corridor.json have no map). */
    mapped: boolean;
  } | null;
}

export const useCompareStore = defineStore('compare', () => {
  const scenarios = useScenariosStore();
  const sceneStore = useSceneStore();
  const kind = ref<CompareKind>('flood');
  const a = ref<Side | null>(null);
  const b = ref<Side | null>(null);
  const mode = ref<CompareMode>('swipe');
  const active = ref(false);
  const figures = shallowRef<CompareFigures | null>(null);
  const error = ref<string | null>(null);
  /** Rasters drawn, for tests: 'swipe' with both sides' names, or 'difference'. */
  const shown = ref<{ mode: CompareMode; left: string; right: string } | null>(null);
  const layer = shallowRef<CompareLayer | null>(null);
  /** The green-wave corridor's box as drawn (for tests), and the pair the camera was last framed on. */
  const corridorBox = shallowRef<Raster['box'] | null>(null);
  let framed = '';
  const runs = computed(() => scenarios.finishedOfKind(kind.value));

  watch(
    () => sceneStore.scene,
    (scene) => {
      layer.value?.destroy();
      layer.value = scene ? markRaw(new CompareLayer(scene.widget)) : null;
    },
    { immediate: true },
  );

  const nameOf = (side: Side): string => {
    if (side === 'now') return 'now';
    const { id, variant } = kind.value === 'greenwave' ? parseGreenWaveSide(side) : { id: side, variant: 'plan' };
    const name = scenarios.byId.get(id)?.name ?? id;
    return variant === 'before' ? i18n.global.t('compare.gw.beforeOf', { name }) : name;
  };
  const summaryOf = <T>(side: Side): T | null => (side === 'now' ? null : ((scenarios.byId.get(side)?.summary as unknown as T | undefined) ?? null));

  async function floodOf(side: Side): Promise<DepthFrames | null> {
    if (side === 'now') return null;
    const [meta, bytes] = await Promise.all([getScenarioJson<DepthFramesMeta>(side, 'frames.json'), getScenarioBytes(side, 'frames.bin')]);
    return decodeDepthFrames(meta, bytes);
  }

  function floodRaster(meta: DepthFramesMeta, values: Float32Array, colour: (v: number) => Rgba | null): Raster {
    const lons = meta.corners.map((c) => c[0]);
    const lats = meta.corners.map((c) => c[1]);
    return { rgba: paint(values, colour), width: meta.ncols, height: meta.nrows, box: { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) } };
  }

  async function showFlood(sa: Side, sb: Side): Promise<CompareFigures> {
    const [fa, fb] = await Promise.all([floodOf(sa), floodOf(sb)]);
    const meta = fa?.meta ?? fb?.meta;
    if (!meta) throw new Error('pick at least one flood run');
    if (fa && fb) checkSameGrid(fa.meta, fb.meta);
    const dry = new Float32Array(meta.ncols * meta.nrows);
    const da = fa ? depthGrid(fa, 'max') : dry;
    const db = fb ? depthGrid(fb, 'max') : dry;
    const d = depthDifference(da, db);
    if (mode.value === 'swipe') await layer.value?.showSwipe(fa ? floodRaster(meta, da, depthColour) : null, fb ? floodRaster(meta, db, depthColour) : null, [nameOf(sa), nameOf(sb)]);
    else await layer.value?.showSingle(floodRaster(meta, d.diff, differenceColour(1, 0.05)));
    return {
      kpis: kpiRows(FLOOD_KPIS, summaryOf<FloodRunSummary>(sa), summaryOf<FloodRunSummary>(sb)),
      flood: { deeperCells: d.deeperCells, shallowerCells: d.shallowerCells, maxDeeperM: d.maxDeeperM, maxShallowerM: d.maxShallowerM, cellAreaM2: meta.cellSizeM ** 2 },
      links: null,
      greenwave: null,
    };
  }

  function linkRaster(network: Network, colourOf: (linkId: string) => Rgba | null): Raster {
    const { strokes, extent } = linkStrokes(network);
    return strokeRaster(strokes, extent, network.origin ?? { lon: 0, lat: 0 }, colourOf, { sizePx: LINK_RASTER_PX, widthPx: LINK_WIDTH_PX });
  }

  async function showTraffic(sa: Side, sb: Side): Promise<CompareFigures> {
    if (sa === 'now' || sb === 'now') throw new Error('traffic compares two saved runs (the twin has no simulated speeds now)');
    const [na, la, lb] = await Promise.all([
      getScenarioJson<Network>(sa, 'network.json'),
      getScenarioJson<{ series: LinkSeries[] }>(sa, 'links.json'),
      getScenarioJson<{ series: LinkSeries[] }>(sb, 'links.json'),
    ]);
    const links = linkSpeedDifference(la.series, lb.series);
    const byId = new Map(links.map((l) => [l.linkId, l]));
    const speed = (v: number | null | undefined): Rgba | null => (v === null || v === undefined ? null : rampColour(SPEED_STOPS, v));
    if (mode.value === 'swipe') {
      await layer.value?.showSwipe(linkRaster(na, (id) => speed(byId.get(id)?.aMps)), linkRaster(na, (id) => speed(byId.get(id)?.bMps)), [nameOf(sa), nameOf(sb)]);
    } else {
      const colour = differenceColour(5, 0.3);
      await layer.value?.showSingle(linkRaster(na, (id) => colour(byId.get(id)?.diffMps ?? Number.NaN)));
    }
    return { kpis: kpiRows(TRAFFIC_KPIS, summaryOf<TrafficRunSummary>(sa), summaryOf<TrafficRunSummary>(sb)), flood: null, links, greenwave: null };
  }

  async function showGreenWave(sa: Side, sb: Side): Promise<CompareFigures> {
    const load = (side: Side) => {
      const { id, variant } = parseGreenWaveSide(side);
      const scenario = scenarios.byId.get(id);
      if (!scenario) throw new Error(`no green-wave study "${id}"`);
      return loadGreenWaveSide(scenario, variant);
    };
    const [la, lb] = await Promise.all([load(sa), load(sb)]);
    const junctions = junctionChanges(la.side, lb.side, [nameOf(sa), nameOf(sb)]);
    const sections = sectionChanges(la.side, lb.side);
    const mapped = Boolean(la.map?.sections.length || lb.map?.sections.length);
    let drawn: Raster | null = null;
    if (mode.value === 'swipe') {
      const [left, right] = mapped ? swipeRasters(la.map, lb.map, sections) : [null, null];
      drawn = left ?? right;
      await layer.value?.showSwipe(left, right, [nameOf(sa), nameOf(sb)]);
    } else {
      drawn = mapped ? differenceRaster(la.map, lb.map, sections) : null;
      if (drawn) await layer.value?.showSingle(drawn);
      else layer.value?.clear();
    }
    // A corridor is a thin line in a district: bring it into view once per pair of studies.
    corridorBox.value = drawn?.box ?? null;
    if (drawn && framed !== `${sa}|${sb}`) layer.value?.frame(drawn.box);
    framed = `${sa}|${sb}`;
    return { kpis: greenWaveKpis(la.side, lb.side), flood: null, links: null, greenwave: { junctions, sections, networks: [la.network, lb.network], mapped } };
  }

  /** Shows A and B (or their difference) and fills the figures. */
  async function show(): Promise<boolean> {
    const sa = a.value;
    const sb = b.value;
    error.value = null;
    if (!sa || !sb) {
      error.value = 'pick A and B';
      return false;
    }
    try {
      figures.value = kind.value === 'flood' ? await showFlood(sa, sb) : kind.value === 'traffic' ? await showTraffic(sa, sb) : await showGreenWave(sa, sb);
      active.value = true;
      shown.value = { mode: mode.value, left: nameOf(sa), right: nameOf(sb) };
      return true;
    } catch (err) {
      error.value = (err as Error).message;
      return false;
    }
  }

  function stop(): void {
    active.value = false;
    corridorBox.value = null;
    framed = '';
    shown.value = null;
    figures.value = null;
    layer.value?.clear();
  }

  function setKind(next: CompareKind): void {
    if (next === kind.value) return;
    stop();
    kind.value = next;
    a.value = null;
    b.value = null;
  }

  return { kind, a, b, mode, active, figures, error, shown, layer, corridorBox, runs, setKind, show, stop };
});
