/**
 * Campuses and works: schools with their sports grounds, the district hospital, and the
 * industrial park's sheds, factory blocks, dormitories and offices inside their yards.
 */
import type { BlockWork } from './blockWork';
import { rectFootprint, uFootprint } from './footprints';

export function schoolCampus(w: BlockWork, name: string, middle: boolean): void {
  const { rng } = w;
  const r = w.rect(3);
  w.placement.addArea({ kind: 'campus', name, ring: w.planRing(r) });
  const angle = w.streetAngle;
  // Sports ground (400 m track for a middle school where it fits, smaller otherwise) at one end.
  const width = r.p1 - r.p0;
  const height = r.q1 - r.q0;
  const [fw, fh] = middle && width > 200 && height > 110 ? [176, 96] : middle ? [140, 76] : [104, 60];
  const west = rng.chance(0.5);
  const fp0 = west ? r.p0 + 6 : r.p1 - 6 - Math.min(fw, width - 12);
  const field = { p0: fp0, p1: fp0 + Math.min(fw, width - 12), q0: r.q0 + 6, q1: r.q0 + 6 + Math.min(fh, height - 12) };
  if (field.p1 - field.p0 > 60 && field.q1 - field.q0 > 40) w.placement.reserve(w.planRing(field));
  const floors = middle ? 5 : 4;
  const teaching = w.placeFirst((x, y) => rectFootprint(x, y, 64, 16, angle), 'education', floors, 8, 14, [west ? 1 : 0, 1], { name });
  if (!teaching) return;
  w.placeFirst((x, y) => rectFootprint(x, y, 64, 16, angle), 'education', floors, 8, 14, [west ? 1 : 0, 0.55]);
  w.placeFirst((x, y) => rectFootprint(x, y, 30, 16, angle), 'education', 4, 8, 10, [west ? 1 : 0, 0]);
  w.placeFirst((x, y) => rectFootprint(x, y, 42, 30, angle), 'education', 2, 8, 10, [0.5, 1]);
  if (middle) {
    w.placeFirst((x, y) => rectFootprint(x, y, 52, 14, angle), 'residential', 6, 8, 12, [west ? 0 : 1, 1]);
    w.placeFirst((x, y) => rectFootprint(x, y, 36, 24, angle), 'education', 2, 8, 10, [0.5, 0]);
  }
}

export function hospitalCampus(w: BlockWork): void {
  const { rng } = w;
  const name = '滨海湾人民医院';
  w.placement.addArea({ kind: 'campus', name, ring: w.planRing(w.rect(3)) });
  const angle = w.streetAngle;
  w.placeFirst((x, y) => rectFootprint(x, y, 84, 40, angle), 'healthcare', 5, 10, 14, [0.5, 0], { name: `${name}门诊楼` });
  w.placeFirst((x, y) => rectFootprint(x, y, 64, 22, angle), 'healthcare', rng.int(18, 22), 10, 16, [0.5, 1], { name: `${name}住院楼` });
  w.placeFirst((x, y) => rectFootprint(x, y, 44, 30, angle), 'healthcare', 4, 10, 12, [0, 0.5]);
  w.placeFirst((x, y) => rectFootprint(x, y, 30, 16, angle), 'office', 6, 10, 12, [1, 0.5]);
  w.placeFirst((x, y) => rectFootprint(x, y, 24, 16, angle), 'healthcare', 2, 10, 10, [1, 1]);
}

type Works = 'shed' | 'factory' | 'dorm' | 'office';

export function industrialBlock(w: BlockWork, yardName: string): void {
  const { rng } = w;
  for (const parcel of w.openParcels(2)) w.placement.addArea({ kind: 'industrial-yard', name: yardName, ring: w.planRing(parcel) });
  const angle = w.streetAngle;
  w.lattice(
    8,
    angle,
    () => rng.range(55, 75),
    () => rng.range(60, 120),
    (x, y, cw, ch) => {
      const kind = rng.weighted<Works>([
        ['shed', 0.5],
        ['factory', 0.3],
        ['dorm', 0.14],
        ['office', 0.06],
      ]);
      // Fire lanes of 10 m or more between works buildings.
      const bw = cw - 12;
      switch (kind) {
        case 'shed': {
          const fp = rng.chance(0.15) ? uFootprint(x, y, bw, ch - 12, bw * 0.3, (ch - 12) * 0.5, angle) : rectFootprint(x, y, bw, ch - 12, angle);
          const floors = rng.chance(0.7) ? 1 : 2;
          w.add(fp, 'industrial', floors, 8, 10, { extra: floors === 1 ? rng.range(3, 6) : 0 });
          break;
        }
        case 'factory':
          w.add(rectFootprint(x, y, Math.min(bw, 80), rng.range(20, 24), angle), 'industrial', rng.int(4, 6), 8, 10);
          break;
        case 'dorm':
          w.add(rectFootprint(x, y, Math.min(bw, 52), 13, angle), 'residential', 6, 8, 10);
          break;
        case 'office':
          w.add(rectFootprint(x, y, Math.min(bw, 40), 18, angle), 'office', rng.int(5, 9), 8, 10);
          break;
      }
    },
  );
}
