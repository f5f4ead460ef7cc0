/**
 * Road centrelines from the master plan: every plan line is drawn across the district, then cut
 * where it would enter the sea, the hill park or (for local streets) the river. The arterial and
 * secondaries cross the river on bridges and stay whole.
 */
import type { RoadClass } from '../domain/citySource';
import { inDistrict, type PlanFrame } from './frame';
import { Polyline, pointSegmentDistance, type Vec2 } from './geometry';
import type { Landform } from './landform';
import { PLAN_REACH_M } from './layout';
import { LINE_SPECS, type EwLine, type Layout, type LineKind } from './plan';
import { ROAD_STEMS, cnOrdinal, enOrdinal, type NameStem } from './names';
import type { Rng } from '../kernel/random';
import { SpatialIndex, boxOf } from './spatialIndex';

export interface Road {
  id: string;
  name: string;
  nameEn: string;
  class: RoadClass;
  kind: LineKind;
  lanes: number;
  widthM: number;
  speedKmh: number;
  /** Whether it may cross water (on a bridge). */
  bridges: boolean;
  /** Centreline in world metres. */
  line: Polyline;
}

/** Roads stop this far inside the district edge, so poles beside them stay inside too. */
const DISTRICT_INSET_M = 20;
/** Shorter leftovers of a cut line are dropped: they would hold fewer than two poles. */
const MIN_PIECE_M = 60;
/** Step of the walk that finds where a line must be cut, metres. */
const CLIP_STEP_M = 2;
const CURVE_STEP_M = 20;

const ARTERIAL_NAME: NameStem = { zh: '滨海', en: 'Binhai' };
const COASTAL_NAME: NameStem = { zh: '观海', en: 'Guanhai' };

interface Draft {
  stem: NameStem;
  name: string;
  nameEn: string;
  kind: LineKind;
  widthM: number;
  points: Vec2[];
}

export function buildRoads(layout: Layout, landform: Landform, frame: PlanFrame, rng: Rng): Road[] {
  const stems = rng.shuffle(ROAD_STEMS.slice());
  let nextStem = 0;
  const takeStem = (): NameStem => stems[nextStem++ % stems.length]!;

  const ewCurve = (line: EwLine, p0: number, p1: number): Vec2[] => {
    const n = Math.max(1, Math.ceil((p1 - p0) / CURVE_STEP_M));
    const pts: Vec2[] = [];
    for (let k = 0; k <= n; k++) {
      const p = p0 + ((p1 - p0) * k) / n;
      pts.push(frame.toWorld(p, line.q(p)));
    }
    return pts;
  };
  const reach = PLAN_REACH_M + 100;
  const drafts: Draft[] = [];
  const secondary = (stem: NameStem): Pick<Draft, 'stem' | 'name' | 'nameEn'> => ({
    stem,
    name: `${stem.zh}路`,
    nameEn: `${stem.en} Road`,
  });

  drafts.push({
    stem: ARTERIAL_NAME,
    name: `${ARTERIAL_NAME.zh}大道`,
    nameEn: `${ARTERIAL_NAME.en} Avenue`,
    kind: 'arterial',
    widthM: layout.arterial.widthM,
    points: ewCurve(layout.arterial, -reach, reach),
  });
  drafts.push({ ...secondary(COASTAL_NAME), kind: 'coastal', widthM: layout.coastal.widthM, points: ewCurve(layout.coastal, -reach, reach) });
  const lineStems = new Map<EwLine, NameStem>([[layout.arterial, ARTERIAL_NAME]]);
  for (const line of layout.ewLines) {
    if (line.kind !== 'ew-secondary') continue;
    const stem = takeStem();
    lineStems.set(line, stem);
    drafts.push({ ...secondary(stem), kind: 'ew-secondary', widthM: line.widthM, points: ewCurve(line, -reach, reach) });
  }
  const colStems: NameStem[] = [];
  for (const ns of layout.nsLines) {
    const stem = takeStem();
    colStems.push(stem);
    drafts.push({
      ...secondary(stem),
      kind: 'ns-secondary',
      widthM: ns.widthM,
      points: [frame.toWorld(ns.p, layout.coastal.q(ns.p)), frame.toWorld(ns.p, reach)],
    });
  }
  // Local streets take the stem of the secondary west of (or south of) them, numbered: 兴华一街.
  const local = (stem: NameStem, n: number): Pick<Draft, 'stem' | 'name' | 'nameEn'> => ({
    stem,
    name: `${stem.zh}${cnOrdinal(n)}街`,
    nameEn: `${stem.en} ${enOrdinal(n)} Street`,
  });
  for (const sb of layout.superblocks) {
    sb.nsLocals.forEach((ns, i) => {
      drafts.push({
        ...local(colStems[sb.col]!, i + 1),
        kind: 'local',
        widthM: ns.widthM,
        points: [frame.toWorld(ns.p, sb.low.q(ns.p)), frame.toWorld(ns.p, sb.high.q(ns.p))],
      });
    });
    sb.ewLocals.forEach((line, j) => {
      const stem = lineStems.get(sb.low) ?? COASTAL_NAME;
      drafts.push({ ...local(stem, j + 1), kind: 'local', widthM: line.widthM, points: ewCurve(line, sb.pl, sb.pr) });
    });
  }

  const roads: Road[] = [];
  for (const draft of drafts) {
    const bridges = draft.kind !== 'local';
    const spec = draft.kind === 'local' ? { lanes: 2, speedKmh: 30 } : LINE_SPECS[draft.kind];
    const cls: RoadClass = draft.kind === 'arterial' ? 'arterial' : draft.kind === 'local' ? 'local' : 'secondary';
    for (const piece of clipLine(draft.points, draft.widthM / 2, bridges, landform, frame)) {
      roads.push({
        id: `R${String(roads.length + 1).padStart(4, '0')}`,
        name: draft.name,
        nameEn: draft.nameEn,
        class: cls,
        kind: draft.kind,
        lanes: spec.lanes,
        widthM: draft.widthM,
        speedKmh: spec.speedKmh,
        bridges,
        line: new Polyline(piece),
      });
    }
  }
  return roads;
}

