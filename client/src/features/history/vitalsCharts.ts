/**
 * The dashboard's charts as ECharts options plus the CSV of what each shows, built from the
 * vitals store's data. The dashboard panel and the arc wings use the same builders at different
 * font sizes (the wings: large type, one series each).
 */
import type { AlarmHistory, DeviceHealthHistory, KpiSeries } from '../../../../domain/history';
import { axisStyle, baseOption, type ChartOption } from './echarts';
import { isoTime, type CsvTable } from './core/csv';
import { kpiByGroup, kpiTotals, pivot, topGroups } from './core/vitals';

export interface VitalsChart {
  option: ChartOption;
  csv: CsvTable;
}

/** Labels the builders need, from vue-i18n. */
export interface VitalsLabels {
  t: (key: string) => string;
  /** A group key shown as a name (alarm kind, department). */
  name: (key: string) => string;
  /** A UTC day start as a short axis label. */
  day: (t: number) => string;
}

const percentAxis = (fontPx: number) => ({ ...axisStyle(fontPx, '{value}%'), type: 'value' as const, min: 0, max: 100 });
const valueAxis = (fontPx: number) => ({ ...axisStyle(fontPx), type: 'value' as const, minInterval: 1 });
const categoryAxis = (fontPx: number, data: string[]) => ({ ...axisStyle(fontPx), type: 'category' as const, data });
const categoryDays = (fontPx: number, days: readonly number[], labels: VitalsLabels) => categoryAxis(fontPx, days.map(labels.day));

export function onlineRateChart(history: DeviceHealthHistory | null, fontPx: number, labels: VitalsLabels): VitalsChart {
  const buckets = history?.buckets ?? [];
  const base = baseOption(fontPx);
  return {
    option: {
      ...base,
      legend: { show: false },
      yAxis: percentAxis(fontPx),
      series: [
        {
          type: 'line',
          name: labels.t('history.onlineRate'),
          showSymbol: false,
          areaStyle: { opacity: 0.15 },
          lineStyle: { width: fontPx > 16 ? 4 : 1.5 },
          data: buckets.map((b) => [b.t, Math.round(b.onlineRate * 1000) / 10]),
        },
      ],
    },
    csv: {
      name: 'device_online_rate',
      header: ['time', 'terminals', 'online', 'fault', 'onlineRate'],
      rows: buckets.map((b) => [isoTime(b.t), b.terminals, b.online, b.fault, b.onlineRate]),
    },
  };
}

export function alarmsByKindChart(history: AlarmHistory | null, days: readonly number[], fontPx: number, labels: VitalsLabels): VitalsChart {
  const buckets = history?.buckets ?? [];
  const p = pivot(buckets, (b) => b.opened, days);
  const base = baseOption(fontPx, { top: fontPx * 3 });
  return {
    option: {
      ...base,
      xAxis: categoryDays(fontPx, days, labels),
      series: p.groups.map((g, i) => ({ type: 'bar', stack: 'alarms', name: labels.name(g), data: p.values[i] })),
    },
    csv: alarmCsv('alarms_by_kind_per_day', buckets),
  };
}

/** Alarms opened per day in all (the wings' one series). */
export function alarmsPerDayChart(history: AlarmHistory | null, days: readonly number[], fontPx: number, labels: VitalsLabels): VitalsChart {
  const buckets = history?.buckets ?? [];
  const p = pivot(buckets, (b) => b.opened, days);
  const base = baseOption(fontPx);
  return {
    option: {
      ...base,
      legend: { show: false },
      xAxis: categoryDays(fontPx, days, labels),
      series: [{ type: 'bar', name: labels.t('history.alarmsOpened'), color: '#ffb020', data: p.values[0] ?? days.map(() => 0), label: { show: fontPx > 16, position: 'top', color: '#e6f3ff', fontSize: fontPx * 0.8 } }],
    },
    csv: alarmCsv('alarms_per_day', buckets),
  };
}

function alarmCsv(name: string, buckets: AlarmHistory['buckets']): CsvTable {
  return {
    name,
    header: ['day', 'group', 'opened', 'closed', 'meanTimeToCloseMs'],
    rows: buckets.map((b) => [isoTime(b.t), b.group, b.opened, b.closed, b.meanTimeToCloseMs]),
  };
}

