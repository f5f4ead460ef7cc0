/**
 * An IFC model placed by its own georeferencing when `--at` is not given: the Duplex's IfcSite
 * reference point (and the same file given a TrueNorth), and a small IFC 4 model written here
 * with an IfcMapConversion to CGCS2000 Gauss–Krüger (EPSG:4547), in millimetres. The footprint
 * corners are checked against the map conversion's formula, the origin against the meridian arc
 * on GRS80 and the heading against the grid's meridian convergence; unknown CRSs are refused
 * naming them, and `--at` still wins.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crsTransform } from '../../../kernel/crs/crs';
import { epsgFromCrsName } from '../../../kernel/crs/prjCrs';
import { EnuFrame, ecefToGeodetic } from '../../../kernel/geodesy';
import { importIfcFile } from '../../../tiles/import/ifcFile';
import { headingFromTrueNorth } from '../../../tiles/import/ifc/ifcGeoreference';
import { placementOf } from '../../../tiles/import/ifc/ifcPlacement';
import { readIfc } from '../../../tiles/import/ifc/readIfc';
import { useTmpDir } from './tmpFiles';

const DUPLEX = path.resolve('test/fixtures/real/duplex.ifc.gz');
const tmp = useTmpDir();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** IfcCompoundPlaneAngleMeasure from the STEP text, as degrees (every part carries the sign). */
const dms = (t: string): number => {
  const [d, m, s, us] = t.split(',').map(Number) as [number, number, number, number];
  return d + m / 60 + (s + us / 1e6) / 3600;
};

/** Outer ring of a feature's footprint, [lon, lat]. */
function ring(feature: { geometry: { type: string; coordinates: unknown } }): Array<[number, number]> {
  const g = feature.geometry;
  const polygon = (g.type === 'Polygon' ? g.coordinates : (g.coordinates as unknown[])[0]) as Array<Array<[number, number]>>;
  return polygon[0]!;
}

/** Distance in metres from [lon, lat] to the nearest footprint vertex. */
function nearestVertexM(vertices: Array<[number, number]>, lon: number, lat: number): number {
  const frame = new EnuFrame(lon, lat, 0);
  return Math.min(...vertices.map(([x, y]) => Math.hypot(...frame.fromGeodetic(x, y, 0).slice(0, 2))));
}

describe('the Duplex placed by its IfcSite', () => {
  it('takes RefLatitude/RefLongitude as the origin and +y as north when there is no TrueNorth', async () => {
    const text = gunzipSync(await readFile(DUPLEX)).toString('latin1');
    const site = /IFCSITE\([^)]*?,\(([-\d,]+)\),\(([-\d,]+)\)/.exec(text)!;
    const model = await readIfc(enc(text), 'duplex.ifc');
    expect(model.georeference.mapConversion).toBeUndefined();
    expect(model.georeference.trueNorth).toBeUndefined();
    const chosen = placementOf(model, undefined);
    expect(chosen.placement.lat).toBeCloseTo(dms(site[1]!), 9);
    expect(chosen.placement.lon).toBeCloseTo(dms(site[2]!), 9);
    expect(chosen.placement.headingDeg).toBe(0);
    expect(chosen.source).toMatch(/^IfcSite RefLatitude\/RefLongitude\/RefElevation \(41\.8744, -87\.6394\d*, 0 m\), no TrueNorth/);
    // --at still wins, and says what it overrides.
    expect(placementOf(model, { lon: 102.71, lat: 25.04, headingDeg: 0 }).source).toBe("--at (overrides the file's IfcSite reference point)");
  });

  it('turns the model by the context TrueNorth exactly as --at with that heading does', async () => {
    const text = gunzipSync(await readFile(DUPLEX)).toString('latin1');
    const model = "#27=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-009,#26,$);";
    expect(text).toContain(model);
    // True north along model (−0.5, 0.866): the model's +y points 30° east of north.
    const turned = text.replace(model, "#27=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-009,#26,#999999);\n#999999=IFCDIRECTION((-0.5,0.866025403784439));");
    const file = await tmp.write('duplex-north.ifc', turned);
    const own = await importIfcFile({ file }, 0);
    expect(own.bim.placement.headingDeg).toBeCloseTo(30, 9);
    expect(own.notes.join('\n')).toMatch(/from IfcSite .*TrueNorth \(-0\.5, 0\.866025\) → heading 30°/);
    const p = own.bim.placement;
    const given = await importIfcFile({ file: DUPLEX, at: { lon: p.lon, lat: p.lat, height: p.height!, headingDeg: 30 } }, 0);
    expect(ring(own.feature)).toEqual(ring(given.feature));
    expect(headingFromTrueNorth([1, 0])).toBe(270);
    expect(headingFromTrueNorth([0, 1])).toBe(0);
  });
});

