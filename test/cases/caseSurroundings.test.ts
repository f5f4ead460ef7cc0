/**
 * The drill-in surroundings: poles near a case nearest first, cameras only where a pole carries a
 * camera or traffic-camera terminal, radius and limit respected. Poles are laid out at known
 * distances along a meridian and a parallel, where the haversine distance is exact.
 */
import { describe, expect, it } from 'vitest';
import { caseSurroundings } from '../../client/src/features/cases/core/caseSurroundings';
import type { TerminalType } from '../../domain/terminals';
import type { PoleRecord, TerminalRecord } from '../../domain/twinPackage';

/** Metres per degree of latitude on the sphere `distanceM` uses. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;
const SITE = { lon: 113.7, lat: 22.83 };

function pole(id: string, northM: number, eastM: number, terminals: TerminalType[], at = SITE): { pole: PoleRecord; terminals: TerminalRecord[] } {
  const lat = at.lat + northM / M_PER_DEG;
  const lon = at.lon + eastM / (M_PER_DEG * Math.cos((at.lat * Math.PI) / 180));
  const records = terminals.map((type, i): TerminalRecord => ({ id: `${id}-${type}-${i}`, poleId: id, type, model: 'test' }));
  return {
    pole: { id, code: id, lon, lat, groundHeight: 2, heightM: 8, roadId: 'R1', terminalIds: records.map((t) => t.id) },
    terminals: records,
  };
}

function layout(entries: Array<{ pole: PoleRecord; terminals: TerminalRecord[] }>): { poles: PoleRecord[]; terminals: Map<string, TerminalRecord> } {
  return {
    poles: entries.map((e) => e.pole),
    terminals: new Map(entries.flatMap((e) => e.terminals).map((t) => [t.id, t])),
  };
}

describe('caseSurroundings', () => {
  // Deliberately out of distance order, so sorting is tested too.
  const city = layout([
    pole('P-far', 400, 0, ['lamp', 'camera']),
    pole('P-100', 100, 0, ['lamp', 'traffic-camera']),
    pole('P-20', -20, 0, ['lamp', 'environment']),
    pole('P-60', 0, 60, ['lamp', 'camera', 'cover-sensor']),
    pole('P-149', 0, -149, ['lamp']),
    pole('P-151', 151, 0, ['camera']),
    pole('P-5', 5, 0, ['lamp', 'water-level']),
  ]);

  it('lists the poles within the radius nearest first, with their distances', () => {
    const around = caseSurroundings(SITE.lon, SITE.lat, city.poles, city.terminals, 150, 12);
    expect(around.poles.map((p) => p.pole.id)).toEqual(['P-5', 'P-20', 'P-60', 'P-100', 'P-149']);
    const expected = [5, 20, 60, 100, 149];
    around.poles.forEach((p, i) => expect(p.distanceM).toBeCloseTo(expected[i]!, 1));
  });

  it('marks cameras only where a camera or traffic-camera terminal is on the pole', () => {
    const around = caseSurroundings(SITE.lon, SITE.lat, city.poles, city.terminals, 150, 12);
    expect(around.cameras.map((p) => [p.pole.id, p.cameraIds])).toEqual([
      ['P-60', ['P-60-camera-1']],
      ['P-100', ['P-100-traffic-camera-1']],
    ]);
    // Poles with lamps, sensors and environment boxes only carry no camera ids.
    expect(around.poles.find((p) => p.pole.id === 'P-20')!.cameraIds).toEqual([]);
    expect(around.poles.find((p) => p.pole.id === 'P-149')!.cameraIds).toEqual([]);
  });

  it('ignores terminal ids the map does not know', () => {
    const orphan = pole('P-orphan', 10, 0, ['camera']);
    const around = caseSurroundings(SITE.lon, SITE.lat, [orphan.pole], new Map(), 150, 12);
    expect(around.poles.map((p) => p.pole.id)).toEqual(['P-orphan']);
    expect(around.cameras).toEqual([]);
  });

  it('respects a smaller radius and the limit', () => {
    const within70 = caseSurroundings(SITE.lon, SITE.lat, city.poles, city.terminals, 70, 12);
    expect(within70.poles.map((p) => p.pole.id)).toEqual(['P-5', 'P-20', 'P-60']);
    expect(within70.cameras.map((p) => p.pole.id)).toEqual(['P-60']);
    expect([within70.poleCount, within70.cameraCount]).toEqual([3, 1]);

    const firstTwo = caseSurroundings(SITE.lon, SITE.lat, city.poles, city.terminals, 500, 2);
    expect(firstTwo.poles.map((p) => p.pole.id)).toEqual(['P-5', 'P-20']);
    // The counts tell how many are within the radius beyond the limit.
    expect([firstTwo.poleCount, firstTwo.cameraCount]).toEqual([7, 4]);
    // The camera list is limited on its own, not cut from the limited pole list.
    expect(firstTwo.cameras.map((p) => p.pole.id)).toEqual(['P-60', 'P-100']);

    const wide = caseSurroundings(SITE.lon, SITE.lat, city.poles, city.terminals, 500, 12);
    expect(wide.poles.map((p) => p.pole.id)).toEqual(['P-5', 'P-20', 'P-60', 'P-100', 'P-149', 'P-151', 'P-far']);
  });

  it('keeps east–west neighbours at high latitude, where a degree of longitude is short', () => {
    const north = { lon: 10, lat: 60 };
    const entries = layout([pole('E-140', 0, 140, ['camera'], north), pole('W-160', 0, -160, ['camera'], north)]);
    const around = caseSurroundings(north.lon, north.lat, entries.poles, entries.terminals, 150, 12);
    expect(around.poles.map((p) => p.pole.id)).toEqual(['E-140']);
    expect(around.poles[0]!.distanceM).toBeCloseTo(140, 0);
  });

  it('returns empty lists when nothing is near', () => {
    const around = caseSurroundings(SITE.lon + 1, SITE.lat, city.poles, city.terminals, 150, 12);
    expect(around).toEqual({ poles: [], cameras: [], poleCount: 0, cameraCount: 0 });
  });
});
