/**
 * EPA SWMM 5 `.inp` writer: a DrainageNetwork with its inflows and run options out as a file SWMM
 * 5.2 runs (pure). Always SI (FLOW_UNITS CMS, metres) and depth offsets, so
 * `readSwmmInp(writeSwmmInp(m))` gives the same network back. Stage and inflow series become
 * `[TIMESERIES]` named after their node (`<node>.stage`, `<node>.inflow`).
 */
import type { CrossSection, DrainageNetwork, JunctionNode, NodeInflow } from './network';
import type { SwmmOptions } from './swmmOptions';
import { SWMM_DEFAULT_SURFACE_AREA_M2, SwmmInpError, formatClock, formatDateTime } from './swmmUnits';

export interface SwmmWriteInput {
  title?: string;
  network: DrainageNetwork;
  inflows: NodeInflow[];
  /** Missing options take SWMM's defaults, with a run of one day from 2026-01-01. */
  options?: Partial<SwmmOptions>;
  /** Sea level for outfalls marked `tidal` (written as one TIMESERIES `sea.level`); without it they keep their boundary. */
  seaLevel?: { times: number[]; stagesM: number[] };
}

/** Numbers in JavaScript's shortest exact form, so reading the file back gives the same value. */
function n(v: number): string {
  if (!Number.isFinite(v)) throw new SwmmInpError(`cannot write ${v} to a .inp file`);
  return String(v);
}

