/**
 * The drainage network of a coupled flood run on the map, engine-free: each pipe's load class
 * from its peak load ratio (peak |flow| / full-flow capacity), the 3D Tiles style conditions
 * that colour the twin's pipe tiles by it (one regular expression over the feature ids per
 * class, so a network of thousands of pipes is three conditions), the spilling manholes'
 * markers (sized by volume) and the "overloaded drains" hit list split into pipes and manholes.
 */
import type { OverloadedDrain } from '../../../../../simulations/drainage/overloadedDrains';
import type { LinkSummary, NodeSummary } from '../../../../../simulations/drainage/pipeResults';

export type LoadClass = 'low' | 'high' | 'over';

/** The colours of the three classes (also the legend's swatches). */
export const LOAD_COLOURS: Readonly<Record<LoadClass, string>> = { low: '#2bb673', high: '#f2c12e', over: '#e03131' };

/** Below 0.5 of capacity: room to spare; below 1: near full; from 1: past gravity capacity (surcharged). */
export function loadClass(peakLoadRatio: number): LoadClass {
  if (!(peakLoadRatio < 1)) return 'over';
  return peakLoadRatio < 0.5 ? 'low' : 'high';
}

/** Pipe ids of each class. */
export function linksByClass(links: ReadonlyArray<Pick<LinkSummary, 'id' | 'peakLoadRatio'>>): Record<LoadClass, string[]> {
  const out: Record<LoadClass, string[]> = { low: [], high: [], over: [] };
  for (const l of links) out[loadClass(l.peakLoadRatio)].push(l.id);
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * `Cesium3DTileStyle` colour conditions on the tiles' `id` property: the run's pipes in their
 * class colour, every other feature (manholes, sewer, utility lines) as it is. Ids are put in a
 * regular expression literal inside a single-quoted string, so quotes are dropped and regular
 * expression characters escaped.
 */
export function pipeColourConditions(links: ReadonlyArray<Pick<LinkSummary, 'id' | 'peakLoadRatio'>>): Array<[string, string]> {
  const groups = linksByClass(links);
  const conditions: Array<[string, string]> = [];
  for (const cls of ['over', 'high', 'low'] as const) {
    const ids = groups[cls].map((id) => escapeRegExp(id.replace(/['"]/g, ''))).filter((id) => id.length > 0);
    if (ids.length === 0) continue;
    conditions.push([`regExp('^(${ids.join('|')})$').test(String(\${id}))`, `color('${LOAD_COLOURS[cls]}')`]);
  }
  conditions.push(['true', "color('white')"]);
  return conditions;
}

export interface ManholeMarker {
  id: string;
  lon: number;
  lat: number;
  /** Volume spilled onto the street, m³. */
  floodVolumeM3: number;
  /** Time spilling, s. */
  floodDurationS: number;
  /** Largest depth above the invert, m (null when the run's node summary is missing). */
  peakDepthM: number | null;
  /** Marker size on screen, px: grows with the logarithm of the volume, 10 to 32. */
  sizePx: number;
}

/** The marker size for a spilled volume: 10 px at 0.01 m³ up to 32 px at 10,000 m³ and more. */
export function markerSizePx(volumeM3: number): number {
  const decades = Math.log10(Math.max(volumeM3, 0.01)) + 2; // 0 at 0.01 m³, 6 at 10,000 m³
  return Math.round(10 + (22 * Math.min(Math.max(decades, 0), 6)) / 6);
}

/** Spilling manholes placed by the hit list (lon/lat) with their node summaries, largest volume first. */
export function manholeMarkers(drains: readonly OverloadedDrain[], nodes: ReadonlyArray<Pick<NodeSummary, 'id' | 'peakDepthM'>>): ManholeMarker[] {
  const depth = new Map(nodes.map((n) => [n.id, n.peakDepthM]));
  return drains
    .filter((d): d is OverloadedDrain & { lon: number; lat: number } => d.kind === 'node' && d.lon !== undefined && d.lat !== undefined && d.value > 0)
    .map((d) => ({ id: d.id, lon: d.lon, lat: d.lat, floodVolumeM3: d.value, floodDurationS: d.durationS, peakDepthM: depth.get(d.id) ?? null, sizePx: markerSizePx(d.value) }))
    .sort((a, b) => b.floodVolumeM3 - a.floodVolumeM3);
}

/** The hit list's two groups: overloaded pipes by load ratio, then spilling manholes by volume, worst first. */
export function drainHitGroups(drains: readonly OverloadedDrain[]): { pipes: OverloadedDrain[]; manholes: OverloadedDrain[] } {
  const worstFirst = (a: OverloadedDrain, b: OverloadedDrain): number => b.value - a.value || b.durationS - a.durationS || a.id.localeCompare(b.id);
  return {
    pipes: drains.filter((d) => d.kind === 'link').sort(worstFirst),
    manholes: drains.filter((d) => d.kind === 'node').sort(worstFirst),
  };
}
