import { describe, expect, it } from 'vitest';
import { twinArterial, type RoadCollection, type SignalCollection } from '../../../simulations/greenwave/twinArterial';

const LAT = 22.8;
/** Degrees of longitude per metre at LAT on the mean-radius sphere. */
const DEG_PER_M = 180 / (Math.PI * 6_371_008.8 * Math.cos((LAT * Math.PI) / 180));
const at = (eastM: number, northM = 0): [number, number] => [113.7 + eastM * DEG_PER_M, LAT + (northM * 180) / (Math.PI * 6_371_008.8)];

function road(id: string, cls: 'arterial' | 'secondary', lanes: number, coords: [number, number][]): RoadCollection['features'][number] {
  return { type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { id, name: id, class: cls, lanes, widthM: lanes * 3.5, speedKmh: cls === 'arterial' ? 54 : 40 } };
}
function signal(id: string, roadIds: string[], p: [number, number], extra: Record<string, number> = {}): SignalCollection['features'][number] {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { id, code: '0', name: id, roadIds, ...extra } };
}

// An arterial bending north after 1 km, three crossings on it and one elsewhere.
const roads: RoadCollection = {
  type: 'FeatureCollection',
  features: [
    road('R1', 'arterial', 6, [at(0), at(1000), at(1000, 800)]),
    road('R2', 'secondary', 4, [at(400, -200), at(400, 200)]),
    road('R3', 'secondary', 2, [at(900, -200), at(900, 200)]),
    road('R4', 'secondary', 4, [at(800, 500), at(1200, 500)]),
  ],
};
const signals: SignalCollection = {
  type: 'FeatureCollection',
  features: [
    signal('X3', ['R1', 'R4'], at(1000, 500), { cycleSeconds: 120, greenSeconds: 70, offsetSeconds: 30 }),
    signal('X1', ['R1', 'R2'], at(400)),
    signal('X2', ['R1', 'R3'], at(900, 3)),
    signal('Y', ['R2', 'R3'], at(650, 900)),
  ],
};

describe('the arterial of a twin', () => {
  it('places the road’s signals by distance along it, in order', () => {
    const t = twinArterial(roads, signals);
    expect(t.roadId).toBe('R1');
    expect(t.arterial.intersections.map((s) => s.id)).toEqual(['X1', 'X2', 'X3']);
    const pos = t.arterial.intersections.map((s) => s.positionM);
    expect(pos[0]).toBeCloseTo(400, 0);
    expect(pos[1]).toBeCloseTo(900, 0);
    // Around the bend: 1000 m east, then 500 m north.
    expect(pos[2]).toBeCloseTo(1500, 0);
    expect(t.arterial.speedMps).toBeCloseTo(15, 9);
  });

  it('takes timings from the signals’ properties, else the simulation’s default plan', () => {
    const t = twinArterial(roads, signals, { cycleSeconds: 60 });
    // The longest cycle is common; 60 s default plans keep their split at 120 s.
    expect(t.arterial.cycleSeconds).toBe(120);
    const [x1, x2, x3] = t.arterial.intersections;
    // The arterial (6 lanes) is the main road: 48 of the plan's 90 s, stretched to 120 s.
    expect(x1!.greenSeconds).toBeCloseTo(48 * (120 / 90), 1);
    expect(x2!.greenSeconds).toBeCloseTo(48 * (120 / 90), 1);
    // Against a wider crossing road the arterial gets the cross road's 38 s.
    const narrow = twinArterial({ ...roads, features: roads.features.map((f) => (f.properties.id === 'R2' ? { ...f, properties: { ...f.properties, lanes: 8 } } : f)) }, signals);
    expect(narrow.arterial.intersections[0]!.greenSeconds).toBeCloseTo(38 * (120 / 90), 1);
    expect(x3!.greenSeconds).toBe(70);
    expect(t.arterial.offsetsSeconds).toEqual({ X3: 30 });
  });

  it('refuses a road with fewer than two signals', () => {
    expect(() => twinArterial(roads, signals, { roadId: 'R4' })).toThrow('road "R4" has 1 signal(s); a green wave needs at least 2');
    expect(() => twinArterial(roads, signals, { roadId: 'R9' })).toThrow('roadId: no road "R9" in the twin');
  });
});
