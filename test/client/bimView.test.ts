/**
 * The indoor/BIM viewer's engine-free rules (client/src/features/bim/core): storey and category
 * names of the interior glb, explode lifts, a metadata row as the twin's room selection (IFC and
 * generated interiors), and walking at eye height.
 */
import { describe, expect, it } from 'vitest';
import { bimRow, categoryOfMaterial, explodeLiftM, EXPLODE_GAP_M, MAX_SHOWN_PROPERTIES, roomSelection, storeyOfNode, storeyShown } from '../../client/src/features/bim/core/bimView';
import { EYE_HEIGHT_M, look, lookDirection, standAt, step, walkIntent } from '../../client/src/features/bim/core/walk';

const IFC_ROW = {
  buildingId: 'ifc-1xS3BCk291UvhgP2a6eflK',
  floor: 1,
  storey: 'Level 1',
  category: 'space',
  ifcType: 'IfcSpace',
  globalId: '0BTBFw6f90Nfh9rP1dlXr$',
  name: 'A102',
  longName: 'Living Room',
  areaM2: 30.141645,
  elevationM: 0,
  properties: JSON.stringify({ 'PSet_Revit_Identity Data': { Number: 'A102', Name: 'Living Room' }, 'GSA Space Areas': { 'GSA BIM Area': 30.14 } }),
};

describe('BIM view rules', () => {
  it('reads categories from the material names of the interior glb', () => {
    expect(categoryOfMaterial('bim-window')).toBe('window');
    expect(categoryOfMaterial('room-office')).toBeUndefined();
    expect(categoryOfMaterial('bim-unknown')).toBeUndefined();
  });

  it('maps glb nodes to storeys and lifts exploded storeys apart', () => {
    expect(storeyOfNode('floor-1')).toBe(0);
    expect(storeyOfNode('floor-12')).toBe(11);
    expect(storeyOfNode('architecture')).toBeUndefined();
    expect(explodeLiftM(0, 1)).toBe(0);
    expect(explodeLiftM(3, 0.5)).toBe(1.5 * EXPLODE_GAP_M);
    expect(explodeLiftM(2, 7)).toBe(2 * EXPLODE_GAP_M);
    expect(storeyShown(2, null)).toBe(true);
    expect(storeyShown(2, 1)).toBe(false);
    expect(storeyShown(1, 1)).toBe(true);
  });

  it('turns an IFC row into the room selection, property sets flattened', () => {
    const row = bimRow(IFC_ROW)!;
    expect(row.areaM2).toBe(30.14);
    const s = roomSelection(row);
    expect(s).toMatchObject({ kind: 'room', id: IFC_ROW.globalId, buildingId: IFC_ROW.buildingId });
    expect(s.properties).toMatchObject({ name: 'A102', longName: 'Living Room', ifcType: 'IfcSpace', storey: 'Level 1', 'PSet_Revit_Identity Data.Number': 'A102', 'GSA Space Areas.GSA BIM Area': 30.14 });
    const many = { ...IFC_ROW, properties: JSON.stringify({ P: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, i])) }) };
    expect(Object.keys(roomSelection(bimRow(many)!).properties).filter((k) => k.startsWith('P.'))).toHaveLength(MAX_SHOWN_PROPERTIES);
    expect(roomSelection(bimRow({ ...IFC_ROW, properties: '{not json' })!).properties.globalId).toBe(IFC_ROW.globalId);
  });

  it('reads a generated interior room as a space, and nothing else', () => {
    const row = bimRow({ buildingId: 'b1', floor: 2, roomId: 'F2-R3', use: 'office', areaM2: 40, elevationM: 7 })!;
    expect(row).toMatchObject({ globalId: 'F2-R3', category: 'space', longName: 'office', storey: '3', floor: 2 });
    expect(bimRow({ id: 'x' })).toBeUndefined();
    expect(bimRow(undefined)).toBeUndefined();
  });
});

describe('walking at eye height', () => {
  it('stands at eye height, turns and looks, never leaving the floor', () => {
    let pose = standAt(2, 3.1, -4);
    expect(pose.position).toEqual([2, 3.1 + EYE_HEIGHT_M, -4]);
    // Looking north (−z); a step forward goes north, a step right goes east.
    expect(step(pose, 1, 0).position).toEqual([2, 3.1 + EYE_HEIGHT_M, -5]);
    const right = step(pose, 0, 1).position;
    expect(right[0]).toBeCloseTo(3, 12);
    expect(right[2]).toBeCloseTo(-4, 12);
    // Dragging right turns right (to the east); looking down stays horizontal when walking.
    pose = look(pose, Math.PI / 2 / 0.004, 200);
    const [dx, dy] = lookDirection(pose);
    expect(dx).toBeGreaterThan(0);
    expect(dy).toBeLessThan(0);
    const ahead = step(pose, 2, 0).position;
    expect(ahead[0]).toBeCloseTo(4, 9);
    expect(ahead[1]).toBe(3.1 + EYE_HEIGHT_M);
    // Pitch stops short of straight down.
    expect(look(pose, 0, 1e6).pitch).toBeCloseTo((-85 * Math.PI) / 180, 12);
  });

  it('reads held keys as walking intent', () => {
    expect(walkIntent(new Set(['w', 'd']))).toEqual({ forward: 1, right: 1 });
    expect(walkIntent(new Set(['ArrowDown', 'ArrowLeft']))).toEqual({ forward: -1, right: -1 });
    expect(walkIntent(new Set(['w', 's']))).toEqual({ forward: 0, right: 0 });
  });
});
