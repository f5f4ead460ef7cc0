/**
 * The demo's emergency resources (domain/emergency.ts): a plausible set for a coastal district of
 * this size — rescue teams of the emergency, drainage, roads and power departments with their
 * skills, two fire stations, two police stations, hospitals at healthcare buildings, supply depots
 * with flood and fire stock, and shelters in schools and public buildings sized by their floors.
 * Crews and depots stand beside roads (they must drive out); hospitals and shelters are buildings.
 */
import type { ResourceProps } from '../domain/citySource';
import type { RescueSkill } from '../domain/emergency';
import type { Rng } from '../kernel/random';
import type { Vec2 } from './geometry';
import type { BuildingDraft } from './placement';
import type { Road } from './roads';

export interface DemoResource {
  props: ResourceProps;
  /** World metres. */
  x: number;
  y: number;
}

interface Crew {
  id: string;
  kind: 'rescue-team' | 'fire-station' | 'police-station';
  name: string;
  nameEn: string;
  departmentId: string;
  members: [number, number];
  vehicles: [number, number];
  skills?: RescueSkill[];
}

const CREWS: Crew[] = [
  { id: 'RT-01', kind: 'rescue-team', name: '应急救援一队', nameEn: 'Emergency rescue team 1', departmentId: 'emergency', members: [20, 30], vehicles: [3, 5], skills: ['water-rescue', 'search-rescue', 'first-aid'] },
  { id: 'RT-02', kind: 'rescue-team', name: '应急救援二队', nameEn: 'Emergency rescue team 2', departmentId: 'emergency', members: [16, 24], vehicles: [2, 4], skills: ['water-rescue', 'pumping', 'first-aid'] },
  { id: 'RT-03', kind: 'rescue-team', name: '排水抢险队', nameEn: 'Drainage emergency crew', departmentId: 'drainage', members: [12, 18], vehicles: [3, 4], skills: ['pumping'] },
  { id: 'RT-04', kind: 'rescue-team', name: '排水抢险二队', nameEn: 'Drainage emergency crew 2', departmentId: 'drainage', members: [10, 16], vehicles: [2, 3], skills: ['pumping'] },
  { id: 'RT-05', kind: 'rescue-team', name: '市政道路抢修队', nameEn: 'Road repair crew', departmentId: 'municipal-roads', members: [10, 15], vehicles: [2, 4], skills: ['road-repair', 'traffic-control'] },
  { id: 'RT-06', kind: 'rescue-team', name: '供电抢修队', nameEn: 'Power repair crew', departmentId: 'power-supply', members: [8, 12], vehicles: [2, 3], skills: ['power-repair'] },
  { id: 'FS-01', kind: 'fire-station', name: '滨海消防救援站', nameEn: 'Binhai fire station', departmentId: 'emergency', members: [30, 45], vehicles: [5, 8], skills: ['firefighting', 'water-rescue', 'search-rescue'] },
  { id: 'FS-02', kind: 'fire-station', name: '观海消防救援站', nameEn: 'Guanhai fire station', departmentId: 'emergency', members: [25, 35], vehicles: [4, 6], skills: ['firefighting', 'pumping'] },
  { id: 'PS-01', kind: 'police-station', name: '滨海派出所', nameEn: 'Binhai police station', departmentId: 'traffic-police', members: [30, 50], vehicles: [6, 10], skills: ['traffic-control'] },
  { id: 'PS-02', kind: 'police-station', name: '交警滨海中队', nameEn: 'Binhai traffic police squad', departmentId: 'traffic-police', members: [20, 30], vehicles: [5, 8], skills: ['traffic-control'] },
];

