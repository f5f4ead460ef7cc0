/**
 * `citytwin tiles build --ifc`: buildingSMART's Duplex Apartment (IFC2X3, test/fixtures/real)
 * becomes one building whose L5 interior has every IfcSpace as a room — GlobalId, number, name
 * and area as the IFC file states them, read here from the STEP text itself as the oracle — plus
 * its walls, doors, windows and stairs, and whose L3 shell is the model's faces; the glbs pass
 * the Khronos validator. Broken or unsupported IFC is refused naming the entity and line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRecord, TwinManifest } from '../../../domain/twinPackage';
import { interiorFileName } from '../../../domain/interiorFile';
import { assembleCitySource } from '../../../tiles/import/assembleSource';
import { parseAt, ModelToEnu, PlacementFrame } from '../../../tiles/import/ifc/ifcPlacement';
import { IfcImportError } from '../../../tiles/import/ifc/ifcModel';
import { readIfc } from '../../../tiles/import/ifc/readIfc';
import { buildTwin } from '../../../tiles/pipeline/index';
import { glbProblems } from '../../support/gltfValidator';
import { parseGlb, readPropertyTable, type PropertyValue } from '../glbReader';

const FIXTURE = path.resolve('test/fixtures/real/duplex.ifc.gz');
const AT = { lon: 102.71, lat: 25.04, headingDeg: 30 };

let dir: string;
let twin: TwinManifest;
let building: BuildingRecord;
let rows: Array<Record<string, PropertyValue>>;
let interiorBytes: Uint8Array;
let nodeNames: string[];
let ifcText: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citytwin-ifc-'));
  ifcText = gunzipSync(await readFile(FIXTURE)).toString('latin1');
  const { source } = await assembleCitySource({ ifc: { file: FIXTURE, at: { ...AT } } });
  await buildTwin({ source, outDir: path.join(dir, 'pkg'), basemapPx: 256, workers: 1 });
  twin = JSON.parse(await readFile(path.join(dir, 'pkg/twin.json'), 'utf8')) as TwinManifest;
  const records = JSON.parse(await readFile(path.join(dir, 'pkg/layers/buildings.json'), 'utf8')) as BuildingRecord[];
  building = records[0]!;
  interiorBytes = new Uint8Array(await readFile(path.join(dir, 'pkg', twin.files.interiors!.replace('{buildingId}', interiorFileName(building.id)))));
  const glb = parseGlb(interiorBytes);
  rows = readPropertyTable(glb);
  nodeNames = (glb.json.nodes as Array<{ name: string }>).map((n) => n.name);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every IFCSPACE line of the file: GlobalId, Name (the room number) and LongName. */