export function worstGridsChart(history: AlarmHistory | null, fontPx: number, labels: VitalsLabels, count = 8): VitalsChart {
  const top = topGroups(history?.buckets ?? [], (b) => b.opened, count).reverse();
  const base = baseOption(fontPx, { left: fontPx * 8, top: fontPx });
  return {
    option: {
      ...base,
      legend: { show: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      xAxis: valueAxis(fontPx),
      yAxis: categoryAxis(fontPx, top.map((g) => g.group)),
      series: [{ type: 'bar', name: labels.t('history.alarmsOpened'), color: '#ff6b6b', data: top.map((g) => g.total) }],
    },
    csv: { name: 'worst_grid_cells', header: ['grid', 'alarmsOpened'], rows: [...top].reverse().map((g) => [g.group, g.total]) },
  };
}

export function casesPerDayChart(series: KpiSeries | null, days: readonly number[], fontPx: number, labels: VitalsLabels): VitalsChart {
  const totals = kpiTotals(series?.buckets ?? [], days);
  const base = baseOption(fontPx, { right: fontPx * 3 });
  return {
    option: {
      ...base,
      xAxis: categoryDays(fontPx, days, labels),
      yAxis: [valueAxis(fontPx), { ...percentAxis(fontPx), splitLine: { show: false } }],
      series: [
        { type: 'bar', name: labels.t('history.intake'), data: totals.map((d) => d.created) },
        { type: 'bar', name: labels.t('history.handled'), data: totals.map((d) => d.handled) },
        { type: 'line', name: labels.t('history.onTimeRate'), yAxisIndex: 1, connectNulls: true, data: totals.map((d) => (d.onTimeRate === null ? null : Math.round(d.onTimeRate * 1000) / 10)) },
      ],
    },
    csv: {
      name: 'cases_per_day',
      header: ['day', 'created', 'handled', 'closed', 'onTime', 'onTimeRate'],
      rows: totals.map((d) => [isoTime(d.t), d.created, d.handled, d.closed, d.onTime, d.onTimeRate]),
    },
  };
}

export function casesByDepartmentChart(series: KpiSeries | null, fontPx: number, labels: VitalsLabels): VitalsChart {
  const groups = kpiByGroup(series?.buckets ?? []);
  const shown = [...groups].reverse();
  const base = baseOption(fontPx, { left: fontPx * 8 });
  return {
    option: {
      ...base,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      xAxis: [valueAxis(fontPx), { ...percentAxis(fontPx), splitLine: { show: false } }],
      yAxis: categoryAxis(fontPx, shown.map((g) => labels.name(g.group))),
      series: [
        { type: 'bar', name: labels.t('history.intake'), data: shown.map((g) => g.created) },
        { type: 'bar', name: labels.t('history.handled'), data: shown.map((g) => g.handled) },
        { type: 'line', name: labels.t('history.onTimeRate'), xAxisIndex: 1, data: shown.map((g) => (g.onTimeRate === null ? null : Math.round(g.onTimeRate * 1000) / 10)) },
      ],
    },
    csv: {
      name: 'cases_by_department',
      header: ['department', 'created', 'handled', 'closed', 'onTime', 'onTimeRate'],
      rows: groups.map((g) => [g.group, g.created, g.handled, g.closed, g.onTime, g.onTimeRate]),
    },
  };
}

export function energyChart(kwh: readonly number[] | null, days: readonly number[], fontPx: number, labels: VitalsLabels): VitalsChart {
  const values = kwh ?? [];
  const base = baseOption(fontPx);
  return {
    option: {
      ...base,
      legend: { show: false },
      xAxis: categoryDays(fontPx, days, labels),
      series: [{ type: 'bar', name: labels.t('history.energyKwh'), color: '#4dd6c8', data: values.map((v) => Math.round(v * 10) / 10) }],
    },
    csv: { name: 'lamp_energy_per_day', header: ['day', 'kWh'], rows: kwh ? days.map((d, i) => [isoTime(d), values[i] ?? 0]) : [] },
  };
}
