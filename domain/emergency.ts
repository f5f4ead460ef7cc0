/**
 * Emergency command (docs/emergency.md): the city's response resources, the emergency plans
 * (应急预案) an admin edits, the response the server proposes for an incident, and the MQTT
 * contract of the units it dispatches. Pure: shapes, TypeBox schemas and small rules; the server
 * (server/emergency/) routes, proposes and dispatches, the client (client/src/features/emergency/)
 * shows it.
 *
 *   citytwin/v1/units/{unitId}/orders    server → unit, QoS 1, not retained (a unit reads only its own)
 *     { "v": 1, "id": "<order id>", "ts": <ms>, "responseId", "site": {lon, lat}, "route": [[lon, lat], …], "etaS" }
 *   citytwin/v1/units/{unitId}/position  unit → server, QoS 0 or 1
 *     { "v": 1, "ts": <ms>, "lon", "lat", "speedKmh"? }
 *   citytwin/v1/units/{unitId}/status    unit → server, QoS 1
 *     { "v": 1, "ts": <ms>, "orderId", "status": "en-route" | "on-site" | "done" }
 */
import Type, { type Static } from 'typebox';
import { DomainError } from './DomainError';

// --- Resources -----------------------------------------------------------------------------------

export const RESOURCE_KINDS = ['rescue-team', 'fire-station', 'police-station', 'hospital', 'supply-depot', 'shelter'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Resources that send a unit (a crew with its vehicles) when dispatched; depots and shelters do not move. */
export const UNIT_KINDS: readonly ResourceKind[] = ['rescue-team', 'fire-station', 'police-station', 'hospital'];

/** Skills a rescue team may list (free text is refused so plans can match on them). */
export const RESCUE_SKILLS = ['pumping', 'water-rescue', 'firefighting', 'first-aid', 'search-rescue', 'road-repair', 'traffic-control', 'power-repair'] as const;
export type RescueSkill = (typeof RESCUE_SKILLS)[number];

/** One resource of the city source's `resources` layer and the twin's `layers/resources.json`. */
export interface ResourceRecord {
  /** Letters, digits, '-', '_', '.': a unit's id is its MQTT username and topic level. */
  id: string;
  kind: ResourceKind;
  name: string;
  nameEn?: string;
  lon: number;
  lat: number;
  /** Department the resource belongs to (departments table id), when known. */
  departmentId?: string;
  /** Crews: people and vehicles. */
  members?: number;
  vehicles?: number;
  skills?: RescueSkill[];
  /** Supply depots: stock per item (`sandbags`, `pumps`, `life-jackets`, …). */
  stock?: Record<string, number>;
  /** Shelters: people they take. Hospitals: beds. */
  capacity?: number;
}

// --- Plans ---------------------------------------------------------------------------------------

export const EVENT_TYPES = ['waterlogging', 'flooding', 'typhoon', 'fire', 'road-collapse', 'water-main-burst'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Response levels I (特别重大, red) … IV (一般, blue). */
export const RESPONSE_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type ResponseLevel = (typeof RESPONSE_LEVELS)[number];

const ID = { minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' };
const ITEM = { minLength: 1, maxLength: 40, pattern: '^[a-z0-9-]+$' };

export const PlanResourceSchema = Type.Object(
  {
    kind: Type.Enum(UNIT_KINDS as unknown as ResourceKind[]),
    count: Type.Integer({ minimum: 1, maximum: 50 }),
    /** Only crews with this skill (rescue teams). */
    skill: Type.Optional(Type.Enum(RESCUE_SKILLS)),
  },
  { additionalProperties: false },
);

export const PlanBodySchema = Type.Object(
  {
    eventType: Type.Enum(EVENT_TYPES),
    level: Type.Enum(RESPONSE_LEVELS),
    name: Type.Object({ 'zh-CN': Type.String({ minLength: 1, maxLength: 100 }), en: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    resources: Type.Array(PlanResourceSchema, { maxItems: 20 }),
    supplies: Type.Array(Type.Object({ item: Type.String(ITEM), quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) }, { additionalProperties: false }), { maxItems: 20 }),
    /** Departments to notify (departments table ids). */
    departments: Type.Array(Type.String(ID), { maxItems: 40 }),
    /** Cameras to open: the nearest `count` within `radiusM` of the site. */
    cameras: Type.Object({ count: Type.Integer({ minimum: 0, maximum: 50 }), radiusM: Type.Number({ minimum: 0, maximum: 5000 }) }, { additionalProperties: false }),
    /** Evacuate buildings within this radius (flooded ones only when a flood scenario is chosen); 0: none. */
    evacuationRadiusM: Type.Number({ minimum: 0, maximum: 3000 }),
  },
  { additionalProperties: false },
);
export type PlanBody = Static<typeof PlanBodySchema>;

export const PlanSchema = Type.Intersect([
  Type.Object({ id: Type.String(ID), updatedAt: Type.Integer(), updatedBy: Type.String() }),
  PlanBodySchema,
]);
export type EmergencyPlan = PlanBody & { id: string; updatedAt: number; updatedBy: string };

/** The plan id of an event type and level: one plan per pair. */
export function planId(eventType: EventType, level: ResponseLevel): string {
  return `${eventType}-${level}`;
}

/**
 * The plan for an incident: the one for its type and level, else the type's nearest level,
 * preferring the more severe one (sending too much is safer than too little). Undefined when the
 * type has no plan at all.
 */
export function matchPlan(plans: readonly EmergencyPlan[], eventType: EventType, level: ResponseLevel): EmergencyPlan | undefined {
  const want = RESPONSE_LEVELS.indexOf(level);
  let best: EmergencyPlan | undefined;
  let bestScore = Infinity;
  for (const plan of plans) {
    if (plan.eventType !== eventType) continue;
    const d = RESPONSE_LEVELS.indexOf(plan.level) - want;
    // More severe plans (lower index, d < 0) win ties against less severe ones.
    const score = Math.abs(d) * 2 + (d > 0 ? 1 : 0);
    if (score < bestScore) [best, bestScore] = [plan, score];
  }
  return best;
}

// --- Incidents -----------------------------------------------------------------------------------

export const INCIDENT_SOURCES = ['alarm', 'case', 'hotspot', 'manual'] as const;

export const IncidentSchema = Type.Object(
  {
    source: Type.Enum(INCIDENT_SOURCES),
    eventType: Type.Enum(EVENT_TYPES),
    level: Type.Enum(RESPONSE_LEVELS),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    /** The case the response is recorded on (one is opened at dispatch when absent). */
    caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    alarmId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** A finished flood scenario: its roads under more than CLOSED_DEPTH_M are impassable. */
    scenarioId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hotspot: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type Incident = Static<typeof IncidentSchema>;

/** Water deeper than this on a road closes it (the project's waterlogging alarm threshold). */
export const CLOSED_DEPTH_M = 0.15;

/** The response level of standing water: 1.5 m and more I, 0.8 m II, 0.4 m III, below IV. */
export function levelForDepth(depthM: number): ResponseLevel {
  return depthM >= 1.5 ? 'I' : depthM >= 0.8 ? 'II' : depthM >= 0.4 ? 'III' : 'IV';
}

/** What standing water of this depth is: waterlogging (内涝) up to half a metre, flooding beyond. */
export function eventTypeForDepth(depthM: number): EventType {
  return depthM >= 0.5 ? 'flooding' : 'waterlogging';
}

/** Case categories (domain/cases/categories.ts) that are emergencies with a plan. */
export const EVENT_TYPE_OF_CATEGORY: Readonly<Record<string, EventType>> = {
  'road-flooding': 'waterlogging',
  'road-collapse': 'road-collapse',
  'water-pipe-burst': 'water-main-burst',
  fire: 'fire',
  'typhoon-damage': 'typhoon',
};

/** The case category a response opens its case in, when the incident came without one. */
export const CATEGORY_OF_EVENT_TYPE: Readonly<Record<EventType, string>> = {
  waterlogging: 'road-flooding',
  flooding: 'road-flooding',
  typhoon: 'typhoon-damage',
  fire: 'fire',
  'road-collapse': 'road-collapse',
  'water-main-burst': 'water-pipe-burst',
};

// --- Proposals and responses ---------------------------------------------------------------------

const LonLat = Type.Tuple([Type.Number(), Type.Number()]);

export const ProposedUnitSchema = Type.Object({
  resourceId: Type.String(),
  kind: Type.Enum(RESOURCE_KINDS),
  name: Type.String(),
  /** Road travel time to the site, seconds; distance along the route, metres. */
  etaS: Type.Number(),
  distanceM: Type.Number(),
  route: Type.Array(LonLat),
});
export type ProposedUnit = Static<typeof ProposedUnitSchema>;

export const ProposedSupplySchema = Type.Object({
  item: Type.String(),
  quantity: Type.Integer(),
  depotId: Type.String(),
  depotName: Type.String(),
  etaS: Type.Number(),
});
export type ProposedSupply = Static<typeof ProposedSupplySchema>;

export const EvacuationSchema = Type.Object({
  buildingId: Type.String(),
  people: Type.Integer(),
  lon: Type.Number(),
  lat: Type.Number(),
  /** Absent: no shelter had room left. */
  shelterId: Type.Optional(Type.String()),
});
export type Evacuation = Static<typeof EvacuationSchema>;

export const ProposalSchema = Type.Object({
  incident: IncidentSchema,
  planId: Type.String(),
  planName: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
  units: Type.Array(ProposedUnitSchema),
  supplies: Type.Array(ProposedSupplySchema),
  evacuation: Type.Array(EvacuationSchema),
  shelters: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), capacity: Type.Integer(), assigned: Type.Integer() })),
  cameras: Type.Array(Type.String()),
  departments: Type.Array(Type.String()),
  /** Road segments closed by the chosen flood scenario. */
  closedEdges: Type.Integer(),
  /** What the plan asks for and the city cannot give (no such crew, stock short, no room). */
  shortfalls: Type.Array(Type.String()),
});
export type Proposal = Static<typeof ProposalSchema>;

export const UNIT_STATUSES = ['dispatched', 'en-route', 'on-site', 'done'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
/** What a unit itself reports (the server sets `dispatched`). */
export const REPORTED_UNIT_STATUSES = ['en-route', 'on-site', 'done'] as const;

export const DispatchedUnitSchema = Type.Intersect([
  ProposedUnitSchema,
  Type.Object({
    orderId: Type.String(),
    status: Type.Enum(UNIT_STATUSES),
    lon: Type.Number(),
    lat: Type.Number(),
    updatedAt: Type.Integer(),
  }),
]);
export type DispatchedUnit = Static<typeof DispatchedUnitSchema>;

export const ResponseSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  createdAt: Type.Integer(),
  createdBy: Type.String(),
  proposal: ProposalSchema,
  units: Type.Array(DispatchedUnitSchema),
});
export type EmergencyResponse = Static<typeof ResponseSchema>;

/** The operator's confirmation: the proposal, with units removed or swapped, evacuation kept or dropped. */
export const DispatchBodySchema = Type.Object(
  {
    incident: IncidentSchema,
    /** The resources to send (the proposal's, edited). */
    resourceIds: Type.Array(Type.String(ID), { minItems: 1, maxItems: 100 }),
    evacuate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DispatchBody = Static<typeof DispatchBodySchema>;

/** The live stream's `emergency` event: responses created or changed. */
export interface EmergencyEventData {
  responses: EmergencyResponse[];
}

/** A refused emergency request (no plan, a resource that is not a unit, a unit already out). */
export class EmergencyRuleError extends DomainError {}

// --- MQTT ----------------------------------------------------------------------------------------

export const UNIT_TOPIC_PREFIX = 'citytwin/v1/units';
export const UNIT_PUBLISH_KINDS = ['position', 'status'] as const;
export type UnitPublishKind = (typeof UNIT_PUBLISH_KINDS)[number];
export const UNIT_ORDER_KIND = 'orders';

const UNIT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function isUnitId(id: string): boolean {
  return UNIT_ID.test(id);
}

export function unitTopic(unitId: string, kind: UnitPublishKind | typeof UNIT_ORDER_KIND): string {
  if (!UNIT_ID.test(unitId)) throw new RangeError(`unit id "${unitId}" cannot be used in a topic`);
  return `${UNIT_TOPIC_PREFIX}/${unitId}/${kind}`;
}

/** What the emergency service subscribes to. */
export const UNIT_SUBSCRIPTIONS = UNIT_PUBLISH_KINDS.map((kind) => `${UNIT_TOPIC_PREFIX}/+/${kind}`);

/** The unit id and kind of a unit topic, or undefined for any other topic. */
export function parseUnitTopic(topic: string): { unitId: string; kind: UnitPublishKind | typeof UNIT_ORDER_KIND } | undefined {
  if (!topic.startsWith(`${UNIT_TOPIC_PREFIX}/`)) return undefined;
  const rest = topic.slice(UNIT_TOPIC_PREFIX.length + 1).split('/');
  if (rest.length !== 2) return undefined;
  const [unitId, kind] = rest as [string, string];
  if (!UNIT_ID.test(unitId)) return undefined;
  if (kind !== UNIT_ORDER_KIND && !(UNIT_PUBLISH_KINDS as readonly string[]).includes(kind)) return undefined;
  return { unitId, kind: kind as UnitPublishKind | typeof UNIT_ORDER_KIND };
}

export interface UnitOrder {
  v: 1;
  id: string;
  ts: number;
  responseId: string;
  site: { lon: number; lat: number };
  route: Array<[number, number]>;
  etaS: number;
}

export const UnitPositionSchema = Type.Object({
  v: Type.Literal(1),
  ts: Type.Integer({ minimum: 0 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  speedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 300 })),
});
export type UnitPosition = Static<typeof UnitPositionSchema>;

export const UnitStatusSchema = Type.Object({
  v: Type.Literal(1),
  ts: Type.Integer({ minimum: 0 }),
  orderId: Type.String({ minLength: 1, maxLength: 64 }),
  status: Type.Enum(REPORTED_UNIT_STATUSES),
});
export type UnitStatusReport = Static<typeof UnitStatusSchema>;