/** One storey, one 10 × 6 × 3 m wall block and one room, in millimetres, with an IfcMapConversion. */
function smallIfc4(options: { crsName?: string; eastings?: number; mapConversion?: boolean; site?: string } = {}): string {
  const { crsName = 'EPSG:4547', eastings = 500000, mapConversion = true, site = '$,$,$' } = options;
  const lines = [
    "#1=IFCPROJECT('0lY6P5Ur90TAQnnnI6wtnb',$,'P',$,$,$,$,(#20),#10);",
    '#10=IFCUNITASSIGNMENT((#11));',
    '#11=IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);',
    // The context's TrueNorth says +y is north: the map conversion, which says otherwise, wins.
    "#20=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#21,#25);",
    '#21=IFCAXIS2PLACEMENT3D(#22,$,$);',
    '#22=IFCCARTESIANPOINT((0.,0.,0.));',
    site === '$,$,$' ? '#25=IFCDIRECTION((0.,1.));' : '#25=IFCDIRECTION((-0.5,0.8660254037844386));',
    `#30=IFCPROJECTEDCRS('${crsName}','CGCS2000 / 3-degree Gauss-Kruger CM 114E','CGCS2000',$,'Gauss-Kruger',$,#31);`,
    '#31=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);',
    // x axis 30° counter-clockwise from grid east; Scale 0.001: model millimetres to map metres.
    ...(mapConversion ? [`#32=IFCMAPCONVERSION(#20,#30,${eastings.toFixed(3)},2522000.,12.5,0.8660254037844386,0.5,0.001);`] : []),
    `#40=IFCSITE('1xS3BCk291UvhgP2a6eflN',$,'Site',$,$,#41,$,$,.ELEMENT.,${site},$,$);`,
    '#41=IFCLOCALPLACEMENT($,#21);',
    "#50=IFCBUILDING('2hQBAVPOr5VxhS3Jl0O47h',$,'B',$,$,#51,$,$,.ELEMENT.,$,$,$);",
    '#51=IFCLOCALPLACEMENT(#41,#21);',
    "#60=IFCBUILDINGSTOREY('2eyxpyOx95m90jmsXLOuR0',$,'EG',$,$,#61,$,$,.ELEMENT.,0.);",
    '#61=IFCLOCALPLACEMENT(#51,#21);',
    "#70=IFCRELAGGREGATES('1Y0uyqfGvXQyvJl5QblObD',$,$,$,#1,(#40));",
    "#71=IFCRELAGGREGATES('0FWMHXglS7fAS5ox0icROM',$,$,$,#40,(#50));",
    "#72=IFCRELAGGREGATES('3Gf2Yx4rT0Kf5lB0v8N2aQ',$,$,$,#50,(#60));",
    "#80=IFCSPACE('0BTBFw6f90Nfh9rP1dlXrr',$,'R1',$,$,#81,#82,'Room',.ELEMENT.,.INTERNAL.,$);",
    '#81=IFCLOCALPLACEMENT(#61,#21);',
    '#82=IFCPRODUCTDEFINITIONSHAPE($,$,(#83));',
    "#83=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#84));",
    '#84=IFCEXTRUDEDAREASOLID(#85,#21,#88,3000.);',
    '#85=IFCRECTANGLEPROFILEDEF(.AREA.,$,#86,10000.,6000.);',
    '#86=IFCAXIS2PLACEMENT2D(#87,$);',
    '#87=IFCCARTESIANPOINT((5000.,3000.));',
    '#88=IFCDIRECTION((0.,0.,1.));',
    "#90=IFCRELAGGREGATES('2Xx8Wk9cH1Ev3Tn6Pq7Lz0',$,$,$,#60,(#80));",
    "#100=IFCWALL('1Tb5rWq8z3Gf0aBcDeFgHi',$,'W1',$,$,#81,#101,$,.SOLIDWALL.);",
    '#101=IFCPRODUCTDEFINITIONSHAPE($,$,(#102));',
    "#102=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#84));",
    "#110=IFCRELCONTAINEDINSPATIALSTRUCTURE('0aB1cD2eF3gH4iJ5kL6mN7',$,$,$,(#100),#60);",
  ];
  return (
    "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [ReferenceView]'),'2;1');\nFILE_NAME('g.ifc','2026-12-07T00:00:00',(''),(''),'','','');\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n" +
    lines.join('\n') +
    '\nENDSEC;\nEND-ISO-10303-21;\n'
  );
}

/** Latitude of northing 2,522,000 m on the central meridian: the GRS80 meridian arc (series to e⁶) solved by Newton's method. */
const LAT_OF_N = 22.79648680316576;