/** SWMM IDs are whitespace-free tokens and cannot start with `[` or `;`. */
function id(name: string, what: string): string {
  if (!/^[^\s;"[][^\s;"]*$/.test(name)) throw new SwmmInpError(`${what} id "${name}" cannot be written to a .inp file (spaces, quotes, ; or a leading [)`);
  return name;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

function sectionGeometry(s: CrossSection): string[] {
  switch (s.shape) {
    case 'circular':
      return ['CIRCULAR', n(s.diameterM), '0', '0', '0'];
    case 'rect-closed':
      return ['RECT_CLOSED', n(s.heightM), n(s.widthM), '0', '0'];
    case 'rect-open':
      return ['RECT_OPEN', n(s.heightM), n(s.widthM), '0', '0'];
    case 'trapezoidal':
      return ['TRAPEZOIDAL', n(s.heightM), n(s.bottomWidthM), n(s.leftSlope), n(s.rightSlope)];
  }
}

function seriesRows(name: string, times: number[], values: number[]): string[][] {
  if (times.some((t) => t < 0)) throw new SwmmInpError(`series "${name}" has times before the start`);
  return times.map((t, i) => [name, formatClock(t), n(values[i])]);
}

export function writeSwmmInp(input: SwmmWriteInput): string {
  const { network, inflows } = input;
  const o = input.options ?? {};
  const startMs = o.startMs ?? Date.UTC(2026, 0, 1);
  const start = formatDateTime(startMs);
  const end = formatDateTime(startMs + (o.durationS ?? 86400) * 1000);
  const junctions = network.nodes.filter((x): x is JunctionNode => x.kind === 'junction');
  // SWMM has one MIN_SURFAREA for all junctions: the most common area, the spread noted in a comment
  const counts = new Map<number, number>();
  for (const j of junctions) counts.set(j.surfaceAreaM2, (counts.get(j.surfaceAreaM2) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const area = o.minSurfaceAreaM2 ?? common ?? SWMM_DEFAULT_SURFACE_AREA_M2;
  const areaNote = counts.size > 1
    ? [`;; junction plan areas range ${Math.min(...counts.keys())}–${Math.max(...counts.keys())} m²; SWMM takes one MIN_SURFAREA`]
    : [];
  const options: [string, string][] = [
    ['FLOW_UNITS', 'CMS'],
    ['FLOW_ROUTING', (o.flowRouting ?? 'dynwave').toUpperCase()],
    ['LINK_OFFSETS', 'DEPTH'],
    ['START_DATE', start.date],
    ['START_TIME', start.time],
    ['REPORT_START_DATE', formatDateTime(startMs + (o.reportStartS ?? 0) * 1000).date],
    ['REPORT_START_TIME', formatDateTime(startMs + (o.reportStartS ?? 0) * 1000).time],
    ['END_DATE', end.date],
    ['END_TIME', end.time],
    ['REPORT_STEP', formatClock(o.reportStepS ?? 900)],
    ['ROUTING_STEP', n(o.routingStepS ?? 20)],
    ['VARIABLE_STEP', n(o.variableStep ?? 0)],
    ['ALLOW_PONDING', o.allowPonding ? 'YES' : 'NO'],
    ['INERTIAL_DAMPING', (o.inertialDamping ?? 'partial').toUpperCase()],
    ['NORMAL_FLOW_LIMITED', (o.normalFlowLimited ?? 'both').toUpperCase()],
    ['SURCHARGE_METHOD', (o.surchargeMethod ?? 'extran').toUpperCase()],
    ['MIN_SURFAREA', n(area)],
    ['MIN_SLOPE', n(o.minSlopePct ?? 0)],
    ['LENGTHENING_STEP', n(o.lengtheningStepS ?? 0)],
    ['HEAD_TOLERANCE', n(o.headToleranceM ?? 0)],
    ['MAX_TRIALS', n(o.maxTrials ?? 0)],
  ];
  const out: string[] = [];
  const section = (name: string, header: string, rows: string[][]): void => {
    out.push(`[${name}]`, `;;${header}`, ...(rows.length > 0 ? [table(rows)] : []), '');
  };
  out.push('[TITLE]', ...(input.title ?? 'citytwin drainage network').split('\n').map((l) => l.replace(/^\[/, '(')), '');
  section('OPTIONS', 'Option Value', options.map(([k, v]) => [k, v]));
  if (areaNote.length > 0) out.splice(out.length - 1, 0, ...areaNote);

  section('JUNCTIONS', 'Name Elevation MaxDepth InitDepth SurDepth Aponded', junctions.map((j) => [
    id(j.id, 'node'), n(j.invertElevationM), n(j.maxDepthM), n(j.initialDepthM), n(j.surchargeDepthM ?? 0), n(j.pondedAreaM2 ?? 0),
  ]));
  const series: string[][] = [];
  const outfalls: string[][] = [];
  for (const node of network.nodes) {
    if (node.kind !== 'outfall') continue;
    const gate = node.flapGate ? 'YES' : 'NO';
    const b = node.boundary;
    const name = id(node.id, 'node');
    if (node.tidal && input.seaLevel) outfalls.push([name, n(node.invertElevationM), 'TIMESERIES', 'sea.level', gate]);
    else if (b.type === 'fixed') outfalls.push([name, n(node.invertElevationM), 'FIXED', n(b.stageM), gate]);
    else if (b.type === 'timeseries') {
      outfalls.push([name, n(node.invertElevationM), 'TIMESERIES', `${name}.stage`, gate]);
      series.push(...seriesRows(`${name}.stage`, b.times, b.stagesM));
    } else outfalls.push([name, n(node.invertElevationM), b.type.toUpperCase(), gate]);
  }
  section('OUTFALLS', 'Name Elevation Type Stage/Series Gated', outfalls);
  section('CONDUITS', 'Name FromNode ToNode Length Roughness InOffset OutOffset InitFlow MaxFlow', network.links.map((l) => [
    id(l.id, 'link'), l.fromNode, l.toNode, n(l.lengthM), n(l.manningN), n(l.inOffsetM), n(l.outOffsetM), n(l.initialFlowM3s), '0',
  ]));
  section('XSECTIONS', 'Link Shape Geom1 Geom2 Geom3 Geom4 Barrels', network.links.map((l) => [l.id, ...sectionGeometry(l.section), '1']));
  section('INFLOWS', 'Node Constituent TimeSeries Type Mfactor Sfactor Baseline', inflows.map((f) => [
    id(f.nodeId, 'node'), 'FLOW', `${f.nodeId}.inflow`, 'FLOW', '1.0', '1.0', '0',
  ]));
  for (const f of inflows) series.push(...seriesRows(`${f.nodeId}.inflow`, f.times, f.flowsM3s));
  if (input.seaLevel && network.nodes.some((x) => x.kind === 'outfall' && x.tidal)) {
    series.push(...seriesRows('sea.level', input.seaLevel.times, input.seaLevel.stagesM));
  }
  section('TIMESERIES', 'Name Time(h:mm:ss from start) Value', series);
  section('REPORT', '', [['INPUT', 'NO'], ['CONTROLS', 'NO'], ['NODES', 'ALL'], ['LINKS', 'ALL']]);
  const placed = network.nodes.filter((x) => x.x !== undefined && x.y !== undefined);
  if (placed.length > 0) {
    out.push('[MAP]', 'Units Meters', '');
    section('COORDINATES', 'Node X Y', placed.map((x) => [x.id, n(x.x!), n(x.y!)]));
  }
  return out.join('\n');
}
