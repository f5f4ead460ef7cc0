import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutfallNode } from '../../../simulations/drainage/network';
import { readSwmmInp } from '../../../simulations/drainage/swmmInp';
import { SwmmInpError } from '../../../simulations/drainage/swmmUnits';
import { FIXTURE_DIR } from './swmmComparison';

const FT = 0.3048;
const CFS = FT ** 3;

/** A small network in the given flow units; `extra` sections appended. */
function inp(units: string, extra = ''): string {
  return `[TITLE]
unit test network

[OPTIONS]
FLOW_UNITS ${units}
START_DATE 03/01/2026
START_TIME 06:00
END_DATE 03/01/2026
END_TIME 12:30:00
REPORT_STEP 00:05:00
ROUTING_STEP 10
MIN_SURFAREA 2
INERTIAL_DAMPING NONE
NORMAL_FLOW_LIMITED SLOPE

[JUNCTIONS]
;;Name Elev MaxDepth InitDepth SurDepth Aponded
J1 10 5 0.5 1 20
J2 9 4

[OUTFALLS]
O1 8 FIXED 8.5 YES
O2 8 FREE

[CONDUITS]
C1 J1 J2 100 0.013 0 0.5 0.1 0
C2 J2 O1 200 0.015 0.2 0
C3 J2 O2 50 0.02 0 0

[XSECTIONS]
C1 CIRCULAR 1 0 0 0 1
C2 RECT_CLOSED 1.5 2 0 0 1
C3 TRAPEZOIDAL 2 3 1.5 2 1

[INFLOWS]
J1 FLOW hydro FLOW 1.0 2.0 0.5

[TIMESERIES]
hydro 0 0
hydro 1:00 10
hydro 03/01/2026 9:00 0

[COORDINATES]
J1 100 200
O1 300 400
${extra}`;
}

/** 1-based line of the first line of `text` that starts with `start`. */
function lineOf(text: string, start: string): number {
  return text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
}

