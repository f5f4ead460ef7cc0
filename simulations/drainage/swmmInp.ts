/**
 * EPA SWMM 5 `.inp` reader: text in, the pipe model's DrainageNetwork, node inflows and run
 * options out (pure, no I/O). Follows the SWMM 5.2 User's Manual, Appendix D (input file format)
 * and SWMM's own parsers where the manual is silent (table.c for time series dates, inflow.c for
 * external inflows). Whatever the file's FLOW_UNITS, the result is SI: metres, m³/s, seconds
 * from the simulation start.
 *
 * Sections that would change the hydraulic answer if skipped (pumps, orifices, weirs, outlets,
 * storage, dividers, controls, dry-weather and RDII inflows, entry/exit losses, barrels, flow
 * limits) are refused with a SwmmInpError naming the section and line; hydrology (subcatchments,
 * rain gauges, infiltration, groundwater, LID, quality) is ignored with a warning — in the coupled
 * model runoff comes from the 2D surface; map and drawing sections are ignored silently.
 */
import type {
  CrossSection,
  DrainageLink,
  DrainageNetwork,
  DrainageNode,
  JunctionNode,
  NodeInflow,
  OutfallBoundary,
} from './network';
import {
  M3S_PER_FLOW_UNIT,
  SwmmInpError,
  metresPerLengthUnit,
  type FlowUnits,
  type InpRow,
} from './swmmUnits';
import { readOptions, type SwmmOptions } from './swmmOptions';
import { readCurves, readTimeSeries, tideCurveAsSeries, type SwmmSeries } from './swmmSeries';

export type { SwmmOptions } from './swmmOptions';

/** Everything the pipe model takes from a `.inp` file. */
export interface SwmmModel {
  title: string;
  network: DrainageNetwork;
  inflows: NodeInflow[];
  options: SwmmOptions;
  /** Sections and values that were read but not used, one sentence each naming the line. */
  warnings: string[];
}

/** Sections whose content the pipe model cannot ignore without a different answer. */
const REFUSED: Record<string, string> = {
  PUMPS: 'pumps are not modelled',
  ORIFICES: 'orifices are not modelled',
  WEIRS: 'weirs are not modelled',
  OUTLETS: 'outlet links are not modelled',
  STORAGE: 'storage units are not modelled',
  DIVIDERS: 'flow dividers are not modelled',
  CONTROLS: 'control rules are not modelled',
  DWF: 'dry-weather inflows are not modelled',
  RDII: 'rainfall-dependent infiltration/inflow is not modelled',
  HYDROGRAPHS: 'RDII unit hydrographs are not modelled',
  TRANSECTS: 'irregular transects are not modelled',
  STREETS: 'street cross-sections are not modelled',
  INLETS: 'street inlets are not modelled',
  INLET_USAGE: 'street inlets are not modelled',
  FILES: 'interface and hotstart files are not read',
};
/** Hydrology and quality: ignored with a warning (the 2D surface gives the runoff). */
const HYDROLOGY = new Set([
  'RAINGAGES', 'SUBCATCHMENTS', 'SUBAREAS', 'INFILTRATION', 'AQUIFERS', 'GROUNDWATER', 'GWF',
  'SNOWPACKS', 'LID_CONTROLS', 'LID_USAGE', 'POLLUTANTS', 'LANDUSES', 'COVERAGES', 'LOADINGS',
  'BUILDUP', 'WASHOFF', 'TREATMENT', 'EVAPORATION', 'TEMPERATURE', 'ADJUSTMENTS', 'PATTERNS',
]);
/** Drawing, reporting and bookkeeping: ignored silently. */
const SILENT = new Set([
  'TITLE', 'REPORT', 'TAGS', 'MAP', 'VERTICES', 'POLYGONS', 'SYMBOLS', 'LABELS', 'BACKDROP',
  'PROFILES', 'EVENTS',
]);
const USED = new Set([
  'OPTIONS', 'JUNCTIONS', 'OUTFALLS', 'CONDUITS', 'XSECTIONS', 'LOSSES', 'INFLOWS', 'TIMESERIES',
  'CURVES', 'COORDINATES',
]);