function spacesInFile(): Array<{ globalId: string; name: string; longName: string }> {
  const out: Array<{ globalId: string; name: string; longName: string }> = [];
  // IFCSPACE(GlobalId, OwnerHistory, Name, Description, ObjectType, ObjectPlacement, Representation, LongName, …)
  for (const m of ifcText.matchAll(/^#\d+=IFCSPACE\('([^']*)',[^,]*,'([^']*)',(?:'[^']*'|\$),(?:'[^']*'|\$),#\d+,#\d+,'([^']*)'/gm)) {
    out.push({ globalId: m[1]!, name: m[2]!, longName: m[3]! });
  }
  return out;
}

describe('IFC import (buildingSMART Duplex Apartment)', () => {
  it('makes one building with an interior file, placed where --at says', () => {
    expect(building.id).toMatch(/^ifc-[0-9A-Za-z_$]{22}$/);
    expect(building.interior).toBe(true);
    // The footprint's centroid lies within the duplex's extent (about 20 m) of the placement point.
    expect(Math.abs(building.lon - AT.lon) * 101_000).toBeLessThan(25);
    expect(Math.abs(building.lat - AT.lat) * 111_000).toBeLessThan(25);
    expect(building.height).toBeGreaterThan(5);
    // T/FDN, Level 1, Level 2 and Roof: the interior's storeys, so its floor index matches.
    expect(building.floors).toBe(4);
  });

  it('turns every IfcSpace into a room with its GlobalId, number, name and area', () => {
    const spaces = spacesInFile();
    expect(spaces).toHaveLength(21);
    const rooms = rows.filter((r) => r.category === 'space');
    expect(rooms.map((r) => r.globalId).sort()).toEqual(spaces.map((s) => s.globalId).sort());
    for (const s of spaces) {
      const room = rooms.find((r) => r.globalId === s.globalId)!;
      expect(room.name).toBe(s.name);
      expect(room.longName).toBe(s.longName);
      expect(room.buildingId).toBe(building.id);
      expect(room.areaM2 as number).toBeGreaterThan(0);
    }
    // Area as the file's quantity set states it: #68 IFCQUANTITYAREA('GSA BIM Area',…,30.14164524999992) of room A102.
    const living = rooms.find((r) => r.name === 'A102')!;
    expect(living.longName).toBe('Living Room');
    expect(living.areaM2 as number).toBeCloseTo(30.14, 2);
    expect(living.storey).toBe('Level 1');
    const props = JSON.parse(living.properties as string) as Record<string, Record<string, unknown>>;
    expect(props['PSet_Revit_Identity Data']).toMatchObject({ Number: 'A102', Name: 'Living Room' });
  });

  it('keeps walls, doors, windows and stairs as features with their GlobalIds, one node per storey', () => {
    const count = (c: string): number => rows.filter((r) => r.category === c).length;
    expect(count('door')).toBe((ifcText.match(/^#\d+=IFCDOOR\(/gm) ?? []).length);
    expect(count('window')).toBe((ifcText.match(/^#\d+=IFCWINDOW\(/gm) ?? []).length);
    expect(count('wall')).toBeGreaterThanOrEqual((ifcText.match(/^#\d+=IFCWALLSTANDARDCASE\(/gm) ?? []).length);
    expect(count('stair')).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.globalId)).size).toBe(rows.length);
    // T/FDN, Level 1, Level 2, Roof: floor 0 is the lowest storey.
    expect(nodeNames).toEqual(['floor-1', 'floor-2', 'floor-3', 'floor-4']);
    expect(rows.find((r) => r.storey === 'Level 2')!.floor).toBe(2);
  });

  it('writes interior and shell glbs the Khronos validator accepts, the shell from the model', async () => {
    expect(await glbProblems(interiorBytes, 'interior.glb')).toEqual([]);
    const tile = new Uint8Array(await readFile(path.join(dir, 'pkg/architecture/tiles/0_0_0.glb')));
    expect(await glbProblems(tile, 'architecture.glb')).toEqual([]);
    const shell = readPropertyTable(parseGlb(tile));
    expect(shell[0]).toMatchObject({ id: building.id, lod2: 1 });
  });
});

describe('IFC refusals', () => {
  const header = (schema: string): string =>
    `ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\nFILE_NAME('t.ifc','2026-01-01T00:00:00',(''),(''),'','','');\nFILE_SCHEMA(('${schema}'));\nENDSEC;\nDATA;\n`;
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('names the entity and line of a space whose representation is missing', async () => {
    const text =
      header('IFC4') +
      [
        "#1=IFCPROJECT('0lY6P5Ur90TAQnnnI6wtnb',$,'P',$,$,$,$,$,$);",
        "#2=IFCBUILDING('2hQBAVPOr5VxhS3Jl0O47h',$,'B',$,$,$,$,$,.ELEMENT.,$,$,$);",
        "#3=IFCBUILDINGSTOREY('2eyxpyOx95m90jmsXLOuR0',$,'EG',$,$,$,$,$,.ELEMENT.,0.);",
        "#4=IFCRELAGGREGATES('1Y0uyqfGvXQyvJl5QblObD',$,$,$,#2,(#3));",
        "#5=IFCSPACE('0BTBFw6f90Nfh9rP1dlXrr',$,'R1',$,$,$,#98,'Kitchen',.ELEMENT.,.INTERNAL.,$);",
        "#6=IFCRELAGGREGATES('0FWMHXglS7fAS5ox0icROM',$,$,$,#3,(#5));",
      ].join('\n') +
      '\nENDSEC;\nEND-ISO-10303-21;\n';
    const err = await readIfc(enc(text), 'broken.ifc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IfcImportError);
    expect((err as IfcImportError).message).toBe('IfcSpace #5 "R1" (broken.ifc line 12): Representation refers to #98, which is not in the file');
    expect((err as IfcImportError).entity).toBe('IfcSpace');
  });

  it('names a space without geometry, an IFC 4x3 schema and a file that is not STEP', async () => {
    const noGeometry =
      header('IFC2X3') +
      [
        "#2=IFCBUILDING('2hQBAVPOr5VxhS3Jl0O47h',$,'B',$,$,$,$,$,.ELEMENT.,$,$,$);",
        "#3=IFCBUILDINGSTOREY('2eyxpyOx95m90jmsXLOuR0',$,'EG',$,$,$,$,$,.ELEMENT.,0.);",
        "#5=IFCSPACE('0BTBFw6f90Nfh9rP1dlXrr',$,'R1',$,$,$,$,'Kitchen',.ELEMENT.,.INTERNAL.,$);",
      ].join('\n') +
      '\nENDSEC;\nEND-ISO-10303-21;\n';
    await expect(readIfc(enc(noGeometry), 'empty.ifc')).rejects.toThrow('IfcSpace #5 "R1" (empty.ifc line 10): the room has no body geometry');
    await expect(readIfc(enc(header('IFC4X3_ADD2') + 'ENDSEC;\n'), 'road.ifc')).rejects.toThrow("road.ifc line 5: FILE_SCHEMA 'IFC4X3_ADD2' is not supported (IFC2X3 and IFC4 are)");
    await expect(readIfc(enc('solid cube\nendsolid\n'), 'cube.stl')).rejects.toThrow('cube.stl line 1: not an IFC file');
    const bareGuid = noGeometry.replace("'2hQBAVPOr5VxhS3Jl0O47h'", "'not-a-guid'");
    await expect(readIfc(enc(bareGuid), 'guid.ifc')).rejects.toThrow('IfcBuilding #2 "B" (guid.ifc line 8): GlobalId "not-a-guid" is not a 22-character IFC GUID');
  });

  it('reads --at and turns the plan by the heading', () => {
    expect(parseAt('102.71,25.04')).toEqual({ lon: 102.71, lat: 25.04, headingDeg: 0 });
    expect(parseAt('102.71, 25.04, 1890.5, -90')).toEqual({ lon: 102.71, lat: 25.04, height: 1890.5, headingDeg: 270 });
    expect(() => parseAt('102.71')).toThrow('expected lon,lat[,height[,headingDeg]]');
    expect(() => parseAt('102.71,95')).toThrow('lat must be within');
    expect(() => parseAt('a,25')).toThrow('lon "a" is not a number');
    // Heading 90: the model's +y points east, its +x south.
    const [e, n] = new ModelToEnu(90).plan(0, 1, [0, 0]);
    expect(e).toBeCloseTo(1, 9);
    expect(n).toBeCloseTo(0, 9);
    const [e2, n2] = new ModelToEnu(90).plan(1, 0, [0, 0]);
    expect(e2).toBeCloseTo(0, 9);
    expect(n2).toBeCloseTo(-1, 9);
    // The shell's first-order placement stays within millimetres of the exact one 140 m out.
    const frame = new PlacementFrame({ lon: 102.71, lat: 25.04, headingDeg: 30 }, 1890);
    const exact = frame.geodetic(100, 100, 12);
    const [lon, lat, h] = frame.linear()(100, 100, 12, [0, 0, 0]);
    expect(Math.abs(lon - exact.lon) * 101_000).toBeLessThan(0.005);
    expect(Math.abs(lat - exact.lat) * 111_000).toBeLessThan(0.005);
    expect(Math.abs(h - exact.height)).toBeLessThan(0.005);
  });
});
