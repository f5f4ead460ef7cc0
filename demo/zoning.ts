/**
 * Zoning: what each superblock of the master plan becomes, and which blocks hold the district's
 * special places. The CBD sits on the arterial near the middle, the industrial park in the
 * north-east, villas and old villages around the hill, compounds along the river, urban
 * villages in clusters, shops along the arterial, parks and hotels on the coastal strip.
 */
import type { PlanFrame } from './frame';
import type { Vec2 } from './geometry';
import type { Landform } from './landform';
import { innerRect, type Block, type BlockUse, type Superblock, type ZoneKind } from './plan';
import type { Rng } from '../kernel/random';
import type { Site } from './site';

/** Buildable area the urban villages should cover, in superblocks (about 0.09 km² each). */
const VILLAGE_SUPERBLOCKS = 20;

export function assignZones(
  superblocks: Superblock[],
  landform: Landform,
  frame: PlanFrame,
  site: Site,
  riverCol: number,
  nsPs: readonly number[],
  rng: Rng,
): void {
  const grid = new Map<string, Superblock>(superblocks.map((sb) => [`${sb.col},${sb.row}`, sb]));
  const at = (c: number, r: number): Superblock | undefined => grid.get(`${c},${r}`);
  const centreOf = (sb: Superblock): Vec2 => {
    const p = (sb.pl + sb.pr) / 2;
    return [p, (sb.low.q(p) + sb.high.q(p)) / 2];
  };
  const assigned = new Set<Superblock>();
  const assign = (sb: Superblock | undefined, zone: ZoneKind): void => {
    if (!sb || assigned.has(sb)) return;
    sb.zone = zone;
    assigned.add(sb);
  };

  // The hill's foothills: villas around the park.
  for (const sb of superblocks) {
    const [p, q] = centreOf(sb);
    const dp = p - landform.hillCentre[0];
    const dq = q - landform.hillCentre[1];
    // Old villages nestle at the foot of the hill between the newer villas.
    if (Math.hypot(dp, dq) < landform.hillParkRadius(Math.atan2(dq, dp)) + 200) assign(sb, rng.chance(0.4) ? 'village' : 'hillside');
  }
  // The CBD straddles the arterial's middle, on one bank of the river.
  const cbdP = rng.range(-250, 250);
  let cbdCol = nsPs.findIndex((p, i) => p <= cbdP && nsPs[i + 1]! > cbdP);
  if (cbdCol === riverCol) cbdCol += cbdP < landform.riverAxisP ? -1 : 1;
  const cbdSide = cbdCol - 1 === riverCol ? 1 : cbdCol + 1 === riverCol ? -1 : rng.sign();
  assign(at(cbdCol, 1), 'cbd');
  assign(at(cbdCol, 2), 'cbd');
  assign(at(cbdCol + cbdSide, 1), 'cbd');
  assign(at(cbdCol, 0), 'waterfront');
  assign(at(cbdCol + cbdSide, 0), 'waterfront');
  assign(at(cbdCol, 3), 'civic');
  // The river's own column: compounds along a greenway.
  for (const sb of superblocks) if (sb.col === riverCol && sb.row >= 1) assign(sb, 'riverside');
  // Industrial park in the north-east, away from the coast and the CBD.
  for (const sb of superblocks) {
    const [p] = centreOf(sb);
    if (p > 650 && sb.row >= 4 && sb.col !== riverCol && rng.chance(0.85)) assign(sb, 'industrial');
  }
  // Urban villages: clusters of old village land the city grew around, added until they cover
  // about VILLAGE_SUPERBLOCKS superblocks' worth of buildable ground inside the district.
  const buildableShare = (sb: Superblock): number => {
    let good = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const p = sb.pl + ((sb.pr - sb.pl) * (i + 0.5)) / 5;
        const q = sb.low.q(p) + ((sb.high.q(p) - sb.low.q(p)) * (j + 0.5)) / 5;
        const [u, v] = frame.toWorld(p, q);
        if (site.buildable(u, v)) good++;
      }
    }
    return good / 25;
  };
  let villageShare = 0;
  for (const sb of superblocks) if (sb.zone === 'village' && assigned.has(sb)) villageShare += buildableShare(sb);
  const villageSeeds = superblocks.filter((sb) => sb.row >= 1 && sb.row <= 6 && !assigned.has(sb) && buildableShare(sb) > 0.6);
  for (let tries = 0; villageShare < VILLAGE_SUPERBLOCKS && tries < 40; tries++) {
    const seed = rng.pick(villageSeeds);
    if (assigned.has(seed)) continue;
    const size = rng.int(2, 4);
    const cluster: Superblock[] = [seed];
    assign(seed, 'village');
    villageShare += buildableShare(seed);
    for (let grow = 0; cluster.length < size && grow < 12; grow++) {
      const from = rng.pick(cluster);
      const [dc, dr] = rng.pick([[1, 0], [-1, 0], [0, 1], [0, -1]] as const);
      const next = at(from.col + dc, from.row + dr);
      if (next && !assigned.has(next) && next.row >= 1 && next.col !== riverCol) {
        assign(next, 'village');
        cluster.push(next);
        villageShare += buildableShare(next);
      }
    }
  }
  for (const sb of superblocks) {
    if (sb.row === 0) assign(sb, rng.chance(0.5) ? 'coastal-park' : 'waterfront');
    else if (sb.row === 1) assign(sb, 'commercial');
    else assign(sb, rng.chance(0.2) ? 'commercial' : 'residential');
  }
}