/** Splits a `.inp` text into its sections' data rows (comments and blank lines dropped). */
export function splitSections(text: string, source: string): { rows: Map<string, InpRow[]>; title: string } {
  const rows = new Map<string, InpRow[]>();
  const titleLines: string[] = [];
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (section === 'TITLE' && !raw.trimStart().startsWith('[')) {
      if (!raw.startsWith(';;') && raw.trim() !== '') titleLines.push(raw.trim());
      continue;
    }
    const body = raw.replace(/;.*$/, '').trim();
    if (body === '') continue;
    const header = /^\[([A-Za-z_]+)\]$/.exec(body);
    if (header) {
      section = header[1].toUpperCase();
      if (!USED.has(section) && !HYDROLOGY.has(section) && !SILENT.has(section) && !REFUSED[section]) {
        throw new SwmmInpError(`${source} line ${i + 1}: unknown section [${section}]`);
      }
      if (!rows.has(section)) rows.set(section, []);
      continue;
    }
    if (section === '') throw new SwmmInpError(`${source} line ${i + 1}: data before the first [SECTION] header`);
    rows.get(section)!.push({ line: i + 1, tokens: tokenize(body) });
  }
  return { rows, title: titleLines.join('\n') };
}

/** Whitespace-separated tokens; double quotes keep spaces (and give "" for an empty field). */
function tokenize(body: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) out.push(m[1] ?? m[2]);
  return out;
}

