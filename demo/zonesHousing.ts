/**
 * Housing fabric: gated residential compounds of 18–33 floor towers with shops on their street
 * fronts, urban villages (城中村) of small 3–8 floor houses packed along alleys, and low villas
 * on the hill's lower slopes.
 */
import type { BuildingUse } from '../domain/citySource';
import type { BlockWork, Edge } from './blockWork';
import { lFootprint, rectFootprint, uFootprint } from './footprints';
import { SURNAMES } from './names';

const EDGES: Edge[] = ['south', 'east', 'north', 'west'];

/** Shops, 2–4 floors, along the edges that face secondary roads or the arterial. */
export function streetShops(w: BlockWork, setback: number, chance: number): void {
  const { rng } = w;
  for (const edge of EDGES) {
    if (w.edgeWidth(edge) < 24 || !rng.chance(chance)) continue;
    w.streetRow(
      edge,
      setback,
      () => ({ width: rng.range(18, 36), depth: rng.range(11, 15), use: 'commercial', floors: rng.int(2, 4) }),
      () => rng.range(4, 8),
      4,
    );
  }
}

type Typology = 'point' | 'slab' | 'ell' | 'walkup';

/** Footprint size, floors and spacing of each compound typology. */
const TYPOLOGIES: Record<Typology, { w: [number, number]; h: [number, number]; floors: [number, number]; rowGap: [number, number]; colGap: [number, number] }> = {
  // Point towers and slabs of 18–33 floors: the compounds of the 2000s onward.
  point: { w: [20, 24], h: [18, 22], floors: [24, 33], rowGap: [24, 32], colGap: [14, 20] },
  slab: { w: [38, 48], h: [14, 17], floors: [18, 30], rowGap: [26, 34], colGap: [12, 18] },
  ell: { w: [30, 34], h: [24, 28], floors: [18, 28], rowGap: [24, 30], colGap: [14, 18] },
  // Six-to-eight-floor walk-up rows of the 1990s, closer together.
  walkup: { w: [44, 56], h: [11, 13], floors: [6, 8], rowGap: [12, 16], colGap: [8, 12] },
};

export function residentialCompound(w: BlockWork): void {
  const { rng } = w;
  // Chinese homes face south: most compounds square their buildings to the compass, not the streets.
  const angle = rng.chance(0.6) ? rng.range(-0.05, 0.05) : w.streetAngle;
  const type = rng.weighted<Typology>([
    ['point', 0.25],
    ['slab', 0.25],
    ['ell', 0.15],
    ['walkup', 0.35],
  ]);
  const t = TYPOLOGIES[type];
  const fw = rng.range(...t.w);
  const fh = rng.range(...t.h);
  const baseFloors = rng.int(...t.floors);
  const gap = type === 'walkup' ? 6 : 10;
  w.array(8, angle, fw, fh, fw + rng.range(...t.colGap), fh + rng.range(...t.rowGap), (x, y) => {
    if (rng.chance(0.05)) return;
    const floors = Math.min(t.floors[1], Math.max(t.floors[0], baseFloors + rng.int(-2, 2)));
    const fp = type === 'ell' ? lFootprint(x, y, fw, fh, fw * 0.45, fh * 0.5, angle, rng.int(0, 3)) : rectFootprint(x, y, fw, fh, angle);
    w.add(fp, 'residential', floors, 8, gap);
  });
  // Shops along the busy street fronts, then a kindergarten and the compound's service rooms
  // (substation, refuse collection point, pump room) wherever there is space left.
  streetShops(w, 5, 0.6);
  if (rng.chance(0.6)) {
    const [kw, kh] = [rng.range(36, 44), rng.range(24, 30)];
    w.placeFirst((x, y) => rectFootprint(x, y, kw, kh, w.streetAngle), 'education', 3, 6, 6, [rng.next(), 1]);
  }
  const services = rng.int(1, 3);
  for (let k = 0; k < services; k++) {
    const [sw, sh] = [rng.range(8, 12), rng.range(6, 8)];
    w.placeFirst((x, y) => rectFootprint(x, y, sw, sh, w.streetAngle), 'public', 1, 4, 4, [rng.next(), rng.next()]);
  }
}