const DEPOTS: Array<{ id: string; name: string; nameEn: string; departmentId: string; stock: Record<string, [number, number]> }> = [
  { id: 'SD-01', name: '防汛物资仓库', nameEn: 'Flood supplies depot', departmentId: 'emergency', stock: { sandbags: [3000, 6000], pumps: [8, 16], 'life-jackets': [200, 400], 'warning-signs': [60, 120] } },
  { id: 'SD-02', name: '排水物资站', nameEn: 'Drainage supplies store', departmentId: 'drainage', stock: { sandbags: [1000, 2000], pumps: [6, 12], 'warning-signs': [30, 60] } },
  { id: 'SD-03', name: '综合应急物资库', nameEn: 'General emergency store', departmentId: 'emergency', stock: { 'drinking-water': [2000, 5000], blankets: [500, 1200], tents: [40, 100], 'first-aid-kits': [100, 300], 'fire-extinguishers': [50, 150] } },
];

const SHELTERS = 6;
const HOSPITALS = 2;

export function placeResources(roads: readonly Road[], buildings: readonly BuildingDraft[], rng: Rng): DemoResource[] {
  const out: DemoResource[] = [];
  // Streets a crew's yard may open onto: secondaries and locals spread the crews over the district.
  const streets = roads.filter((r) => r.class !== 'arterial' && r.line.length > 200);
  const pool = streets.length > 0 ? streets : roads;
  const roadside = (): Vec2 => {
    const road = pool[rng.int(0, pool.length - 1)]!;
    const s = rng.range(0.15, 0.85) * road.line.length;
    return road.line.offsetPoint(s, rng.sign() * (road.widthM / 2 + 12));
  };
  const between = ([lo, hi]: [number, number]): number => rng.int(lo, hi);

  for (const c of CREWS) {
    const [x, y] = roadside();
    out.push({ x, y, props: { id: c.id, kind: c.kind, name: c.name, nameEn: c.nameEn, departmentId: c.departmentId, members: between(c.members), vehicles: between(c.vehicles), ...(c.skills ? { skills: c.skills } : {}) } });
  }
  for (const d of DEPOTS) {
    const [x, y] = roadside();
    out.push({ x, y, props: { id: d.id, kind: 'supply-depot', name: d.name, nameEn: d.nameEn, departmentId: d.departmentId, stock: Object.fromEntries(Object.entries(d.stock).map(([item, range]) => [item, between(range)])) } });
  }

  const centre = (b: BuildingDraft): Vec2 => {
    const ring = b.footprint.ring;
    return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
  };
  const pick = (uses: readonly string[], n: number): BuildingDraft[] => {
    const candidates = buildings.filter((b) => uses.includes(b.use));
    const chosen: BuildingDraft[] = [];
    // Spread them: each next one is the candidate farthest from those already chosen.
    while (chosen.length < n && chosen.length < candidates.length) {
      let best = candidates[rng.int(0, candidates.length - 1)]!;
      if (chosen.length > 0) {
        let bestD = -1;
        for (const b of candidates) {
          const [bx, by] = centre(b);
          const d = Math.min(...chosen.map((c) => Math.hypot(centre(c)[0] - bx, centre(c)[1] - by)));
          if (d > bestD) [best, bestD] = [b, d];
        }
      }
      chosen.push(best);
    }
    return chosen;
  };
  pick(['healthcare'], HOSPITALS).forEach((b, i) => {
    const [x, y] = centre(b);
    const n = i + 1;
    out.push({ x, y, props: { id: `HO-0${n}`, kind: 'hospital', name: b.name ?? `滨海第${n}人民医院`, nameEn: `Binhai hospital ${n}`, members: rng.int(40, 80), vehicles: rng.int(3, 6), skills: ['first-aid'], capacity: b.floors * rng.int(30, 50) } });
  });
  pick(['education', 'public'], SHELTERS).forEach((b, i) => {
    const [x, y] = centre(b);
    const n = i + 1;
    out.push({ x, y, props: { id: `SH-0${n}`, kind: 'shelter', name: `${b.name ?? '应急避难场所'}（避难点${n}）`, nameEn: `Shelter ${n}`, departmentId: 'emergency', capacity: Math.max(200, b.floors * rng.int(80, 150)) } });
  });
  return out;
}