/** Reads a SWMM 5 `.inp` text. `source` names the file in error messages. */
export function readSwmmInp(text: string, source = 'inp'): SwmmModel {
  const { rows, title } = splitSections(text, source);
  const warnings: string[] = [];
  const at = (row: InpRow, section: string): string => `${source} line ${row.line} [${section}]`;

  for (const [section, list] of rows) {
    const reason = REFUSED[section];
    if (reason && list.length > 0) {
      throw new SwmmInpError(`${at(list[0], section)}: ${reason}; the pipe model would give a different answer without them`);
    }
    if (HYDROLOGY.has(section) && list.length > 0) {
      warnings.push(`${at(list[0], section)}: ignored (${list.length} lines) — runoff and quality come from the 2D surface model`);
    }
  }

  const options = readOptions(rows.get('OPTIONS') ?? [], source, warnings);
  const units: FlowUnits = options.flowUnits;
  const m = metresPerLengthUnit(units);
  const q = M3S_PER_FLOW_UNIT[units];
  const num = (row: InpRow, section: string, index: number, name: string, fallback?: number): number => {
    const tok = row.tokens[index];
    if (tok === undefined || tok === '') {
      if (fallback !== undefined) return fallback;
      throw new SwmmInpError(`${at(row, section)}: ${name} is missing`);
    }
    const v = tok === '*' ? 0 : Number(tok);
    if (!Number.isFinite(v)) throw new SwmmInpError(`${at(row, section)}: ${name} must be a number, got "${tok}"`);
    return v;
  };

  const series = readTimeSeries(rows.get('TIMESERIES') ?? [], options.startMs, source);
  const curves = readCurves(rows.get('CURVES') ?? [], source);

  const nodes: DrainageNode[] = [];
  const nodeById = new Map<string, DrainageNode>();
  const addNode = (node: DrainageNode, row: InpRow, section: string): void => {
    if (nodeById.has(node.id)) throw new SwmmInpError(`${at(row, section)}: node "${node.id}" is defined twice`);
    nodeById.set(node.id, node);
    nodes.push(node);
  };
  for (const row of rows.get('JUNCTIONS') ?? []) {
    const surchargeFt = num(row, 'JUNCTIONS', 4, 'SurDepth', 0);
    const pondedArea = num(row, 'JUNCTIONS', 5, 'Aponded', 0);
    const node: JunctionNode = {
      kind: 'junction',
      id: row.tokens[0],
      invertElevationM: num(row, 'JUNCTIONS', 1, 'Elevation') * m,
      maxDepthM: num(row, 'JUNCTIONS', 2, 'MaxDepth', 0) * m,
      surfaceAreaM2: options.minSurfaceAreaM2,
      initialDepthM: num(row, 'JUNCTIONS', 3, 'InitDepth', 0) * m,
    };
    if (surchargeFt !== 0) node.surchargeDepthM = surchargeFt * m;
    if (pondedArea !== 0) node.pondedAreaM2 = pondedArea * m * m;
    addNode(node, row, 'JUNCTIONS');
  }
  for (const row of rows.get('OUTFALLS') ?? []) {
    const type = (row.tokens[2] ?? '').toUpperCase();
    let boundary: OutfallBoundary;
    let gateAt = 3;
    if (type === 'FREE') boundary = { type: 'free' };
    else if (type === 'NORMAL') boundary = { type: 'normal' };
    else if (type === 'FIXED') {
      boundary = { type: 'fixed', stageM: num(row, 'OUTFALLS', 3, 'Stage') * m };
      gateAt = 4;
    } else if (type === 'TIMESERIES' || type === 'TIDAL') {
      const name = row.tokens[3] ?? '';
      gateAt = 4;
      let s: SwmmSeries | undefined;
      if (type === 'TIMESERIES') s = series.get(name);
      else {
        const curve = curves.get(name);
        if (curve) s = tideCurveAsSeries(curve, options.durationS);
      }
      if (!s) throw new SwmmInpError(`${at(row, 'OUTFALLS')}: ${type === 'TIDAL' ? 'tidal curve' : 'time series'} "${name}" is not defined`);
      boundary = { type: 'timeseries', times: s.times, stagesM: s.values.map((v) => v * m) };
    } else {
      throw new SwmmInpError(`${at(row, 'OUTFALLS')}: outfall type "${row.tokens[2] ?? ''}" is not one of FREE, NORMAL, FIXED, TIDAL, TIMESERIES`);
    }
    const gate = (row.tokens[gateAt] ?? 'NO').toUpperCase();
    if (gate !== 'NO' && gate !== 'YES') throw new SwmmInpError(`${at(row, 'OUTFALLS')}: Gated must be YES or NO, got "${row.tokens[gateAt]}"`);
    if (row.tokens[gateAt + 1]) throw new SwmmInpError(`${at(row, 'OUTFALLS')}: RouteTo (outfall to a subcatchment) is not modelled`);
    addNode({
      kind: 'outfall',
      id: row.tokens[0],
      invertElevationM: num(row, 'OUTFALLS', 1, 'Elevation') * m,
      boundary,
      ...(gate === 'YES' ? { flapGate: true } : {}),
    }, row, 'OUTFALLS');
  }

  const links: DrainageLink[] = [];
  const linkRows = new Map<string, { link: DrainageLink; row: InpRow }>();
  for (const row of rows.get('CONDUITS') ?? []) {
    const [id, from, to] = row.tokens;
    for (const [end, name] of [['From', from], ['To', to]] as const) {
      if (!name || !nodeById.has(name)) throw new SwmmInpError(`${at(row, 'CONDUITS')}: ${end} node "${name ?? ''}" of conduit "${id}" is not a junction or outfall`);
    }
    if (linkRows.has(id)) throw new SwmmInpError(`${at(row, 'CONDUITS')}: conduit "${id}" is defined twice`);
    if (num(row, 'CONDUITS', 8, 'MaxFlow', 0) > 0) throw new SwmmInpError(`${at(row, 'CONDUITS')}: a MaxFlow limit is not modelled`);
    let inOffset = num(row, 'CONDUITS', 5, 'InOffset', 0) * m;
    let outOffset = num(row, 'CONDUITS', 6, 'OutOffset', 0) * m;
    if (options.linkOffsets === 'elevation') {
      // ELEVATION offsets give the link's invert elevation ('*' = at the node's invert)
      if (row.tokens[5] !== '*') inOffset = Math.max(0, inOffset - nodeById.get(from)!.invertElevationM);
      if (row.tokens[6] !== '*') outOffset = Math.max(0, outOffset - nodeById.get(to)!.invertElevationM);
    }
    const length = num(row, 'CONDUITS', 3, 'Length') * m;
    const n = num(row, 'CONDUITS', 4, 'Roughness');
    if (!(length > 0)) throw new SwmmInpError(`${at(row, 'CONDUITS')}: Length must be > 0, got ${row.tokens[3]}`);
    if (!(n > 0)) throw new SwmmInpError(`${at(row, 'CONDUITS')}: Roughness must be > 0, got ${row.tokens[4]}`);
    const link: DrainageLink = {
      id, fromNode: from, toNode: to, lengthM: length, manningN: n,
      inOffsetM: inOffset, outOffsetM: outOffset,
      section: { shape: 'circular', diameterM: 0 },
      initialFlowM3s: num(row, 'CONDUITS', 7, 'InitFlow', 0) * q,
    };
    linkRows.set(id, { link, row });
    links.push(link);
  }
  const sectioned = new Set<string>();
  for (const row of rows.get('XSECTIONS') ?? []) {
    const entry = linkRows.get(row.tokens[0]);
    if (!entry) throw new SwmmInpError(`${at(row, 'XSECTIONS')}: link "${row.tokens[0]}" is not in [CONDUITS]`);
    entry.link.section = readSection(row, at(row, 'XSECTIONS'), (i, name) => num(row, 'XSECTIONS', i, name, 0) * m);
    const barrels = num(row, 'XSECTIONS', 6, 'Barrels', 1);
    if (barrels !== 1) throw new SwmmInpError(`${at(row, 'XSECTIONS')}: ${barrels} barrels are not modelled (one barrel per link)`);
    if (row.tokens[7] && row.tokens[7] !== '0') throw new SwmmInpError(`${at(row, 'XSECTIONS')}: culvert inlet code ${row.tokens[7]} is not modelled`);
    sectioned.add(entry.link.id);
  }
  for (const [id, { row }] of linkRows) {
    if (!sectioned.has(id)) throw new SwmmInpError(`${at(row, 'CONDUITS')}: conduit "${id}" has no [XSECTIONS] line`);
  }
  for (const row of rows.get('LOSSES') ?? []) {
    const values = [1, 2, 3, 5].map((i) => num(row, 'LOSSES', i, 'loss', 0));
    const flap = (row.tokens[4] ?? 'NO').toUpperCase();
    if (values.some((v) => v !== 0) || flap === 'YES') {
      throw new SwmmInpError(`${at(row, 'LOSSES')}: minor losses, flap gates and seepage on link "${row.tokens[0]}" are not modelled`);
    }
  }

  const inflows = readInflows(rows.get('INFLOWS') ?? [], nodeById, series, q, options.durationS, at, num, warnings);
  readCoordinates(rows, nodeById, source, warnings);
  return { title, network: { nodes, links }, inflows, options, warnings };
}

