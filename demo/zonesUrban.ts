/**
 * Central fabric: CBD towers of 100–250 m around the central plaza, mid-rise commercial blocks
 * along the streets, the waterfront's hotels and convention centre, coastal parks, and the civic
 * quarter (citizens' service centre, library, cultural centre, police and fire stations).
 */
import type { BlockWork } from './blockWork';
import { rectFootprint } from './footprints';
import { clamp, type Vec2 } from './geometry';
import { streetShops } from './zonesHousing';
import { floorsForHeight } from './storeys';

/** Tallest tower height and the fall-off with distance from the CBD's centre. */
const CBD_PEAK_M = 250;
const CBD_FLOOR_M = 100;
const CBD_FALLOFF_M = 650;

export function cbdBlock(w: BlockWork, centre: Vec2): void {
  const { rng } = w;
  if (w.block.use === 'plaza') {
    const ring = w.planRing(w.rect(6));
    w.placement.reserve(ring);
    w.placement.addArea({ kind: 'plaza', name: '滨海湾中央广场', ring });
    return;
  }
  const angle = w.streetAngle;
  // One or two towers per block, set back behind a forecourt.
  w.lattice(
    10,
    angle,
    () => rng.range(62, 75),
    () => rng.range(58, 70),
    (x, y) => {
      const d = Math.hypot(x - centre[0], y - centre[1]);
      const target = clamp(CBD_PEAK_M - (CBD_PEAK_M - CBD_FLOOR_M) * (d / CBD_FALLOFF_M) + rng.range(-25, 20), CBD_FLOOR_M, CBD_PEAK_M);
      const side = target > 170 ? rng.range(40, 48) : rng.range(32, 42);
      const turn = rng.chance(0.15) ? angle + Math.PI / 4 : angle;
      const floors = floorsForHeight('office', target - 6);
      w.add(rectFootprint(x, y, side, side * rng.range(0.8, 1), turn), 'office', floors, 10, 14, { extra: rng.range(3, 9) });
    },
  );
  // Podium-scale shops and restaurants between the towers.
  w.lattice(
    5,
    angle,
    () => rng.range(22, 28),
    () => rng.range(28, 36),
    (x, y, cw, ch) => {
      w.add(rectFootprint(x, y, cw - 8, ch - 8, angle), 'commercial', rng.int(3, 5), 5, 6);
    },
  );
}

/** Mid-rise perimeter block: shops below flats or offices along every street, slabs inside. */
export function commercialBlock(w: BlockWork): void {
  const { rng } = w;
  const angle = w.streetAngle;
  const fw = rng.range(26, 32);
  const fh = rng.range(13, 15);
  w.array(24, angle, fw, fh, fw + rng.range(8, 12), fh + rng.range(14, 20), (x, y) => {
    if (rng.chance(0.15)) return;
    w.add(rectFootprint(x, y, fw, fh, angle), rng.chance(0.7) ? 'residential' : 'mixed', rng.int(8, 16), 20, 8);
  });
  for (const edge of ['south', 'north', 'west', 'east'] as const) {
    w.streetRow(
      edge,
      4,
      () => ({
        width: rng.range(16, 30),
        depth: rng.range(14, 18),
        use: rng.chance(0.6) ? 'mixed' : 'commercial',
        floors: rng.int(4, 12),
      }),
      () => rng.range(3, 6),
      3,
    );
  }
}

/**
 * Hotels and shops facing the sea. When `withConvention` is set the block first tries to hold
 * the convention centre, and then holds only that; returns whether it did.
 */
export function waterfrontBlock(w: BlockWork, hotelName: () => string, withConvention: boolean): boolean {
  const { rng } = w;
  const angle = w.streetAngle;
  if (withConvention) {
    const hall = w.placeFirst((x, y) => rectFootprint(x, y, 110, 64, angle), 'public', 3, 10, 12, [0.5, 0.4], { name: '滨海湾会展中心' });
    if (hall) return true;
  }
  if (rng.chance(0.8)) {
    const [hw, hh] = [rng.range(48, 58), rng.range(20, 24)];
    w.placeFirst((x, y) => rectFootprint(x, y, hw, hh, angle), 'commercial', rng.int(24, 40), 12, 14, [rng.next(), 0.8], {
      name: hotelName(),
    });
  }
  streetShops(w, 5, 0.8);
  w.lattice(
    14,
    angle,
    () => rng.range(40, 50),
    () => rng.range(36, 46),
    (x, y) => {
      if (rng.chance(0.4)) return;
      w.add(rectFootprint(x, y, rng.range(22, 30), rng.range(16, 22), angle), 'commercial', rng.int(2, 6), 10, 10);
    },
  );
  return false;
}

/** A park with one to three pavilions: the coastal parks and small neighbourhood parks. */
export function parkBlock(w: BlockWork, name: string): void {
  const { rng } = w;
  for (const parcel of w.openParcels(3)) w.placement.addArea({ kind: 'park', name, ring: w.planRing(parcel) });
  const pavilions = rng.int(1, 3);
  for (let k = 0; k < pavilions; k++) {
    const side = rng.range(8, 14);
    const turn = w.streetAngle + rng.range(0, 0.5);
    w.placeFirst((x, y) => rectFootprint(x, y, side, side, turn), 'public', 1, 10, 25, [rng.next(), rng.next()]);
  }
}

/** The emergency services a civic block may hold; each is built once in the district. */
export type Station = 'police' | 'fire';

export function civicBlock(w: BlockWork, nextStation: () => Station | undefined): void {
  const { rng } = w;
  const angle = w.streetAngle;
  const use = w.block.use;
  if (use === 'civic-centre') {
    const main = w.placeFirst((x, y) => rectFootprint(x, y, 60, 40, angle), 'public', rng.int(12, 16), 10, 12, [0.5, 1], { name: '滨海湾市民服务中心' });
    if (main) {
      // The civic plaza fills the block south of the service centre.
      const r = w.rect(8);
      // ring[0] is the building's south-west corner (it is square to the plan axes).
      const southQ = w.frame.toPlan(main.ring[0]![0], main.ring[0]![1])[1];
      const q1 = Math.min(southQ - 6, r.q1);
      if (q1 - r.q0 > 20) {
        const plaza = w.planRing({ p0: r.p0, p1: r.p1, q0: r.q0, q1 });
        w.placement.reserve(plaza);
        w.placement.addArea({ kind: 'plaza', name: '市民广场', ring: plaza });
      }
    }
    return;
  }
  if (use === 'culture') {
    w.placeFirst((x, y) => rectFootprint(x, y, 64, 44, angle), 'public', 5, 10, 15, [0.25, 0.5], { name: '滨海湾图书馆' });
    w.placeFirst((x, y) => rectFootprint(x, y, 76, 50, angle), 'public', 3, 10, 15, [0.8, 0.5], { name: '滨海湾文化中心' });
    return;
  }
  const station = nextStation();
  if (station === 'police') {
    w.placeFirst((x, y) => rectFootprint(x, y, 36, 18, angle), 'public', 5, 6, 8, [0, 0], { name: '滨海湾派出所' });
  } else if (station === 'fire') {
    w.placeFirst((x, y) => rectFootprint(x, y, 40, 24, angle), 'public', 3, 6, 8, [1, 0], { name: '滨海湾消防站' });
  }
  commercialBlock(w);
}