function errorOf(text: string): string {
  try {
    readSwmmInp(text, 'net.inp');
  } catch (err) {
    expect(err).toBeInstanceOf(SwmmInpError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('readSwmmInp: sections and units', () => {
  it('reads SI (CMS) as is: junctions, outfalls, conduits, sections, inflows, coordinates, options', () => {
    const m = readSwmmInp(inp('CMS'));
    expect(m.title).toBe('unit test network');
    expect(m.options).toMatchObject({ flowUnits: 'CMS', durationS: 6.5 * 3600, reportStepS: 300, routingStepS: 10, minSurfaceAreaM2: 2, inertialDamping: 'none', normalFlowLimited: 'slope', allowPonding: false });
    expect(m.options.startMs).toBe(Date.UTC(2026, 2, 1, 6));
    const [j1, j2, o1, o2] = m.network.nodes;
    expect(j1).toEqual({ kind: 'junction', id: 'J1', invertElevationM: 10, maxDepthM: 5, surfaceAreaM2: 2, initialDepthM: 0.5, surchargeDepthM: 1, pondedAreaM2: 20, x: 100, y: 200 });
    expect(j2).toMatchObject({ id: 'J2', maxDepthM: 4, initialDepthM: 0 });
    expect(o1).toEqual({ kind: 'outfall', id: 'O1', invertElevationM: 8, boundary: { type: 'fixed', stageM: 8.5 }, flapGate: true, x: 300, y: 400 });
    expect((o2 as OutfallNode).boundary).toEqual({ type: 'free' });
    const [c1, c2, c3] = m.network.links;
    expect(c1).toEqual({ id: 'C1', fromNode: 'J1', toNode: 'J2', lengthM: 100, manningN: 0.013, inOffsetM: 0, outOffsetM: 0.5, section: { shape: 'circular', diameterM: 1 }, initialFlowM3s: 0.1 });
    expect(c2.section).toEqual({ shape: 'rect-closed', heightM: 1.5, widthM: 2 });
    expect(c2.inOffsetM).toBe(0.2);
    expect(c3.section).toEqual({ shape: 'trapezoidal', heightM: 2, bottomWidthM: 3, leftSlope: 1.5, rightSlope: 2 });
    // Relative hours count from the start (06:00); a date resets the day: 9:00 on the start day is 3 h in.
    // Flow = scale 2 × series + baseline 0.5, which holds before and after the series (padded edges).
    expect(m.inflows).toHaveLength(1);
    const f = m.inflows[0]!;
    expect(f.nodeId).toBe('J1');
    expect(f.times.slice(0, 3)).toEqual([0, 3600, 10800]);
    expect(f.flowsM3s.slice(0, 3)).toEqual([0.5, 20.5, 0.5]);
    // the series ends at the baseline: nothing to pad, the end value holds as SWMM's baseline does
    expect(f.times).toHaveLength(3);
    expect(m.warnings).toEqual([]);
  });

  it('converts US units (CFS, feet) to metres and m³/s, and LPS/MLD/GPM/MGD flows', () => {
    const m = readSwmmInp(inp('CFS'));
    const j1 = m.network.nodes[0]!;
    expect(j1.invertElevationM).toBeCloseTo(10 * FT, 12);
    expect(j1.kind === 'junction' && j1.maxDepthM).toBeCloseTo(5 * FT, 12);
    expect(j1.kind === 'junction' && j1.surfaceAreaM2).toBeCloseTo(2 * FT * FT, 12);
    expect(j1.kind === 'junction' && j1.pondedAreaM2).toBeCloseTo(20 * FT * FT, 12);
    expect(m.network.links[0]!.lengthM).toBeCloseTo(100 * FT, 12);
    expect(m.network.links[0]!.initialFlowM3s).toBeCloseTo(0.1 * CFS, 12);
    expect(m.network.links[2]!.section).toMatchObject({ heightM: 2 * FT, bottomWidthM: 3 * FT, leftSlope: 1.5, rightSlope: 2 });
    expect((m.network.nodes[2] as OutfallNode).boundary).toEqual({ type: 'fixed', stageM: 8.5 * FT });
    expect(m.inflows[0]!.flowsM3s[1]).toBeCloseTo(20.5 * CFS, 12);
    const flowAt1h = (units: string): number => readSwmmInp(inp(units)).inflows[0]!.flowsM3s[1]!;
    expect(flowAt1h('LPS')).toBeCloseTo(0.0205, 12);
    expect(flowAt1h('MLD')).toBeCloseTo((20.5 * 1000) / 86400, 12);
    expect(flowAt1h('GPM')).toBeCloseTo((20.5 * 0.003785411784) / 60, 12);
    expect(flowAt1h('MGD')).toBeCloseTo((20.5 * 3785.411784) / 86400, 12);
    // GPM and MGD are US: lengths in feet; LPS and MLD are SI.
    expect(readSwmmInp(inp('GPM')).network.links[0]!.lengthM).toBeCloseTo(100 * FT, 12);
    expect(readSwmmInp(inp('MLD')).network.links[0]!.lengthM).toBe(100);
  });

  it("EPA's EXTRAN example 1 in feet: inverts, offsets, trapezoids, 1.167 m² nodes, the inflow plateau", () => {
    const m = readSwmmInp(readFileSync(join(FIXTURE_DIR, 'extran1.inp'), 'utf8'), 'extran1.inp');
    expect(m.network.nodes).toHaveLength(10);
    expect(m.network.links).toHaveLength(9);
    const link8060 = m.network.links.find((l) => l.id === '8060')!;
    expect(link8060.outOffsetM).toBeCloseTo(2.2 * FT, 12);
    expect(m.network.nodes[0]!.kind === 'junction' && m.network.nodes[0]!.surfaceAreaM2).toBeCloseTo(12.566 * FT * FT, 9);
    expect(m.inflows.find((f) => f.nodeId === '80408')!.flowsM3s[1]).toBeCloseTo(45 * CFS, 12);
    expect(m.options.durationS).toBe(8 * 3600);
  });

  it('maps TIDAL curves and TIMESERIES outfalls to stage series, LINK_OFFSETS ELEVATION to depths, MAP feet to metres', () => {
    const text = inp('CMS')
      .replace('O2 8 FREE', 'O2 8 TIDAL tide\nO3 8 TIMESERIES stage')
      .replace('C3 J2 O2 50 0.02 0 0', 'C3 J2 O2 50 0.02 9.5 *\nC4 J2 O3 50 0.02 0 0')
      .replace('C3 TRAPEZOIDAL 2 3 1.5 2 1', 'C3 TRAPEZOIDAL 2 3 1.5 2 1\nC4 CIRCULAR 1')
      .replace('FLOW_UNITS CMS', 'FLOW_UNITS CMS\nLINK_OFFSETS ELEVATION')
      .replace('[TIMESERIES]', '[TIMESERIES]\nstage 0 8.1 2 8.3')
      .concat('\n[CURVES]\ntide Tidal 0 1.0 12 2.0\ntide 24 1.0\n\n[MAP]\nUnits Feet\n');
    const m = readSwmmInp(text);
    const o2 = m.network.nodes.find((n) => n.id === 'O2') as OutfallNode;
    expect(o2.boundary.type).toBe('timeseries');
    if (o2.boundary.type !== 'timeseries') return;
    // hour 0 → 1.0 m, hour 12 → 2.0 m, repeating daily over the 6.5 h run
    expect(o2.boundary.times.slice(0, 2)).toEqual([0, 12 * 3600]);
    expect(o2.boundary.stagesM.slice(0, 2)).toEqual([1, 2]);
    expect((m.network.nodes.find((n) => n.id === 'O3') as OutfallNode).boundary).toEqual({ type: 'timeseries', times: [0, 7200], stagesM: [8.1, 8.3] });
    const c3 = m.network.links.find((l) => l.id === 'C3')!;
    expect(c3.inOffsetM).toBeCloseTo(0.5, 12); // elevation 9.5 over J2's invert 9
    expect(c3.outOffsetM).toBe(0); // '*': at the node's invert
    expect(m.network.nodes[0]!.x).toBeCloseTo(100 * FT, 12);
  });

  it('ignores hydrology with a warning naming the line, drawing sections silently', () => {
    const text = inp('CMS', '\n[SUBCATCHMENTS]\nS1 G1 J1 1 50 100 0.5 0\n\n[VERTICES]\nC1 1 2\n[LABELS]\n1 2 "a label"\n');
    const m = readSwmmInp(text);
    expect(m.warnings).toEqual([`inp line ${lineOf(text, 'S1 G1')} [SUBCATCHMENTS]: ignored (1 lines) — runoff and quality come from the 2D surface model`]);
  });
});

describe('readSwmmInp: refusals name the section and the line', () => {
  const cases: Array<[string, string, string, string]> = [
    ['pumps', 'PUMPS', 'P1 J1 J2 curve ON 0 0', 'pumps are not modelled'],
    ['orifices', 'ORIFICES', 'R1 J1 J2 SIDE 0 0.65', 'orifices are not modelled'],
    ['weirs', 'WEIRS', 'W1 J1 J2 TRANSVERSE 0 3.33', 'weirs are not modelled'],
    ['storage', 'STORAGE', 'S1 5 10 0 FUNCTIONAL 1000 0 0', 'storage units are not modelled'],
    ['controls', 'CONTROLS', 'RULE R1', 'control rules are not modelled'],
    ['dry-weather flow', 'DWF', 'J1 FLOW 0.1', 'dry-weather inflows are not modelled'],
  ];
  for (const [name, section, row, reason] of cases) {
    it(name, () => {
      const text = inp('CMS', `\n[${section}]\n${row}\n`);
      expect(errorOf(text)).toBe(`net.inp line ${lineOf(text, row)} [${section}]: ${reason}; the pipe model would give a different answer without them`);
    });
  }
  it('an unknown section', () => {
    const text = inp('CMS', '\n[NONSENSE]\nx\n');
    expect(errorOf(text)).toBe(`net.inp line ${lineOf(text, '[NONSENSE]')}: unknown section [NONSENSE]`);
  });
  it('an unsupported cross-section shape', () => {
    const text = inp('CMS').replace('C1 CIRCULAR 1 0 0 0 1', 'C1 EGG 1 0 0 0 1');
    expect(errorOf(text)).toBe(
      `net.inp line ${lineOf(text, 'C1 EGG')} [XSECTIONS]: cross-section shape "EGG" of link "C1" is not supported (CIRCULAR, RECT_CLOSED, RECT_OPEN, TRAPEZOIDAL)`,
    );
  });
  it('barrels, minor losses, a conduit to nowhere, a missing section, a bad number, a bad option', () => {
    const refusals: Array<[string, string, string, RegExp]> = [
      ['C1 CIRCULAR 1 0 0 0 1', 'C1 CIRCULAR 1 0 0 0 2', 'C1 CIRCULAR', /\[XSECTIONS\]: 2 barrels are not modelled/],
      ['[TIMESERIES]', '[LOSSES]\nC1 0.5 0 0\n\n[TIMESERIES]', 'C1 0.5', /\[LOSSES\]: minor losses/],
      ['C3 J2 O2', 'C3 J2 O9', 'C3 J2', /\[CONDUITS\]: To node "O9" of conduit "C3" is not a junction or outfall/],
      ['C3 TRAPEZOIDAL 2 3 1.5 2 1', '', 'C3 J2', /\[CONDUITS\]: conduit "C3" has no \[XSECTIONS\] line/],
      ['J2 9 4', 'J2 nine 4', 'J2 nine', /\[JUNCTIONS\]: Elevation must be a number, got "nine"/],
      ['FLOW_UNITS CMS', 'FLOW_UNITS M3H', 'FLOW_UNITS', /\[OPTIONS\] FLOW_UNITS: "M3H" is not one of CFS/],
      ['hydro 0 0', 'hydro 2 0', 'hydro 1:00', /\[TIMESERIES\]: time series "hydro" goes back in time/],
      ['O1 8 FIXED 8.5 YES', 'O1 8 TIDAL nocurve', 'O1 8', /\[OUTFALLS\]: tidal curve "nocurve" is not defined/],
    ];
    for (const [from, to, at, message] of refusals) {
      const text = inp('CMS').replace(from, to);
      const error = errorOf(text);
      expect(error).toMatch(message);
      expect(error).toMatch(new RegExp(`^net\\.inp line ${lineOf(text, at)} `));
    }
  });
});