function readSection(row: InpRow, where: string, geom: (index: number, name: string) => number): CrossSection {
  const shape = (row.tokens[1] ?? '').toUpperCase();
  const positive = (v: number, name: string): number => {
    if (!(v > 0)) throw new SwmmInpError(`${where}: ${name} of ${shape} must be > 0, got ${v}`);
    return v;
  };
  switch (shape) {
    case 'CIRCULAR':
      return { shape: 'circular', diameterM: positive(geom(2, 'Geom1'), 'Geom1 (diameter)') };
    case 'RECT_CLOSED':
    case 'RECT_OPEN':
      return {
        shape: shape === 'RECT_CLOSED' ? 'rect-closed' : 'rect-open',
        heightM: positive(geom(2, 'Geom1'), 'Geom1 (height)'),
        widthM: positive(geom(3, 'Geom2'), 'Geom2 (width)'),
      };
    case 'TRAPEZOIDAL': {
      // Geom3/Geom4 are side slopes (run/rise): dimensionless, so read them unconverted
      const slope = (i: number): number => Number(row.tokens[i] ?? 0);
      return {
        shape: 'trapezoidal',
        heightM: positive(geom(2, 'Geom1'), 'Geom1 (height)'),
        bottomWidthM: geom(3, 'Geom2'),
        leftSlope: slope(4),
        rightSlope: slope(5),
      };
    }
    default:
      throw new SwmmInpError(`${where}: cross-section shape "${row.tokens[1] ?? ''}" of link "${row.tokens[0]}" is not supported (CIRCULAR, RECT_CLOSED, RECT_OPEN, TRAPEZOIDAL)`);
  }
}