/** Cuts a drafted line into the pieces that may be built, at CLIP_STEP_M resolution. */
function clipLine(points: Vec2[], halfWidth: number, bridges: boolean, landform: Landform, frame: PlanFrame): Vec2[][] {
  const line = new Polyline(points);
  const ok = (s: number): boolean => {
    const { x, y } = line.at(s);
    if (!inDistrict(x, y, DISTRICT_INSET_M)) return false;
    const [p, q] = frame.toPlan(x, y);
    if (q < landform.coastQ(p) + landform.beachWidth(p)) return false;
    if (landform.inHillPark(p, q, halfWidth + 6)) return false;
    return bridges || landform.riverDistance(p, q) > landform.riverHalfWidth(q) + halfWidth + 4;
  };
  const pieces: Vec2[][] = [];
  const n = Math.ceil(line.length / CLIP_STEP_M);
  let start = -1;
  for (let k = 0; k <= n; k++) {
    const s = Math.min(k * CLIP_STEP_M, line.length);
    const good = ok(s);
    if (good && start < 0) start = s;
    if ((!good || k === n) && start >= 0) {
      const end = good ? s : s - CLIP_STEP_M;
      if (end - start >= MIN_PIECE_M) pieces.push(line.slice(start, end));
      start = -1;
    }
  }
  return pieces;
}

export interface RoadSegment {
  road: Road;
  a: Vec2;
  b: Vec2;
}

/** Road centreline segments in a spatial hash, for clearance tests. */
export class RoadIndex {
  private readonly index = new SpatialIndex<RoadSegment>(50);
  readonly maxHalfWidth: number;

  constructor(readonly roads: readonly Road[]) {
    let maxHalf = 0;
    for (const road of roads) {
      maxHalf = Math.max(maxHalf, road.widthM / 2);
      const pts = road.line.points;
      for (let i = 0; i < pts.length - 1; i++) {
        const seg: RoadSegment = { road, a: pts[i]!, b: pts[i + 1]! };
        this.index.insert(boxOf([seg.a, seg.b]), seg);
      }
    }
    this.maxHalfWidth = maxHalf;
  }

  /** Segments within `radius` of a box's edges (by bounding box). */
  near(minX: number, minY: number, maxX: number, maxY: number, radius: number): RoadSegment[] {
    return this.index.search({ minX: minX - radius, minY: minY - radius, maxX: maxX + radius, maxY: maxY + radius });
  }

  /** True when (x, y) is on the carriageway of some road other than `except`, with `clearance` metres to spare. */
  onOtherRoad(x: number, y: number, except: Road | undefined, clearance: number): boolean {
    for (const seg of this.near(x, y, x, y, this.maxHalfWidth + clearance)) {
      if (seg.road === except) continue;
      if (pointSegmentDistance(x, y, seg.a[0], seg.a[1], seg.b[0], seg.b[1]) < seg.road.widthM / 2 + clearance) return true;
    }
    return false;
  }
}