/** Urban village: houses on 8–13 m plots, 1–2 m apart, alleys every few plots, an ancestral hall. */
export function urbanVillage(w: BlockWork, withHall: boolean): void {
  const { rng } = w;
  const angle = w.streetAngle + rng.range(-0.2, 0.2);
  if (withHall) {
    const surname = rng.pick(SURNAMES);
    const hall = w.placeFirst((x, y) => rectFootprint(x, y, 18, 28, angle), 'public', 1, 5, 6, [0.5, 0.5], { name: `${surname}氏宗祠` });
    if (hall) {
      // The forecourt in front of the hall stays open.
      const [a, b] = [hall.ring[0]!, hall.ring[1]!];
      const dx = Math.sin(angle);
      const dy = -Math.cos(angle);
      w.placement.reserve([
        [a[0] + dx * 18, a[1] + dy * 18],
        [b[0] + dx * 18, b[1] + dy * 18],
        [b[0] + dx * 0.5, b[1] + dy * 0.5],
        [a[0] + dx * 0.5, a[1] + dy * 0.5],
      ]);
    }
  }
  const laneEvery = rng.int(3, 4);
  const alleyEvery = rng.int(5, 7);
  w.lattice(
    3,
    angle,
    (row) => rng.range(10, 14) + rng.range(1.5, 2.5) + (row % laneEvery === laneEvery - 1 ? rng.range(3.5, 5) : 0),
    (_row, col) => rng.range(8, 13) + rng.range(1.2, 2) + (col % alleyEvery === alleyEvery - 1 ? rng.range(3, 4) : 0),
    (x, y, cw, ch, row, col) => {
      if (rng.chance(0.07)) return;
      // The lot less its share of the gaps; an alley lot keeps the house to the normal size.
      const bw = Math.min(cw - 1.6, 13) * rng.range(0.92, 1);
      const bh = Math.min(ch - 1.8, 14) * rng.range(0.92, 1);
      const turn = angle + rng.range(-0.015, 0.015);
      const fp = rng.chance(0.1) ? lFootprint(x, y, bw, bh, bw * 0.55, bh * 0.55, turn, rng.int(0, 3)) : rectFootprint(x, y, bw, bh, turn);
      const floors = rng.weighted([
        [3, 5],
        [4, 10],
        [5, 20],
        [6, 25],
        [7, 25],
        [8, 15],
      ] as const);
      // Houses on the lanes often keep a shop on the ground floor.
      const use: BuildingUse = (row % laneEvery === 0 || col % alleyEvery === 0) && rng.chance(0.5) ? 'mixed' : 'residential';
      w.add(fp, use, floors, 3, 1);
    },
  );
}

/** Villas of two or three floors on the hill's lower slopes. */
export function hillsideVillas(w: BlockWork): void {
  const { rng } = w;
  const angle = w.streetAngle + rng.range(-0.08, 0.08);
  w.lattice(
    6,
    angle,
    () => rng.range(27, 33),
    () => rng.range(25, 31),
    (x, y) => {
      if (rng.chance(0.12)) return;
      const bw = rng.range(12, 16);
      const bh = rng.range(11, 14);
      const fp = rng.chance(0.25)
        ? lFootprint(x, y, bw, bh, bw * 0.5, bh * 0.5, angle, rng.int(0, 3))
        : rng.chance(0.1)
          ? uFootprint(x, y, bw + 4, bh, 5, bh * 0.45, angle, rng.int(0, 3))
          : rectFootprint(x, y, bw, bh, angle);
      w.add(fp, 'residential', rng.int(2, 3), 6, 4);
    },
  );
}