function readInflows(
  rows: InpRow[],
  nodeById: Map<string, DrainageNode>,
  series: Map<string, SwmmSeries>,
  q: number,
  durationS: number,
  at: (row: InpRow, section: string) => string,
  num: (row: InpRow, section: string, index: number, name: string, fallback?: number) => number,
  warnings: string[],
): NodeInflow[] {
  const out: NodeInflow[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const [nodeId, param, tsName] = row.tokens;
    if (!nodeById.has(nodeId)) throw new SwmmInpError(`${at(row, 'INFLOWS')}: node "${nodeId}" is not a junction or outfall`);
    if ((param ?? '').toUpperCase() !== 'FLOW') {
      warnings.push(`${at(row, 'INFLOWS')}: pollutant inflow "${param}" ignored (no water quality)`);
      continue;
    }
    if (seen.has(nodeId)) throw new SwmmInpError(`${at(row, 'INFLOWS')}: node "${nodeId}" has a second FLOW inflow`);
    seen.add(nodeId);
    if (row.tokens[7]) throw new SwmmInpError(`${at(row, 'INFLOWS')}: baseline pattern "${row.tokens[7]}" is not modelled`);
    const scale = num(row, 'INFLOWS', 5, 'Sfactor', 1);
    const baseline = num(row, 'INFLOWS', 6, 'Baseline', 0);
    const s = tsName ? series.get(tsName) : undefined;
    if (tsName && !s) throw new SwmmInpError(`${at(row, 'INFLOWS')}: time series "${tsName}" is not defined`);
    out.push(inflowSeries(nodeId, s, scale, baseline, q, durationS));
  }
  return out;
}

/**
 * SWMM's external inflow (inflow.c): scale × series(t) + baseline, the series counting 0 outside
 * its time range. The edges are spelt out (points a millisecond outside the series' ends, and at
 * 0 and the run's end), so the NodeInflow means the same whether its reader holds end values or
 * takes 0 outside.
 */
function inflowSeries(nodeId: string, s: SwmmSeries | undefined, scale: number, baseline: number, q: number, durationS: number): NodeInflow {
  const b = baseline * q;
  if (!s || s.times.length === 0) return { nodeId, times: [0, durationS], flowsM3s: [b, b] };
  const times = [...s.times];
  const flows = s.values.map((v) => (scale * v + baseline) * q);
  if (times[0] > 0 && flows[0] !== b) {
    times.unshift(0, times[0] - 1e-3);
    flows.unshift(b, b);
  }
  const last = times[times.length - 1];
  if (last < durationS && flows[flows.length - 1] !== b) {
    times.push(last + 1e-3, durationS);
    flows.push(b, b);
  }
  return { nodeId, times, flowsM3s: flows };
}

function readCoordinates(rows: Map<string, InpRow[]>, nodeById: Map<string, DrainageNode>, source: string, warnings: string[]): void {
  let scale = 1;
  for (const row of rows.get('MAP') ?? []) {
    if (row.tokens[0]?.toUpperCase() !== 'UNITS') continue;
    const u = (row.tokens[1] ?? '').toUpperCase();
    if (u === 'FEET') scale = 0.3048;
    if (u === 'DEGREES') warnings.push(`${source} line ${row.line} [MAP]: map units are degrees; node x, y are longitude and latitude`);
  }
  for (const row of rows.get('COORDINATES') ?? []) {
    const node = nodeById.get(row.tokens[0]);
    if (!node) continue; // subcatchment centroids etc. of ignored sections
    const x = Number(row.tokens[1]);
    const y = Number(row.tokens[2]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new SwmmInpError(`${source} line ${row.line} [COORDINATES]: X and Y of node "${row.tokens[0]}" must be numbers`);
    }
    node.x = x * scale;
    node.y = y * scale;
  }
}

