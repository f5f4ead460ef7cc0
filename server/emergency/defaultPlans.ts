/**
 * The plans a fresh database starts with (an admin edits them afterwards): one per event type
 * and level, scaled from level IV (一般) up to level I (特别重大). Counts follow what a district's
 * plan typically commits: a drainage crew and sandbags for a waterlogged street, every crew, the
 * police and shelters for a flood of level I. Departments are the demo's ids
 * (demo/departments.ts); a plan naming a department the twin lacks just notifies nobody there.
 */
import { planId, RESPONSE_LEVELS, type EmergencyPlan, type EventType, type PlanBody, type ResponseLevel } from '../../domain/emergency';

type Template = Omit<PlanBody, 'eventType' | 'level' | 'name'> & { zh: string; en: string };

const LEVEL_NAMES: Record<ResponseLevel, { zh: string; en: string }> = {
  I: { zh: 'Ⅰ级（特别重大）', en: 'level I (very serious)' },
  II: { zh: 'Ⅱ级（重大）', en: 'level II (serious)' },
  III: { zh: 'Ⅲ级（较大）', en: 'level III (major)' },
  IV: { zh: 'Ⅳ级（一般）', en: 'level IV (general)' },
};

/** The level IV plan of each type; higher levels multiply its counts. */
const BASE: Record<EventType, Template> = {
  waterlogging: {
    zh: '城市内涝应急预案', en: 'Urban waterlogging plan',
    resources: [{ kind: 'rescue-team', count: 1, skill: 'pumping' }],
    supplies: [{ item: 'sandbags', quantity: 200 }, { item: 'pumps', quantity: 2 }, { item: 'warning-signs', quantity: 10 }],
    departments: ['drainage', 'emergency', 'traffic-police'],
    cameras: { count: 4, radiusM: 500 },
    evacuationRadiusM: 0,
  },
  flooding: {
    zh: '洪涝灾害应急预案', en: 'Flood plan',
    resources: [{ kind: 'rescue-team', count: 1, skill: 'water-rescue' }, { kind: 'rescue-team', count: 1, skill: 'pumping' }, { kind: 'police-station', count: 1 }],
    supplies: [{ item: 'sandbags', quantity: 500 }, { item: 'pumps', quantity: 4 }, { item: 'life-jackets', quantity: 50 }],
    departments: ['emergency', 'drainage', 'water-affairs', 'traffic-police'],
    cameras: { count: 6, radiusM: 800 },
    evacuationRadiusM: 200,
  },
  typhoon: {
    zh: '台风灾害应急预案', en: 'Typhoon plan',
    resources: [{ kind: 'rescue-team', count: 1, skill: 'search-rescue' }, { kind: 'rescue-team', count: 1, skill: 'power-repair' }],
    supplies: [{ item: 'tents', quantity: 10 }, { item: 'blankets', quantity: 100 }, { item: 'drinking-water', quantity: 200 }],
    departments: ['emergency', 'landscaping', 'power-supply', 'street-lighting'],
    cameras: { count: 6, radiusM: 1000 },
    evacuationRadiusM: 150,
  },
  fire: {
    zh: '火灾事故应急预案', en: 'Fire plan',
    resources: [{ kind: 'fire-station', count: 1 }, { kind: 'hospital', count: 1 }, { kind: 'police-station', count: 1 }],
    supplies: [{ item: 'fire-extinguishers', quantity: 10 }, { item: 'first-aid-kits', quantity: 10 }],
    departments: ['emergency', 'traffic-police', 'gas', 'power-supply'],
    cameras: { count: 4, radiusM: 400 },
    evacuationRadiusM: 80,
  },
  'road-collapse': {
    zh: '道路塌陷应急预案', en: 'Road collapse plan',
    resources: [{ kind: 'rescue-team', count: 1, skill: 'road-repair' }, { kind: 'police-station', count: 1 }],
    supplies: [{ item: 'warning-signs', quantity: 20 }, { item: 'sandbags', quantity: 100 }],
    departments: ['municipal-roads', 'traffic-police', 'water-affairs', 'gas'],
    cameras: { count: 3, radiusM: 300 },
    evacuationRadiusM: 50,
  },
  'water-main-burst': {
    zh: '供水管道爆裂应急预案', en: 'Water main burst plan',
    resources: [{ kind: 'rescue-team', count: 1, skill: 'pumping' }, { kind: 'rescue-team', count: 1, skill: 'road-repair' }],
    supplies: [{ item: 'pumps', quantity: 2 }, { item: 'warning-signs', quantity: 10 }, { item: 'drinking-water', quantity: 100 }],
    departments: ['water-affairs', 'municipal-roads', 'traffic-police'],
    cameras: { count: 3, radiusM: 300 },
    evacuationRadiusM: 0,
  },
};

/** Level IV × 1, III × 2, II × 3, I × 4 (crews, supplies, cameras); evacuation radius × 1, 1.5, 2, 3. */
const SCALE: Record<ResponseLevel, { n: number; radius: number }> = { IV: { n: 1, radius: 1 }, III: { n: 2, radius: 1.5 }, II: { n: 3, radius: 2 }, I: { n: 4, radius: 3 } };

export function defaultPlans(now: number): EmergencyPlan[] {
  const plans: EmergencyPlan[] = [];
  for (const [eventType, base] of Object.entries(BASE) as Array<[EventType, Template]>) {
    for (const level of RESPONSE_LEVELS) {
      const { n, radius } = SCALE[level];
      plans.push({
        id: planId(eventType, level),
        eventType,
        level,
        name: { 'zh-CN': `${base.zh}（${LEVEL_NAMES[level].zh}）`, en: `${base.en}, ${LEVEL_NAMES[level].en}` },
        resources: base.resources.map((r) => ({ ...r, count: r.count * n })),
        supplies: base.supplies.map((s) => ({ ...s, quantity: s.quantity * n })),
        departments: [...base.departments],
        cameras: { count: Math.min(50, base.cameras.count * n), radiusM: Math.min(5000, base.cameras.radiusM * radius) },
        evacuationRadiusM: Math.min(3000, base.evacuationRadiusM * radius),
        updatedAt: now,
        updatedBy: 'system',
      });
    }
  }
  return plans;
}