/** True when a block's inner rectangle lies wholly on buildable ground. */
function rectClear(block: Block, frame: PlanFrame, site: Site, setback: number): boolean {
  const r = innerRect(block, setback);
  if (r.p1 - r.p0 < 60 || r.q1 - r.q0 < 60) return false;
  const ring: Vec2[] = [
    frame.toWorld(r.p0, r.q0),
    frame.toWorld(r.p1, r.q0),
    frame.toWorld(r.p1, r.q1),
    frame.toWorld(r.p0, r.q1),
  ];
  return site.ringBuildable(ring, 10);
}

function rectSize(block: Block): [number, number] {
  const r = innerRect(block, 0);
  return [r.p1 - r.p0, r.q1 - r.q0];
}

/** Picks the blocks that hold the plaza, civic buildings, hospital, schools and small parks. */
export function assignBlockUses(blocks: Block[], frame: PlanFrame, site: Site, rng: Rng): void {
  const free = (b: Block): boolean => b.use === 'default';
  const centreP = (b: Block): number => (b.pl + b.pr) / 2;
  const centreQ = (b: Block): number => (b.low.q(centreP(b)) + b.high.q(centreP(b))) / 2;
  // Central plaza: the CBD block on the arterial nearest the middle of the CBD.
  const cbd = blocks.filter((b) => b.zone === 'cbd');
  const cbdMid = cbd.reduce((s, b) => s + centreP(b), 0) / Math.max(1, cbd.length);
  const plaza = cbd
    .filter((b) => b.low.kind === 'arterial')
    .sort((a, b) => Math.abs(centreP(a) - cbdMid) - Math.abs(centreP(b) - cbdMid))[0];
  if (plaza) plaza.use = 'plaza';
  const civic = blocks.filter((b) => b.zone === 'civic' && rectClear(b, frame, site, 6));
  if (civic[0]) civic[0].use = 'civic-centre';
  if (civic[1]) civic[1].use = 'culture';

  const spaced = (chosen: Block[], b: Block, minM: number): boolean =>
    chosen.every((o) => Math.hypot(centreP(o) - centreP(b), centreQ(o) - centreQ(b)) >= minM);
  const candidates = (zones: ZoneKind[], minW: number, minH: number): Block[] =>
    rng.shuffle(
      blocks.filter((b) => {
        if (!free(b) || !zones.includes(b.zone)) return false;
        const [w, h] = rectSize(b);
        return w >= minW && h >= minH && rectClear(b, frame, site, 6);
      }),
    );

  const special: Block[] = [];
  const hospital = candidates(['residential', 'commercial'], 120, 120).find((b) => b.row >= 2 && b.row <= 4);
  if (hospital) {
    hospital.use = 'hospital';
    special.push(hospital);
  }
  const schoolPlan: BlockUse[] = ['middle-school', 'middle-school', 'primary-school', 'primary-school', 'primary-school', 'primary-school'];
  const schoolZones: ZoneKind[] = ['residential', 'riverside', 'village', 'commercial'];
  const pool = candidates(schoolZones, 110, 100);
  const schools: Block[] = [];
  for (const use of schoolPlan) {
    const pick = pool.find((b) => free(b) && spaced(schools, b, 550) && spaced(special, b, 300));
    if (!pick) continue;
    pick.use = use;
    schools.push(pick);
  }
  let parks = 0;
  for (const b of candidates(['residential', 'commercial'], 80, 80)) {
    if (parks >= 3) break;
    if (!free(b) || !spaced(schools, b, 300)) continue;
    b.use = 'park';
    parks++;
  }
}
