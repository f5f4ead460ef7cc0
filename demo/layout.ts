/**
 * The master plan: the street lattice in plan coordinates and what each piece of it is for.
 *
 * North–south secondaries are straight lines p = const about 300 m apart, two of them framing the
 * river's course. East–west lines follow the coast: the coastal road hugs the shore, the arterial
 * (Binhai Avenue) follows the coast's large bends 250–300 m inland, and each secondary further
 * inland repeats those bends more faintly. Between them lie superblocks; each gets a zone, and
 * local streets cut it into blocks of about 100–150 m.
 */
import { inDistrict, type PlanFrame } from './frame';
import { BEACH_MAX_WIDTH_M, RIVER_MAX_HALF_WIDTH_M, type Landform } from './landform';
import type { Rng } from '../kernel/random';
import { RIVER_GREENWAY_M, type Site } from './site';
import { assignBlockUses, assignZones } from './zoning';
import { EwLine, LINE_SPECS, type Block, type Layout, type LineKind, type NsLine, type Superblock, type ZoneKind } from './plan';

/** Offset of the arterial's mean line inland of the mean waterline, metres. */
const ARTERIAL_OFFSET_M = 280;
/** How far inland the coast's bends fade out of the east–west streets (e-folding distance). */
const BEND_DECAY_M = 700;
/** Plan half-extent the lattice covers: the district's corners reach about ±1650 m. */
export const PLAN_REACH_M = 1850;

