/**
 * The parts of Apache ECharts the history charts use, registered once: line and bar charts, the
 * grid, tooltip, legend, dataZoom and the mark lines and areas, on the Canvas renderer. Only
 * these are bundled (`echarts/core` instead of the whole library).
 */
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
  | MarkAreaComponentOption
>;

/** Text and axis colours that read on the twin's dark panels. */
export const CHART_TEXT = '#b8cce2';
export const CHART_AXIS = 'rgba(143, 179, 217, 0.35)';
export const CHART_PALETTE = ['#3fb6ff', '#35d07f', '#ffb020', '#ff6b6b', '#b38cff', '#4dd6c8', '#f78fb3', '#c9d1dc'];

/** An axis's look at a given font size; `formatter` labels its values (e.g. `'{value}%'`). */
export function axisStyle(fontPx: number, formatter?: string) {
  return {
    axisLine: { lineStyle: { color: CHART_AXIS } },
    axisLabel: { color: CHART_TEXT, fontSize: fontPx, ...(formatter ? { formatter } : {}) },
    splitLine: { lineStyle: { color: 'rgba(255,255,255,0.06)' } },
  };
}

export interface GridMargins {
  left?: number;
  right?: number;
  top?: number;
  bottom?: number;
}

/** The axes' and legend's look shared by every history chart, at a given font size; `grid` overrides margins (px). */
export function baseOption(fontPx: number, grid: GridMargins = {}): ChartOption {
  const axis = axisStyle(fontPx);
  return {
    color: CHART_PALETTE,
    animation: false,
    textStyle: { fontSize: fontPx, color: CHART_TEXT },
    grid: { left: fontPx * 3.6, right: fontPx, top: fontPx * 2, bottom: fontPx * 2.2, ...grid },
    tooltip: { trigger: 'axis', confine: true },
    legend: { type: 'scroll', textStyle: { color: CHART_TEXT, fontSize: fontPx }, top: 0, itemWidth: fontPx, itemHeight: fontPx * 0.6 },
    xAxis: { type: 'time', ...axis },
    yAxis: { type: 'value', ...axis },
  };
}
