/**
 * Emergency command (docs/emergency.md): the plans, the proposed response to an incident, the
 * dispatch of units over MQTT and what they report back, recorded on the incident's case.
 *
 *   propose(incident) ─▶ matchPlan ─▶ (flood scenario: closed roads) ─▶ core/proposeResponse
 *   dispatch(body)    ─▶ the units chosen (edited by the operator) ─▶ a case when none is named
 *                     ─▶ response stored ─▶ one order per unit on citytwin/v1/units/{id}/orders
 *                     ─▶ case timeline: "dispatched …"
 *   unit reports      ─▶ position (in memory, to the browsers) / status (stored, case timeline)
 *
 * Responses live in the database; units' positions between status reports only in memory and on
 * the live stream. One instance runs the service (see docs/emergency.md for clusters).
 */
import { randomUUID } from 'node:crypto';
import {
  CATEGORY_OF_EVENT_TYPE,
  EmergencyRuleError,
  matchPlan,
  planId,
  UNIT_KINDS,
  type DispatchBody,
  type DispatchedUnit,
  type EmergencyEventData,
  type EmergencyPlan,
  type EmergencyResponse,
  type Incident,
  type PlanBody,
  type Proposal,
  type UnitOrder,
  type UnitPosition,
  type UnitStatus,
  type UnitStatusReport,
} from '../../domain/emergency';
import type { Actor } from '../../domain/cases/case';
import type { User } from '../../domain/users';
import type { CaseService } from '../cases/CaseService';
import type { Storage } from '../storage/Storage';
import type { TwinIndex } from '../twin/TwinIndex';
import type { DepthAt } from './core/floodClosure';
import { proposeResponse, SiteRoutes, type PlaceOnGraph } from './core/proposeResponse';
import { nearestNode, type RoadGraph } from './core/roadGraph';
import { defaultPlans } from './defaultPlans';

/** A flood run's effect on the roads, loaded once per scenario. */
export interface FloodRoads {
  closed: Uint8Array;
  depthAt: DepthAt;
}

export interface EmergencyServiceOptions {
  twin: TwinIndex;
  graph: RoadGraph;
  storage: Storage;
  cases: CaseService;
  /** The closed roads of a finished flood scenario; throws EmergencyRuleError when there is none. */
  floodRoads(scenarioId: string): Promise<FloodRoads>;
  sendOrder(unitId: string, order: UnitOrder): Promise<void>;
  /** Responses changed: to the browsers. */
  publish(data: EmergencyEventData): void;
  now?: () => number;
}

/** Statuses that keep a unit busy. */
const ACTIVE: readonly UnitStatus[] = ['dispatched', 'en-route', 'on-site'];
const STATUS_ORDER: readonly UnitStatus[] = ['dispatched', 'en-route', 'on-site', 'done'];
const RESPONSE_LIST_LIMIT = 200;

