/**
 * Screen geometry of a time–space diagram: time to the right, distance along the arterial
 * upwards, a green/red bar per intersection and direction, and the bands as polygons. Pure, so
 * the SVG file writer and the client panel draw the same picture from the same numbers.
 */
import type { TimeSpaceDiagram } from './timeSpace';

export interface LayoutBar {
  x: number;
  y: number;
  width: number;
  height: number;
  state: 'green' | 'red';
  direction: 'outbound' | 'inbound';
}

export interface TimeSpaceLayout {
  width: number;
  height: number;
  plot: { x: number; y: number; width: number; height: number };
  bars: LayoutBar[];
  /** SVG `points` attribute per band polygon (clip them to `plot`). */
  bands: { direction: 'outbound' | 'inbound'; points: string }[];
  timeTicks: { x: number; label: string }[];
  stations: { y: number; label: string }[];
}

/** Colours shared by the SVG file and the client panel. */
export const DIAGRAM_COLOURS = {
  green: '#2e9d4a',
  red: '#d64541',
  outbound: 'rgba(40, 110, 220, 0.28)',
  inbound: 'rgba(240, 150, 30, 0.32)',
  axis: '#555',
} as const;

const MARGIN = { left: 110, right: 16, top: 16, bottom: 36 };
/** Narrow drawings (a side panel) give the station labels at most this share of the width. */
const MAX_LABEL_SHARE = 0.22;
/** Bar thickness: outbound just above the station line, inbound just below. */
const BAR_PX = 4;

export function layoutTimeSpace(diagram: TimeSpaceDiagram, width = 760, height = 420): TimeSpaceLayout {
  const left = Math.min(MARGIN.left, Math.round(width * MAX_LABEL_SHARE));
  const plot = { x: left, y: MARGIN.top, width: width - left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const list = diagram.intersections;
  const x0 = list[0]!.positionM;
  const span = Math.max(1, list[list.length - 1]!.positionM - x0);
  // Keep the first and last stations off the plot's edges so their bars stay visible.
  const pad = 10;
  const sx = (t: number): number => plot.x + (t / diagram.horizonSeconds) * plot.width;
  const sy = (p: number): number => plot.y + pad + (1 - (p - x0) / span) * (plot.height - 2 * pad);
  const px = (v: number): string => v.toFixed(1);
  const bars: LayoutBar[] = [];
  for (const s of list) {
    const y = sy(s.positionM);
    for (const direction of ['outbound', 'inbound'] as const) {
      for (const iv of s[direction]) {
        bars.push({
          x: sx(iv.fromSeconds),
          y: direction === 'outbound' ? y - BAR_PX : y,
          width: sx(iv.toSeconds) - sx(iv.fromSeconds),
          height: BAR_PX,
          state: iv.state,
          direction,
        });
      }
    }
  }
  const timeTicks: { x: number; label: string }[] = [];
  const tickStep = niceStep(diagram.horizonSeconds / 8);
  for (let t = 0; t <= diagram.horizonSeconds + 1e-9; t += tickStep) timeTicks.push({ x: sx(t), label: `${Math.round(t)}` });
  return {
    width,
    height,
    plot,
    bars,
    bands: diagram.bands.map((b) => ({
      direction: b.direction,
      points: b.points.map(([p, t]) => `${px(sx(t))},${px(sy(p))}`).join(' '),
    })),
    timeTicks,
    stations: list.map((s) => ({ y: sy(s.positionM), label: `${s.id} ${Math.round(s.positionM)} m` })),
  };
}

/** 1, 2 or 5 × 10^k seconds, at least `raw`. */
function niceStep(raw: number): number {
  const base = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * base >= raw) return m * base;
  return 10 * base;
}