describe('an IFC 4 model placed by its IfcMapConversion', () => {
  it('puts the origin at (Eastings, Northings) and turns +y by the x axis, on the central meridian', async () => {
    const file = await tmp.write('mapconv.ifc', smallIfc4());
    const imported = await importIfcFile({ file }, 0);
    const p = imported.bim.placement;
    expect(p.lon).toBeCloseTo(114, 9);
    expect(p.lat).toBeCloseTo(LAT_OF_N, 8);
    expect(p.height).toBe(12.5);
    // x axis 30° counter-clockwise from grid east: +y 30° west of north; no convergence on the CM.
    expect(p.headingDeg).toBeCloseTo(330, 6);
    const note = imported.notes.find((n) => n.includes('placed at'))!;
    expect(note).toContain('from IfcMapConversion to EPSG:4547 ("EPSG:4547"): E 500000, N 2522000, H 12.5, x axis 30° from grid east');
    expect(imported.notes.some((n) => n.includes('Scale'))).toBe(false);
    // The wall's corners (0..10 m × 0..6 m) where the map conversion's formula puts them on the grid.
    const grid = crsTransform('EPSG:4547');
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const vertices = ring(imported.feature);
    for (const [x, y] of [[0, 0], [10, 0], [10, 6], [0, 6]] as const) {
      const [lon, lat] = grid.toLonLat(500000 + x * c - y * s, 2522000 + x * s + y * c);
      expect(nearestVertexM(vertices, lon, lat)).toBeLessThan(0.01);
    }
  });

  it('adds the meridian convergence off the central meridian', async () => {
    const model = await readIfc(enc(smallIfc4({ eastings: 540000 })), 'east.ifc');
    const { placement } = placementOf(model, undefined);
    const dLon = ((placement.lon - 114) * Math.PI) / 180;
    const phi = (placement.lat * Math.PI) / 180;
    // Grid north is east of true north by γ = atan(tan Δλ · sin φ) (spherical; the ellipsoid adds < 1e-4° here).
    const gamma = (Math.atan(Math.tan(dLon) * Math.sin(phi)) * 180) / Math.PI;
    expect(gamma).toBeGreaterThan(0.15);
    expect(placement.headingDeg).toBeCloseTo(330 + gamma, 4);
  });

  it('finds the CRS from its name and refuses one it does not know, naming it', async () => {
    expect(epsgFromCrsName('CGCS2000 / 3-degree Gauss-Kruger CM 114E')).toBe('EPSG:4547');
    expect(epsgFromCrsName('CGCS2000 / 3-degree Gauss-Kruger zone 38')).toBe('EPSG:4526');
    expect(epsgFromCrsName('WGS 84 / UTM zone 50N')).toBe('EPSG:32650');
    expect(epsgFromCrsName('Local grid')).toBeUndefined();
    const byName = await readIfc(enc(smallIfc4({ crsName: 'CGCS2000 / 3-degree Gauss-Kruger CM 114E' })), 'named.ifc');
    expect(placementOf(byName, undefined).source).toContain('to EPSG:4547');
    const local = await readIfc(enc(smallIfc4({ crsName: 'Site grid 7' }).replace("'CGCS2000 / 3-degree Gauss-Kruger CM 114E','CGCS2000'", "$,'LOCAL'")), 'local.ifc');
    expect(() => placementOf(local, undefined)).toThrow(/^IfcProjectedCRS #30 "Site grid 7" \(local\.ifc line 15\): IfcMapConversion's target CRS "Site grid 7" \(datum LOCAL\) is not one citytwin knows/);
    expect(() => placementOf(local, undefined)).toThrow(/place the model with --at/);
    expect(placementOf(local, { lon: 114, lat: 22.8, headingDeg: 0 }).source).toBe("--at (overrides the file's IfcMapConversion)");
    // A Scale that does not turn the project's millimetres into the map's metres is reported, not applied.
    const unscaled = await readIfc(enc(smallIfc4().replace(',0.5,0.001);', ',0.5,1.);')), 'unscaled.ifc');
    expect(placementOf(unscaled, undefined).notes).toEqual(['IfcMapConversion Scale 1 (1000 m per model metre) is not applied: the model is placed at its true size']);
  });

  it('falls back to IfcSite and TrueNorth without a map conversion, in the project units', async () => {
    const file = await tmp.write('site.ifc', smallIfc4({ mapConversion: false, site: '(22,48,0,0),(114,0,0,0),5000.' }));
    const imported = await importIfcFile({ file }, 0);
    const p = imported.bim.placement;
    expect(p.lat).toBeCloseTo(22.8, 9);
    expect(p.lon).toBeCloseTo(114, 9);
    expect(p.height).toBeCloseTo(5, 9);
    expect(p.headingDeg).toBeCloseTo(30, 9);
    // Heading 30°: model (10, 0) m lies 8.66 m east and 5 m south of the origin, (0, 6) m 3 m east and 5.2 m north.
    const frame = new EnuFrame(114, 22.8, 0);
    for (const [e, n] of [[10 * Math.cos(Math.PI / 6), -10 * Math.sin(Math.PI / 6)], [6 * Math.sin(Math.PI / 6), 6 * Math.cos(Math.PI / 6)]] as const) {
      const q = frame.toEcef(e, n, 0);
      const g = ecefToGeodetic(q[0], q[1], q[2]);
      expect(nearestVertexM(ring(imported.feature), g.lon, g.lat)).toBeLessThan(0.01);
    }
    expect(imported.notes.join('\n')).toMatch(/from IfcSite .*\(22\.8, 114, 5 m\), TrueNorth \(-0\.5, 0\.866025\) → heading 30°/);
  });
});