export class EmergencyService {
  private readonly placeOf = new Map<string, PlaceOnGraph>();
  private readonly responses = new Map<string, EmergencyResponse>();
  /** The response each busy unit is on. */
  private readonly unitResponse = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly opts: EmergencyServiceOptions) {
    this.now = opts.now ?? Date.now;
    if (opts.graph.nodeCount > 0) {
      for (const r of opts.twin.resources) this.placeOf.set(r.id, nearestNode(opts.graph, r.lon, r.lat));
    }
  }

  /** Seeds the default plans into an empty table and loads the recent responses. */
  async start(): Promise<void> {
    const { storage } = this.opts;
    if ((await storage.listEmergencyPlans()).length === 0) {
      for (const plan of defaultPlans(this.now())) await storage.saveEmergencyPlan(plan);
    }
    for (const r of (await storage.listEmergencyResponses(RESPONSE_LIST_LIMIT)).reverse()) this.remember(r);
  }

  // Plans

  plans(): Promise<EmergencyPlan[]> {
    return this.opts.storage.listEmergencyPlans();
  }

  /** Creates or replaces the plan of the body's event type and level. */
  async savePlan(body: PlanBody, user: User): Promise<EmergencyPlan> {
    const plan: EmergencyPlan = { ...body, id: planId(body.eventType, body.level), updatedAt: this.now(), updatedBy: user.username };
    await this.opts.storage.saveEmergencyPlan(plan);
    return plan;
  }

  async deletePlan(id: string): Promise<void> {
    if (!(await this.opts.storage.deleteEmergencyPlan(id))) throw new EmergencyRuleError('not-found', `plan "${id}" not found`, ['id']);
  }

  // Proposals and dispatch

  async propose(incident: Incident): Promise<Proposal> {
    const plan = matchPlan(await this.plans(), incident.eventType, incident.level);
    if (!plan) throw new EmergencyRuleError('not-found', `eventType: no emergency plan for "${incident.eventType}"; an admin adds one under Emergency plans`, ['eventType']);
    this.assertNetwork();
    const flood = incident.scenarioId !== undefined ? await this.opts.floodRoads(incident.scenarioId) : undefined;
    const { twin } = this.opts;
    return proposeResponse({
      graph: this.opts.graph,
      resources: twin.resources,
      placeOf: this.placeOf,
      plan,
      incident,
      closed: flood?.closed,
      depthAt: flood?.depthAt,
      buildings: twin.buildings,
      cameras: this.cameras(),
      busy: new Set(this.unitResponse.keys()),
    });
  }

  /**
   * Sends the chosen units: each must be a unit of the twin, free, and able to reach the site.
   * The response goes on the incident's case, or on a case opened for it.
   */
  async dispatch(body: DispatchBody, user: User): Promise<EmergencyResponse> {
    const { twin } = this.opts;
    const ids = [...new Set(body.resourceIds)];
    ids.forEach((id, i) => {
      const r = twin.resourceById.get(id);
      if (!r) throw new EmergencyRuleError('invalid', `resourceIds[${i}]: "${id}" is not a resource of this twin`, ['resourceIds']);
      if (!UNIT_KINDS.includes(r.kind)) throw new EmergencyRuleError('invalid', `resourceIds[${i}]: "${id}" is a ${r.kind}, which sends no unit (its supplies or places are in the proposal)`, ['resourceIds']);
      const busy = this.unitResponse.get(id);
      if (busy) throw new EmergencyRuleError('conflict', `resourceIds[${i}]: unit "${id}" is already out on response ${busy}`, ['resourceIds']);
    });
    const proposal = await this.propose(body.incident);
    const kept = body.evacuate === false ? { ...proposal, evacuation: [], shelters: [] } : proposal;
    const flood = body.incident.scenarioId !== undefined ? await this.opts.floodRoads(body.incident.scenarioId) : undefined;
    const routes = new SiteRoutes(this.opts.graph, body.incident, flood?.closed);
    const now = this.now();
    const units: DispatchedUnit[] = ids.map((id, i) => {
      const r = twin.resourceById.get(id)!;
      const place = this.placeOf.get(id);
      const reach = place && routes.reach(r, place);
      if (!reach) throw new EmergencyRuleError('invalid', `resourceIds[${i}]: unit "${id}" cannot reach the site by road${flood ? ' (the flood closes the way)' : ''}`, ['resourceIds']);
      return { resourceId: id, kind: r.kind, name: r.name, ...reach, orderId: randomUUID(), status: 'dispatched', lon: r.lon, lat: r.lat, updatedAt: now };
    });
    const caseId = body.incident.caseId ?? (await this.openCase(body.incident, user));
    const response: EmergencyResponse = { id: `ER-${now.toString(36)}-${randomUUID().slice(0, 6)}`, caseId, createdAt: now, createdBy: user.username, proposal: { ...kept, incident: { ...body.incident, caseId } }, units };
    await this.opts.storage.saveEmergencyResponse(response);
    this.remember(response);
    const actor: Actor = { kind: 'user', userId: user.id, username: user.username, role: user.role };
    const eta = Math.max(...units.map((u) => u.etaS));
    await this.opts.cases.record(caseId, actor, `Emergency response ${response.id} (${kept.planName.en}): dispatched ${units.map((u) => u.name).join(', ')}; last ETA ${Math.round(eta / 60)} min`, {
      responseId: response.id,
      planId: kept.planId,
      units: units.length,
      etaS: eta,
      evacuated: kept.evacuation.reduce((n, e) => n + e.people, 0),
    });
    for (const u of units) {
      await this.opts.sendOrder(u.resourceId, { v: 1, id: u.orderId, ts: now, responseId: response.id, site: { lon: body.incident.lon, lat: body.incident.lat }, route: u.route, etaS: u.etaS });
    }
    this.opts.publish({ responses: [response] });
    return response;
  }

  private async openCase(incident: Incident, user: User): Promise<string> {
    // An alarm usually opened its case already (cases/alarmIntake): the response goes on that one.
    if (incident.alarmId !== undefined) {
      const report = await this.opts.storage.getReportByAlarmId(incident.alarmId);
      if (report) return report.caseId;
    }
    const actor: Actor = { kind: 'user', userId: user.id, username: user.username, role: user.role };
    const answer = await this.opts.cases.intake(
      {
        categoryId: CATEGORY_OF_EVENT_TYPE[incident.eventType],
        description: incident.note ?? `${incident.eventType} (level ${incident.level}) from ${incident.source}`,
        source: 'directive',
        lon: incident.lon,
        lat: incident.lat,
        urgency: 'urgent',
        reporter: user.username,
        ...(incident.alarmId !== undefined ? { alarmId: incident.alarmId } : {}),
      },
      actor,
    );
    return answer.body.case.id;
  }

  // Unit reports

  onPosition(unitId: string, p: UnitPosition): void {
    const unit = this.activeUnit(unitId);
    if (!unit) return;
    unit.unit.lon = p.lon;
    unit.unit.lat = p.lat;
    unit.unit.updatedAt = p.ts;
    this.opts.publish({ responses: [unit.response] });
  }

  async onStatus(unitId: string, report: UnitStatusReport): Promise<void> {
    const found = this.activeUnit(unitId);
    if (!found || found.unit.orderId !== report.orderId) return;
    const { unit, response } = found;
    // Reports may arrive out of order: a status never goes back.
    if (STATUS_ORDER.indexOf(report.status) <= STATUS_ORDER.indexOf(unit.status)) return;
    unit.status = report.status;
    unit.updatedAt = report.ts;
    if (report.status === 'done') this.unitResponse.delete(unitId);
    await this.opts.storage.saveEmergencyResponse(response);
    this.opts.publish({ responses: [response] });
    const what = report.status === 'on-site' ? 'is on site' : report.status === 'done' ? 'has finished' : 'is on its way';
    await this.opts.cases.record(response.caseId, { kind: 'system', name: 'emergency' }, `${unit.name} ${what}`, { responseId: response.id, unitId, status: report.status });
  }

  // Reads

  list(): EmergencyResponse[] {
    return [...this.responses.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): EmergencyResponse | undefined {
    return this.responses.get(id);
  }

  private remember(r: EmergencyResponse): void {
    this.responses.set(r.id, r);
    for (const u of r.units) if (ACTIVE.includes(u.status)) this.unitResponse.set(u.resourceId, r.id);
    if (this.responses.size > RESPONSE_LIST_LIMIT) {
      const oldest = this.list().at(-1)!;
      if (!oldest.units.some((u) => ACTIVE.includes(u.status))) this.responses.delete(oldest.id);
    }
  }

  private activeUnit(unitId: string): { response: EmergencyResponse; unit: DispatchedUnit } | undefined {
    const responseId = this.unitResponse.get(unitId);
    const response = responseId ? this.responses.get(responseId) : undefined;
    const unit = response?.units.find((u) => u.resourceId === unitId);
    return response && unit ? { response, unit } : undefined;
  }

  private cameras(): Array<{ id: string; lon: number; lat: number }> {
    const { twin } = this.opts;
    return twin.terminals.flatMap((t) => {
      if (t.type !== 'camera' && t.type !== 'traffic-camera') return [];
      const pole = twin.poleById.get(t.poleId);
      return pole ? [{ id: t.id, lon: pole.lon, lat: pole.lat }] : [];
    });
  }

  private assertNetwork(): void {
    if (this.opts.graph.nodeCount === 0) throw new EmergencyRuleError('stage', 'this twin has no roads to route on (layers/roads.geojson is empty)');
  }
}
