/**
 * Green-wave studies in the side-by-side view: a side is a study's plan (its scenario id) or its
 * "before" — the signals as they run now (`before:<id>`). Loads a side's result files, and
 * paints the corridor's sections coloured by the delay difference for each half of the split
 * (green where that side is better, red where worse) or for the difference view (blue where B
 * is better). The numbers come from ./core/greenWaveDiff.ts.
 */
import type { CorridorMap } from '../../../../simulations/greenwave/corridorMap';
import type { BeforeAfter } from '../../../../simulations/greenwave/greenWaveStudy';
import type { GreenWaveResult } from '../../../../simulations/greenwave/planGreenWave';
import type { Scenario } from '../../../../domain/scenarios';
import { differenceColour, type Rgba } from '../../twin/core/rasterColours';
import { getScenarioJson } from '../scenarios/scenariosApi';
import type { Raster } from './CompareLayer';
import { betterWorseColour, greenWaveSide, type GreenWaveSide, type GreenWaveVariant, type SectionChange } from './core/greenWaveDiff';
import { lonLatStrokes, strokesExtent } from './core/linkRaster';
import { strokeRaster } from './strokeRaster';

const BEFORE = 'before:';

export const beforeSide = (id: string): string => `${BEFORE}${id}`;

export function parseGreenWaveSide(side: string): { id: string; variant: GreenWaveVariant } {
  return side.startsWith(BEFORE) ? { id: side.slice(BEFORE.length), variant: 'before' } : { id: side, variant: 'plan' };
}

export interface LoadedGreenWaveSide {
  side: GreenWaveSide;
  /** The corridor on the map (null for runs made before corridor.json existed). */
  map: CorridorMap | null;
  network: string | null;
}

export async function loadGreenWaveSide(scenario: Scenario, variant: GreenWaveVariant): Promise<LoadedGreenWaveSide> {
  const has = (f: string): boolean => scenario.files?.includes(f) ?? false;
  const [result, beforeAfter, map] = await Promise.all([
    getScenarioJson<GreenWaveResult>(scenario.id, 'result.json'),
    has('before-after.json') ? getScenarioJson<BeforeAfter>(scenario.id, 'before-after.json') : Promise.resolve(null),
    has('corridor.json') ? getScenarioJson<CorridorMap>(scenario.id, 'corridor.json') : Promise.resolve(null),
  ]);
  return { side: greenWaveSide(result, beforeAfter, variant), map, network: map?.network ?? beforeAfter?.network ?? null };
}

/** Delay change B − A by section key. */
function delayChanges(sections: readonly SectionChange[]): Map<string, number | null> {
  return new Map(sections.map((s) => [s.key, s.delayChangeSeconds]));
}

function corridorRaster(maps: ReadonlyArray<CorridorMap | null>, drawn: CorridorMap, colourOf: (key: string) => Rgba | null): Raster {
  // Both halves share one frame and extent, so the same section lands on the same pixels.
  const all = maps.flatMap((m) => m?.sections ?? []);
  const first = all[0]!.line[0]!;
  const origin = { lon: first[0], lat: first[1] };
  const extent = strokesExtent(lonLatStrokes(all, origin));
  return strokeRaster(lonLatStrokes(drawn.sections, origin), extent, origin, colourOf, { sizePx: 1024, widthPx: 5, rightOffsetPx: 3 });
}

/** A's and B's corridors for the two halves: each section green where that side has less delay than the other, red where more. */
export function swipeRasters(a: CorridorMap | null, b: CorridorMap | null, sections: readonly SectionChange[]): [Raster | null, Raster | null] {
  const change = delayChanges(sections);
  const maps = [a, b];
  const paint = (m: CorridorMap | null, sign: 1 | -1): Raster | null =>
    m && m.sections.length ? corridorRaster(maps, m, (key) => betterWorseColour(change.has(key) && change.get(key) !== null ? -sign * change.get(key)! : null)) : null;
  return [paint(a, 1), paint(b, -1)];
}

/** One layer of the difference on B's corridor (A's when B has none): blue where B has less delay, orange more. */
export function differenceRaster(a: CorridorMap | null, b: CorridorMap | null, sections: readonly SectionChange[]): Raster | null {
  const drawn = b && b.sections.length ? b : a;
  if (!drawn || !drawn.sections.length) return null;
  const change = delayChanges(sections);
  const colour = differenceColour(30, 2);
  return corridorRaster([a, b], drawn, (key) => {
    const d = change.get(key);
    // differenceColour paints "up" blue: less delay in B is the improvement.
    return d === null || d === undefined ? [110, 110, 120, 200] : (colour(-d) ?? [225, 225, 225, 230]);
  });
}