export function planLayout(landform: Landform, frame: PlanFrame, site: Site, rng: Rng): Layout {
  const lf = landform;
  const coastalSpec = LINE_SPECS.coastal;
  const coastal = new EwLine(
    'coastal',
    coastalSpec.widthM,
    // Clear of the highest wiggle and the widest beach, plus a kerb margin.
    (p) => lf.coastTrendQ(p) + lf.coastWiggleMax + BEACH_MAX_WIDTH_M + coastalSpec.widthM / 2 + 6,
    -ARTERIAL_OFFSET_M,
  );
  const meanQ = lf.coastBaseQ + ARTERIAL_OFFSET_M;
  // The arterial follows the coast's large bends at 80 %, which keeps its heading within ~4° of
  // the plan axis, so crossings stay nearly square.
  const bend = (p: number): number => 0.8 * (lf.coastLargeQ(p) - lf.coastBaseQ);
  const arterial = new EwLine('arterial', LINE_SPECS.arterial.widthM, (p) => meanQ + bend(p), 0);
  const ewLineAt = (offset: number, kind: LineKind, widthM: number): EwLine => {
    const fade = Math.exp(-offset / BEND_DECAY_M);
    return new EwLine(kind, widthM, (p) => meanQ + offset + bend(p) * fade, offset);
  };

  const ewLines: EwLine[] = [coastal, arterial];
  for (let k = 1; ; k++) {
    const offset = 300 * k + rng.range(-20, 20);
    ewLines.push(ewLineAt(offset, 'ew-secondary', LINE_SPECS['ew-secondary'].widthM));
    if (meanQ + offset > PLAN_REACH_M) break;
  }

  // North–south secondaries: two frame the river's meander belt, the rest step out 300 m.
  const nsWidth = LINE_SPECS['ns-secondary'].widthM;
  const riverHalfCol = lf.riverSwing + RIVER_MAX_HALF_WIDTH_M + RIVER_GREENWAY_M + nsWidth / 2 + 4;
  const nsPs: number[] = [lf.riverAxisP - riverHalfCol, lf.riverAxisP + riverHalfCol];
  for (let p = nsPs[1]!; p < PLAN_REACH_M; ) {
    p += 300 + rng.range(-20, 20);
    nsPs.push(p);
  }
  for (let p = nsPs[0]!; p > -PLAN_REACH_M; ) {
    p -= 300 + rng.range(-20, 20);
    nsPs.push(p);
  }
  nsPs.sort((a, b) => a - b);
  const nsLines: NsLine[] = nsPs.map((p) => ({ p, widthM: nsWidth }));
  const riverCol = nsPs.findIndex((p, i) => p < lf.riverAxisP && nsPs[i + 1]! > lf.riverAxisP);

  // ---- superblocks and zones ----
  const superblocks: Superblock[] = [];
  for (let c = 0; c < nsPs.length - 1; c++) {
    for (let r = 0; r < ewLines.length - 1; r++) {
      // Keep superblocks that reach into the district (corners, edge midpoints or centre).
      let touches = false;
      for (const fp of [0, 0.5, 1]) {
        for (const fq of [0, 0.5, 1]) {
          const p = nsPs[c]! + (nsPs[c + 1]! - nsPs[c]!) * fp;
          const q = ewLines[r]!.q(p) + (ewLines[r + 1]!.q(p) - ewLines[r]!.q(p)) * fq;
          const [u, v] = frame.toWorld(p, q);
          if (inDistrict(u, v, -40)) touches = true;
        }
      }
      if (!touches) continue;
      const sb: Superblock = {
        col: c,
        row: r,
        zone: 'residential',
        pl: nsPs[c]!,
        pr: nsPs[c + 1]!,
        low: ewLines[r]!,
        high: ewLines[r + 1]!,
        nsLocals: [],
        ewLocals: [],
      };
      superblocks.push(sb);
    }
  }
  assignZones(superblocks, lf, frame, site, riverCol, nsPs, rng);

  // ---- local streets ----
  const splitsFor = (zone: ZoneKind): [number, number] => {
    switch (zone) {
      case 'cbd':
        return [3, 2];
      case 'waterfront':
      case 'coastal-park':
        return [2, 1];
      case 'commercial':
        return [rng.int(2, 3), 2];
      case 'riverside':
        return [1, 2];
      case 'village':
        return [2, rng.int(1, 2)];
      case 'industrial':
        return [rng.int(1, 2), 1];
      case 'hillside':
        return [rng.int(1, 2), rng.int(1, 2)];
      case 'civic':
        return [2, 2];
      case 'residential':
        return [2, rng.chance(0.7) ? 2 : 1];
    }
  };
  const blocks: Block[] = [];
  for (const sb of superblocks) {
    const [zoneNs, zoneEw] = splitsFor(sb.zone);
    // The river runs down the middle of its column: no north–south street there. The coastal
    // strip is shallow enough to need no east–west street.
    const ns = sb.col === riverCol ? 1 : zoneNs;
    const ew = sb.row === 0 ? 1 : zoneEw;
    const localWidth = 2 * rng.int(6, 8);
    for (let i = 1; i < ns; i++) {
      sb.nsLocals.push({ p: sb.pl + ((sb.pr - sb.pl) * i) / ns + rng.range(-10, 10), widthM: localWidth });
    }
    for (let j = 1; j < ew; j++) {
      const offset = sb.low.offset + ((sb.high.offset - sb.low.offset) * j) / ew + rng.range(-10, 10);
      sb.ewLocals.push(ewLineAt(offset, 'local', localWidth));
    }
    const ps: NsLine[] = [nsLines[sb.col]!, ...sb.nsLocals, nsLines[sb.col + 1]!];
    const qs: EwLine[] = [sb.low, ...sb.ewLocals, sb.high];
    for (let i = 0; i < ps.length - 1; i++) {
      for (let j = 0; j < qs.length - 1; j++) {
        blocks.push({
          id: `${sb.col}-${sb.row}-${i}-${j}`,
          zone: sb.zone,
          use: 'default',
          col: sb.col,
          row: sb.row,
          pl: ps[i]!.p,
          pr: ps[i + 1]!.p,
          widthL: ps[i]!.widthM,
          widthR: ps[i + 1]!.widthM,
          low: qs[j]!,
          high: qs[j + 1]!,
        });
      }
    }
  }

  assignBlockUses(blocks, frame, site, rng);
  return { arterial, coastal, ewLines, nsLines, riverCol, superblocks, blocks };
}

